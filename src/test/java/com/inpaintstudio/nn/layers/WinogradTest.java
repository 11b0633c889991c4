package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.RandomWeights;
import com.inpaintstudio.tensor.DjlRuntime;
import com.inpaintstudio.tensor.TorchOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** NNPACK's Winograd 3x3 convolution agrees with the direct one to a small relative error, and is only used when big. */
class WinogradTest {
    @AfterEach
    void restore() {
        Winograd.setMinPixels(128L * 128L);
    }

    @Test
    void winogradConvMatchesDirectConv() {
        assumeTrue(TorchOps.available() && TorchOps.nnpackAvailable(), "libtorch without NNPACK on this CPU");
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(11);
            Conv2d conv = Conv2d.load(new RandomWeights(m), "c", 64, 32, 3, 1, 1);
            NDArray x = m.randomNormal(new Shape(1, 64, 40, 36)).mul(3).add(1);
            Winograd.setMinPixels(0);
            float[] direct = conv.forward(x).toFloatArray();
            Winograd.setMinPixels(1);
            float[] wino = conv.forward(x).toFloatArray();
            double maxDiff = 0;
            double maxAbs = 0;
            for (int i = 0; i < direct.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(direct[i] - wino[i]));
                maxAbs = Math.max(maxAbs, Math.abs(direct[i]));
            }
            assertTrue(maxAbs > 0.5, "non-trivial output, max " + maxAbs);
            assertTrue(maxDiff / maxAbs < 2e-4, "relative error " + maxDiff / maxAbs);
        }
    }

    @Test
    void usedOnlyFromTheThresholdUp() {
        assumeTrue(TorchOps.available() && TorchOps.nnpackAvailable(), "libtorch without NNPACK on this CPU");
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray w = m.zeros(new Shape(4, 4, 3, 3));
            Shape one = new Shape(1, 1);
            Winograd.setMinPixels(128L * 128L);
            assertTrue(!Winograd.applies(m.zeros(new Shape(2, 4, 64, 64)), w, one, one), "64x64 latents: direct");
            assertTrue(Winograd.applies(m.zeros(new Shape(1, 4, 128, 128)), w, one, one), "128x128: Winograd");
            assertTrue(!Winograd.applies(m.zeros(new Shape(1, 4, 128, 128)), w, new Shape(2, 2), one), "stride 2: direct");
            Winograd.setMinPixels(0);
            assertTrue(!Winograd.applies(m.zeros(new Shape(1, 4, 512, 512)), w, one, one), "0 turns it off");
        }
    }
}
