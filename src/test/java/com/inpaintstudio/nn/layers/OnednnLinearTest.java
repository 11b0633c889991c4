package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.RandomWeights;
import com.inpaintstudio.tensor.ComputeOptions;
import com.inpaintstudio.tensor.ComputeScope;
import com.inpaintstudio.tensor.DjlRuntime;
import com.inpaintstudio.tensor.Precision;
import com.inpaintstudio.tensor.TorchOps;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A float32 linear layer gives the same numbers through oneDNN (fused ops on) as through DJL's own linear (fused ops
 * off), with and without bias, for token batches, plain matrices and strided views, and records which path ran.
 */
class OnednnLinearTest {
    @Test
    void oneDnnLinearMatchesDjlLinear() {
        assumeTrue(TorchOps.onednnLinearAvailable(), "libtorch without oneDNN's linear here");
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(3);
            RandomWeights w = new RandomWeights(m);
            Linear withBias = Linear.load(w, "a", 48, 80, true);
            Linear noBias = Linear.load(w, "b", 48, 80, false);
            Linear pointwise = Linear.loadPointwiseConv(w, "c", 48, 80);
            NDArray tokens = m.randomNormal(new Shape(2, 37, 48)).mul(2);
            NDArray strided = m.randomNormal(new Shape(2, 48, 37)).transpose(0, 2, 1); // not contiguous
            NDArray matrix = m.randomNormal(new Shape(5, 48));
            for (Linear layer : new Linear[] {withBias, noBias, pointwise}) {
                for (NDArray x : new NDArray[] {tokens, strided, matrix}) {
                    float[] plain = run(layer, x, false);
                    ComputeScope.resetCounts();
                    float[] fused = run(layer, x, true);
                    assertTrue(ComputeScope.counts().getOrDefault(ComputeScope.Path.LINEAR_ONEDNN, 0L) > 0,
                            "the fused run went through oneDNN");
                    assertEquals(plain.length, fused.length);
                    assertArrayEquals(plain, fused, 2e-5f);
                }
            }
        }
    }

    private static float[] run(Linear layer, NDArray x, boolean fusedOps) {
        try (ComputeScope s = ComputeScope.open(new ComputeOptions(Precision.FP32, fusedOps))) {
            return layer.forward(x).toFloatArray();
        }
    }
}
