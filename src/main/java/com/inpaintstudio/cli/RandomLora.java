package com.inpaintstudio.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a random kohya-layout LoRA (fp16, as LCM-LoRA ships) over every given UNet weight: {@code lora_down}
 * (r, in[, k, k]), {@code lora_up} (out, r[, 1, 1]) and {@code alpha} = r. For benchmarks: the values are N(0, 0.01)-ish.
 */
final class RandomLora {
    private RandomLora() {}

    static Path write(Path file, Map<String, long[]> unetWeights, int rank, long seed) throws IOException {
        Map<String, long[]> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : unetWeights.entrySet()) {
            String module = e.getKey().substring(0, e.getKey().length() - ".weight".length());
            String name = "lora_unet_" + module.replace('.', '_');
            long[] w = e.getValue();
            long[] down = w.length == 4 ? new long[] {rank, w[1], w[2], w[3]} : new long[] {rank, w[1]};
            long[] up = w.length == 4 ? new long[] {w[0], rank, 1, 1} : new long[] {w[0], rank};
            tensors.put(name + ".lora_down.weight", down);
            tensors.put(name + ".lora_up.weight", up);
            tensors.put(name + ".alpha", new long[0]);
        }
        StringBuilder h = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, long[]> e : tensors.entrySet()) {
            long n = count(e.getValue());
            StringBuilder shape = new StringBuilder();
            for (long d : e.getValue()) {
                shape.append(shape.length() == 0 ? "" : ",").append(d);
            }
            h.append(h.length() == 1 ? "" : ",").append('"').append(e.getKey()).append("\":{\"dtype\":\"F16\",\"shape\":[")
                    .append(shape).append("],\"data_offsets\":[").append(offset).append(',').append(offset + 2 * n)
                    .append("]}");
            offset += 2 * n;
        }
        h.append('}');
        while ((h.length() + 8) % 8 != 0) {
            h.append(' ');
        }
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(seed);
        short alphaBits = toHalf(rank);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len.array());
            out.write(header);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<String, long[]> e : tensors.entrySet()) {
                long n = count(e.getValue());
                boolean alpha = e.getKey().endsWith(".alpha");
                for (long i = 0; i < n; i++) {
                    if (!buf.hasRemaining()) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putShort(alpha ? alphaBits : toHalf((float) (random.nextDouble() - 0.5) * 0.03f));
                }
            }
            out.write(buf.array(), 0, buf.position());
        }
        return file;
    }

    /** float -> IEEE half, truncating; values below half's normal range become 0 (fine for benchmark noise). */
    static short toHalf(float f) {
        int b = Float.floatToIntBits(f);
        int sign = (b >>> 16) & 0x8000;
        int exp = ((b >>> 23) & 0xff) - 127 + 15;
        int mant = (b >>> 13) & 0x3ff;
        if (exp <= 0) {
            return (short) sign;
        }
        if (exp >= 31) {
            return (short) (sign | 0x7c00);
        }
        return (short) (sign | exp << 10 | mant);
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
