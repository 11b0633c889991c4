package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.RandomWeights;
import com.inpaintstudio.tensor.DjlRuntime;
import com.inpaintstudio.tensor.TorchOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libtorch's fused attention (through the bundled TorchScript ops) gives the chunked exact path's numbers. */
class FusedAttentionTest {
    @AfterEach
    void restore() {
        AttentionCore.setFused(true);
    }

    @Test
    void bundledOpsModuleLoads() {
        assertTrue(TorchOps.available(), () -> "torch-ops.pt did not load: " + TorchOps.failure());
    }

    @Test
    void selfAttentionMatchesChunked() {
        // UNet-like: 8 heads x 40, 1024 tokens, a score budget that forces several chunks on the old path
        compare(2, 1024, 320, 320, 8, 40, false, 0);
    }

    @Test
    void crossAttentionMatchesChunked() {
        compare(2, 256, 64, 48, 2, 32, false, 77);
    }

    @Test
    void vaeSingleHeadMatchesChunked() {
        compare(1, 400, 128, 128, 1, 128, true, 0);
    }

    private static void compare(int b, int n, int dim, int ctxDim, int heads, int headDim, boolean bias, int ctxLen) {
        long budget = AttentionCore.scoreBudget();
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(3);
            Attention attn = Attention.load(new RandomWeights(m), "a", dim, ctxLen > 0 ? ctxDim : dim, heads, headDim,
                    bias);
            NDArray x = m.randomNormal(new Shape(b, n, dim));
            NDArray ctx = ctxLen > 0 ? m.randomNormal(new Shape(b, ctxLen, ctxDim)) : null;
            AttentionCore.setFused(true);
            assertTrue(AttentionCore.fused());
            float[] fused = attn.forward(x, ctx).toFloatArray();
            AttentionCore.setFused(false);
            AttentionCore.setScoreBudget(1L << 16);
            float[] chunked = attn.forward(x, ctx).toFloatArray();
            assertEquals(chunked.length, fused.length);
            float maxDiff = 0;
            float maxAbs = 0;
            for (int i = 0; i < fused.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(fused[i] - chunked[i]));
                maxAbs = Math.max(maxAbs, Math.abs(chunked[i]));
            }
            assertTrue(maxAbs > 1e-3, "output not trivially zero");
            assertTrue(maxDiff < 1e-5, "fused vs chunked max diff " + maxDiff);
        } finally {
            AttentionCore.setScoreBudget(budget);
        }
    }
}
