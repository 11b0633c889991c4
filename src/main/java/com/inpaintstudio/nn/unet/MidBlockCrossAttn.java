package com.inpaintstudio.nn.unet;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.layers.ResnetBlock2D;
import com.inpaintstudio.nn.layers.Transformer2D;

import java.util.ArrayList;
import java.util.List;

/** diffusers {@code UNetMidBlock2DCrossAttn}: resnet, then (transformer, resnet) per layer. */
public final class MidBlockCrossAttn {
    private final List<ResnetBlock2D> resnets;
    private final List<Transformer2D> attentions;

    MidBlockCrossAttn(List<ResnetBlock2D> resnets, List<Transformer2D> attentions) {
        this.resnets = List.copyOf(resnets);
        this.attentions = List.copyOf(attentions);
    }

    public static MidBlockCrossAttn load(Weights w, String prefix, int layers, int channels, int tembChannels,
                                         int groups, double eps, double outputScale, AttentionSpec attn) {
        List<ResnetBlock2D> resnets = new ArrayList<>();
        List<Transformer2D> attentions = new ArrayList<>();
        resnets.add(ResnetBlock2D.load(w, prefix + ".resnets.0", channels, channels, tembChannels, groups, eps,
                outputScale));
        for (int i = 0; i < layers; i++) {
            attentions.add(attn.load(w, prefix + ".attentions." + i, channels, groups));
            resnets.add(ResnetBlock2D.load(w, prefix + ".resnets." + (i + 1), channels, channels, tembChannels, groups,
                    eps, outputScale));
        }
        return new MidBlockCrossAttn(resnets, attentions);
    }

    /** Does not close {@code x} (it is a skip connection of the down path's last block). */
    public NDArray forward(NDArray x, NDArray tembAct, NDArray context) {
        NDArray h = resnets.get(0).forward(x, tembAct);
        for (int i = 0; i < attentions.size(); i++) {
            NDArray a = attentions.get(i).forward(h, context);
            h.close();
            NDArray r = resnets.get(i + 1).forward(a, tembAct);
            a.close();
            h = r;
        }
        return h;
    }
}
