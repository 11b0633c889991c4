package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;

/**
 * One network parameter whose served value may be replaced by a derived array (a LoRA merge), while the original
 * (mapped from the checkpoint, read-only) is kept untouched: {@link #restore()} gives back exactly the original, and
 * a new merge is always computed from the original, never from a previous merge. Layers read {@link #current()} at
 * each use.
 */
public final class ParamSlot {
    private final String key;
    private final NDArray original;
    private volatile NDArray current;

    public ParamSlot(String key, NDArray original) {
        this.key = key;
        this.original = original;
        this.current = original;
    }

    /** The diffusers key of the parameter within its component (e.g. {@code mid_block.attentions.0.proj_in.weight}). */
    public String key() {
        return key;
    }

    public NDArray original() {
        return original;
    }

    /** What the layer uses now: the original, or a merged array derived from it. */
    public NDArray current() {
        return current;
    }

    public boolean isReplaced() {
        return current != original;
    }

    /** Serves {@code merged} (same shape and dtype as the original) from now on; frees a previous merged array. */
    public synchronized void replace(NDArray merged) {
        NDArray old = current;
        current = merged;
        if (old != original && old != merged) {
            old.close();
        }
    }

    /** Serves the original again (bit for bit) and frees the merged array. */
    public synchronized void restore() {
        replace(original);
    }
}
