package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.Weights;

/**
 * diffusers {@code Downsample2D} with a conv: 3x3 stride 2 with {@code padding}; with padding 0 (the VAE) the input
 * is first padded by one zero row and column at the bottom and right, as diffusers does.
 */
public final class Downsample2D {
    private static final Shape PAD_RIGHT_BOTTOM = new Shape(0, 1, 0, 1);
    private final Conv2d conv;
    private final boolean asymmetricPad;

    private Downsample2D(Conv2d conv, boolean asymmetricPad) {
        this.conv = conv;
        this.asymmetricPad = asymmetricPad;
    }

    public static Downsample2D load(Weights w, String prefix, int channels, int padding) {
        return new Downsample2D(Conv2d.load(w, prefix + ".conv", channels, channels, 3, 2, padding), padding == 0);
    }

    public NDArray forward(NDArray x) {
        if (!asymmetricPad) {
            return conv.forward(x);
        }
        NDArray padded = x.pad(PAD_RIGHT_BOTTOM, 0);
        NDArray out = conv.forward(padded);
        padded.close();
        return out;
    }
}
