package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.ParamSlot;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.tensor.ComputeScope;
import com.inpaintstudio.tensor.TorchOps;

/** {@code torch.nn.Linear} over the last axis; a 1x1 convolution's weight can be read as one too. */
public final class Linear {
    private final ParamSlot weight;
    private final NDArray bias;
    /** (out, in) when the stored weight is a 1x1 convolution's (out, in, 1, 1); null when stored as (out, in). */
    private final Shape matrixShape;

    private Linear(ParamSlot weight, NDArray bias, Shape matrixShape) {
        this.weight = weight;
        this.bias = bias;
        this.matrixShape = matrixShape;
    }

    public static Linear load(Weights w, String prefix, int in, int out, boolean bias) {
        return new Linear(w.slot(prefix + ".weight", out, in), bias ? w.get(prefix + ".bias", out) : null, null);
    }

    /** A 1x1 {@code Conv2d} (weight (out, in, 1, 1)) applied to channels-last tokens: the same arithmetic. */
    public static Linear loadPointwiseConv(Weights w, String prefix, int in, int out) {
        return new Linear(w.slot(prefix + ".weight", out, in, 1, 1), w.get(prefix + ".bias", out), new Shape(out, in));
    }

    public NDArray forward(NDArray x) {
        // the slot's current value: the original or a LoRA-merged array (read at each use)
        NDArray stored = weight.current();
        boolean bf16 = TorchOps.isBf16(x); // weights follow the input: bf16 inside a bf16 UNet/VAE, else float32
        NDArray w = Param.forInput(stored, bf16, x.getManager());
        NDArray b = Param.forInput(bias, bf16, x.getManager());
        if (bf16) {
            ComputeScope.record(ComputeScope.Path.BF16_PRODUCT);
        }
        NDArray matrix = w;
        if (matrixShape != null) {
            matrix = w.reshape(matrixShape); // a view, scoped to this call
            matrix.attach(x.getManager());
        }
        try {
            if (!bf16 && ComputeScope.fusedOps() && TorchOps.onednnLinearAvailable()) {
                // float32 through oneDNN: 2-3x libtorch's MKL GEMM on AMD CPUs (bf16 already goes to oneDNN)
                ComputeScope.record(ComputeScope.Path.LINEAR_ONEDNN);
                return TorchOps.onednnLinear(x, matrix, b);
            }
            return b == null
                    ? ai.djl.nn.core.Linear.linear(x, matrix).singletonOrThrow()
                    : ai.djl.nn.core.Linear.linear(x, matrix, b).singletonOrThrow();
        } finally {
            if (matrix != w) {
                matrix.close();
            }
            Param.release(w, stored);
            Param.release(b, bias);
        }
    }
}
