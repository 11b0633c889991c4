package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.tensor.ComputeScope;
import com.inpaintstudio.tensor.TorchOps;

/**
 * 3x3 stride-1 convolutions on large images through NNPACK's Winograd F(6x6, 3x3) kernels (bundled in libtorch,
 * reached through {@link TorchOps}): 2-4x fewer multiplications than oneDNN's direct convolution, measured 2-3x
 * faster for the VAE decoder's 128-512 channel convolutions at 128-512 px on AVX2. Not bit-exact: the transform
 * adds a relative error of about 5e-5 (invisible in 8-bit pixels), so it is used only from
 * {@link #minPixels()} output pixels up (default 128x128: the VAE at 512 px and more; never the UNet's 64x64
 * latents of a 512 px image (the UNet from 1024 px up), never the tiny test model).
 * {@code -Dinpaint.conv.winogradMinPixels=0} turns it off; so does a run with fused ops off ({@link ComputeScope}), and
 * a bfloat16 run never reaches it (float32 only).
 */
public final class Winograd {
    private static volatile long minPixels = Long.getLong("inpaint.conv.winogradMinPixels", 128L * 128L);

    private Winograd() {}

    /** Output pixels (H x W) from which Winograd is used; 0 = never. */
    public static long minPixels() {
        return minPixels;
    }

    public static void setMinPixels(long pixels) {
        minPixels = pixels;
    }

    static boolean applies(NDArray x, NDArray w, Shape stride, Shape padding) {
        long min = minPixels;
        if (min <= 0 || x.getShape().dimension() != 4 || x.getDataType() != DataType.FLOAT32) {
            return false;
        }
        Shape ws = w.getShape();
        return ws.get(2) == 3 && ws.get(3) == 3 && stride.get(0) == 1 && stride.get(1) == 1 && padding.get(0) == 1
                && padding.get(1) == 1 && x.getShape().get(2) * x.getShape().get(3) >= min && ComputeScope.fusedOps()
                && TorchOps.nnpackAvailable();
    }

    static NDArray conv3x3(NDArray x, NDArray w, NDArray b) {
        // NNPACK's entry takes a bias tensor: a bias-free conv (TAESD) gets zeros, made in the call's scope
        NDArray bias = b != null ? b : x.getManager().zeros(new ai.djl.ndarray.types.Shape(w.getShape().get(0)),
                w.getDataType());
        return TorchOps.nnpackConv(x, w, bias, 1);
    }
}
