package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Weights} that remembers every parameter a layer took as a {@link ParamSlot} (the ones a LoRA may change:
 * linear and convolution weights), by full key, so a LoRA loader can find them after the network is built.
 */
public final class SlotRegistry implements Weights {
    private final Weights inner;
    private final Map<String, ParamSlot> slots = new LinkedHashMap<>();

    public SlotRegistry(Weights inner) {
        this.inner = inner;
    }

    @Override
    public NDArray get(String key, long... expectedShape) {
        return inner.get(key, expectedShape);
    }

    @Override
    public synchronized ParamSlot slot(String key, long... expectedShape) {
        return slots.computeIfAbsent(key, k -> new ParamSlot(k, inner.get(k, expectedShape)));
    }

    @Override
    public boolean contains(String key) {
        return inner.contains(key);
    }

    @Override
    public Set<String> keys() {
        return inner.keys();
    }

    @Override
    public NDManager manager() {
        return inner.manager();
    }

    /** Full key -> slot, in build order. */
    public synchronized Map<String, ParamSlot> slots() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(slots));
    }
}
