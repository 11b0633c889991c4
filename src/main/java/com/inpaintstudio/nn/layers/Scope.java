package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.function.UnaryOperator;

/**
 * Runs one layer's arithmetic in a sub-manager of its input's manager. Every op result belongs to its first
 * operand's manager, so with the input temporarily attached to the sub-manager all temporaries land there and are
 * freed when the layer returns; only the result is moved to the caller's manager.
 */
public final class Scope {
    private Scope() {}

    public static NDArray run(NDArray input, UnaryOperator<NDArray> body) {
        NDManager parent = input.getManager();
        try (NDManager sub = parent.newSubManager()) {
            input.tempAttach(sub);
            NDArray out = body.apply(input);
            out.attach(parent);
            return out;
        }
    }
}
