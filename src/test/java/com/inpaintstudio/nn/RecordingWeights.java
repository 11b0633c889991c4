package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.inpaintstudio.model.Weights;

import java.util.LinkedHashSet;
import java.util.Set;

/** Test weights that pass through to another source and record which keys the network asked for. */
final class RecordingWeights implements Weights {
    private final Weights inner;
    final Set<String> requested = new LinkedHashSet<>();

    RecordingWeights(Weights inner) {
        this.inner = inner;
    }

    @Override
    public NDArray get(String key, long... expectedShape) {
        requested.add(key);
        return inner.get(key, expectedShape);
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
}
