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
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void bothBfloat16RoutesGiveTheFloat32Attention() {
        // 2 x 8 heads x 40 as in the UNet; 600 keys, so the row route cuts the queries into several chunks
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(5);
            NDArray q = m.randomNormal(new Shape(2, 600, 8, 40)).transpose(0, 2, 1, 3);
            NDArray k = m.randomNormal(new Shape(2, 600, 8, 40)).transpose(0, 2, 1, 3);
            NDArray v = m.randomNormal(new Shape(2, 600, 8, 40)).transpose(0, 2, 1, 3);
            float[] want = TorchOps.sdpa(q, k, v).toFloatArray();
            NDArray qb = TorchOps.toBf16(q);
            NDArray kb = TorchOps.toBf16(k);
            NDArray vb = TorchOps.toBf16(v);
            for (boolean fusedKernel : new boolean[] {true, false}) {
                float[] got = TorchOps.toF32(AttentionCore.attendBf16(qb, kb, vb, fusedKernel)).toFloatArray();
                assertEquals(want.length, got.length);
                double err = 0;
                double ref = 0;
                for (int i = 0; i < want.length; i++) {
                    err += (got[i] - want[i]) * (double) (got[i] - want[i]);
                    ref += want[i] * (double) want[i];
                }
                double rel = Math.sqrt(err / ref);
                // bf16 keeps 8 significant bits (~0.4 % per value); a wrong softmax or a dropped chunk is far off
                assertTrue(rel < 0.02, (fusedKernel ? "fused" : "row chunks") + ": relative RMS error " + rel);
                assertTrue(rel > 0, "bf16 result identical to fp32: not computed in bf16");
            }
        }
    }

    @Test
    void rowChunksOnlyWhereBf16IsNativeAndMklGeneric() {
        assertTrue(AttentionCore.fusedBf16(true, true), "MKL's own path, native bf16: fused");
        assertTrue(AttentionCore.fusedBf16(true, false), "MKL's own path, emulated bf16: fused");
        assertTrue(AttentionCore.fusedBf16(false, false), "emulated bf16: chunks' matmuls ~60x slower, fused");
        assertFalse(AttentionCore.fusedBf16(false, true), "native bf16 with MKL generic: row chunks");
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
