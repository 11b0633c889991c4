package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Random parameters of whatever shape the network asks for: builds the full-size architecture without a download,
 * for speed and memory benchmarks. Weights are N(0, 0.02); norm scales ({@code *norm*.weight}) are 1.
 */
public final class RandomWeights implements Weights {
    private final NDManager manager;
    private final Map<String, NDArray> made = new HashMap<>();

    public RandomWeights(NDManager manager) {
        this.manager = manager;
    }

    @Override
    public synchronized NDArray get(String key, long... expectedShape) {
        return made.computeIfAbsent(key, k -> {
            Shape s = new Shape(expectedShape);
            boolean norm = k.contains("norm") && k.endsWith(".weight");
            if (norm) {
                return manager.ones(s);
            }
            if (k.endsWith(".bias")) {
                return manager.zeros(s);
            }
            return manager.randomNormal(0f, 0.02f, s, ai.djl.ndarray.types.DataType.FLOAT32);
        });
    }

    @Override
    public boolean contains(String key) {
        return true;
    }

    @Override
    public Set<String> keys() {
        return made.keySet();
    }

    @Override
    public NDManager manager() {
        return manager;
    }
}
