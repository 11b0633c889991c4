package com.inpaintstudio.nn;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.inpaintstudio.model.ModelFormatException;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of a diffusers {@code config.json}: defaults as diffusers' constructors have them, per-block values
 * given either as one number or as a list, and a clear message for a missing or unsupported key.
 */
public final class ModelConfig {
    private final JsonObject json;
    private final String what;

    /** {@code what} names the component in messages, e.g. "UNet config.json". */
    public ModelConfig(JsonObject json, String what) {
        if (json == null) {
            throw new ModelFormatException(what + " is missing");
        }
        this.json = json;
        this.what = what;
    }

    public boolean has(String key) {
        JsonElement e = json.get(key);
        return e != null && !e.isJsonNull();
    }

    /** The raw JSON value of a present key. */
    public JsonElement raw(String key) {
        return element(key);
    }

    public int getInt(String key) {
        return element(key).getAsInt();
    }

    public int getInt(String key, int def) {
        return has(key) ? getInt(key) : def;
    }

    public double getDouble(String key, double def) {
        return has(key) ? json.get(key).getAsDouble() : def;
    }

    public boolean getBoolean(String key, boolean def) {
        return has(key) ? json.get(key).getAsBoolean() : def;
    }

    public String getString(String key, String def) {
        return has(key) ? json.get(key).getAsString() : def;
    }

    public List<String> getStrings(String key) {
        JsonElement e = element(key);
        if (!e.isJsonArray()) {
            throw bad(key, "a list of names");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            out.add(x.getAsString());
        }
        return out;
    }

    public int[] getInts(String key) {
        JsonElement e = element(key);
        if (!e.isJsonArray()) {
            throw bad(key, "a list of numbers");
        }
        JsonArray a = e.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    /** A per-block value given as one number (repeated) or as a list of {@code n} numbers; {@code def} if absent. */
    public int[] getPerBlock(String key, int n, Integer def) {
        if (!has(key)) {
            if (def == null) {
                throw new ModelFormatException(what + " lacks '" + key + "'");
            }
            return repeat(def, n);
        }
        JsonElement e = json.get(key);
        if (e.isJsonArray()) {
            int[] v = getInts(key);
            if (v.length != n) {
                throw new ModelFormatException(what + ": '" + key + "' has " + v.length + " entries but the model has "
                        + n + " blocks");
            }
            return v;
        }
        return repeat(e.getAsInt(), n);
    }

    /** Fails with a clear message unless {@code key} is absent, null or equal to {@code allowed}. */
    public void requireDefault(String key, Object allowed, String feature) {
        if (!has(key)) {
            return;
        }
        JsonElement e = json.get(key);
        boolean ok = allowed != null && (allowed instanceof Number n
                ? e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() && e.getAsDouble() == n.doubleValue()
                : allowed instanceof Boolean b ? e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean() == b
                : e.isJsonPrimitive() && e.getAsString().equals(allowed.toString()));
        if (!ok) {
            throw unsupported(key + "=" + e, feature);
        }
    }

    public ModelFormatException unsupported(String setting, String feature) {
        return new ModelFormatException(what + " uses " + setting + " (" + feature + "), which Inpaint Studio does not "
                + "support; use a Stable Diffusion 1.x or 2.x (inpainting) model");
    }

    private JsonElement element(String key) {
        if (!has(key)) {
            throw new ModelFormatException(what + " lacks '" + key + "'; the model folder is incomplete or not a "
                    + "diffusers model");
        }
        return json.get(key);
    }

    private ModelFormatException bad(String key, String expected) {
        return new ModelFormatException(what + ": '" + key + "' should be " + expected + " but is " + json.get(key));
    }

    private static int[] repeat(int v, int n) {
        int[] out = new int[n];
        java.util.Arrays.fill(out, v);
        return out;
    }
}
