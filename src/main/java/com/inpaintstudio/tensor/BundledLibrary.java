package com.inpaintstudio.tensor;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Opens a native library the build compiled into the jar (pom.xml, profile {@code linux-x86_64-native}): copies the
 * resource to an owner-only temp file, opens it with JNA and deletes the file at once (the mapping stays).
 */
final class BundledLibrary {
    static final int RTLD_LAZY = 0x1;
    static final int RTLD_GLOBAL = 0x100;
    /** dlclose leaves the library mapped: code that bound its symbols may still call them. */
    static final int RTLD_NODELETE = 0x1000;

    private BundledLibrary() {}

    /** Whether the build compiles its native libraries for this system: Linux on x86-64 (pom.xml's profile). */
    static boolean builtFor(String os, String arch) {
        return os.toLowerCase(Locale.ROOT).startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /**
     * Opens {@code resource} with dlopen {@code flags}. Keep the result in a static field for as long as its code may
     * run: JNA closes a library whose {@link NativeLibrary} is garbage collected.
     *
     * @throws IOException when the build lacks the resource or the temp folder cannot take it
     */
    static NativeLibrary open(String resource, String tempPrefix, int flags) throws IOException {
        Path file = null;
        try (InputStream in = BundledLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not in this build: it needs gcc");
            }
            file = Files.createTempFile(tempPrefix, ".so"); // owner-only (createTempFile's default on POSIX)
            Files.write(file, in.readAllBytes());
            return NativeLibrary.getInstance(file.toString(), Map.of(Library.OPTION_OPEN_FLAGS, flags));
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover owner-only file in the temp folder; nothing depends on it
                }
            }
        }
    }
}
