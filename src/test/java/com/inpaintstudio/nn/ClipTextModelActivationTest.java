package com.inpaintstudio.nn;

import ai.djl.ndarray.NDManager;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.nn.clip.ClipActivation;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three activations a CLIP text config can name, against their formulas in double precision. */
class ClipTextModelActivationTest {
    private static final float[] X = {-6f, -2.5f, -1f, -0.1f, 0f, 0.3f, 1f, 2f, 5.5f};

    @Test
    void formulas() {
        try (NDManager m = DjlRuntime.newManager()) {
            float[] quick = ClipActivation.fromConfig("quick_gelu").apply(m.create(X)).toFloatArray();
            float[] gelu = ClipActivation.fromConfig("gelu").apply(m.create(X)).toFloatArray();
            float[] tanh = ClipActivation.fromConfig("gelu_pytorch_tanh").apply(m.create(X)).toFloatArray();
            for (int i = 0; i < X.length; i++) {
                double x = X[i];
                assertEquals(x / (1 + Math.exp(-1.702 * x)), quick[i], 1e-6, "quick_gelu(" + x + ")");
                assertEquals(0.5 * x * (1 + erf(x / Math.sqrt(2))), gelu[i], 1e-6, "gelu(" + x + ")");
                double t = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
                assertEquals(t, tanh[i], 1e-6, "gelu_tanh(" + x + ")");
            }
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipActivation.fromConfig("relu"));
        assertTrue(e.getMessage().contains("hidden_act 'relu'"), e.getMessage());
    }

    /** Abramowitz-Stegun 7.1.26 is too coarse; use the series/continued fraction via erfc for |x| large. */
    private static double erf(double x) {
        double sum = 0;
        double term = x;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
