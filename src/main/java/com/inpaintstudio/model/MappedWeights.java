package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One component of a single-file checkpoint under diffusers keys: a {@link SafetensorsWeights} reading through a
 * diffusers key -> file key map, plus the reshape of weights the original layout stores as 1x1 convolutions
 * (C, C, 1, 1) where diffusers uses linear layers (C, C), and the split of fused attention projections (OpenCLIP's
 * {@code in_proj_weight}, 3C x C) into q, k, v. Reshapes and slices are views of one loaded tensor; the mapped
 * memory is never written.
 */
final class MappedWeights implements Weights {
    private final SafetensorsWeights inner;
    private final Map<String, String> keyMap;
    private final Set<String> squeeze;
    private final Map<String, Integer> qkvPart;
    private final SafetensorsFile file;
    private final Map<String, NDArray> reshaped = new HashMap<>();
    private final Map<String, NDArray> fused = new HashMap<>();

    /**
     * @param keyMap  diffusers key -> file key
     * @param squeeze diffusers keys whose (C, C, 1, 1) tensor is served as (C, C)
     */
    MappedWeights(SafetensorsFile file, NDManager manager, Map<String, String> keyMap, Set<String> squeeze) {
        this(file, manager, keyMap, squeeze, Map.of());
    }

    /** @param qkvPart diffusers keys served as third 0, 1 or 2 (along the first axis) of their fused file tensor */
    MappedWeights(SafetensorsFile file, NDManager manager, Map<String, String> keyMap, Set<String> squeeze,
                  Map<String, Integer> qkvPart) {
        this.file = file;
        this.keyMap = Map.copyOf(keyMap);
        this.squeeze = Set.copyOf(squeeze);
        this.qkvPart = Map.copyOf(qkvPart);
        this.inner = new SafetensorsWeights(List.of(file), manager, k -> {
            String fk = this.keyMap.get(k);
            return fk == null ? "<no checkpoint weight for diffusers key " + k + ">" : fk;
        }, true);
    }

    @Override
    public synchronized NDArray get(String key, long... expectedShape) {
        if (!squeeze.contains(key) && !qkvPart.containsKey(key)) {
            return inner.get(key, expectedShape);
        }
        NDArray a = reshaped.get(key);
        if (a == null && qkvPart.containsKey(key)) {
            String fk = keyMap.get(key);
            NDArray all = fused.computeIfAbsent(fk, k -> file.load(k, inner.manager(), true));
            long rows = all.getShape().get(0) / 3;
            int part = qkvPart.get(key);
            a = all.get(new NDIndex((part * rows) + ":" + ((part + 1) * rows)));
            reshaped.put(key, a);
        } else if (a == null) {
            NDArray conv = inner.get(key);
            long[] s = conv.getShape().getShape();
            a = s.length == 4 && s[2] == 1 && s[3] == 1 ? conv.reshape(s[0], s[1]) : conv;
            reshaped.put(key, a);
        }
        if (expectedShape.length > 0 && !Arrays.equals(a.getShape().getShape(), expectedShape)) {
            throw new ModelFormatException("Weight '" + keyMap.get(key) + "' has shape " + a.getShape()
                    + " but the model's config implies " + Arrays.toString(expectedShape) + "; the checkpoint is broken");
        }
        return a;
    }

    @Override
    public boolean contains(String key) {
        return keyMap.containsKey(key);
    }

    /** Diffusers keys. */
    @Override
    public Set<String> keys() {
        return keyMap.keySet();
    }

    @Override
    public NDManager manager() {
        return inner.manager();
    }
}
