package com.inpaintstudio.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The bundled AVX-512 BF16 attention kernel: where it applies, and its results against libtorch's float32 attention. */
class Bf16AttentionKernelTest {
    private static final CpuFeatures BF16_CPU = new CpuFeatures("AuthenticAMD",
            Set.of("avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512dq", "avx512_bf16"));

    @Test
    void loadsOnlyForAvx512Bf16OnLinuxX86() {
        assertTrue(Bf16AttentionKernel.applies(BF16_CPU, "Linux", "amd64", null));
        assertFalse(Bf16AttentionKernel.applies(BF16_CPU, "Linux", "amd64", "false"));
        assertFalse(Bf16AttentionKernel.applies(BF16_CPU, "Mac OS X", "aarch64", null));
        assertFalse(Bf16AttentionKernel.applies(new CpuFeatures("AuthenticAMD",
                Set.of("avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512dq")), "Linux", "amd64", null));
    }

    @Test
    void takesSmallHeadsWithWholeRowGroupsAndKeyBlocks() {
        Shape q = new Shape(2, 4096, 320);
        assertTrue(Bf16AttentionKernel.fits(q, q, q, 8), "the UNet's 64x64 level: 8 heads x 40");
        assertFalse(Bf16AttentionKernel.fits(new Shape(2, 1024, 640), new Shape(2, 1024, 640),
                new Shape(2, 1024, 640), 8), "8 heads x 80: libtorch's kernel is faster there");
        assertFalse(Bf16AttentionKernel.fits(q, new Shape(2, 77, 320), new Shape(2, 77, 320), 8),
                "77 keys: not whole blocks of 64");
        assertFalse(Bf16AttentionKernel.fits(new Shape(2, 4094, 320), q, q, 8), "rows not a multiple of 4");
        assertFalse(Bf16AttentionKernel.fits(q, q, q, 3), "320 values do not split into 3 heads");
        assertFalse(Bf16AttentionKernel.fits(new Shape(2, 64, 36), new Shape(2, 64, 36), new Shape(2, 64, 36), 4),
                "odd head size 9");
    }

    @Test
    void matchesFloat32AttentionOnEveryHeadAndRow() {
        assumeTrue(Bf16AttentionKernel.available(), () -> "kernel off here: " + Bf16AttentionKernel.describe());
        // self-attention (N = M), more keys than queries, 2 heads x 48, a 2-value head: each shape through its own
        // row groups, key blocks and the output's partial 16-column store
        compare(2, 256, 256, 8, 40);
        compare(1, 64, 192, 2, 48);
        compare(3, 8, 64, 1, 2);
    }

    @Test
    void saysNoToShapesItDoesNotTake() {
        assumeTrue(Bf16AttentionKernel.available(), () -> "kernel off here: " + Bf16AttentionKernel.describe());
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray q = TorchOps.toBf16(m.randomNormal(new Shape(1, 64, 160)));
            NDArray k = TorchOps.toBf16(m.randomNormal(new Shape(1, 77, 160)));
            assertNull(Bf16AttentionKernel.attend(q, k, k, 2));
        }
    }

    private static void compare(int b, int n, int keys, int heads, int d) {
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(11);
            NDArray q = m.randomNormal(new Shape(b, n, (long) heads * d)).mul(2);
            NDArray k = m.randomNormal(new Shape(b, keys, (long) heads * d)).mul(2);
            NDArray v = m.randomNormal(new Shape(b, keys, (long) heads * d));
            NDArray qb = TorchOps.toBf16(q);
            NDArray kb = TorchOps.toBf16(k);
            NDArray vb = TorchOps.toBf16(v);
            // the reference: libtorch's float32 attention over the same bf16-rounded inputs, heads split as usual
            float[] want = TorchOps.sdpa(heads(TorchOps.toF32(qb), b, n, heads, d),
                    heads(TorchOps.toF32(kb), b, keys, heads, d), heads(TorchOps.toF32(vb), b, keys, heads, d))
                    .transpose(0, 2, 1, 3).reshape(b, n, (long) heads * d).toFloatArray();
            NDArray out = Bf16AttentionKernel.attend(qb, kb, vb, heads);
            assertTrue(out != null, "kernel refused " + qb.getShape() + " with " + heads + " heads");
            float[] got = TorchOps.toF32(out).toFloatArray();
            assertEquals(want.length, got.length);
            double err = 0;
            double ref = 0;
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                double e = got[i] - want[i];
                err += e * e;
                ref += want[i] * (double) want[i];
                worst = Math.max(worst, Math.abs(e));
            }
            double rel = Math.sqrt(err / ref);
            // bf16 output and probabilities: ~0.2-0.4 % relative; a wrong head, row, block or scale is far off
            assertTrue(rel < 0.01, "relative RMS error " + rel + " for " + b + "x" + n + "x" + keys + ", " + heads
                    + " heads x " + d);
            assertTrue(worst < 0.05, "worst error " + worst);
        }
    }

    private static NDArray heads(NDArray t, int b, int len, int heads, int d) {
        return t.reshape(b, len, heads, d).transpose(0, 2, 1, 3);
    }
}
