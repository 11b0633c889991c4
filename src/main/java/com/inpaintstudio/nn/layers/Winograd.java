package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.tensor.ComputeScope;
import com.inpaintstudio.tensor.TorchOps;
import com.inpaintstudio.tensor.WinogradKernel;

/**
 * 3x3 stride-1 convolutions by Winograd's algorithm: the bundled F(4x4, 3x3) kernel ({@link WinogradKernel}, Linux
 * x86-64) where it runs, else NNPACK's F(6x6, 3x3) inside libtorch (reached through {@link TorchOps}) where NNPACK
 * knows the CPU. 2-4x fewer multiplications than oneDNN's direct convolution. Not bit-exact: the transforms add a
 * relative error of about 1e-5 (F(4x4)) or 5e-5 (NNPACK), invisible in 8-bit pixels.
 *
 * <p>Where: the bundled kernel from 32x32 output pixels up for convolutions with at least 128 input and output
 * channels: measured 2-3.5x faster than oneDNN for the UNet's 320-1280 channel convolutions at 32 and 64 px (batch 1
 * and 2) and the VAE decoder's at 64-512 px, no gain at 16 px, a loss at 8 px and for few channels (the weight
 * transform and the per-call set-up outweigh the products). So the UNet's two upper levels of a 512 px image and the
 * whole VAE decoder take it; never the tiny test model (at most 64 channels). NNPACK from 128x128 px up (the VAE at
 * 512 px and more). A bfloat16 run takes the kernel from 128x128 px up (see {@link #applies}).
 * {@code -Dinpaint.conv.winogradMinPixels=N} sets the pixel threshold, 0 turns Winograd off; so does a run with fused
 * ops off ({@link ComputeScope}).
 */
public final class Winograd {
    /** {@link #setMinPixels} value that restores the threshold of the path that runs here. */
    public static final long DEFAULT = -1;
    static final long KERNEL_MIN_PIXELS = 32L * 32L;
    static final long KERNEL_MIN_CHANNELS = 128;
    static final long NNPACK_MIN_PIXELS = 128L * 128L;
    static final long BF16_MIN_PIXELS = 128L * 128L;
    private static volatile long minPixels = Long.getLong("inpaint.conv.winogradMinPixels", DEFAULT);

    private Winograd() {}

    /** Output pixels (H x W) from which Winograd is used; 0 = never. */
    public static long minPixels() {
        long m = minPixels;
        return m >= 0 ? m : WinogradKernel.available() ? KERNEL_MIN_PIXELS : NNPACK_MIN_PIXELS;
    }

    /** Sets {@link #minPixels()}: 0 turns Winograd off, {@link #DEFAULT} restores the default. */
    public static void setMinPixels(long pixels) {
        minPixels = pixels;
    }

    /** Whether a Winograd convolution can run on this machine at all (the bundled kernel or NNPACK). */
    public static boolean runsHere() {
        return WinogradKernel.available() || TorchOps.nnpackAvailable();
    }

    /** From which output size a run in this format takes Winograd, for the bench, e.g. "from 1024 px". */
    public static String describeThreshold(boolean bf16) {
        if (!bf16) {
            return "from " + minPixels() + " px";
        }
        return WinogradKernel.available() ? "from " + Math.max(minPixels(), BF16_MIN_PIXELS) + " px in bf16"
                : "off in bf16 (NNPACK is float32 only)";
    }

    /** Which Winograd convolution runs here, for the bench. */
    public static String describe() {
        String kernel = "F(4x4,3x3) kernel " + WinogradKernel.describe();
        return WinogradKernel.available() ? kernel + ", from " + KERNEL_MIN_CHANNELS + " channels"
                : kernel + "; NNPACK " + (TorchOps.nnpackAvailable() ? "on" : "off (does not know this CPU)");
    }

    /**
     * Whether this conv of x (float32, or bfloat16 in a bf16 run) with weights w takes Winograd. A bfloat16 x takes the
     * kernel (which reads and writes bfloat16 and computes in float32) only from {@link #BF16_MIN_PIXELS} up: at the
     * VAE decoder's 128-512 px it beats libtorch's bf16 direct convolution 1.3-1.7x, at the UNet's 32-64 px not.
     * NNPACK takes float32 only.
     */
    static boolean applies(NDArray x, NDArray w, Shape stride, Shape padding) {
        return applies(x, TorchOps.isBf16(x), w, stride, padding);
    }

    /** {@link #applies(NDArray, NDArray, Shape, Shape)} when the caller already knows whether x is bfloat16. */
    static boolean applies(NDArray x, boolean bf16, NDArray w, Shape stride, Shape padding) {
        long min = minPixels();
        Shape xs = x.getShape();
        if (min <= 0 || xs.dimension() != 4 || !(bf16 || x.getDataType() == DataType.FLOAT32)) {
            return false;
        }
        Shape ws = w.getShape();
        if (ws.get(2) != 3 || ws.get(3) != 3 || stride.get(0) != 1 || stride.get(1) != 1 || padding.get(0) != 1
                || padding.get(1) != 1 || xs.get(2) * xs.get(3) < (bf16 ? Math.max(min, BF16_MIN_PIXELS) : min)
                || !ComputeScope.fusedOps()) {
            return false;
        }
        if (WinogradKernel.available()) {
            return ws.get(0) >= KERNEL_MIN_CHANNELS && ws.get(1) >= KERNEL_MIN_CHANNELS
                    && WinogradKernel.fits(xs, ws.get(0));
        }
        return !bf16 && TorchOps.nnpackAvailable();
    }

    /**
     * The convolution with float32 weights w and bias b (or null), in x's format ({@code bf16}: x is bfloat16, which
     * only the kernel takes), or null when the kernel could not get its scratch memory (the caller runs the direct
     * one).
     */
    static NDArray conv3x3(NDArray x, boolean bf16, NDArray w, NDArray b) {
        if (WinogradKernel.available()) {
            return WinogradKernel.conv3x3(x, bf16, w, b);
        }
        // NNPACK's entry takes a bias tensor: a bias-free conv (TAESD) gets zeros, made in the call's scope
        NDArray bias = b != null ? b : x.getManager().zeros(new Shape(w.getShape().get(0)), w.getDataType());
        return TorchOps.nnpackConv(x, w, bias, 1);
    }
}
