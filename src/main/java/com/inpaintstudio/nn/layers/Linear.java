package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;

/** {@code torch.nn.Linear} over the last axis; a 1x1 convolution's weight can be read as one too. */
public final class Linear {
    private final NDArray weight;
    private final NDArray bias;

    private Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    public static Linear load(Weights w, String prefix, int in, int out, boolean bias) {
        return new Linear(w.get(prefix + ".weight", out, in), bias ? w.get(prefix + ".bias", out) : null);
    }

    /** A 1x1 {@code Conv2d} (weight (out, in, 1, 1)) applied to channels-last tokens: the same arithmetic. */
    public static Linear loadPointwiseConv(Weights w, String prefix, int in, int out) {
        // the reshape is a view made once at build time, owned by the weights manager
        return new Linear(w.get(prefix + ".weight", out, in, 1, 1).reshape(out, in), w.get(prefix + ".bias", out));
    }

    public NDArray forward(NDArray x) {
        NDArray w = Param.f32(weight, x.getManager());
        NDArray b = Param.f32(bias, x.getManager());
        try {
            return b == null
                    ? ai.djl.nn.core.Linear.linear(x, w).singletonOrThrow()
                    : ai.djl.nn.core.Linear.linear(x, w, b).singletonOrThrow();
        } finally {
            Param.release(w, weight);
            Param.release(b, bias);
        }
    }
}
