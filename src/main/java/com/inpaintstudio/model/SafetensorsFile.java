package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A memory-mapped {@code .safetensors} file. The header is validated before anything is trusted; tensors are
 * handed to DJL zero-copy where DJL can hold the dtype (F32, F16, F64, I64, I32, I8) and converted in Java
 * where it cannot (BF16 -> F32, I16/U8/BOOL -> I32): DJL 0.36 aborts the JVM on those dtypes.
 * Mapped tensors are read-only: never run in-place ops on them. Files over 2 GB work (each tensor maps alone).
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Headers of real checkpoints are well under 10 MB; anything bigger is corrupt or hostile. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long fileSize, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.fileSize = fileSize;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates a file. Throws {@link ModelFormatException} naming the file and the problem. */
    public static SafetensorsFile open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ModelFormatException("Weights file not found: " + path);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            long size = ch.size();
            if (size < 8) {
                throw bad(path, "the file is " + size + " bytes long, too short to hold a safetensors header"
                        + " (truncated download?)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
                throw bad(path, "the header length field says " + Long.toUnsignedString(headerLen)
                        + " bytes (allowed 2.." + MAX_HEADER_BYTES + "); this is not a safetensors file or it is corrupt");
            }
            if (8 + headerLen > size) {
                throw bad(path, "the header needs " + headerLen + " bytes but the file has only " + (size - 8)
                        + " after the length field (truncated download?)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            String json = new String(hb.array(), StandardCharsets.UTF_8);
            Map<String, String> meta = new LinkedHashMap<>();
            Map<String, TensorInfo> infos = parseHeader(path, json, 8 + headerLen, size, meta);
            return new SafetensorsFile(path, ch, size, infos, meta);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new ModelFormatException("Cannot read weights file " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static Map<String, TensorInfo> parseHeader(Path path, String json, long dataStart, long fileSize,
                                                       Map<String, String> meta) {
        JsonObject root;
        try {
            JsonElement el = JsonParser.parseString(json);
            if (!el.isJsonObject()) {
                throw bad(path, "the header is not a JSON object");
            }
            root = el.getAsJsonObject();
        } catch (JsonParseException e) {
            throw bad(path, "the header is not valid JSON (" + e.getMessage() + ")");
        }
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        long dataLen = fileSize - dataStart;
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                if (e.getValue().isJsonObject()) {
                    for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                        meta.put(m.getKey(), m.getValue().isJsonPrimitive() ? m.getValue().getAsString() : m.getValue().toString());
                    }
                }
                continue;
            }
            if (!e.getValue().isJsonObject()) {
                throw bad(path, "tensor '" + name + "' has no dtype/shape/data_offsets object");
            }
            try {
                out.put(name, parseTensor(path, name, e.getValue().getAsJsonObject(), dataStart, dataLen));
            } catch (ModelFormatException ex) {
                throw ex;
            } catch (RuntimeException ex) { // a number where a list belongs, text where a number belongs, ...
                throw bad(path, "tensor '" + name + "' has a malformed header entry " + e.getValue()
                        + "; the file is corrupt");
            }
        }
        List<TensorInfo> sorted = new ArrayList<>(out.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo a = sorted.get(i - 1);
            TensorInfo c = sorted.get(i);
            if (c.begin() < a.end() && c.byteLength() > 0 && a.byteLength() > 0) {
                throw bad(path, "tensors '" + a.name() + "' and '" + c.name() + "' overlap in the file; it is corrupt");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static TensorInfo parseTensor(Path path, String name, JsonObject t, long dataStart, long dataLen) {
        if (!t.has("dtype") || !t.has("shape") || !t.has("data_offsets")) {
            throw bad(path, "tensor '" + name + "' lacks one of dtype, shape, data_offsets");
        }
        String dt = t.get("dtype").getAsString();
        TensorDType dtype = TensorDType.parse(dt);
        if (dtype == null) {
            throw bad(path, "tensor '" + name + "' has dtype '" + dt + "', which Inpaint Studio cannot read"
                    + " (supported: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)");
        }
        JsonArray sh = t.getAsJsonArray("shape");
        long[] shape = new long[sh.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = sh.get(i).getAsLong();
            if (shape[i] < 0) {
                throw bad(path, "tensor '" + name + "' has a negative dimension");
            }
        }
        JsonArray off = t.getAsJsonArray("data_offsets");
        if (off.size() != 2) {
            throw bad(path, "tensor '" + name + "' data_offsets must have two numbers");
        }
        long b = off.get(0).getAsLong();
        long en = off.get(1).getAsLong();
        if (b < 0 || en < b || en > dataLen) {
            throw bad(path, "tensor '" + name + "' claims bytes " + b + ".." + en + " but the data section has only "
                    + dataLen + " bytes (truncated download or corrupt file)");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape, dataStart + b, dataStart + en);
        long expected;
        try {
            expected = Math.multiplyExact(info.elementCount(), dtype.bytes());
        } catch (ArithmeticException ex) {
            throw bad(path, "tensor '" + name + "' has an impossible shape");
        }
        if (expected != en - b) {
            throw bad(path, "tensor '" + name + "' is " + dtype + " with shape " + java.util.Arrays.toString(shape)
                    + ", which needs " + expected + " bytes, but its offsets span " + (en - b));
        }
        return info;
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo info(String name) {
        TensorInfo i = tensors.get(name);
        if (i == null) {
            throw new ModelFormatException("Tensor '" + name + "' is missing from " + path
                    + "; the file belongs to a different model architecture or is incomplete");
        }
        return i;
    }

    /**
     * Loads a tensor into {@code manager}. Float tensors come back as F32 unless {@code keepHalf} and the file
     * holds F16 (then F16, zero-copy). Integer tensors come back as I64 or I32.
     */
    public NDArray load(String name, NDManager manager) {
        return load(name, manager, false);
    }

    /**
     * As {@link #load(String, NDManager)}; with {@code keepHalf} an F16 tensor stays F16, mapped zero-copy (half the
     * memory of the F32 copy; read-only: callers upcast per use, see {@code nn.layers.Param}).
     */
    public NDArray load(String name, NDManager manager, boolean keepHalf) {
        TensorInfo info = info(name);
        Shape shape = new Shape(info.shape());
        ByteBuffer buf = map(info);
        switch (info.dtype()) {
            case F32:
                return manager.create(buf, shape, DataType.FLOAT32);
            case F64:
                return manager.create(buf, shape, DataType.FLOAT64);
            case F16: {
                NDArray half = manager.create(buf, shape, DataType.FLOAT16);
                if (keepHalf) {
                    return half;
                }
                NDArray f = half.toType(DataType.FLOAT32, false);
                half.close();
                return f;
            }
            case BF16:
                return manager.create(bf16ToF32(buf, info.elementCount()), shape, DataType.FLOAT32);
            case I64:
                return manager.create(buf, shape, DataType.INT64);
            case I32:
                return manager.create(buf, shape, DataType.INT32);
            case I8:
                return manager.create(buf, shape, DataType.INT8);
            case I16:
            case U8:
            case BOOL:
                return manager.create(widenToInt(buf, info), shape, DataType.INT32);
            default:
                throw new IllegalStateException(info.dtype().toString());
        }
    }

    /** Reads a float tensor into a Java array (any float dtype), e.g. for tests and small config tensors. */
    public float[] readFloats(String name) {
        TensorInfo info = info(name);
        ByteBuffer buf = map(info);
        int n = Math.toIntExact(info.elementCount());
        float[] out = new float[n];
        switch (info.dtype()) {
            case F32 -> buf.asFloatBuffer().get(out);
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) buf.getDouble(i * 8); }
            case F16 -> { for (int i = 0; i < n; i++) out[i] = Half.toFloat(buf.getShort(i * 2)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((buf.getShort(i * 2) & 0xffff) << 16); }
            case I64 -> { for (int i = 0; i < n; i++) out[i] = buf.getLong(i * 8); }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = buf.getInt(i * 4); }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = buf.getShort(i * 2); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = buf.get(i); }
            case U8, BOOL -> { for (int i = 0; i < n; i++) out[i] = buf.get(i) & 0xff; }
        }
        return out;
    }

    /** Reads an integer tensor into a Java long array. */
    public long[] readLongs(String name) {
        TensorInfo info = info(name);
        ByteBuffer buf = map(info);
        int n = Math.toIntExact(info.elementCount());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (info.dtype()) {
                case I64 -> buf.getLong(i * 8);
                case I32 -> buf.getInt(i * 4);
                case I16 -> buf.getShort(i * 2);
                case I8 -> buf.get(i);
                case U8, BOOL -> buf.get(i) & 0xff;
                default -> throw new ModelFormatException("Tensor '" + name + "' in " + path + " is "
                        + info.dtype() + ", not an integer tensor");
            };
        }
        return out;
    }

    private ByteBuffer map(TensorInfo info) {
        try {
            if (info.byteLength() == 0) {
                return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
            }
            if (info.byteLength() > Integer.MAX_VALUE) {
                throw new ModelFormatException("Tensor '" + info.name() + "' in " + path + " is over 2 GB, "
                        + "which no Stable Diffusion component has; the file is corrupt");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, info.begin(), info.byteLength())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ModelFormatException("Cannot map tensor '" + info.name() + "' of " + path + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer bf16ToF32(ByteBuffer src, long count) {
        int n = Math.toIntExact(count);
        ByteBuffer dst = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
        for (int i = 0; i < n; i++) {
            dst.putInt(i * 4, (src.getShort(i * 2) & 0xffff) << 16);
        }
        return dst;
    }

    private static ByteBuffer widenToInt(ByteBuffer src, TensorInfo info) {
        int n = Math.toIntExact(info.elementCount());
        ByteBuffer dst = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
        for (int i = 0; i < n; i++) {
            int v = info.dtype() == TensorDType.I16 ? src.getShort(i * 2) : (src.get(i) & 0xff);
            dst.putInt(i * 4, v);
        }
        return dst;
    }

    private static ModelFormatException bad(Path path, String what) {
        return new ModelFormatException("Broken weights file " + path.getFileName() + " (" + path + "): " + what + ".");
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    public long fileSize() {
        return fileSize;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
