package com.inpaintstudio.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.io.InputStream;

/**
 * libtorch ops that DJL 0.36 does not expose ({@code scaled_dot_product_attention}, {@code group_norm}, {@code silu}),
 * called through a tiny TorchScript module bundled as a resource ({@code torch-ops.pt}, written by
 * {@code src/test/reference/make_torch_ops.py}). The module is loaded once into its own long-lived manager; each
 * call wraps the inputs as IValues (no copies) and returns a fresh array in the first input's manager.
 *
 * <p>{@link #available()} is false when the module cannot be loaded (an older libtorch without the op, a damaged
 * resource) or when {@code -Dinpaint.torchOps=false}; callers then use their pure-DJL path.
 */
public final class TorchOps {
    private static final String RESOURCE = "torch-ops.pt";
    private static volatile PtSymbolBlock module;
    private static volatile boolean tried;
    private static volatile String failure;
    private static volatile boolean enabled = true;
    private static volatile Boolean nnpack;
    /** {@link #onednnConv} and {@link #onednnConvAddRelu} on a tiny channels-last input: 2 channels x 9 taps, twice. */
    private static final OpTrial ONEDNN_CONV = new OpTrial(m -> {
        NDArray x = channelsLast(m.ones(new ai.djl.ndarray.types.Shape(1, 2, 4, 4)));
        NDArray w = m.ones(new ai.djl.ndarray.types.Shape(2, 2, 3, 3));
        NDArray y = onednnConvAddRelu(x, onednnConv(x, w, m.zeros(new ai.djl.ndarray.types.Shape(2)), 1, true),
                w, m.zeros(new ai.djl.ndarray.types.Shape(2)), 1);
        return contiguous(y).getFloat(0, 0, 1, 1) == 18f + 18f;
    });
    /** {@link #onednnLinear} on ones: every output is the input width plus the bias. */
    private static final OpTrial ONEDNN_LINEAR = new OpTrial(m -> {
        NDArray x = m.ones(new ai.djl.ndarray.types.Shape(2, 3, 4));
        NDArray w = m.ones(new ai.djl.ndarray.types.Shape(5, 4));
        NDArray y = onednnLinear(x, w, m.ones(new ai.djl.ndarray.types.Shape(5)));
        return y.getShape().equals(new ai.djl.ndarray.types.Shape(2, 3, 5)) && y.getFloat(1, 2, 4) == 5f;
    });

    private TorchOps() {}

    /** Whether the fused ops can be used (loads the module on the first call). */
    public static boolean available() {
        return enabled && block() != null;
    }

    /**
     * Whether the bundled module loaded, whatever {@link #setEnabled} says: the bfloat16 conversions
     * ({@link #toBf16}, {@link #toF32}) need only this.
     */
    public static boolean loaded() {
        return block() != null;
    }

    /** Turns the fused ops off (or back on) at run time: for side-by-side measurements and exactness tests. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Why {@link #available()} is false, or null. */
    public static String failure() {
        block();
        return failure;
    }

    /**
     * {@code softmax(q k^T / sqrt(d)) v} by libtorch's fused kernel (flash attention on CPU: no N x M score matrix).
     *
     * @param q (B, H, N, d) @param k (B, H, M, d) @param v (B, H, M, d)
     * @return (B, H, N, d) in q's manager
     */
    public static NDArray sdpa(NDArray q, NDArray k, NDArray v) {
        return call("sdpa", q, IValue.from((PtNDArray) q), IValue.from((PtNDArray) k), IValue.from((PtNDArray) v));
    }

    /**
     * {@code softmax(q k^T * scale) v} computed {@code rows} query rows at a time in one libtorch call: two matmuls and
     * a softmax per chunk, each in q's number format (the softmax of a bfloat16 chunk accumulates in float32 inside
     * libtorch). For bfloat16 where MKL runs its generic code this is about twice as fast as the fused kernel, whose
     * bf16 block products go through MKL (see {@code AttentionCore}).
     *
     * @param q (B, H, N, d), any strides @param k (B, H, M, d) @param v (B, H, M, d)
     * @return (B, H, N, d), contiguous, in q's manager
     */
    public static NDArray attentionRows(NDArray q, NDArray k, NDArray v, double scale, long rows) {
        return call("attention_rows", q, IValue.from((PtNDArray) q), IValue.from((PtNDArray) k),
                IValue.from((PtNDArray) v), IValue.from(scale), IValue.from(rows));
    }

    /**
     * {@code torch.group_norm(x, groups, w, b, eps)}; w and b are per channel (C). A bfloat16 x with float32 w and b is
     * libtorch's mixed-type kernel: statistics and affine in float32, the result rounded once to bfloat16.
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray w, NDArray b, double eps) {
        return call("group_norm", x, IValue.from((PtNDArray) x), IValue.from(groups), IValue.from((PtNDArray) w),
                IValue.from((PtNDArray) b), IValue.from(eps));
    }

    /** {@code silu(group_norm(x, groups, w, b, eps))}, the SiLU applied in place on the fresh normalised array. */
    public static NDArray groupNormSilu(NDArray x, int groups, NDArray w, NDArray b, double eps) {
        return call("group_norm_silu", x, IValue.from((PtNDArray) x), IValue.from(groups),
                IValue.from((PtNDArray) w), IValue.from((PtNDArray) b), IValue.from(eps));
    }

    /** NNPACK's convolution (Winograd for 3x3), stride 1, symmetric zero padding; x (N, C, H, W) float32. */
    public static NDArray nnpackConv(NDArray x, NDArray w, NDArray b, int padding) {
        return call("nnpack_conv", x, IValue.from((PtNDArray) x), IValue.from((PtNDArray) w), IValue.from((PtNDArray) b),
                IValue.from(padding));
    }

    /** Whether this libtorch was built with NNPACK and it initialised on this CPU (asked once). */
    public static boolean nnpackAvailable() {
        Boolean n = nnpack;
        if (n == null) {
            PtSymbolBlock m = block();
            if (m == null) {
                return false;
            }
            try (IValue r = run(m, "nnpack_available")) {
                n = r.toBoolean();
            } catch (RuntimeException e) {
                n = false;
            }
            nnpack = n;
        }
        return n;
    }

    /** {@code x} copied into channels-last (NHWC) memory order; same shape and values. */
    public static NDArray channelsLast(NDArray x) {
        return call("channels_last", x, IValue.from((PtNDArray) x));
    }

    /** {@code x} in plain (NCHW) memory order: a copy when it was channels-last, else x's own data. */
    public static NDArray contiguous(NDArray x) {
        return call("contiguous", x, IValue.from((PtNDArray) x));
    }

    /**
     * oneDNN's convolution (stride 1, symmetric zero padding), ReLU fused when {@code relu}; on a channels-last x it
     * runs oneDNN's NHWC kernels and returns channels-last. Exact up to float summation order.
     */
    public static NDArray onednnConv(NDArray x, NDArray w, NDArray b, int padding, boolean relu) {
        return call("onednn_conv", x, IValue.from((PtNDArray) x), IValue.from((PtNDArray) w), IValue.from((PtNDArray) b),
                IValue.from(padding), IValue.from(relu));
    }

    /** {@code relu(conv(x) + other)} in one oneDNN call (stride 1); {@code other} is left as it is. */
    public static NDArray onednnConvAddRelu(NDArray x, NDArray other, NDArray w, NDArray b, int padding) {
        return call("onednn_conv_add_relu", x, IValue.from((PtNDArray) x), IValue.from((PtNDArray) other),
                IValue.from((PtNDArray) w), IValue.from((PtNDArray) b), IValue.from(padding));
    }

    /** torch {@code upsample_nearest2d} by a factor (each cell copied to f x f); keeps channels-last. */
    public static NDArray upsampleNearest(NDArray x, double f) {
        return call("upsample_nearest", x, IValue.from((PtNDArray) x), IValue.from(f));
    }

    /** Whether {@link #onednnConv} works in this libtorch (tried once on a tiny tensor). */
    public static boolean onednnAvailable() {
        return ONEDNN_CONV.works();
    }

    /**
     * {@code x w^T + b} through oneDNN's inner product ({@code mkldnn._linear_pointwise}) instead of libtorch's
     * default float32 GEMM, which is the bundled MKL: on AMD CPUs MKL takes its generic AVX2 path and measured
     * 57-170 GFLOP/s on an AVX-512 EPYC where oneDNN's JIT kernels give 150-390 (same results to ~5e-6).
     *
     * @param x (..., in) float32 @param w (out, in) float32 @param b (out) or null
     */
    public static NDArray onednnLinear(NDArray x, NDArray w, NDArray b) {
        if (b == null) {
            return call("onednn_linear_nobias", x, IValue.from((PtNDArray) x), IValue.from((PtNDArray) w));
        }
        return call("onednn_linear", x, IValue.from((PtNDArray) x), IValue.from((PtNDArray) w),
                IValue.from((PtNDArray) b));
    }

    /** Whether {@link #onednnLinear} works in this libtorch (tried once on a tiny input against the known result). */
    public static boolean onednnLinearAvailable() {
        return ONEDNN_LINEAR.works();
    }

    /**
     * A one-off trial of an op on tiny arrays (freed with their manager), run the first time it is asked for while the
     * fused ops are available: works when it ran and gave the known result, not when it threw (an op this libtorch
     * lacks or cannot run on this CPU). The answer is kept.
     */
    private static final class OpTrial {
        private final java.util.function.Predicate<NDManager> trial;
        private volatile Boolean works;

        OpTrial(java.util.function.Predicate<NDManager> trial) {
            this.trial = trial;
        }

        boolean works() {
            if (!available()) {
                return false;
            }
            Boolean w = works;
            if (w == null) {
                try (NDManager m = DjlRuntime.newManager()) {
                    w = trial.test(m);
                } catch (RuntimeException e) {
                    w = false;
                }
                works = w;
            }
            return w;
        }
    }

    /** {@code x * sigmoid(x)} in one op, a fresh array. */
    public static NDArray silu(NDArray x) {
        return call("silu", x, IValue.from((PtNDArray) x));
    }

    /**
     * A bfloat16 copy of {@code x}, in x's manager. DJL 0.36 has no bfloat16 type of its own: its {@code toType} and
     * every read into Java ({@code toFloatArray}, {@code getDataType}, {@code toString}) abort the JVM on a bfloat16
     * tensor, so the conversion happens here, inside libtorch, and such arrays only ever go into native ops. A float16
     * x (the weights of an fp16 model, converted per op in a bf16 run) goes through float32: libtorch's direct
     * Half -> BFloat16 copy is not vectorised (~360 ms for a UNet's worth of weights on an AVX-512 CPU) while the two
     * vectorised casts take ~130 ms, with the same bits (every float16 is exact in float32).
     */
    public static NDArray toBf16(NDArray x) {
        return call("to_bf16", x, IValue.from((PtNDArray) x));
    }

    /** An uninitialised contiguous array of x's shape and number format, in x's manager (a native kernel's output). */
    public static NDArray emptyLike(NDArray x) {
        return call("empty_like", x, IValue.from((PtNDArray) x));
    }

    /**
     * An uninitialised bfloat16 array (N, {@code channels}, H, W) for x (N, C, H, W), in x's manager: the output of a
     * native kernel that writes bfloat16 ({@link WinogradKernel}); DJL cannot make one itself.
     */
    public static NDArray emptyBf16(NDArray x, int channels) {
        return call("empty_bf16", x, IValue.from((PtNDArray) x), IValue.from(channels));
    }

    /** A float32 copy of {@code x} (bfloat16 or any other floating type), in x's manager. */
    public static NDArray toF32(NDArray x) {
        return call("to_f32", x, IValue.from((PtNDArray) x));
    }

    /**
     * Whether {@code x} holds bfloat16 values. DJL 0.36 reports a bfloat16 tensor's type as {@code UNKNOWN} (reading
     * it is safe, converting to or from it through DJL is not); only then is libtorch asked.
     */
    public static boolean isBf16(NDArray x) {
        if (x.getDataType() != ai.djl.ndarray.types.DataType.UNKNOWN) {
            return false;
        }
        PtSymbolBlock m = block();
        if (m == null) {
            return false; // without the module no bfloat16 array can have been made
        }
        IValue in = IValue.from((PtNDArray) x);
        try (IValue r = run(m, "is_bf16", in)) {
            return r.toBoolean();
        } finally {
            in.close();
        }
    }

    private static NDArray call(String method, NDArray owner, IValue... args) {
        PtSymbolBlock m = block();
        if (m == null) {
            for (IValue a : args) {
                a.close();
            }
            throw new IllegalStateException("libtorch ops module unavailable: " + failure);
        }
        IValue out = null;
        try {
            out = run(m, method, args);
            return out.toTensor((PtNDManager) owner.getManager());
        } finally {
            if (out != null) {
                out.close();
            }
            for (IValue a : args) {
                a.close();
            }
        }
    }

    /**
     * DJL's {@code IValueUtils.runMethod} runs under libtorch's InferenceMode, whose results refuse later in-place
     * updates ({@code addi}, {@code muli}) made outside it, as every layer here does. The same native entry with
     * {@code isTrain=true} runs without that guard (no input requires grad, so no autograd graph is recorded); it is
     * package-private in DJL, so it is reached once by reflection, with DJL's own method as the fallback.
     */
    private static IValue run(PtSymbolBlock m, String method, IValue... args) {
        java.lang.reflect.Method raw = rawRun();
        if (raw == null) {
            return IValueUtils.runMethod(m, method, args);
        }
        long[] handles = new long[args.length];
        for (int i = 0; i < args.length; i++) {
            handles[i] = args[i].getHandle();
        }
        try {
            long h = (Long) raw.invoke(rawLib, m.getHandle(), method, handles, true, false);
            return ivalueCtor.newInstance(h);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException ? (RuntimeException) c : new IllegalStateException(c);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("calling libtorch ops module: " + e, e);
        }
    }

    private static volatile java.lang.reflect.Method rawMethod;
    private static volatile Object rawLib;
    private static volatile java.lang.reflect.Constructor<IValue> ivalueCtor;
    private static volatile boolean rawTried;

    private static java.lang.reflect.Method rawRun() {
        if (!rawTried) {
            synchronized (TorchOps.class) {
                if (!rawTried) {
                    try {
                        Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
                        java.lang.reflect.Field f = lib.getDeclaredField("LIB");
                        f.setAccessible(true);
                        java.lang.reflect.Method mm = lib.getDeclaredMethod("moduleRunMethod", long.class, String.class,
                                long[].class, boolean.class, boolean.class);
                        mm.setAccessible(true);
                        java.lang.reflect.Constructor<IValue> c = IValue.class.getDeclaredConstructor(long.class);
                        c.setAccessible(true);
                        rawLib = f.get(null);
                        ivalueCtor = c;
                        rawMethod = mm;
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        rawMethod = null;
                    }
                    rawTried = true;
                }
            }
        }
        return rawMethod;
    }

    private static PtSymbolBlock block() {
        PtSymbolBlock m = module;
        if (m != null || tried) {
            return m;
        }
        synchronized (TorchOps.class) {
            if (!tried) {
                if (!Boolean.parseBoolean(System.getProperty("inpaint.torchOps", "true"))) {
                    failure = "turned off by -Dinpaint.torchOps=false";
                } else {
                    module = load();
                }
                tried = true;
            }
            return module;
        }
    }

    private static PtSymbolBlock load() {
        DjlRuntime.engine();
        try (InputStream in = TorchOps.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                failure = "resource " + RESOURCE + " missing from the jar";
                return null;
            }
            // its own root manager: lives as long as the JVM, like the engine
            PtNDManager manager = (PtNDManager) DjlRuntime.newManager();
            return JniUtils.loadModule(manager, in, false, false);
        } catch (IOException | RuntimeException e) {
            failure = "could not load " + RESOURCE + ": " + e.getMessage();
            return null;
        }
    }
}
