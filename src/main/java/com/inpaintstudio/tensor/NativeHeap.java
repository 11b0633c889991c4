package com.inpaintstudio.tensor;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.util.Locale;

/**
 * Makes glibc's malloc keep and reuse freed native memory, which libtorch's CPU tensors live in.
 *
 * <p>By default glibc returns big freed blocks to the kernel (mmap'd blocks above a dynamic threshold, and heap tops
 * above the trim threshold), so every fresh activation tensor is page-faulted in again: on these VMs a 4 KiB first
 * touch costs ~7 us, which made a 4096x4096 attention matmul 10x slower (DESIGN.md). Preloading tcmalloc/jemalloc or
 * setting {@code GLIBC_TUNABLES} fixes that but must happen before the JVM starts; this does the equivalent from
 * inside the process with {@code mallopt}: no trimming, a large top pad, and no separate mmap per big block, so
 * freed activations are reused by the next layer and the next step. RSS then stays at its high-water mark (which
 * is what a generation needs again on the next run anyway).
 *
 * <p>Skipped when another allocator is preloaded, when not on glibc, or with {@code -Dinpaint.malloc=default}
 * (or environment {@code INPAINT_MALLOC=default}).
 */
public final class NativeHeap {
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_MAX = -4;
    private static volatile String state;

    private NativeHeap() {}

    private interface LibC extends Library {
        int mallopt(int param, int value);

        String gnu_get_libc_version();
    }

    /** Applies the tuning once per process; returns a one-line description of the allocator in use. */
    public static synchronized String tune() {
        if (state != null) {
            return state;
        }
        String preload = System.getenv("LD_PRELOAD");
        String choice = System.getProperty("inpaint.malloc", System.getenv("INPAINT_MALLOC"));
        if (preload != null && preload.toLowerCase(Locale.ROOT).matches(".*(tcmalloc|jemalloc|mimalloc).*")) {
            state = "preloaded allocator (" + preload + ")";
        } else if ("default".equalsIgnoreCase(choice)) {
            state = "glibc malloc, default settings" + tunables();
        } else if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            state = "system allocator";
        } else {
            state = applyGlibc();
        }
        return state;
    }

    /** The state {@link #tune()} left, or what would be used without it. */
    public static String describe() {
        String s = state;
        if (s != null) {
            return s;
        }
        String preload = System.getenv("LD_PRELOAD");
        return preload != null && !preload.isBlank() ? "preloaded (" + preload + ")" : "glibc malloc, default settings"
                + tunables();
    }

    private static String applyGlibc() {
        try {
            LibC c = Native.load("c", LibC.class);
            String version = c.gnu_get_libc_version();
            boolean ok = c.mallopt(M_MMAP_MAX, 0) == 1
                    & c.mallopt(M_TRIM_THRESHOLD, Integer.MAX_VALUE) == 1
                    & c.mallopt(M_TOP_PAD, 64 << 20) == 1;
            return ok ? "glibc " + version + " malloc, tuned (no trim, no mmap, 64 MiB top pad)"
                    : "glibc " + version + " malloc (mallopt refused the tuning)";
        } catch (Throwable e) { // no JNA, or not glibc (musl has no gnu_get_libc_version)
            return "system allocator (not tuned: " + e.getClass().getSimpleName() + ")";
        }
    }

    private static String tunables() {
        String t = System.getenv("GLIBC_TUNABLES");
        return t == null || t.isBlank() ? "" : ", GLIBC_TUNABLES=" + t;
    }
}
