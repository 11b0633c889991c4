package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.inpaintstudio.tensor.Bf16AttentionKernel;
import com.inpaintstudio.tensor.ComputeScope;
import com.inpaintstudio.tensor.CpuFeatures;
import com.inpaintstudio.tensor.MklAnyCpu;
import com.inpaintstudio.tensor.TorchOps;

/**
 * {@code softmax(q k^T) v} over (batch*heads) rows without materialising the whole score matrix: the query rows are
 * processed in chunks so one chunk's scores stay under {@link #scoreBudget()} elements. Exact (softmax is per row).
 * Naive attention at 4096 tokens x 8 heads x batch 2 would hold 2 GB of scores; chunked it holds a few tens of MB,
 * which the allocator can reuse from chunk to chunk.
 */
public final class AttentionCore {
    /**
     * Default: 4 M floats (16 MB) per chunk of scores. Blocks under glibc's largest dynamic mmap threshold (32 MB)
     * are recycled by malloc instead of being mapped and page-faulted afresh on every call, which measured 10-50x
     * faster here for the score matrices without an allocator fix.
     */
    public static final long DEFAULT_SCORE_BUDGET = 4L << 20;
    private static volatile long scoreBudget = Long.getLong("inpaint.attention.scoreBudget", DEFAULT_SCORE_BUDGET);

    /**
     * Score elements per chunk of a bfloat16 attention (64 MB of bf16 scores plus as much for the probabilities): 512
     * query rows at 64x64 latents, batch 2 x 8 heads. Smaller chunks (64-256 rows) measured up to 2x slower.
     */
    static final long BF16_SCORE_BUDGET = 32L << 20;

    private static volatile boolean fused = !"chunked".equals(System.getProperty("inpaint.attention"));

    private AttentionCore() {}

    /**
     * Whether attention runs through libtorch's fused {@code scaled_dot_product_attention} (default when the bundled
     * ops module loads; {@code -Dinpaint.attention=chunked}, {@link #setFused(boolean)} or a run with fused ops off
     * ({@link ComputeScope}) selects the chunked path). With bfloat16 q/k/v the fused kernel accumulates the softmax
     * in float32 (libtorch's CPU flash attention uses float accumulators for bf16).
     */
    public static boolean fused() {
        return fused && ComputeScope.fusedOps();
    }

    public static void setFused(boolean on) {
        fused = on;
    }

    /**
     * The bundled bfloat16 kernel ({@link Bf16AttentionKernel}) on the projections as they are, for the shapes where it
     * beats libtorch's: (B, N, H*d) in q's manager, or null when it does not apply (float32, a head size it does not
     * take, a CPU without AVX-512 BF16); the caller then splits the heads for {@link #attendFused}.
     *
     * @param q (B, N, H*d) @param k (B, M, H*d) @param v (B, M, H*d)
     */
    public static NDArray attendTokens(NDArray q, NDArray k, NDArray v, int heads) {
        // a float32 run asks nothing of libtorch here: the run's precision is a thread-local read
        if (!ComputeScope.bf16() || !Bf16AttentionKernel.fits(q.getShape(), k.getShape(), v.getShape(), heads)
                || !TorchOps.isBf16(q) || !TorchOps.isBf16(k)) {
            return null;
        }
        NDArray o = Bf16AttentionKernel.attend(q, k, v, heads);
        if (o != null) {
            ComputeScope.record(ComputeScope.Path.BF16_PRODUCT);
            ComputeScope.record(ComputeScope.Path.ATTENTION_BF16_KERNEL);
        }
        return o;
    }

    /**
     * libtorch's fused kernel; for bfloat16 q/k/v on a CPU with native bf16 whose MKL runs only its generic code
     * ({@link MklAnyCpu#optimised()} false), row chunks of matmul + softmax + matmul in one libtorch call instead.
     *
     * @param q (B, H, N, d), any strides, not scaled
     * @param k (B, H, M, d)
     * @param v (B, H, M, d)
     * @return {@code softmax(q k^T / sqrt(d)) v}, (B, H, N, d) in q's manager
     */
    public static NDArray attendFused(NDArray q, NDArray k, NDArray v) {
        if (!TorchOps.isBf16(q)) {
            return TorchOps.sdpa(q, k, v);
        }
        ComputeScope.record(ComputeScope.Path.BF16_PRODUCT);
        // both answers are kept by their owners (MKL's branch, the CPU's flags): nothing to cache here
        return attendBf16(q, k, v, fusedBf16(MklAnyCpu.optimised(), CpuFeatures.host().nativeBf16()));
    }

    /**
     * Which bf16 route runs on a machine. The fused kernel's bf16 block products run in MKL's bf16 GEMM: with MKL's own
     * AVX-512 path it beats the row chunks (a 64x64-latent self-attention, batch 2 x 8 heads x 40, 160 vs 200 ms on an
     * AVX-512 BF16 CPU); on MKL's generic path it takes twice as long as they do (416 vs 201 ms). Without native bf16
     * the row chunks' matmuls are emulated and ~60x slower than the fused kernel (1024 tokens x 80: 2.7 s vs 41-47 ms,
     * MKL generic or not), so the chunks are only for a native-bf16 CPU whose MKL runs generic code.
     */
    static boolean fusedBf16(boolean mklOptimised, boolean nativeBf16) {
        return mklOptimised || !nativeBf16;
    }

    /** bfloat16 q/k/v through libtorch's fused kernel, or through row chunks in one libtorch call. */
    static NDArray attendBf16(NDArray q, NDArray k, NDArray v, boolean fusedKernel) {
        if (fusedKernel) {
            return TorchOps.sdpa(q, k, v);
        }
        long bh = q.getShape().get(0) * q.getShape().get(1);
        long m = k.getShape().get(2);
        long rows = Math.max(1, BF16_SCORE_BUDGET / Math.max(1, bh * m));
        return TorchOps.attentionRows(q, k, v, 1.0 / Math.sqrt(q.getShape().get(3)), rows);
    }

    public static long scoreBudget() {
        return scoreBudget;
    }

    /** Elements of one chunk's score matrix (batch*heads x rows x keys); at least one row is always processed. */
    public static void setScoreBudget(long elements) {
        if (elements < 1) {
            throw new IllegalArgumentException("score budget must be positive");
        }
        scoreBudget = elements;
    }

    /**
     * @param q (BH, N, d), already multiplied by the softmax scale, contiguous
     * @param kT (BH, d, M), contiguous
     * @param v (BH, M, d), contiguous
     * @return (BH, N, d) in q's manager
     */
    public static NDArray attend(NDArray q, NDArray kT, NDArray v) {
        long bh = q.getShape().get(0);
        long n = q.getShape().get(1);
        long m = kT.getShape().get(2);
        long rows = Math.max(1, Math.min(n, scoreBudget / Math.max(1, bh * m)));
        if (rows >= n) {
            return attendRows(q, kT, v);
        }
        NDManager parent = q.getManager();
        NDList parts = new NDList();
        try {
            for (long start = 0; start < n; start += rows) {
                long end = Math.min(n, start + rows);
                try (NDManager chunk = parent.newSubManager()) {
                    NDArray qc = q.get(new NDIndex(":, {}:{}, :", start, end));
                    qc.attach(chunk);
                    NDArray out = attendRows(qc, kT, v);
                    out.attach(parent);
                    parts.add(out);
                }
            }
            return ai.djl.ndarray.NDArrays.concat(parts, 1);
        } finally {
            parts.close();
        }
    }

    private static NDArray attendRows(NDArray q, NDArray kT, NDArray v) {
        NDArray scores = q.batchMatMul(kT);
        NDArray probs;
        if (TorchOps.isBf16(scores)) {
            // softmax in float32 (DJL's softmax cannot even be asked on bf16), probabilities back to bf16 for the bmm
            NDArray wide = TorchOps.toF32(scores);
            NDArray p = wide.softmax(2);
            wide.close();
            probs = TorchOps.toBf16(p);
            p.close();
        } else {
            probs = scores.softmax(2);
        }
        scores.close();
        NDArray out = probs.batchMatMul(v);
        probs.close();
        return out;
    }
}
