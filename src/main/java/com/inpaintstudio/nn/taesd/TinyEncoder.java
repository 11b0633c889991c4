package com.inpaintstudio.nn.taesd;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.layers.Conv2d;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code EncoderTiny}: pixels mapped from [-1, 1] to TAESD's [0, 1], then per level a 3x3 conv (the first
 * with bias, the others bias-free with stride 2) and its blocks, then a 3x3 conv to the latent channels.
 */
final class TinyEncoder {
    private final List<Object> layers; // Conv2d or TinyBlock, in nn.Sequential order

    private TinyEncoder(List<Object> layers) {
        this.layers = layers;
    }

    static TinyEncoder load(Weights w, int inChannels, int latentChannels, int[] channels, int[] blocks,
                            TinyActivation act) {
        List<Object> layers = new ArrayList<>();
        int idx = 0;
        int in = inChannels;
        for (int i = 0; i < blocks.length; i++) {
            int c = channels[i];
            String key = "layers." + idx++;
            // diffusers builds the stride-2 conv as c -> c: the previous level must have as many channels
            layers.add(i == 0 ? Conv2d.load(w, key, in, c, 3, 1, 1) : Conv2d.loadNoBias(w, key, c, c, 3, 2, 1));
            in = c;
            for (int j = 0; j < blocks[i]; j++) {
                layers.add(TinyBlock.load(w, "layers." + idx++, c, c, act));
            }
        }
        layers.add(Conv2d.load(w, "layers." + idx, in, latentChannels, 3, 1, 1));
        return new TinyEncoder(List.copyOf(layers));
    }

    /** (B, 3, H, W) in [-1, 1] -> (B, latent, H/f, W/f), in x's manager. */
    NDArray forward(NDArray x) {
        NDArray h = x.add(1f).divi(2f);
        for (Object l : layers) {
            NDArray next = l instanceof Conv2d c ? c.forward(h) : ((TinyBlock) l).forward(h);
            h.close();
            h = next;
        }
        return h;
    }
}
