package com.inpaintstudio.nn.vae;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.layers.ResnetBlock2D;

/** diffusers {@code UNetMidBlock2D} as the VAE uses it: resnet, attention (optional), resnet; no time input. */
public final class VaeMidBlock {
    private final ResnetBlock2D resnet0;
    private final SpatialSelfAttention attention;
    private final ResnetBlock2D resnet1;

    private VaeMidBlock(ResnetBlock2D resnet0, SpatialSelfAttention attention, ResnetBlock2D resnet1) {
        this.resnet0 = resnet0;
        this.attention = attention;
        this.resnet1 = resnet1;
    }

    public static VaeMidBlock load(Weights w, String prefix, int channels, int groups, double eps, boolean addAttention) {
        return new VaeMidBlock(
                ResnetBlock2D.load(w, prefix + ".resnets.0", channels, channels, 0, groups, eps, 1.0),
                addAttention ? SpatialSelfAttention.load(w, prefix + ".attentions.0", channels, channels, groups, eps, 1.0)
                        : null,
                ResnetBlock2D.load(w, prefix + ".resnets.1", channels, channels, 0, groups, eps, 1.0));
    }

    /** Does not close x. */
    public NDArray forward(NDArray x) {
        NDArray h = resnet0.forward(x, null);
        if (attention != null) {
            NDArray a = attention.forward(h);
            h.close();
            h = a;
        }
        NDArray out = resnet1.forward(h, null);
        h.close();
        return out;
    }
}
