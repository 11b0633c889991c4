package com.inpaintstudio.nn.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import com.inpaintstudio.model.ModelFormatException;

/** The MLP activation named by a CLIP text config's {@code hidden_act}. */
public enum ClipActivation {
    /** {@code x * sigmoid(1.702 x)}: OpenAI CLIP (SD-1.x). */
    QUICK_GELU,
    /** Exact erf GELU: OpenCLIP (SD-2.x). */
    GELU,
    /** tanh approximation ({@code gelu_new}, {@code gelu_pytorch_tanh}). */
    GELU_TANH;

    public static ClipActivation fromConfig(String name) {
        return switch (name) {
            case "quick_gelu" -> QUICK_GELU;
            case "gelu" -> GELU;
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> GELU_TANH;
            default -> throw new ModelFormatException("text_encoder/config.json names hidden_act '" + name
                    + "', which Inpaint Studio does not support (supported: quick_gelu, gelu, gelu_new,"
                    + " gelu_pytorch_tanh)");
        };
    }

    /** Applies the activation; the result lives in {@code x}'s manager. */
    public NDArray apply(NDArray x) {
        switch (this) {
            case QUICK_GELU: {
                NDArray s = x.mul(1.702f);
                NDArray sig = Activation.sigmoid(s);
                return x.mul(sig);
            }
            case GELU:
                return Activation.gelu(x);
            case GELU_TANH: {
                // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
                NDArray inner = x.pow(3).mul(0.044715f).add(x).mul((float) Math.sqrt(2.0 / Math.PI));
                return inner.tanh().add(1f).mul(x).mul(0.5f);
            }
            default:
                throw new IllegalStateException(name());
        }
    }
}
