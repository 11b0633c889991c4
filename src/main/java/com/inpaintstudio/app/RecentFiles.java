package com.inpaintstudio.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/** The last opened files, newest first, kept in the preferences. */
public final class RecentFiles {
    private static final int MAX = 10;
    private static final String KEY = "recentFiles";
    private final Preferences prefs;

    public RecentFiles(Preferences prefs) {
        this.prefs = prefs;
    }

    public List<Path> list() {
        List<Path> out = new ArrayList<>();
        for (String s : prefs.get(KEY, "").split("\n")) {
            if (!s.isBlank()) {
                out.add(Path.of(s));
            }
        }
        return out;
    }

    public void add(Path p) {
        List<Path> l = list();
        Path abs = p.toAbsolutePath().normalize();
        l.remove(abs);
        l.add(0, abs);
        while (l.size() > MAX) {
            l.remove(l.size() - 1);
        }
        StringBuilder sb = new StringBuilder();
        for (Path x : l) {
            sb.append(x).append('\n');
        }
        prefs.put(KEY, sb.toString());
    }

    public void clear() {
        prefs.remove(KEY);
    }
}
