package com.inpaintstudio.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * Catches values in a component's {@code config.json} that no real model has and that would build a wrong network
 * silently: NaN or infinite numbers anywhere, and sizes and counts ({@code *_channels}, {@code *_dim},
 * {@code layers_per_block}, {@code norm_num_groups}, {@code num_*}) that are not positive or absurdly large.
 */
final class ConfigSanity {
    private static final double MAX_SIZE = 1 << 20;

    private ConfigSanity() {}

    static void check(String rel, JsonObject config, List<String> problems) {
        for (Map.Entry<String, JsonElement> e : config.entrySet()) {
            check(rel, e.getKey(), e.getValue(), problems);
        }
    }

    private static void check(String rel, String key, JsonElement v, List<String> problems) {
        if (v.isJsonArray()) {
            JsonArray a = v.getAsJsonArray();
            for (JsonElement x : a) {
                check(rel, key, x, problems);
            }
            return;
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
            return;
        }
        double d = v.getAsDouble();
        if (!Double.isFinite(d)) {
            problems.add(rel + ": '" + key + "' is " + d + ", not a number a model can have");
        } else if (isSize(key) && (d <= 0 || d > MAX_SIZE)) {
            problems.add(rel + ": '" + key + "' is " + v + ", not a valid size");
        }
    }

    private static boolean isSize(String key) {
        return key.endsWith("_channels") || key.endsWith("_dim") || key.equals("layers_per_block")
                || key.equals("norm_num_groups") || key.startsWith("num_") || key.endsWith("_size")
                && !key.equals("vocab_size");
    }
}
