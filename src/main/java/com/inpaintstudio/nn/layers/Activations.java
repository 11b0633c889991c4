package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;

/** Activations DJL lacks, composed from ops it has. */
public final class Activations {
    private Activations() {}

    /** SiLU {@code x * sigmoid(x)}; {@code x} is left as it is. */
    public static NDArray silu(NDArray x) {
        if (com.inpaintstudio.tensor.ComputeScope.fusedOps()) {
            return com.inpaintstudio.tensor.TorchOps.silu(x);
        }
        NDArray s = ai.djl.nn.Activation.sigmoid(x);
        return s.muli(x);
    }

    /** GELU with the exact erf form ({@code torch.nn.functional.gelu}, approximate="none"). */
    public static NDArray gelu(NDArray x) {
        return ai.djl.nn.Activation.gelu(x);
    }

    /** SiLU that consumes {@code x}: closes it, returns a fresh array (saves a live copy in big layers). */
    public static NDArray siluConsuming(NDArray x) {
        NDArray s = silu(x);
        x.close();
        return s;
    }
}
