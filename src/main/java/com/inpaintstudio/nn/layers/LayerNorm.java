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

    /**
     * A bfloat16 input goes through libtorch's mixed-type layer_norm (float32 weights): statistics and affine in
     * float32, the result rounded once to bfloat16, as widening, normalising and narrowing would give, in one pass.
     */
    public NDArray forward(NDArray x) {
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
