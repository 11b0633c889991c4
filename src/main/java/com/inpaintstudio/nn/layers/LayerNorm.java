package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.Weights;

/** {@code torch.nn.LayerNorm} over the last axis, with affine parameters. */
public final class LayerNorm {
    private final NDArray gamma;
    private final NDArray beta;
    private final Shape shape;
    private final float eps;

    private LayerNorm(NDArray gamma, NDArray beta, int dim, float eps) {
        this.gamma = gamma;
        this.beta = beta;
        this.shape = new Shape(dim);
        this.eps = eps;
    }

    public static LayerNorm load(Weights w, String prefix, int dim, double eps) {
        return new LayerNorm(w.get(prefix + ".weight", dim), w.get(prefix + ".bias", dim), dim, (float) eps);
    }

    /** A bfloat16 input is normalised in float32 and the result rounded back to bfloat16. */
    public NDArray forward(NDArray x) {
        if (com.inpaintstudio.tensor.TorchOps.isBf16(x)) {
            NDArray wide = com.inpaintstudio.tensor.TorchOps.toF32(x);
            NDArray out = forward32(wide);
            wide.close();
            NDArray narrow = com.inpaintstudio.tensor.TorchOps.toBf16(out);
            out.close();
            return narrow;
        }
        return forward32(x);
    }

    private NDArray forward32(NDArray x) {
        NDArray g = Param.f32(gamma, x.getManager());
        NDArray b = Param.f32(beta, x.getManager());
        try {
            return ai.djl.nn.norm.LayerNorm.layerNorm(x, shape, g, b, eps).singletonOrThrow();
        } finally {
            Param.release(g, gamma);
            Param.release(b, beta);
        }
    }
}
