package com.inpaintstudio.model.hub;

import java.util.Locale;

/** Human-readable byte counts and durations for progress lines. */
public final class Bytes {
    private Bytes() {}

    /** 1536 -> "1.5 KB", 3_500_000_000 -> "3.26 GB" (binary units, as file managers show). */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }

    /** 75 -> "1:15", 3725 -> "1:02:05"; negative -> "--:--". */
    public static String duration(long seconds) {
        if (seconds < 0) {
            return "--:--";
        }
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
