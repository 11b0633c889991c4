package com.inpaintstudio.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small (possibly deliberately broken) safetensors files for tests. */
final class SafetensorsTestFiles {
    /** One tensor: its header entry may lie about offsets ({@code begin}/{@code end} >= 0 override them). */
    record Entry(String name, String dtype, long[] shape, byte[] data, long begin, long end) {
        Entry(String name, String dtype, long[] shape, byte[] data) {
            this(name, dtype, shape, data, -1, -1);
        }
    }

    private SafetensorsTestFiles() {}

    static Path write(Path file, List<Entry> entries) throws IOException {
        JsonObject header = new JsonObject();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Entry e : entries) {
            long b = data.size();
            data.write(e.data());
            long en = data.size();
            JsonObject t = new JsonObject();
            t.addProperty("dtype", e.dtype());
            JsonArray shape = new JsonArray();
            for (long d : e.shape()) {
                shape.add(d);
            }
            t.add("shape", shape);
            JsonArray off = new JsonArray();
            off.add(e.begin() >= 0 ? e.begin() : b);
            off.add(e.end() >= 0 ? e.end() : en);
            t.add("data_offsets", off);
            header.add(e.name(), t);
        }
        return writeRaw(file, header.toString().getBytes(StandardCharsets.UTF_8), data.toByteArray());
    }

    static Path writeRaw(Path file, byte[] header, byte[] data) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(len.array());
        out.write(header);
        out.write(data);
        Files.write(file, out.toByteArray());
        return file;
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static byte[] f16(short... bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : bits) {
            b.putShort(s);
        }
        return b.array();
    }

    /** Every tensor of {@code src} re-written in {@code dtype} ("F32" or "F16"), split into {@code parts} files. */
    static List<Path> rewrite(SafetensorsFile src, String dtype, Path dir, String baseName, int parts) throws IOException {
        List<List<Entry>> groups = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            groups.add(new ArrayList<>());
        }
        int i = 0;
        for (TensorInfo t : src.tensors().values()) {
            Entry e;
            if (!t.dtype().isFloat()) {
                long[] v = src.readLongs(t.name());
                ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (long x : v) {
                    b.putLong(x);
                }
                e = new Entry(t.name(), "I64", t.shape(), b.array());
            } else {
                float[] v = src.readFloats(t.name());
                if (dtype.equals("F16")) {
                    short[] h = new short[v.length];
                    for (int k = 0; k < v.length; k++) {
                        h[k] = toHalf(v[k]);
                    }
                    e = new Entry(t.name(), "F16", t.shape(), f16(h));
                } else {
                    e = new Entry(t.name(), "F32", t.shape(), f32(v));
                }
            }
            groups.get(i++ % parts).add(e);
        }
        List<Path> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            String name = parts == 1 ? baseName
                    : baseName.replace(".safetensors", String.format("-%05d-of-%05d.safetensors", p + 1, parts));
            out.add(write(dir.resolve(name), groups.get(p)));
        }
        return out;
    }

    /** float -> IEEE half, round to nearest even (normal range only; test values are small). */
    static short toHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = bits & 0x7fffff;
        if (exp <= 0) {
            if (exp < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - exp;
            int half = mant >> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        if (exp >= 31) {
            return (short) (sign | 0x7c00);
        }
        int half = (exp << 10) | (mant >> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }
}
