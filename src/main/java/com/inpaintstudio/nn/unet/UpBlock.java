package com.inpaintstudio.nn.unet;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.layers.ResnetBlock2D;
import com.inpaintstudio.nn.layers.Transformer2D;
import com.inpaintstudio.nn.layers.Upsample2D;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code CrossAttnUpBlock2D} / {@code UpBlock2D}: for each resnet, concatenate the newest skip connection
 * on the channel axis, resnet, transformer (if any); then an optional nearest-2x upsampler + conv.
 */
public final class UpBlock {
    private final List<ResnetBlock2D> resnets;
    private final List<Transformer2D> attentions;
    private final Upsample2D upsampler;

    UpBlock(List<ResnetBlock2D> resnets, List<Transformer2D> attentions, Upsample2D upsampler) {
        this.resnets = List.copyOf(resnets);
        this.attentions = List.copyOf(attentions);
        this.upsampler = upsampler;
    }

    /**
     * @param in channels of the matching down block's input (its last skip), @param prev channels arriving from below
     * @param attn transformer settings, or null for an {@code UpBlock2D}
     */
    public static UpBlock load(Weights w, String prefix, int layers, int in, int out, int prev, int tembChannels,
                               int groups, double eps, boolean addUpsample, AttentionSpec attn) {
        List<ResnetBlock2D> resnets = new ArrayList<>();
        List<Transformer2D> attentions = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            int skipChannels = i == layers - 1 ? in : out;
            int resIn = i == 0 ? prev : out;
            resnets.add(ResnetBlock2D.load(w, prefix + ".resnets." + i, resIn + skipChannels, out, tembChannels,
                    groups, eps, 1.0));
            if (attn != null) {
                attentions.add(attn.load(w, prefix + ".attentions." + i, out, groups));
            }
        }
        Upsample2D up = addUpsample ? Upsample2D.load(w, prefix + ".upsamplers.0", out) : null;
        return new UpBlock(resnets, attentions, up);
    }

    public int layers() {
        return resnets.size();
    }

    /**
     * Consumes (and closes) {@code x} and one skip per layer, taken from the end of {@code skips}.
     *
     * @param outH, outW the upsampler's output size, 0 for 2x
     */
    public NDArray forward(NDArray x, NDArray tembAct, NDArray context, List<NDArray> skips, long outH, long outW) {
        NDArray h = x;
        for (int i = 0; i < resnets.size(); i++) {
            NDArray skip = skips.remove(skips.size() - 1);
            NDArray cat = h.concat(skip, 1);
            h.close();
            skip.close();
            h = resnets.get(i).forward(cat, tembAct);
            cat.close();
            if (!attentions.isEmpty()) {
                NDArray a = attentions.get(i).forward(h, context);
                h.close();
                h = a;
            }
        }
        if (upsampler != null) {
            NDArray u = upsampler.forward(h, outH, outW);
            h.close();
            h = u;
        }
        return h;
    }
}
