package com.inpaintstudio.nn.taesd;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.nn.layers.Activations;

import java.util.Locale;

/** The {@code act_fn} of an AutoencoderTiny config: ReLU (every published TAESD) or SiLU. */
public enum TinyActivation {
    RELU, SILU;

    public static TinyActivation of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "relu" -> RELU;
            case "silu", "swish" -> SILU;
            default -> throw new ModelFormatException("AutoencoderTiny config.json: act_fn '" + name
                    + "' is not supported (relu or silu)");
        };
    }

    /** A fresh array; {@code x} is left as it is. */
    public NDArray apply(NDArray x) {
        return this == RELU ? ai.djl.nn.Activation.relu(x) : Activations.silu(x);
    }
}
