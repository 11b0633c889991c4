package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;

/**
 * Sees intermediate outputs of a network during a forward pass (for parity debugging against diffusers' forward
 * hooks). The array is only valid during the call: copy what you need.
 */
@FunctionalInterface
public interface Probe {
    Probe NONE = (name, value) -> { };

    void accept(String name, NDArray value);
}
