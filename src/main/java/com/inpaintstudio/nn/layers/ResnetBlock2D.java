package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;

/**
 * diffusers {@code ResnetBlock2D} (time_embedding_norm "default"): {@code (shortcut(x) + conv2(silu(norm2(conv1(
 * silu(norm1(x))) + proj(silu(temb)))))) / outputScale}. The time projection is absent in the VAE.
 */
public final class ResnetBlock2D {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear timeProj;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d shortcut;
    private final double outputScale;

    private ResnetBlock2D(GroupNorm norm1, Conv2d conv1, Linear timeProj, GroupNorm norm2, Conv2d conv2,
                          Conv2d shortcut, double outputScale) {
        this.norm1 = norm1;
        this.conv1 = conv1;
        this.timeProj = timeProj;
        this.norm2 = norm2;
        this.conv2 = conv2;
        this.shortcut = shortcut;
        this.outputScale = outputScale;
    }

    /** @param tembChannels width of the time embedding, or 0 for none (VAE) */
    public static ResnetBlock2D load(Weights w, String prefix, int in, int out, int tembChannels, int groups,
                                     double eps, double outputScale) {
        return new ResnetBlock2D(
                GroupNorm.load(w, prefix + ".norm1", groups, in, eps),
                Conv2d.load(w, prefix + ".conv1", in, out, 3, 1, 1),
                tembChannels > 0 ? Linear.load(w, prefix + ".time_emb_proj", tembChannels, out, true) : null,
                GroupNorm.load(w, prefix + ".norm2", groups, out, eps),
                Conv2d.load(w, prefix + ".conv2", out, out, 3, 1, 1),
                in != out ? Conv2d.load(w, prefix + ".conv_shortcut", in, out, 1, 1, 0) : null,
                outputScale);
    }

    /**
     * @param x (B, in, H, W)
     * @param tembAct {@code silu(temb)} (B, tembChannels), computed once per forward; null for the VAE
     */
    public NDArray forward(NDArray x, NDArray tembAct) {
        return Scope.run(x, in -> {
            NDArray a = norm1.forwardSilu(in);
            NDArray h = conv1.forward(a);
            a.close();
            if (timeProj != null) {
                NDArray t = timeProj.forward(tembAct);
                if (t.getManager() != h.getManager()) {
                    t.attach(h.getManager());
                }
                long b = t.getShape().get(0);
                h.addi(t.reshape(b, t.getShape().get(1), 1, 1));
                t.close();
            }
            NDArray a2 = norm2.forwardSilu(h);
            h.close();
            NDArray h2 = conv2.forward(a2);
            a2.close();
            if (shortcut != null) {
                NDArray s = shortcut.forward(in);
                h2.addi(s);
                s.close();
            } else {
                h2.addi(in);
            }
            return outputScale == 1.0 ? h2 : h2.divi((float) outputScale);
        });
    }
}
