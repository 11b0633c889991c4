package com.inpaintstudio.nn.vae;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.Probe;
import com.inpaintstudio.nn.layers.Activations;
import com.inpaintstudio.nn.layers.Conv2d;
import com.inpaintstudio.nn.layers.Downsample2D;
import com.inpaintstudio.nn.layers.GroupNorm;
import com.inpaintstudio.nn.layers.ResnetBlock2D;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers VAE {@code Encoder}: conv_in, DownEncoderBlock2Ds (resnets + stride-2 conv after right/bottom padding),
 * mid block, group norm, SiLU, conv_out to mean and log-variance channels.
 */
public final class Encoder {
    private static final double EPS = 1e-6;
    private final Conv2d convIn;
    private final List<List<ResnetBlock2D>> blocks;
    private final List<Downsample2D> downsamplers;
    private final VaeMidBlock mid;
    private final GroupNorm normOut;
    private final Conv2d convOut;

    private Encoder(Conv2d convIn, List<List<ResnetBlock2D>> blocks, List<Downsample2D> downsamplers, VaeMidBlock mid,
                    GroupNorm normOut, Conv2d convOut) {
        this.convIn = convIn;
        this.blocks = blocks;
        this.downsamplers = downsamplers;
        this.mid = mid;
        this.normOut = normOut;
        this.convOut = convOut;
    }

    public static Encoder load(Weights w, int inChannels, int latentChannels, int[] channels, int layers, int groups,
                               boolean midAttention) {
        int n = channels.length;
        List<List<ResnetBlock2D>> blocks = new ArrayList<>();
        List<Downsample2D> downs = new ArrayList<>();
        int out = channels[0];
        for (int i = 0; i < n; i++) {
            int in = out;
            out = channels[i];
            List<ResnetBlock2D> resnets = new ArrayList<>();
            for (int j = 0; j < layers; j++) {
                resnets.add(ResnetBlock2D.load(w, "down_blocks." + i + ".resnets." + j, j == 0 ? in : out, out, 0, groups,
                        EPS, 1.0));
            }
            blocks.add(List.copyOf(resnets));
            downs.add(i < n - 1 ? Downsample2D.load(w, "down_blocks." + i + ".downsamplers.0", out, 0) : null);
        }
        int top = channels[n - 1];
        return new Encoder(Conv2d.load(w, "conv_in", inChannels, channels[0], 3, 1, 1), List.copyOf(blocks),
                java.util.Collections.unmodifiableList(downs),
                VaeMidBlock.load(w, "mid_block", top, groups, EPS, midAttention),
                GroupNorm.load(w, "conv_norm_out", groups, top, EPS),
                Conv2d.load(w, "conv_out", top, 2 * latentChannels, 3, 1, 1));
    }

    /** (B, 3, H, W) -> (B, 2*latent, H/f, W/f) "moments", in x's manager; temporaries closed as soon as used. */
    public NDArray forward(NDArray x, Probe probe) {
        NDArray h = convIn.forward(x);
        for (int i = 0; i < blocks.size(); i++) {
            for (ResnetBlock2D r : blocks.get(i)) {
                NDArray next = r.forward(h, null);
                h.close();
                h = next;
            }
            Downsample2D d = downsamplers.get(i);
            if (d != null) {
                NDArray next = d.forward(h);
                h.close();
                h = next;
            }
            probe.accept("encoder_down_blocks_" + i, h);
        }
        NDArray m = mid.forward(h);
        h.close();
        probe.accept("encoder_mid_block", m);
        NDArray act = normOut.forwardSilu(m);
        m.close();
        NDArray out = convOut.forward(act);
        act.close();
        probe.accept("encoder_conv_out", out);
        return out;
    }
}
