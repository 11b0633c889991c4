package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.Weights;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Test weights that record every requested key and shape and hand out a zero-stride view of one scalar: builds a
 * full-size architecture with almost no memory, to check its structure and parameter count.
 */
final class ShapeOnlyWeights implements Weights {
    private final NDManager manager;
    private final NDArray zero;
    final Map<String, long[]> requested = new LinkedHashMap<>();

    ShapeOnlyWeights(NDManager manager) {
        this.manager = manager;
        this.zero = manager.zeros(new Shape(1));
    }

    @Override
    public NDArray get(String key, long... expectedShape) {
        long[] prev = requested.putIfAbsent(key, expectedShape.clone());
        if (prev != null && !java.util.Arrays.equals(prev, expectedShape)) {
            throw new AssertionError(key + " requested with two shapes");
        }
        return zero.reshape(new Shape(java.util.Collections.nCopies(expectedShape.length, 1L).stream()
                .mapToLong(Long::longValue).toArray())).broadcast(new Shape(expectedShape));
    }

    long parameterCount() {
        return requested.values().stream().mapToLong(s -> new Shape(s).size()).sum();
    }

    @Override
    public boolean contains(String key) {
        return true;
    }

    @Override
    public Set<String> keys() {
        return requested.keySet();
    }

    @Override
    public NDManager manager() {
        return manager;
    }
}
