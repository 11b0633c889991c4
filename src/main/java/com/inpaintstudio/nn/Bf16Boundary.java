package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.inpaintstudio.tensor.TorchOps;

/**
 * Where a bfloat16 network meets float32 code. DJL cannot hold a bfloat16 array in Java (reading one aborts the
 * JVM), so the UNet and the VAE convert their inputs here on the way in and their outputs on the way out, and a
 * probe only ever sees float32 copies.
 */
final class Bf16Boundary {
    private Bf16Boundary() {}

    /** A bfloat16 copy of {@code x} owned by {@code scope}; {@code x} is left as it is. */
    static NDArray narrow(NDArray x, NDManager scope) {
        NDArray b = TorchOps.toBf16(x);
        b.attach(scope);
        return b;
    }

    /** A float32 copy of the bfloat16 {@code x}, owned by {@code scope}; {@code x} is closed. */
    static NDArray widen(NDArray x, NDManager scope) {
        NDArray f = TorchOps.toF32(x);
        f.attach(scope);
        x.close();
        return f;
    }

    /** {@code probe} handed float32 copies of the bfloat16 intermediates (freed after each call). */
    static Probe widening(Probe probe) {
        if (probe == Probe.NONE) {
            return probe;
        }
        return (name, value) -> {
            if (!TorchOps.isBf16(value)) {
                probe.accept(name, value);
                return;
            }
            try (NDArray f = TorchOps.toF32(value)) {
                probe.accept(name, f);
            }
        };
    }
}
