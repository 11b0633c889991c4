package com.inpaintstudio.scheduler;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.HashSet;
import java.util.Set;

/**
 * A {@code scheduler_config.json} read the way diffusers' {@code from_config} reads it: a key the file lacks (or lists
 * in {@code _use_default_values}, or sets to null) takes the default of the scheduler being built.
 */
final class SchedulerConfig {
    private final JsonObject json;
    private final Set<String> useDefaults = new HashSet<>();

    SchedulerConfig(JsonObject json) {
        this.json = json == null ? new JsonObject() : json;
        JsonElement d = this.json.get("_use_default_values");
        if (d != null && d.isJsonArray()) {
            for (JsonElement e : d.getAsJsonArray()) {
                useDefaults.add(e.getAsString());
            }
        }
    }

    /** This config with {@code key} set to {@code value} (a {@code from_config} override). */
    SchedulerConfig with(String key, boolean value) {
        JsonObject copy = json.deepCopy();
        copy.addProperty(key, value);
        SchedulerConfig c = new SchedulerConfig(copy);
        c.useDefaults.remove(key);
        return c;
    }

    /** The {@code _class_name} entry, or null. */
    String className() {
        JsonElement e = json.get("_class_name");
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private JsonElement value(String key) {
        if (useDefaults.contains(key)) {
            return null;
        }
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? null : e;
    }

    String string(String key, String def) {
        JsonElement e = value(key);
        return e == null ? def : e.getAsString();
    }

    double number(String key, double def) {
        JsonElement e = value(key);
        return e == null ? def : e.getAsDouble();
    }

    int integer(String key, int def) {
        JsonElement e = value(key);
        return e == null ? def : e.getAsInt();
    }

    boolean bool(String key, boolean def) {
        JsonElement e = value(key);
        return e == null ? def : e.getAsBoolean();
    }

    /** A list of numbers ({@code trained_betas}), or null. */
    double[] numbers(String key) {
        JsonElement e = value(key);
        if (e == null || !e.isJsonArray()) {
            return null;
        }
        JsonArray a = e.getAsJsonArray();
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    /** A string that must be one of {@code allowed}; anything else is a clear configuration error. */
    String choice(String key, String def, String... allowed) {
        String v = string(key, def);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new IllegalArgumentException("scheduler_config.json: " + key + " \"" + v + "\" is not supported; use one of "
                + String.join(", ", allowed));
    }
}
