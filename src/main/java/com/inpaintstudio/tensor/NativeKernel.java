package com.inpaintstudio.tensor;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

import java.util.function.Supplier;

/**
 * A bundled native kernel opened on first use, once: its entry point, or why it is off (for the bench and the logs).
 * The opened library is held by this object, which its user keeps in a static field for the JVM's life: JNA closes a
 * library whose {@link NativeLibrary} is garbage collected.
 */
final class NativeKernel {
    /** What opening gave: the library and its entry point, or neither and the reason. */
    record Loaded(NativeLibrary library, Function entry, String state) {
        static Loaded off(String why) {
            return new Loaded(null, null, why);
        }
    }

    private final Supplier<Loaded> opener;
    private volatile Loaded loaded;

    /** @param opener opens the library (or says why not); must not throw */
    NativeKernel(Supplier<Loaded> opener) {
        this.opener = opener;
    }

    private Loaded get() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (this) {
                l = loaded;
                if (l == null) {
                    l = opener.get();
                    loaded = l;
                }
            }
        }
        return l;
    }

    /** Whether the kernel can run here (opens the library on the first call). */
    boolean available() {
        return get().entry() != null;
    }

    /** The entry point, or null when the kernel is off. */
    Function entry() {
        return get().entry();
    }

    /** One line: which build runs, or why the kernel is off. */
    String describe() {
        return get().state();
    }
}
