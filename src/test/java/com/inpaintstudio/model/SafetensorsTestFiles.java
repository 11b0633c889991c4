package com.inpaintstudio.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Writes small zero-filled F32 safetensors files with given shapes, for layout tests. */
final class SafetensorsTestFiles {
    private SafetensorsTestFiles() {}

    static void write(Path path, Map<String, long[]> shapes) throws IOException {
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, long[]> e : new TreeMap<>(shapes).entrySet()) {
            long n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b) * 4;
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(Arrays.toString(e.getValue()).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(offset + n).append("]}");
            offset += n;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        byte[] out = new byte[8 + header.length + (int) offset];
        System.arraycopy(len.array(), 0, out, 0, 8);
        System.arraycopy(header, 0, out, 8, header.length);
        Files.write(path, out);
    }
}
