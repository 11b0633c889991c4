package com.inpaintstudio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Before JavaFX starts: can the editor open a window here? On Linux JavaFX needs GTK 3 ({@code libgtk-3.so.0}) and
 * a display; without them it dies with a stack trace ("Unable to load glass GTK library"). This says instead what to
 * install and that the command line works without it. Headless test runs (Monocle) are not checked.
 */
public final class DesktopCheck {
    static final String GTK = "libgtk-3.so.0";
    /** Exit code of the editor when it cannot start here (as for other user errors). */
    public static final int EXIT = 2;

    private static final List<String> LIB_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
            "/usr/local/lib", "/run/current-system/sw/lib");

    private DesktopCheck() {}

    /** Prints the problem and exits with {@link #EXIT} when the editor cannot open a window here. */
    public static void exitIfNoDesktop() {
        Optional<String> p = problem(System.getProperty("os.name", ""), System.getenv(),
                System.getProperty("glass.platform"), DesktopCheck::gtkInstalled);
        if (p.isPresent()) {
            System.err.println("error: " + p.get());
            System.exit(EXIT);
        }
    }

    /** Why the editor cannot start, or empty when it can (as far as can be told without starting JavaFX). */
    static Optional<String> problem(String os, Map<String, String> env, String glassPlatform,
                                    java.util.function.BooleanSupplier gtk) {
        if (!os.startsWith("Linux") || "Monocle".equalsIgnoreCase(glassPlatform)) {
            return Optional.empty();
        }
        if (!gtk.getAsBoolean()) {
            return Optional.of("the editor needs GTK 3 (" + GTK + " was not found). Install it with "
                    + "'sudo apt-get install libgtk-3-0' (Fedora: 'sudo dnf install gtk3'). The command line works "
                    + "without it: 'inpaint-studio generate --help'.");
        }
        if (isBlank(env.get("DISPLAY")) && isBlank(env.get("WAYLAND_DISPLAY"))) {
            return Optional.of("the editor needs a graphical desktop, and there is none here (DISPLAY is not set). "
                    + "Start it from your desktop session, or use the command line: 'inpaint-studio generate --help'.");
        }
        return Optional.empty();
    }

    /** Whether {@code libgtk-3.so.0} can be loaded: LD_LIBRARY_PATH, the usual folders, then the loader cache. */
    static boolean gtkInstalled() {
        List<String> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(":")));
        }
        dirs.addAll(LIB_DIRS);
        if (foundIn(dirs)) {
            return true;
        }
        return ldconfigKnows(ldconfigCache());
    }

    static boolean foundIn(List<String> dirs) {
        for (String d : dirs) {
            if (!d.isBlank() && Files.exists(Path.of(d, GTK))) {
                return true;
            }
        }
        return false;
    }

    static boolean ldconfigKnows(String ldconfigOutput) {
        return ldconfigOutput.lines().anyMatch(l -> l.strip().startsWith(GTK + " "));
    }

    private static String ldconfigCache() {
        for (String exe : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (!Files.isExecutable(Path.of(exe))) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(exe, "-p").redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readAllBytes();
                p.waitFor(5, TimeUnit.SECONDS);
                return new String(out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
        return "";
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
