package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Parameters read from one or more safetensors files, optionally under a key mapping (single-file checkpoints use
 * another key layout: {@code keyMap} turns a diffusers key into the file's key). Each parameter is loaded once,
 * on first request, into the weights manager.
 */
public final class SafetensorsWeights implements Weights {
    private final List<SafetensorsFile> files;
    private final NDManager manager;
    private final UnaryOperator<String> keyMap;
    private final boolean keepHalf;
    private final Map<String, NDArray> loaded = new HashMap<>();
    private final Map<String, SafetensorsFile> index = new LinkedHashMap<>();

    public SafetensorsWeights(List<SafetensorsFile> files, NDManager manager) {
        this(files, manager, UnaryOperator.identity());
    }

    public SafetensorsWeights(List<SafetensorsFile> files, NDManager manager, UnaryOperator<String> keyMap) {
        this(files, manager, keyMap, false);
    }

    /**
     * With {@code keepHalf}, F16 tensors are served as F16 (mapped, half the memory); the network layers upcast each
     * parameter per use. Without it every float tensor is served as F32.
     */
    public SafetensorsWeights(List<SafetensorsFile> files, NDManager manager, UnaryOperator<String> keyMap,
                              boolean keepHalf) {
        this.keepHalf = keepHalf;
        this.files = List.copyOf(files);
        this.manager = manager;
        this.keyMap = keyMap;
        for (SafetensorsFile f : files) {
            for (String k : f.tensors().keySet()) {
                index.putIfAbsent(k, f);
            }
        }
    }

    @Override
    public synchronized NDArray get(String key, long... expectedShape) {
        NDArray a = loaded.get(key);
        if (a == null) {
            String fileKey = keyMap.apply(key);
            SafetensorsFile f = index.get(fileKey);
            if (f == null) {
                throw new ModelFormatException("Weight '" + fileKey + "' is missing from " + describe()
                        + "; the weights do not match the model's config.json (wrong or incomplete model?)");
            }
            a = f.load(fileKey, manager, keepHalf);
            if (!a.getDataType().isFloating() && expectedShape.length > 0) {
                // integer tensors (e.g. position_ids) are used as they are
            }
            loaded.put(key, a);
        }
        if (expectedShape.length > 0 && !Arrays.equals(a.getShape().getShape(), expectedShape)) {
            throw new ModelFormatException("Weight '" + keyMap.apply(key) + "' in " + describe() + " has shape "
                    + a.getShape() + " but the model's config.json implies " + Arrays.toString(expectedShape)
                    + "; config.json and the weights belong to different models");
        }
        return a;
    }

    @Override
    public boolean contains(String key) {
        return index.containsKey(keyMap.apply(key));
    }

    @Override
    public Set<String> keys() {
        return index.keySet();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    private String describe() {
        return files.size() == 1 ? files.get(0).path().toString() : files.stream().map(f -> f.path().getFileName().toString()).toList().toString();
    }
}
