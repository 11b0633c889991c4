package com.inpaintstudio.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.prefs.AbstractPreferences;

/** Preferences held in a map: lets the side panel's save/load write the autosaved session's settings. */
final class MapPreferences extends AbstractPreferences {
    private final Map<String, String> values;

    MapPreferences(Map<String, String> values) {
        super(null, "");
        this.values = values;
    }

    MapPreferences() {
        this(new LinkedHashMap<>());
    }

    Map<String, String> values() {
        return values;
    }

    @Override
    protected void putSpi(String key, String value) {
        values.put(key, value);
    }

    @Override
    protected String getSpi(String key) {
        return values.get(key);
    }

    @Override
    protected void removeSpi(String key) {
        values.remove(key);
    }

    @Override
    protected void removeNodeSpi() {
        values.clear();
    }

    @Override
    protected String[] keysSpi() {
        return values.keySet().toArray(new String[0]);
    }

    @Override
    protected String[] childrenNamesSpi() {
        return new String[0];
    }

    @Override
    protected AbstractPreferences childSpi(String name) {
        throw new UnsupportedOperationException("no child nodes");
    }

    @Override
    protected void syncSpi() { }

    @Override
    protected void flushSpi() { }
}
