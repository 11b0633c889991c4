package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.inpaintstudio.model.Weights;

/**
 * diffusers {@code Upsample2D} with a conv: nearest-neighbour upsampling (2x, or to an explicit size when the
 * skip connection's size is odd), then a 3x3 conv.
 */
public final class Upsample2D {
    private final Conv2d conv;

    private Upsample2D(Conv2d conv) {
        this.conv = conv;
    }

    public static Upsample2D load(Weights w, String prefix, int channels) {
        return new Upsample2D(Conv2d.load(w, prefix + ".conv", channels, channels, 3, 1, 1));
    }

    /** @param outH target height, or 0 for 2x; @param outW target width, or 0 for 2x */
    public NDArray forward(NDArray x, long outH, long outW) {
        NDArray up = nearest(x, outH, outW);
        NDArray out = conv.forward(up);
        up.close();
        return out;
    }

    /** torch {@code interpolate(mode="nearest")}: source index {@code floor(dst * in / out)}. */
    static NDArray nearest(NDArray x, long outH, long outW) {
        long b = x.getShape().get(0);
        long c = x.getShape().get(1);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        long oh = outH > 0 ? outH : 2 * h;
        long ow = outW > 0 ? outW : 2 * w;
        if (com.inpaintstudio.tensor.ComputeScope.fusedOps() && x instanceof ai.djl.pytorch.engine.PtNDArray) {
            // libtorch's upsample_nearest2d with an explicit size uses the same floor(dst * in / out) source index
            return ai.djl.pytorch.jni.JniUtils.interpolate((ai.djl.pytorch.engine.PtNDArray) x, new long[] {oh, ow}, 0,
                    false);
        }
        if (oh == 2 * h && ow == 2 * w) {
            // each pixel broadcast to a 2x2 block: one copy
            return x.reshape(b, c, h, 1, w, 1).broadcast(b, c, h, 2, w, 2).reshape(b, c, oh, ow);
        }
        NDManager m = x.getManager();
        NDArray rows = m.create(indices(h, oh));
        NDArray cols = m.create(indices(w, ow));
        NDArray r = x.get(new ai.djl.ndarray.index.NDIndex(":, :, {}", rows));
        NDArray out = r.get(new ai.djl.ndarray.index.NDIndex(":, :, :, {}", cols));
        r.close();
        rows.close();
        cols.close();
        return out;
    }

    private static long[] indices(long in, long out) {
        // as PyTorch's nearest_idx: float scale in/out, floor(dst * scale), clamped
        float scale = (float) in / (float) out;
        long[] idx = new long[(int) out];
        for (int i = 0; i < out; i++) {
            idx[i] = Math.min((long) Math.floor(i * scale), in - 1);
        }
        return idx;
    }
}
