package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.RandomWeights;
import com.inpaintstudio.tensor.ComputeScope;
import com.inpaintstudio.tensor.DjlRuntime;
import com.inpaintstudio.tensor.Differences;
import com.inpaintstudio.tensor.TorchOps;
import com.inpaintstudio.tensor.WinogradKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A layer's Winograd 3x3 convolution agrees with the direct one to a small relative error, and runs only where it pays. */
class WinogradTest {
    @AfterEach
    void restore() {
        Winograd.setMinPixels(Winograd.DEFAULT);
    }

    @Test
    void winogradConvMatchesDirectConv() {
        assumeTrue(TorchOps.available() && Winograd.runsHere(), "no Winograd convolution on this machine");
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(11);
            Conv2d conv = Conv2d.load(new RandomWeights(m), "c", 128, 130, 3, 1, 1);
            NDArray x = m.randomNormal(new Shape(2, 128, 37, 70)).mul(3).add(1);
            Winograd.setMinPixels(0);
            float[] direct = conv.forward(x).toFloatArray();
            Winograd.setMinPixels(1);
            ComputeScope.resetCounts();
            float[] wino = conv.forward(x).toFloatArray();
            assertEquals(1L, ComputeScope.counts().get(ComputeScope.Path.CONV_WINOGRAD), "the Winograd path ran");
            assertTrue(Differences.maxAbs(direct) > 0.5, "non-trivial output");
            double rel = Differences.relative(direct, wino);
            assertTrue(rel < 2e-4, "relative error " + rel);
        }
    }

    @Test
    void aBf16ConvTakesTheKernelFrom128PxUp() {
        assumeTrue(TorchOps.available() && WinogradKernel.available(), "kernel " + WinogradKernel.describe());
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(12);
            Conv2d conv = Conv2d.load(new RandomWeights(m), "c", 128, 128, 3, 1, 1);
            NDArray x = m.randomNormal(new Shape(1, 128, 128, 128));
            Winograd.setMinPixels(0);
            float[] direct = conv.forward(x).toFloatArray();
            Winograd.setMinPixels(Winograd.DEFAULT);
            Shape one = new Shape(1, 1);
            assertFalse(Winograd.applies(TorchOps.toBf16(m.zeros(new Shape(2, 128, 64, 64))), m.zeros(
                    new Shape(128, 128, 3, 3)), one, one), "bf16 at 64 px keeps libtorch's bf16 convolution");
            ComputeScope.resetCounts();
            NDArray y = conv.forward(TorchOps.toBf16(x));
            assertTrue(TorchOps.isBf16(y), "the result stays in the run's format");
            assertEquals(1L, ComputeScope.counts().get(ComputeScope.Path.CONV_WINOGRAD), "the kernel ran");
            double rel = Differences.relative(direct, TorchOps.toF32(y).toFloatArray());
            assertTrue(rel < 2e-2, "bf16 in and out: relative error " + rel);
        }
    }

    @Test
    void usedOnlyWhereItPays() {
        assumeTrue(TorchOps.available() && Winograd.runsHere(), "no Winograd convolution on this machine");
        try (NDManager m = DjlRuntime.newManager()) {
            Shape one = new Shape(1, 1);
            NDArray w320 = m.zeros(new Shape(320, 320, 3, 3));
            if (WinogradKernel.available()) {
                assertTrue(Winograd.applies(m.zeros(new Shape(2, 320, 64, 64)), w320, one, one), "UNet at 64 px");
                assertTrue(Winograd.applies(m.zeros(new Shape(1, 320, 32, 32)), w320, one, one), "UNet at 32 px");
                assertFalse(Winograd.applies(m.zeros(new Shape(2, 320, 16, 16)), w320, one, one), "16 px: direct");
                assertFalse(Winograd.applies(m.zeros(new Shape(1, 64, 512, 512)), m.zeros(new Shape(64, 64, 3, 3)),
                        one, one), "64 channels (the tiny test model): direct");
                assertFalse(Winograd.applies(m.zeros(new Shape(1, 320, 64, 64)), m.zeros(new Shape(4, 320, 3, 3)),
                        one, one), "4 output channels (conv_out): direct");
            } else {
                assertFalse(Winograd.applies(m.zeros(new Shape(2, 320, 64, 64)), w320, one, one), "NNPACK: 64 px direct");
                assertTrue(Winograd.applies(m.zeros(new Shape(1, 320, 128, 128)), w320, one, one), "128 px: NNPACK");
            }
            assertFalse(Winograd.applies(m.zeros(new Shape(1, 320, 128, 128)), w320, new Shape(2, 2), one), "stride 2");
            Winograd.setMinPixels(0);
            assertFalse(Winograd.applies(m.zeros(new Shape(1, 320, 512, 512)), w320, one, one), "0 turns it off");
        }
    }
}
