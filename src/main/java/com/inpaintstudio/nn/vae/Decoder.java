package com.inpaintstudio.nn.vae;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.Probe;
import com.inpaintstudio.nn.layers.Conv2d;
import com.inpaintstudio.nn.layers.GroupNorm;
import com.inpaintstudio.nn.layers.ResnetBlock2D;
import com.inpaintstudio.nn.layers.Upsample2D;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers VAE {@code Decoder}: conv_in, mid block, UpDecoderBlock2Ds (layers_per_block + 1 resnets, nearest-2x
 * upsample + conv), group norm, SiLU, conv_out to pixels.
 */
public final class Decoder {
    private static final double EPS = 1e-6;
    private final Conv2d convIn;
    private final VaeMidBlock mid;
    private final List<List<ResnetBlock2D>> blocks;
    private final List<Upsample2D> upsamplers;
    private final GroupNorm normOut;
    private final Conv2d convOut;

    private Decoder(Conv2d convIn, VaeMidBlock mid, List<List<ResnetBlock2D>> blocks, List<Upsample2D> upsamplers,
                    GroupNorm normOut, Conv2d convOut) {
        this.convIn = convIn;
        this.mid = mid;
        this.blocks = blocks;
        this.upsamplers = upsamplers;
        this.normOut = normOut;
        this.convOut = convOut;
    }

    public static Decoder load(Weights w, int latentChannels, int outChannels, int[] channels, int layers, int groups,
                               boolean midAttention) {
        int n = channels.length;
        int top = channels[n - 1];
        List<List<ResnetBlock2D>> blocks = new ArrayList<>();
        List<Upsample2D> ups = new ArrayList<>();
        int out = top;
        for (int i = 0; i < n; i++) {
            int prev = out;
            out = channels[n - 1 - i];
            List<ResnetBlock2D> resnets = new ArrayList<>();
            for (int j = 0; j < layers + 1; j++) {
                resnets.add(ResnetBlock2D.load(w, "up_blocks." + i + ".resnets." + j, j == 0 ? prev : out, out, 0, groups,
                        EPS, 1.0));
            }
            blocks.add(List.copyOf(resnets));
            ups.add(i < n - 1 ? Upsample2D.load(w, "up_blocks." + i + ".upsamplers.0", out) : null);
        }
        return new Decoder(Conv2d.load(w, "conv_in", latentChannels, top, 3, 1, 1),
                VaeMidBlock.load(w, "mid_block", top, groups, EPS, midAttention), List.copyOf(blocks),
                java.util.Collections.unmodifiableList(ups),
                GroupNorm.load(w, "conv_norm_out", groups, channels[0], EPS),
                Conv2d.load(w, "conv_out", channels[0], outChannels, 3, 1, 1));
    }

    /** (B, latent, h, w) -> (B, out, h*f, w*f) in z's manager; temporaries closed as soon as used. */
    public NDArray forward(NDArray z, Probe probe) {
        NDArray h0 = convIn.forward(z);
        probe.accept("decoder_conv_in", h0);
        NDArray h = mid.forward(h0);
        h0.close();
        probe.accept("decoder_mid_block", h);
        for (int i = 0; i < blocks.size(); i++) {
            for (ResnetBlock2D r : blocks.get(i)) {
                NDArray next = r.forward(h, null);
                h.close();
                h = next;
            }
            Upsample2D u = upsamplers.get(i);
            if (u != null) {
                NDArray next = u.forward(h, 0, 0);
                h.close();
                h = next;
            }
            probe.accept("decoder_up_blocks_" + i, h);
        }
        NDArray act = normOut.forwardSilu(h);
        h.close();
        NDArray out = convOut.forward(act);
        act.close();
        return out;
    }
}
