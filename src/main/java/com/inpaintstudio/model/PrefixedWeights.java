package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Set;
import java.util.stream.Collectors;

/** A view of another {@link Weights} under a key prefix. */
final class PrefixedWeights implements Weights {
    private final Weights inner;
    private final String prefix;

    PrefixedWeights(Weights inner, String prefix) {
        this.inner = inner;
        this.prefix = prefix;
    }

    @Override
    public NDArray get(String key, long... expectedShape) {
        return inner.get(prefix + key, expectedShape);
    }

    @Override
    public ParamSlot slot(String key, long... expectedShape) {
        return inner.slot(prefix + key, expectedShape);
    }

    @Override
    public boolean contains(String key) {
        return inner.contains(prefix + key);
    }

    @Override
    public Set<String> keys() {
        return inner.keys().stream().filter(k -> k.startsWith(prefix)).map(k -> k.substring(prefix.length()))
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public NDManager manager() {
        return inner.manager();
    }
}
