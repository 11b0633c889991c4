package com.inpaintstudio.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

import java.io.IOException;

/**
 * {@code softmax(q k^T / sqrt(d)) v} for bfloat16 projections on CPUs with AVX-512 BF16, in the native library the
 * build compiles from {@code src/main/native/attention_bf16.c}: flash-attention style (no score matrix), both products
 * in VDPBF16PS with float32 accumulators, the softmax in float32. It reads the projections as the attention layer makes
 * them, q (B, N, H*d) and k, v (B, M, H*d), and writes the output in the same layout, so the heads need no transposes.
 *
 * <p>Used where it measured faster than libtorch's fused kernel: heads of at most {@link #MAX_HEAD_DIM} values, i.e.
 * the UNet's 64x64-latent level at 512 px (8 heads x 40): one self-attention, batch 2 x 4096 tokens, 117-119 ms
 * against 157-174 ms. At 80-512 values per head libtorch's kernel is faster (1024 tokens x 80: 18 vs 13 ms; the VAE's
 * one head of 512: 109 vs 58 ms), so those stay with it. {@code -Dinpaint.attentionKernel=false} turns it off. Nothing
 * here throws on load: {@link #describe()} says why it is off.
 */
public final class Bf16AttentionKernel {
    static final String RESOURCE = "native/linux-x86_64/libinpaint-attention-bf16.so";
    static final String PROPERTY = "inpaint.attentionKernel";
    /** Largest head size the kernel takes (its probabilities-times-values product runs 16 columns at a time). */
    public static final int MAX_HEAD_DIM = 48;
    private static final NativeKernel KERNEL = new NativeKernel(Bf16AttentionKernel::load);

    private Bf16AttentionKernel() {}

    /** Whether the library is for this machine: Linux x86-64 with AVX-512 (F, VL, BW, DQ) and AVX-512 BF16. */
    static boolean applies(CpuFeatures cpu, String os, String arch, String property) {
        return !"false".equalsIgnoreCase(property) && BundledLibrary.builtFor(os, arch) && cpu.has("avx512_bf16")
                && cpu.has("avx512f") && cpu.has("avx512vl") && cpu.has("avx512bw") && cpu.has("avx512dq");
    }

    /** Whether {@link #attend} can run here (loads the library on the first call). */
    public static boolean available() {
        return KERNEL.available();
    }

    /** One line for the bench: on, or why it is off. */
    public static String describe() {
        return KERNEL.describe();
    }

    private static NativeKernel.Loaded load() {
        String property = System.getProperty(PROPERTY);
        if ("false".equalsIgnoreCase(property)) {
            return NativeKernel.Loaded.off("off (-D" + PROPERTY + "=false)");
        }
        if (!applies(CpuFeatures.host(), System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
                property)) {
            return NativeKernel.Loaded.off("off (needs Linux x86-64 with AVX-512 BF16)");
        }
        try {
            NativeLibrary lib = BundledLibrary.open(RESOURCE, "inpaint-attention-bf16", BundledLibrary.RTLD_LAZY);
            return new NativeKernel.Loaded(lib, lib.getFunction("attn_bf16"),
                    "on (AVX-512 BF16, heads up to " + MAX_HEAD_DIM + " values)");
        } catch (IOException | RuntimeException | LinkageError e) {
            return NativeKernel.Loaded.off("off (could not load it: " + e.getMessage() + ")");
        }
    }

    /**
     * Whether the kernel takes these shapes: q (B, N, H*d), k and v (B, M, H*d) with d even and at most
     * {@link #MAX_HEAD_DIM}, N a multiple of 4, M of 64 (its row groups and key blocks), sizes within int range.
     */
    public static boolean fits(Shape q, Shape k, Shape v, int heads) {
        if (q.dimension() != 3 || !k.equals(v) || k.dimension() != 3 || k.get(0) != q.get(0) || k.get(2) != q.get(2)
                || heads < 1 || q.get(2) % heads != 0) {
            return false;
        }
        long d = q.get(2) / heads;
        return d % 2 == 0 && d <= MAX_HEAD_DIM && q.get(1) % 4 == 0 && k.get(1) % 64 == 0 && k.get(1) > 0
                && q.size() <= Integer.MAX_VALUE && k.size() <= Integer.MAX_VALUE;
    }

    /**
     * The attention of bfloat16 q, k, v (see {@link #fits}; contiguous, as linear layers make them) with
     * {@code heads} heads: (B, N, H*d) bfloat16 in q's manager, or null when the kernel cannot run (not loaded, shapes
     * it does not take, no scratch memory); the caller then takes libtorch's kernel.
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, int heads) {
        Function attend = KERNEL.entry();
        if (attend == null || !fits(q.getShape(), k.getShape(), v.getShape(), heads)) {
            return null;
        }
        Shape qs = q.getShape();
        int d = (int) (qs.get(2) / heads);
        NDArray out = TorchOps.emptyLike(q);
        int rc = attend.invokeInt(new Object[] {data(q), data(k), data(v), data(out), (int) qs.get(0),
            (int) qs.get(1), (int) k.getShape().get(1), heads, d, (float) (1.0 / Math.sqrt(d)),
            JniUtils.getNumThreads()});
        if (rc != 0) {
            out.close();
            return null;
        }
        return out;
    }

    /** The array's own memory (a contiguous copy in its manager when it is not contiguous). */
    private static java.nio.ByteBuffer data(NDArray a) {
        return ((PtNDArray) a).toByteBuffer(true);
    }
}
