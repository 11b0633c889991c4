package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Random parameters of whatever shape the network asks for: builds the full-size architecture without a download,
 * for speed and memory benchmarks. F32, or F16 in half mode. Weights are N(0, 0.02); norm scales ({@code *norm*.weight}) are 1.
 */
public final class RandomWeights implements Weights {
    private final NDManager manager;
    private final Map<String, NDArray> made = new HashMap<>();
    private final boolean half;

    /** F32 parameters. */
    public RandomWeights(NDManager manager) {
        this(manager, false);
    }

    /** With {@code half}, parameters are F16, as a downloaded fp16 checkpoint serves them. */
    public RandomWeights(NDManager manager, boolean half) {
        this.manager = manager;
        this.half = half;
    }

    @Override
    public synchronized NDArray get(String key, long... expectedShape) {
        return made.computeIfAbsent(key, k -> half ? toHalf(make(k, expectedShape)) : make(k, expectedShape));
    }

    private static NDArray toHalf(NDArray f) {
        NDArray h = f.toType(ai.djl.ndarray.types.DataType.FLOAT16, false);
        f.close();
        return h;
    }

    private NDArray make(String k, long... expectedShape) {
        Shape s = new Shape(expectedShape);
        boolean norm = k.contains("norm") && k.endsWith(".weight");
        if (norm) {
            return manager.ones(s);
        }
        if (k.endsWith(".bias")) {
            return manager.zeros(s);
        }
        return manager.randomNormal(0f, 0.02f, s, ai.djl.ndarray.types.DataType.FLOAT32);
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
