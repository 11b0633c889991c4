package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.SafetensorsTestFiles.Entry;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static com.inpaintstudio.model.SafetensorsTestFiles.f16;
import static com.inpaintstudio.model.SafetensorsTestFiles.f32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken safetensors files give a {@link ModelFormatException} that names the file and the problem (never a JVM
 * abort or a raw exception), and the dtypes DJL cannot hold (BF16, I16, U8, BOOL) load through Java conversion.
 */
class SafetensorsFileBrokenTest {
    @TempDir
    Path tmp;

    private String failure(Path file) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), "message names the file: " + e.getMessage());
        return e.getMessage();
    }

    private Path good(String name) throws IOException {
        return SafetensorsTestFiles.write(tmp.resolve(name), List.of(
                new Entry("a", "F32", new long[] {2, 2}, f32(1, 2, 3, 4)),
                new Entry("b", "F32", new long[] {3}, f32(5, 6, 7))));
    }

    @Test
    void truncatedFile() throws IOException {
        Path f = good("t.safetensors");
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 5));
        String msg = failure(f);
        assertTrue(msg.contains("tensor 'b' claims bytes 16..28 but the data section has only 23 bytes")
                && msg.contains("truncated download"), msg);

        Files.write(f, Arrays.copyOf(all, 5));
        assertTrue(failure(f).contains("the file is 5 bytes long, too short"));
        Files.write(f, Arrays.copyOf(all, 20));
        assertTrue(failure(f).contains("the header needs"), failure(f));
    }

    @Test
    void headerLengthTooLong() throws IOException {
        Path f = tmp.resolve("h.safetensors");
        SafetensorsTestFiles.writeRaw(f, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        byte[] all = Files.readAllBytes(f);
        all[0] = 100; // claims a 100-byte header in a 10-byte file
        Files.write(f, all);
        String msg = failure(f);
        assertTrue(msg.contains("the header needs 100 bytes but the file has only 2"), msg);

        Arrays.fill(all, 0, 8, (byte) 0xff); // length -1 as unsigned: 18446744073709551615
        Files.write(f, all);
        msg = failure(f);
        assertTrue(msg.contains("the header length field says 18446744073709551615 bytes")
                && msg.contains("not a safetensors file"), msg);
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        Path f = SafetensorsTestFiles.write(tmp.resolve("o.safetensors"), List.of(
                new Entry("w", "F32", new long[] {2}, f32(1, 2), 0, 800)));
        String msg = failure(f);
        assertTrue(msg.contains("tensor 'w' claims bytes 0..800 but the data section has only 8 bytes"), msg);

        f = SafetensorsTestFiles.write(tmp.resolve("o2.safetensors"), List.of(
                new Entry("w", "F32", new long[] {0}, new byte[0], 8, 4)));
        msg = failure(f);
        assertTrue(msg.contains("tensor 'w' claims bytes 8..4"), msg);
    }

    @Test
    void wrongByteCountForShape() throws IOException {
        Path f = SafetensorsTestFiles.write(tmp.resolve("s.safetensors"), List.of(
                new Entry("w", "F32", new long[] {3}, f32(1, 2))));
        String msg = failure(f);
        assertTrue(msg.contains("tensor 'w' is F32 with shape [3], which needs 12 bytes, but its offsets span 8"), msg);

        f = SafetensorsTestFiles.write(tmp.resolve("s2.safetensors"), List.of(
                new Entry("w", "F32", new long[] {1L << 40, 1L << 40}, f32(1))));
        msg = failure(f);
        assertTrue(msg.contains("tensor 'w' has an impossible shape"), msg);
    }

    @Test
    void unknownDtype() throws IOException {
        Path f = SafetensorsTestFiles.write(tmp.resolve("d.safetensors"), List.of(
                new Entry("w", "F8_E4M3", new long[] {2}, new byte[2])));
        String msg = failure(f);
        assertTrue(msg.contains("tensor 'w' has dtype 'F8_E4M3', which Inpaint Studio cannot read"), msg);
    }

    @Test
    void overlappingTensors() throws IOException {
        Path f = SafetensorsTestFiles.write(tmp.resolve("v.safetensors"), List.of(
                new Entry("a", "F32", new long[] {2}, f32(1, 2), 0, 8),
                new Entry("b", "F32", new long[] {2}, f32(3, 4), 4, 12)));
        String msg = failure(f);
        assertTrue(msg.contains("tensors 'a' and 'b' overlap"), msg);
    }

    @Test
    void malformedHeaders() throws IOException {
        Path f = tmp.resolve("m.safetensors");
        SafetensorsTestFiles.writeRaw(f, "{\"w\": {\"dtype\": \"F32\"".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertTrue(failure(f).contains("the header is not valid JSON"), failure(f));
        SafetensorsTestFiles.writeRaw(f, "[1, 2]".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertTrue(failure(f).contains("the header is not a JSON object"), failure(f));
        SafetensorsTestFiles.writeRaw(f, "{\"w\": {\"dtype\": \"F32\", \"shape\": [2]}}".getBytes(StandardCharsets.UTF_8),
                new byte[8]);
        assertTrue(failure(f).contains("tensor 'w' lacks one of dtype, shape, data_offsets"), failure(f));
        SafetensorsTestFiles.writeRaw(f, ("{\"w\": {\"dtype\": \"F32\", \"shape\": [\"two\"], \"data_offsets\": [0, 8]}}")
                .getBytes(StandardCharsets.UTF_8), new byte[8]);
        assertTrue(failure(f).contains("tensor 'w' has a malformed header entry"), failure(f));
        SafetensorsTestFiles.writeRaw(f, ("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": 8}}")
                .getBytes(StandardCharsets.UTF_8), new byte[8]);
        assertTrue(failure(f).contains("tensor 'w' has a malformed header entry"), failure(f));
        SafetensorsTestFiles.writeRaw(f, ("{\"w\": {\"dtype\": 4, \"shape\": [-2], \"data_offsets\": [0, 8]}}")
                .getBytes(StandardCharsets.UTF_8), new byte[8]);
        assertTrue(failure(f).contains("tensor 'w'"), failure(f));
    }

    @Test
    void bf16LoadsAsF32WithExactValues() throws IOException {
        // bf16 bit patterns of 1.5, -2.25, 3.140625, 0, -0, 1e38 (0x7E96 ~= 9.98e37), inf
        short[] bits = {0x3FC0, (short) 0xC010, 0x4049, 0, (short) 0x8000, 0x7E96, 0x7F80};
        Path f = SafetensorsTestFiles.write(tmp.resolve("bf16.safetensors"), List.of(
                new Entry("w", "BF16", new long[] {7}, f16(bits))));
        float[] want = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            want[i] = Float.intBitsToFloat((bits[i] & 0xffff) << 16);
        }
        assertEquals(1.5f, want[0]);
        assertEquals(-2.25f, want[1]);
        assertEquals(3.140625f, want[2]);
        try (SafetensorsFile sf = SafetensorsFile.open(f); NDManager m = DjlRuntime.newManager()) {
            NDArray a = sf.load("w", m);
            assertEquals(DataType.FLOAT32, a.getDataType());
            assertEquals(new Shape(7), a.getShape());
            assertArrayEquals(want, a.toFloatArray());
            assertArrayEquals(want, sf.readFloats("w"));
            assertEquals(3.140625f * 2, a.mul(2).toFloatArray()[2], "usable in DJL math");
        }
    }

    @Test
    void f16LoadsAsF32() throws IOException {
        // 1.0, -0.5, 65504 (max half), 2^-24 (smallest subnormal), 0.333251953125
        short[] bits = {0x3C00, (short) 0xB800, 0x7BFF, 0x0001, 0x3555};
        float[] want = {1f, -0.5f, 65504f, (float) Math.pow(2, -24), 0.333251953125f};
        Path f = SafetensorsTestFiles.write(tmp.resolve("f16.safetensors"), List.of(
                new Entry("w", "F16", new long[] {5}, f16(bits))));
        try (SafetensorsFile sf = SafetensorsFile.open(f); NDManager m = DjlRuntime.newManager()) {
            NDArray a = sf.load("w", m);
            assertEquals(DataType.FLOAT32, a.getDataType());
            assertArrayEquals(want, a.toFloatArray());
            assertArrayEquals(want, sf.readFloats("w"));
        }
    }

    @Test
    void smallIntegerDtypesWidenInsteadOfAbortingTheJvm() throws IOException {
        Path f = SafetensorsTestFiles.write(tmp.resolve("ints.safetensors"), List.of(
                new Entry("i16", "I16", new long[] {2}, f16((short) -3, (short) 300)),
                new Entry("u8", "U8", new long[] {2}, new byte[] {(byte) 200, 7}),
                new Entry("b", "BOOL", new long[] {2}, new byte[] {1, 0})));
        try (SafetensorsFile sf = SafetensorsFile.open(f); NDManager m = DjlRuntime.newManager()) {
            NDArray i16 = sf.load("i16", m);
            assertEquals(DataType.INT32, i16.getDataType());
            assertArrayEquals(new int[] {-3, 300}, i16.toIntArray());
            assertArrayEquals(new int[] {200, 7}, sf.load("u8", m).toIntArray());
            assertArrayEquals(new int[] {1, 0}, sf.load("b", m).toIntArray());
        }
    }

    @Test
    void missingTensorNamesTheFile() throws IOException {
        Path f = good("g.safetensors");
        try (SafetensorsFile sf = SafetensorsFile.open(f); NDManager m = DjlRuntime.newManager()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> sf.load("nope", m));
            assertTrue(e.getMessage().contains("'nope' is missing from " + f), e.getMessage());
            assertArrayEquals(new float[] {5, 6, 7}, sf.load("b", m).toFloatArray());
        }
    }
}
