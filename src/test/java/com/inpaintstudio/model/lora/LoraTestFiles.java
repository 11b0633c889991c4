package com.inpaintstudio.model.lora;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The LoRA fixtures (src/test/reference/gen_lora.py) and a float32 safetensors writer for hand-made bad files. */
public final class LoraTestFiles {
    private LoraTestFiles() {}

    public static Path root() {
        try {
            return Path.of(LoraTestFiles.class.getResource("/fixtures/lora/manifest.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A float32 tensor: shape and values (values may be shorter: zero-filled). */
    public record T(long[] shape, float... values) {
    }

    public static T t(long... shape) {
        return new T(shape);
    }

    /** Writes {@code tensors} (insertion order) as float32 safetensors. */
    public static Path write(Path file, Map<String, T> tensors) throws IOException {
        return write(file, tensors, Map.of());
    }

    /** Writes {@code tensors} as float32 safetensors with {@code metadata} as its {@code __metadata__} strings. */
    public static Path write(Path file, Map<String, T> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder h = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            StringBuilder m = new StringBuilder();
            metadata.forEach((k, v) -> m.append(m.length() == 0 ? "" : ",").append('"').append(k).append("\":\"")
                    .append(v).append('"'));
            h.append("\"__metadata__\":{").append(m).append("}").append(tensors.isEmpty() ? "" : ",");
        }
        long offset = 0;
        Map<String, long[]> offsets = new LinkedHashMap<>();
        for (Map.Entry<String, T> e : tensors.entrySet()) {
            long n = 1;
            for (long d : e.getValue().shape()) {
                n *= d;
            }
            offsets.put(e.getKey(), new long[] {offset, offset + 4 * n});
            offset += 4 * n;
        }
        boolean first = true;
        for (Map.Entry<String, T> e : tensors.entrySet()) {
            long[] o = offsets.get(e.getKey());
            StringBuilder shape = new StringBuilder();
            for (long d : e.getValue().shape()) {
                shape.append(shape.length() == 0 ? "" : ",").append(d);
            }
            h.append(first ? "" : ",").append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[")
                    .append(shape).append("],\"data_offsets\":[").append(o[0]).append(',').append(o[1]).append("]}");
            first = false;
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate((int) (8 + header.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        for (Map.Entry<String, T> e : tensors.entrySet()) {
            long n = offsets.get(e.getKey())[1] / 4 - offsets.get(e.getKey())[0] / 4;
            for (int i = 0; i < n; i++) {
                float[] v = e.getValue().values();
                b.putFloat(i < v.length ? v[i] : 0.01f * (i % 7));
            }
        }
        Files.write(file, b.array());
        return file;
    }
}
