package com.inpaintstudio.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Locale;

/**
 * Measures once per process whether bfloat16 is really faster than float32 on this CPU, on the two kinds of product
 * that dominate a UNet step: a 3x3 convolution (320 channels, 32x32, batch 2) and a linear layer (2 x 1024 tokens,
 * 320 -> 1280). Best of three after a warm-up, each format; bf16 wins when it takes under {@link #THRESHOLD} of the
 * float32 time, each product on the kernel the model's layers use (the fp32 convolution through {@link WinogradKernel}
 * where it runs). About a second on a CPU with native bf16; only
 * asked for there (see {@link PrecisionChoice}).
 */
public final class Bf16Gain {
    /** bf16 must take less than this share of the fp32 time to count as a real gain. */
    public static final double THRESHOLD = 0.8;
    private static volatile double ratio = Double.NaN;

    private Bf16Gain() {}

    /** Whether bf16 measured faster by a real margin (measures on the first call). */
    public static synchronized boolean faster() {
        if (Double.isNaN(ratio)) {
            ratio = measure();
        }
        return ratio < THRESHOLD;
    }

    /** The measured bf16/fp32 time ratio as text, or "not measured". */
    public static String describe() {
        double r = ratio;
        return Double.isNaN(r) ? "not measured"
                : String.format(Locale.ROOT, "bf16 took %.2fx the fp32 time in a conv + linear probe", r);
    }

    private static double measure() {
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray x = m.randomNormal(new Shape(2, 320, 32, 32));
            NDArray w = m.randomNormal(new Shape(320, 320, 3, 3)).muli(0.02f);
            NDArray t = m.randomNormal(new Shape(2, 1024, 320));
            NDArray lw = m.randomNormal(new Shape(1280, 320)).muli(0.05f);
            double f32 = best(x, w, t, lw);
            NDArray xb = TorchOps.toBf16(x);
            NDArray wb = TorchOps.toBf16(w);
            NDArray tb = TorchOps.toBf16(t);
            NDArray lwb = TorchOps.toBf16(lw);
            double bf16 = best(xb, wb, tb, lwb);
            return bf16 / f32;
        } catch (RuntimeException e) {
            return Double.POSITIVE_INFINITY; // bf16 did not run: not a gain
        }
    }

    /**
     * The linear layer as {@code nn.layers.Linear} runs it: float32 through oneDNN where it loads (libtorch's default
     * float32 GEMM is MKL, several times slower on AMD CPUs, which would flatter bf16), bf16 through libtorch's own.
     */
    private static NDArray linear(NDArray t, NDArray lw) {
        if (!TorchOps.isBf16(t) && TorchOps.onednnLinearAvailable()) {
            return TorchOps.onednnLinear(t, lw, null);
        }
        return ai.djl.nn.core.Linear.linear(t, lw).singletonOrThrow();
    }

    /**
     * The convolution as {@code nn.layers.Conv2d} runs this shape: float32 through the Winograd kernel where it loads
     * (it takes 320 channels at 32x32), bf16 through libtorch's own.
     */
    private static NDArray conv(NDArray x, NDArray w, Shape one) {
        if (!TorchOps.isBf16(x) && WinogradKernel.available()) {
            NDArray y = WinogradKernel.conv3x3(x, false, w, null);
            if (y != null) {
                return y;
            }
        }
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, null, one, one, one, 1).singletonOrThrow();
    }

    private static double best(NDArray x, NDArray w, NDArray t, NDArray lw) {
        Shape one = new Shape(1, 1);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            long start = System.nanoTime();
            conv(x, w, one).close();
            linear(t, lw).close();
            long took = System.nanoTime() - start;
            if (i > 0) {
                best = Math.min(best, took);
            }
        }
        return best;
    }
}
