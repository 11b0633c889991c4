package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Set;

/**
 * Where network code gets its parameters, by diffusers key (e.g. {@code conv_in.weight}). The network asks with the
 * shape it expects, so a mismatched checkpoint fails with a clear message, and a random-weight source can build the
 * full-size architecture for benchmarks. All arrays live in {@link #manager()}, the long-lived weights manager.
 */
public interface Weights {
    /**
     * The parameter {@code key}, checked against {@code expectedShape}: F32, or F16 where the source keeps half
     * precision (an fp16 checkpoint, {@link RandomWeights} in fp16 mode). Layers upcast per use
     * ({@code nn.layers.Param}); never write to it.
     */
    NDArray get(String key, long... expectedShape);

    boolean contains(String key);

    Set<String> keys();

    /** The long-lived manager that owns every parameter. */
    NDManager manager();

    /**
     * The parameter {@code key} as a {@link ParamSlot}, for weights a LoRA may change (linear and convolution
     * weights). A {@link SlotRegistry} remembers it under its full key; other sources hand out an untracked slot.
     */
    default ParamSlot slot(String key, long... expectedShape) {
        return new ParamSlot(key, get(key, expectedShape));
    }

    /** A view in which {@code get("x")} reads {@code prefix + "x"}. */
    default Weights prefixed(String prefix) {
        return new PrefixedWeights(this, prefix);
    }
}
