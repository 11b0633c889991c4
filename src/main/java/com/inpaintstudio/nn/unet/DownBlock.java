package com.inpaintstudio.nn.unet;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.layers.Downsample2D;
import com.inpaintstudio.nn.layers.ResnetBlock2D;
import com.inpaintstudio.nn.layers.Transformer2D;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code CrossAttnDownBlock2D} (with attentions) or {@code DownBlock2D} (without): resnets, each followed
 * by its transformer when there is one, then an optional stride-2 downsampler. Every layer's output is a skip
 * connection for the up path.
 */
public final class DownBlock {
    private final List<ResnetBlock2D> resnets;
    private final List<Transformer2D> attentions; // empty for DownBlock2D
    private final Downsample2D downsampler; // null in the last block

    DownBlock(List<ResnetBlock2D> resnets, List<Transformer2D> attentions, Downsample2D downsampler) {
        this.resnets = List.copyOf(resnets);
        this.attentions = List.copyOf(attentions);
        this.downsampler = downsampler;
    }

    /**
     * @param attn transformer settings, or null for a {@code DownBlock2D}
     */
    public static DownBlock load(Weights w, String prefix, int layers, int in, int out, int tembChannels,
                                 int groups, double eps, boolean addDownsample, int downsamplePadding,
                                 AttentionSpec attn) {
        List<ResnetBlock2D> resnets = new ArrayList<>();
        List<Transformer2D> attentions = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            resnets.add(ResnetBlock2D.load(w, prefix + ".resnets." + i, i == 0 ? in : out, out, tembChannels, groups,
                    eps, 1.0));
            if (attn != null) {
                attentions.add(attn.load(w, prefix + ".attentions." + i, out, groups));
            }
        }
        Downsample2D down = addDownsample
                ? Downsample2D.load(w, prefix + ".downsamplers.0", out, downsamplePadding) : null;
        return new DownBlock(resnets, attentions, down);
    }

    /**
     * @param skips receives every layer's output, in order, owned by x's manager
     * @return the block's output (also the last entry of {@code skips})
     */
    public NDArray forward(NDArray x, NDArray tembAct, NDArray context, List<NDArray> skips) {
        NDArray h = x;
        for (int i = 0; i < resnets.size(); i++) {
            h = resnets.get(i).forward(h, tembAct);
            if (!attentions.isEmpty()) {
                NDArray a = attentions.get(i).forward(h, context);
                h.close();
                h = a;
            }
            skips.add(h);
        }
        if (downsampler != null) {
            h = downsampler.forward(h);
            skips.add(h);
        }
        return h;
    }
}
