package com.inpaintstudio.tensor;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * 3x3, stride-1, padding-1 convolutions by Winograd's F(4x4, 3x3) algorithm in float32 arithmetic (on float32 or
 * bfloat16 arrays), in the native library the build
 * compiles from {@code src/main/native/winograd.c}: 36 products per 16 outputs instead of 144, the transforms fused
 * with the products block by block, the products run by the MKL sgemm inside the bundled libtorch.
 *
 * <p>Measured per convolution on the 2-core AVX-512 EPYC against oneDNN's direct convolution (the VAE decoder's
 * shapes, channels at pixels): 512 at 256 px 0.25 s vs 1.0 s, 256 at 512 px 0.28 s vs 0.93 s, 128 at 512 px 0.08 s vs
 * 0.23 s. The transform adds a relative error of ~5e-6 (float32 throughout; direct convolutions differ from each
 * other by ~1e-6). Applies on Linux x86-64 with AVX-512 (F, VL, BW, DQ) or AVX2 and FMA, each with its own build of
 * the library ({@link #resourceFor}); {@code -Dinpaint.winogradKernel=false} turns it off. Nothing here throws on load:
 * {@link #describe()} says why it is off.
 */
public final class WinogradKernel {
    static final String AVX512 = "native/linux-x86_64/libinpaint-winograd-avx512.so";
    static final String AVX2 = "native/linux-x86_64/libinpaint-winograd-avx2.so";
    static final String PROPERTY = "inpaint.winogradKernel";
    private static final NativeKernel KERNEL = new NativeKernel(WinogradKernel::load);

    private WinogradKernel() {}

    /**
     * The build of the library this machine runs, or null: Linux x86-64 with AVX-512 (F, VL, BW, DQ) or AVX2, with FMA.
     * {@code property} ({@code -Dinpaint.winogradKernel}) {@code false} turns it off, {@code avx2} takes the AVX2
     * build on an AVX-512 CPU too (to compare the two, and to test the AVX2 build on any machine that can run it).
     */
    static String resourceFor(CpuFeatures cpu, String os, String arch, String property) {
        if ("false".equalsIgnoreCase(property) || !BundledLibrary.builtFor(os, arch) || !cpu.has("fma")
                || !cpu.has("avx2")) {
            return null;
        }
        boolean avx512 = cpu.has("avx512f") && cpu.has("avx512vl") && cpu.has("avx512bw") && cpu.has("avx512dq");
        return avx512 && !"avx2".equalsIgnoreCase(property) ? AVX512 : AVX2;
    }

    /** Whether {@link #conv3x3} can run here (loads the library and finds MKL's sgemm on the first call). */
    public static boolean available() {
        return KERNEL.available();
    }

    /** One line for the bench: which build runs, or why the kernel is off. */
    public static String describe() {
        return KERNEL.describe();
    }

    private static NativeKernel.Loaded load() {
        String property = System.getProperty(PROPERTY);
        String resource = resourceFor(CpuFeatures.host(), System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""), property);
        if ("false".equalsIgnoreCase(property)) {
            return NativeKernel.Loaded.off("off (-D" + PROPERTY + "=false)");
        } else if (resource == null) {
            return NativeKernel.Loaded.off("off (needs Linux x86-64 with AVX2 and FMA)");
        }
        String build = resource.equals(AVX512) ? "AVX-512" : "AVX2";
        try {
            DjlRuntime.engine(); // libtorch (and its MKL) must be loaded: the library looks sgemm up in it
            NativeLibrary lib = BundledLibrary.open(resource, "inpaint-winograd", BundledLibrary.RTLD_LAZY);
            String torch = DjlRuntime.libtorchCpu();
            int rc = lib.getFunction("wino_init").invokeInt(new Object[] {torch});
            if (rc != 0) {
                return NativeKernel.Loaded.off("off (MKL's sgemm not found in " + torch + ", code " + rc + ")");
            }
            return new NativeKernel.Loaded(lib, lib.getFunction("wino_conv3x3"), "on (" + build + " build)");
        } catch (IOException | RuntimeException | LinkageError e) {
            return NativeKernel.Loaded.off("off (could not load the " + build + " build: " + e.getMessage() + ")");
        }
    }

    /** Whether x (N, C, H, W) and its output with {@code outChannels} fit the kernel's int sizes and Java's buffers. */
    public static boolean fits(Shape x, long outChannels) {
        return x.dimension() == 4 && x.get(0) * Math.max(x.get(1), outChannels) * x.get(2) * x.get(3) * Float.BYTES
                <= Integer.MAX_VALUE && outChannels * x.get(1) * 36L * Float.BYTES <= Integer.MAX_VALUE;
    }

    /**
     * {@code conv2d(x, w, b, stride 1, padding 1)} for x (N, C, H, W), w (K, C, 3, 3) and b (K) or null; w and b
     * float32, x float32 or bfloat16 (read and written as such, computed in float32). The result (N, K, H, W) is in
     * x's format and lives in x's manager. Check {@link #available()} and {@link #fits} first.
     *
     * @return the result, or null when the native side could not get its scratch memory (the caller then takes the
     *         direct convolution)
     */
    public static NDArray conv3x3(NDArray x, NDArray w, NDArray b) {
        return conv3x3(x, TorchOps.isBf16(x), w, b);
    }

    /** {@link #conv3x3(NDArray, NDArray, NDArray)} when the caller already knows whether x is bfloat16. */
    public static NDArray conv3x3(NDArray x, boolean bf16, NDArray w, NDArray b) {
        Function f = KERNEL.entry();
        Shape xs = x.getShape();
        Shape ws = w.getShape();
        if (f == null || !fits(xs, ws.get(0)) || ws.get(1) != xs.get(1) || ws.get(2) != 3 || ws.get(3) != 3
                || !(bf16 || x.getDataType() == DataType.FLOAT32) || w.getDataType() != DataType.FLOAT32
                || (b != null && b.getDataType() != DataType.FLOAT32)) {
            throw new IllegalArgumentException("Winograd kernel: x " + xs + (bf16 ? " bfloat16" : " " + x.getDataType())
                    + ", w " + ws + " " + w.getDataType() + (f == null ? " (kernel " + describe() + ")" : ""));
        }
        NDArray y = bf16 ? TorchOps.emptyBf16(x, (int) ws.get(0))
                : JniUtils.createEmptyNdArray((PtNDManager) x.getManager(),
                        new Shape(xs.get(0), ws.get(0), xs.get(2), xs.get(3)), DataType.FLOAT32, Device.cpu(),
                        SparseFormat.DENSE);
        int rc = f.invokeInt(new Object[] {data(x), bf16 ? 1 : 0, (int) xs.get(0), (int) xs.get(1), (int) xs.get(2),
            (int) xs.get(3), data(w), b == null ? null : data(b), (int) ws.get(0), data(y), JniUtils.getNumThreads(),
            0});
        if (rc != 0) {
            y.close();
            return null;
        }
        return y;
    }

    /** The array's own memory (a contiguous copy in its manager when it is not contiguous). */
    private static ByteBuffer data(NDArray a) {
        return ((PtNDArray) a).toByteBuffer(true);
    }
}
