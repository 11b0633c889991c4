package com.inpaintstudio.tensor;

import java.util.EnumMap;
import java.util.Map;

/**
 * The {@link ComputeOptions} of the run in progress on this thread. A run opens a scope (try-with-resources) before
 * its first network call and closes it after the last; the layers read {@link #fusedOps()} and the model boundaries
 * {@link #bf16()}. Scopes are per thread, so engines running side by side on different threads (tests, a batch next
 * to the editor) never see each other's choice, and nothing global is changed. Without a scope the layers compute
 * as they always did: float32 with the fused kernels.
 *
 * <p>Each thread also counts which kernel paths ran ({@link #counts()}), so a caller can check that a choice took
 * effect (the tests do; the bench prints it).
 */
public final class ComputeScope implements AutoCloseable {
    /** Kernel paths the layers report; counted per thread. */
    public enum Path {
        ATTENTION_FUSED, ATTENTION_CHUNKED,
        /** a bfloat16 attention through the bundled AVX-512 BF16 kernel ({@link Bf16AttentionKernel}) */
        ATTENTION_BF16_KERNEL,
        GROUP_NORM_FUSED, GROUP_NORM_COMPOSED, CONV_WINOGRAD,
        /** a float32 linear layer through oneDNN's inner product instead of libtorch's default GEMM */
        LINEAR_ONEDNN,
        /** a linear layer, convolution or attention product computed in bfloat16 */
        BF16_PRODUCT
    }

    private static final ThreadLocal<ComputeScope> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<long[]> COUNTS = ThreadLocal.withInitial(() -> new long[Path.values().length]);

    private final ComputeOptions options;
    private final ComputeScope previous;
    private final Thread thread;
    private boolean closed;

    private ComputeScope(ComputeOptions options, ComputeScope previous) {
        this.options = options;
        this.previous = previous;
        this.thread = Thread.currentThread();
    }

    /**
     * Makes {@code requested} (auto resolved to fp32 or bf16 here) the options of this thread until {@link #close()}.
     *
     * @throws IllegalStateException when bf16 is asked for but the bundled libtorch ops module (which does the
     *                               bfloat16 conversions DJL cannot) did not load
     */
    public static ComputeScope open(ComputeOptions requested) {
        ComputeOptions r = requested == null ? ComputeOptions.DEFAULT : requested;
        Precision p = PrecisionChoice.resolve(r.precision());
        ComputeScope s = new ComputeScope(r.withPrecision(p), CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** The resolved options in force on this thread (precision fp32 or bf16, never auto). */
    public static ComputeOptions current() {
        ComputeScope s = CURRENT.get();
        return s == null ? ComputeOptions.DEFAULT : s.options;
    }

    /** Whether the UNet and VAE run in bfloat16 on this thread now. */
    public static boolean bf16() {
        return current().precision() == Precision.BF16;
    }

    /** Whether the layers may use libtorch's fused kernels now: asked for, and the ops module loaded. */
    public static boolean fusedOps() {
        return current().fusedOps() && TorchOps.available();
    }

    public ComputeOptions options() {
        return options;
    }

    /** Counts one use of {@code path} on this thread. */
    public static void record(Path path) {
        COUNTS.get()[path.ordinal()]++;
    }

    /** How often each path ran on this thread since {@link #resetCounts()} (or the thread's start). */
    public static Map<Path, Long> counts() {
        long[] c = COUNTS.get();
        Map<Path, Long> out = new EnumMap<>(Path.class);
        for (Path p : Path.values()) {
            out.put(p, c[p.ordinal()]);
        }
        return out;
    }

    public static void resetCounts() {
        java.util.Arrays.fill(COUNTS.get(), 0);
    }

    /** Restores the options that were in force before {@link #open}; on the opening thread, innermost scope first. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread || CURRENT.get() != this) {
            throw new IllegalStateException("a compute scope must be closed on its own thread, innermost first");
        }
        closed = true;
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
