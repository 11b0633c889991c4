package com.inpaintstudio.nn.vae;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.layers.Attention;
import com.inpaintstudio.nn.layers.GroupNorm;
import com.inpaintstudio.nn.layers.Scope;

/**
 * The VAE mid block's attention (diffusers {@code Attention} with a group norm and a residual connection): the
 * pixels are tokens, a single head spans all channels, q/k/v have biases.
 */
public final class SpatialSelfAttention {
    private final GroupNorm norm;
    private final Attention attention;
    private final double rescale;

    private SpatialSelfAttention(GroupNorm norm, Attention attention, double rescale) {
        this.norm = norm;
        this.attention = attention;
        this.rescale = rescale;
    }

    public static SpatialSelfAttention load(Weights w, String prefix, int channels, int headDim, int groups, double eps,
                                            double rescale) {
        int heads = Math.max(1, channels / headDim);
        return new SpatialSelfAttention(GroupNorm.load(w, prefix + ".group_norm", groups, channels, eps),
                Attention.load(w, prefix, channels, channels, heads, headDim, true), rescale);
    }

    /** x (B, C, H, W) -> (B, C, H, W). */
    public NDArray forward(NDArray x) {
        return Scope.run(x, in -> {
            long b = in.getShape().get(0);
            long c = in.getShape().get(1);
            long h = in.getShape().get(2);
            long w = in.getShape().get(3);
            NDArray normed = norm.forward(in);
            NDArray tokens = normed.reshape(b, c, h * w).transpose(0, 2, 1);
            NDArray a = attention.forward(tokens, null);
            tokens.close();
            normed.close();
            NDArray back = a.transpose(0, 2, 1).reshape(b, c, h, w);
            NDArray out = in.add(back);
            return rescale == 1.0 ? out : out.divi((float) rescale);
        });
    }
}
