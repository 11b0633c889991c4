package com.inpaintstudio.nn.taesd;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.layers.Conv2d;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code DecoderTiny}: the soft clamp {@code tanh(x / 3) * 3}, conv_in + activation, then per level its
 * blocks, a nearest upsample (all but the last level) and a 3x3 conv (bias-free except the last, which gives the
 * pixels); the output is mapped from TAESD's [0, 1] to diffusers' [-1, 1]. Keys are {@code layers.<i>} of the
 * {@code nn.Sequential}, counted as diffusers builds it.
 */
final class TinyDecoder {
    /** One {@code nn.Sequential} entry that holds parameters, or an upsample (null conv and block). */
    private record Layer(Conv2d conv, TinyBlock block, boolean activation, boolean upsample) { }

    private final List<Layer> layers;
    private final TinyActivation act;
    private final int upscale;

    private TinyDecoder(List<Layer> layers, TinyActivation act, int upscale) {
        this.layers = layers;
        this.act = act;
        this.upscale = upscale;
    }

    static TinyDecoder load(Weights w, int latentChannels, int outChannels, int[] channels, int[] blocks,
                            int upscale, TinyActivation act) {
        List<Layer> layers = new ArrayList<>();
        int idx = 0;
        layers.add(new Layer(Conv2d.load(w, "layers." + idx++, latentChannels, channels[0], 3, 1, 1), null, false, false));
        layers.add(new Layer(null, null, true, false));
        idx++;
        int in = channels[0];
        for (int i = 0; i < blocks.length; i++) {
            boolean last = i == blocks.length - 1;
            int c = channels[i];
            for (int j = 0; j < blocks[i]; j++) {
                layers.add(new Layer(null, TinyBlock.load(w, "layers." + idx++, in, c, act), false, false));
                in = c;
            }
            if (!last) {
                layers.add(new Layer(null, null, false, true));
                idx++;
            }
            String key = "layers." + idx++;
            Conv2d conv = last ? Conv2d.load(w, key, in, outChannels, 3, 1, 1) : Conv2d.loadNoBias(w, key, in, c, 3, 1, 1);
            layers.add(new Layer(conv, null, false, false));
            in = last ? outChannels : c;
        }
        return new TinyDecoder(List.copyOf(layers), act, upscale);
    }

    /** (B, latent, h, w) -> (B, out, h*f, w*f), about [-1, 1], in z's manager. */
    NDArray forward(NDArray z) {
        NDArray h = z.div(3f);
        NDArray t = h.tanh();
        h.close();
        h = t.muli(3f);
        if (OneDnnPath.applies(z)) {
            return forwardChannelsLast(h);
        }
        for (Layer l : layers) {
            NDArray next;
            if (l.conv() != null) {
                next = l.conv().forward(h);
            } else if (l.block() != null) {
                next = l.block().forward(h);
            } else if (l.activation()) {
                next = act.apply(h);
            } else {
                next = nearest(h, upscale);
            }
            h.close();
            h = next;
        }
        return h.muli(2f).subi(1f);
    }

    /**
     * The same layers in channels-last memory through oneDNN ({@link OneDnnPath}): each conv followed by a ReLU runs
     * as one call with the ReLU fused, each block's last conv adds the skip and applies the ReLU in the same call, and
     * the nearest upsample keeps channels-last, so no layer makes an extra pass over its 64 x H x W activations.
     */
    private NDArray forwardChannelsLast(NDArray clamped) {
        NDArray h = com.inpaintstudio.tensor.TorchOps.channelsLast(clamped);
        clamped.close();
        // in a bfloat16 run the decoder computes in bf16 too (ReLU TAESDs: every activation is fused into a conv, so
        // nothing outside oneDNN sees a bf16 array); the pixels come back as float32
        boolean bf16 = com.inpaintstudio.tensor.ComputeScope.bf16() && act == TinyActivation.RELU;
        if (bf16) {
            NDArray b = com.inpaintstudio.tensor.TorchOps.toBf16(h);
            h.close();
            h = b;
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            NDArray next;
            if (l.conv() != null) {
                boolean fuseRelu = act == TinyActivation.RELU && i + 1 < layers.size() && layers.get(i + 1).activation();
                next = l.conv().forwardChannelsLast(h, fuseRelu);
                if (fuseRelu) {
                    i++; // the activation ran inside the conv
                }
            } else if (l.block() != null) {
                next = l.block().forwardChannelsLast(h);
            } else if (l.activation()) {
                next = act.apply(h);
            } else {
                next = com.inpaintstudio.tensor.TorchOps.upsampleNearest(h, upscale);
            }
            h.close();
            h = next;
        }
        if (bf16) {
            NDArray f = com.inpaintstudio.tensor.TorchOps.toF32(h);
            h.close();
            h = f;
        }
        NDArray out = com.inpaintstudio.tensor.TorchOps.contiguous(h);
        if (out != h) {
            h.close();
        }
        return out.muli(2f).subi(1f);
    }

    /** torch {@code interpolate(scale_factor=f, mode="nearest")} for an integer f: each cell copied to f x f. */
    static NDArray nearest(NDArray x, int f) {
        long[] s = x.getShape().getShape();
        return x.reshape(s[0], s[1], s[2], 1, s[3], 1).broadcast(s[0], s[1], s[2], f, s[3], f)
                .reshape(s[0], s[1], s[2] * f, s[3] * f);
    }
}
