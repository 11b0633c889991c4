package com.inpaintstudio.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Writes small F32 safetensors files for layout tests. */
final class CheckpointTestFiles {
    private CheckpointTestFiles() {}

    record Tensor(long[] shape, float[] data) { }

    /** Zero-filled tensors of the given shapes. */
    static void write(Path path, Map<String, long[]> shapes) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        shapes.forEach((k, s) -> t.put(k, new Tensor(s, new float[(int) Arrays.stream(s).reduce(1, (a, b) -> a * b)])));
        writeTensors(path, t);
    }

    static void writeTensors(Path path, Map<String, Tensor> tensors) throws IOException {
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            long n = e.getValue().data().length * 4L;
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(Arrays.toString(e.getValue().shape()).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(offset + n).append("]}");
            offset += n;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(path)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            for (Tensor t : sorted.values()) {
                ByteBuffer b = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(t.data());
                out.write(b.array());
            }
        }
    }
}
