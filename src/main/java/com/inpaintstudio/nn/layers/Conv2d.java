package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.ParamSlot;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.tensor.ComputeScope;
import com.inpaintstudio.tensor.TorchOps;

/** {@code torch.nn.Conv2d} with square kernel, stride and symmetric zero padding, with or without bias. */
public final class Conv2d {
    private static final Shape DILATION = new Shape(1, 1);
    private final ParamSlot weight;
    private final NDArray bias;
    private final Shape stride;
    private final Shape padding;
    private final int outChannels;

    private Conv2d(ParamSlot weight, NDArray bias, int stride, int padding, int outChannels) {
        this.weight = weight;
        this.bias = bias;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        this.outChannels = outChannels;
    }

    /** Reads {@code prefix.weight} (out, in, k, k) and {@code prefix.bias} (out). */
    public static Conv2d load(Weights w, String prefix, int in, int out, int kernel, int stride, int padding) {
        return new Conv2d(w.slot(prefix + ".weight", out, in, kernel, kernel), w.get(prefix + ".bias", out), stride,
                padding, out);
    }

    /** A conv built with {@code bias=False}: reads only {@code prefix.weight}. */
    public static Conv2d loadNoBias(Weights w, String prefix, int in, int out, int kernel, int stride, int padding) {
        return new Conv2d(w.slot(prefix + ".weight", out, in, kernel, kernel), null, stride, padding, out);
    }

    public int outChannels() {
        return outChannels;
    }

    /**
     * This stride-1 conv through oneDNN on a channels-last {@code x} (see {@link TorchOps#onednnConv}),
     * ReLU fused when {@code relu}; the result is channels-last. Callers check
     * {@link TorchOps#onednnAvailable()} first.
     */
    public NDArray forwardChannelsLast(NDArray x, boolean relu) {
        return fused(x, null, relu);
    }

    /** {@code relu(conv(x) + other)} in one oneDNN call, channels-last as {@link #forwardChannelsLast}. */
    public NDArray forwardChannelsLastAddRelu(NDArray x, NDArray other) {
        return fused(x, other, true);
    }

    private NDArray fused(NDArray x, NDArray other, boolean relu) {
        if (stride.get(0) != 1 || stride.get(1) != 1) {
            throw new IllegalStateException("the oneDNN path takes stride-1 convolutions only");
        }
        NDArray stored = weight.current();
        boolean bf16 = TorchOps.isBf16(x); // a bf16 TAESD decode: weights and bias follow the input
        NDArray w = Param.forInput(stored, bf16, x.getManager());
        NDArray b = bias != null ? Param.forInput(bias, bf16, x.getManager()) : zeroBias(x, bf16);
        try {
            int pad = (int) padding.get(0);
            return other == null ? TorchOps.onednnConv(x, w, b, pad, relu)
                    : TorchOps.onednnConvAddRelu(x, other, w, b, pad);
        } finally {
            Param.release(w, stored);
            if (bias != null) {
                Param.release(b, bias);
            } else {
                b.close();
            }
        }
    }

    /**
     * libtorch 2.7's oneDNN bf16 convolution on plain (NCHW) input gives wrong results on CPUs with native bf16
     * (AVX-512 BF16) when the kernel is larger than 1x1 and the output channels are not a multiple of 16: ~25 %
     * relative error at 3 or 4 channels (the UNet's and VAE's conv_out), while the channels-last kernels are right
     * (see Bf16ConvTest). Such convs take the channels-last kernel.
     */
    static boolean needsChannelsLastBf16(NDArray w) {
        Shape ws = w.getShape();
        return ws.get(0) % 16 != 0 && (ws.get(2) > 1 || ws.get(3) > 1);
    }

    private NDArray channelsLastBf16(NDArray x, NDArray w, NDArray b) {
        NDArray xl = TorchOps.channelsLast(x);
        try (NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(xl, w, b, stride, padding, DILATION, 1)
                .singletonOrThrow()) {
            return TorchOps.contiguous(y); // a plain-layout copy: the next layers expect NCHW memory
        } finally {
            xl.close();
        }
    }

    private NDArray zeroBias(NDArray x, boolean bf16) {
        NDArray zeros = x.getManager().zeros(new Shape(outChannels), DataType.FLOAT32);
        if (!bf16) {
            return zeros;
        }
        NDArray narrow = TorchOps.toBf16(zeros);
        zeros.close();
        return narrow;
    }

    public NDArray forward(NDArray x) {
        NDArray stored = weight.current(); // the original or a LoRA-merged array
        boolean bf16 = TorchOps.isBf16(x); // asked once: a native call for every bf16 array
        if (Winograd.applies(x, bf16, stored, stride, padding)) {
            NDArray y = winograd(x, bf16, stored);
            if (y != null) {
                return y;
            }
        }
        // weights follow the input: bf16 inside a bf16 UNet/VAE, else float32
        NDArray w = Param.forInput(stored, bf16, x.getManager());
        NDArray b = Param.forInput(bias, bf16, x.getManager());
        try {
            if (bf16) {
                ComputeScope.record(ComputeScope.Path.BF16_PRODUCT);
                if (needsChannelsLastBf16(w)) {
                    return channelsLastBf16(x, w, b);
                }
            }
            return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, stride, padding, DILATION, 1).singletonOrThrow();
        } finally {
            Param.release(w, stored);
            Param.release(b, bias);
        }
    }

    /** The Winograd convolution of x (float32 or bf16) with float32 weights, or null (see {@link Winograd#conv3x3}). */
    private NDArray winograd(NDArray x, boolean bf16, NDArray stored) {
        NDArray w = Param.f32(stored, x.getManager());
        NDArray b = Param.f32(bias, x.getManager());
        try {
            NDArray y = Winograd.conv3x3(x, bf16, w, b);
            if (y != null) {
                ComputeScope.record(ComputeScope.Path.CONV_WINOGRAD);
            }
            return y;
        } finally {
            Param.release(w, stored);
            Param.release(b, bias);
        }
    }
}
