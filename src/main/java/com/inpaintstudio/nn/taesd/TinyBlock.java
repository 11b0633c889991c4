package com.inpaintstudio.nn.taesd;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.layers.Conv2d;
import com.inpaintstudio.nn.layers.Scope;

/**
 * diffusers {@code AutoencoderTinyBlock}: {@code relu(conv(act(conv(act(conv(x))))) + skip(x))}, three 3x3 convs,
 * the skip a bias-free 1x1 conv when the channel count changes, identity otherwise. The last activation (the "fuse")
 * is always ReLU.
 */
final class TinyBlock {
    private final Conv2d c0;
    private final Conv2d c1;
    private final Conv2d c2;
    private final Conv2d skip;
    private final TinyActivation act;

    private TinyBlock(Conv2d c0, Conv2d c1, Conv2d c2, Conv2d skip, TinyActivation act) {
        this.c0 = c0;
        this.c1 = c1;
        this.c2 = c2;
        this.skip = skip;
        this.act = act;
    }

    /** Keys {@code prefix.conv.0/2/4.*} and, when {@code in != out}, {@code prefix.skip.weight}. */
    static TinyBlock load(Weights w, String prefix, int in, int out, TinyActivation act) {
        return new TinyBlock(Conv2d.load(w, prefix + ".conv.0", in, out, 3, 1, 1),
                Conv2d.load(w, prefix + ".conv.2", out, out, 3, 1, 1),
                Conv2d.load(w, prefix + ".conv.4", out, out, 3, 1, 1),
                in != out ? Conv2d.loadNoBias(w, prefix + ".skip", in, out, 1, 1, 0) : null, act);
    }

    /** {@link #forward} on a channels-last x through oneDNN: ReLUs fused into the convs, the skip add too. */
    NDArray forwardChannelsLast(NDArray x) {
        boolean relu = act == TinyActivation.RELU;
        return Scope.run(x, in -> {
            NDArray h = c0.forwardChannelsLast(in, relu);
            NDArray a = relu ? h : act.apply(h);
            if (a != h) {
                h.close();
            }
            h = c1.forwardChannelsLast(a, relu);
            a.close();
            a = relu ? h : act.apply(h);
            if (a != h) {
                h.close();
            }
            NDArray s = skip != null ? skip.forwardChannelsLast(in, false) : in;
            NDArray out = c2.forwardChannelsLastAddRelu(a, s);
            a.close();
            if (s != in) {
                s.close();
            }
            return out;
        });
    }

    NDArray forward(NDArray x) {
        return Scope.run(x, in -> {
            NDArray h = c0.forward(in);
            NDArray a = act.apply(h);
            h.close();
            h = c1.forward(a);
            a.close();
            a = act.apply(h);
            h.close();
            h = c2.forward(a);
            a.close();
            if (skip != null) {
                NDArray s = skip.forward(in);
                h.addi(s);
                s.close();
            } else {
                h.addi(in);
            }
            NDArray out = ai.djl.nn.Activation.relu(h);
            h.close();
            return out;
        });
    }
}
