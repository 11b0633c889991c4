package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.RandomWeights;
import com.inpaintstudio.tensor.DjlRuntime;
import com.inpaintstudio.tensor.TorchOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A bfloat16 convolution agrees with the float32 one to bf16 rounding (~0.3 % relative), whatever the channel counts.
 * On CPUs with native bf16 (AVX-512 BF16) libtorch 2.7's plain-layout bf16 kernel is ~25 % off when the output
 * channels are not a multiple of 16 (the UNet's conv_out 320 -> 4, the VAE's 128 -> 3): those cases fail here
 * unless {@link Conv2d} routes them through the channels-last kernel.
 */
class Bf16ConvTest {
    @ParameterizedTest(name = "{0} -> {1} channels, {2}x{2} kernel, stride {3}")
    @CsvSource({"64, 4, 3, 1", "64, 3, 3, 1", "32, 8, 3, 1", "64, 20, 3, 1", "64, 4, 3, 2", "64, 16, 3, 1",
            "64, 4, 1, 1", "4, 32, 3, 1"})
    void bf16ConvMatchesFloat32(int in, int out, int kernel, int stride) {
        assumeTrue(TorchOps.loaded(), "no libtorch ops module: no bf16 here");
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(5);
            Conv2d conv = Conv2d.load(new RandomWeights(m), "c", in, out, kernel, stride, kernel / 2);
            NDArray x = m.randomNormal(new Shape(2, in, 16, 12));
            float[] f32 = conv.forward(x).toFloatArray();
            NDArray xb = TorchOps.toBf16(x);
            NDArray yb = conv.forward(xb);
            assertTrue(TorchOps.isBf16(yb), "a bf16 input gives a bf16 output");
            float[] bf16 = TorchOps.toF32(yb).toFloatArray();
            double num = 0;
            double den = 0;
            for (int i = 0; i < f32.length; i++) {
                num += (f32[i] - bf16[i]) * (double) (f32[i] - bf16[i]);
                den += f32[i] * (double) f32[i];
                assertFalse(Float.isNaN(bf16[i]));
            }
            assertTrue(den > 0, "non-trivial output");
            double rel = Math.sqrt(num / den);
            assertTrue(rel < 0.01, "bf16 vs fp32 relative error " + rel + " (bf16 rounding alone gives ~0.003)");
        }
    }
}
