package com.inpaintstudio;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The allocator relaunch's child for the jpackage app image, started with the image's own {@code java} and the JVM
 * options and class path of the launcher's {@code .cfg}, instead of through the launcher binary again. The JDK 17
 * launcher asks the package managers who owns it at every start ({@code rpm -qf}, then {@code dpkg -S}, twice: once
 * in the launcher, once in its library): {@code dpkg -S} scans every installed package's file list, ~0.2 s of CPU
 * each on a quiet VM with ~1,000 packages and ~0.5 s under load, all before the JVM starts. Going through the launcher
 * twice (parent and child) paid that four times before the window. The image's launcher is now a script
 * ({@code packaging/linux/launcher}) that does what this class does for the parent, and starts the editor without a
 * relaunch; this class still starts the child of a CLI command, and of any image started through a native launcher.
 *
 * <p>Only the plain layout jpackage makes here is understood ({@code bin/NAME}, {@code lib/app/NAME.cfg},
 * {@code lib/runtime/bin/java}; {@code [Application]} with {@code app.classpath} and {@code app.mainclass},
 * {@code [JavaOptions]} with {@code java-options}; {@code $APPDIR}, {@code $ROOTDIR}, {@code $BINDIR}). Anything else
 * (a module, default arguments, a missing file) gives empty, and the relaunch goes through the launcher as before.
 */
final class JpackageImage {
    private JpackageImage() {}

    /** The child's command for the launcher at {@code launcher} with the user's {@code args}, or empty. */
    static Optional<List<String>> javaCommand(String launcher, String[] args) {
        try {
            Path bin = Path.of(launcher).toAbsolutePath().getParent();
            if (bin == null || bin.getParent() == null) {
                return Optional.empty();
            }
            Path cfg = bin.getParent().resolve("lib").resolve("app")
                    .resolve(bin.relativize(Path.of(launcher).toAbsolutePath()) + ".cfg");
            if (!Files.isRegularFile(cfg)) {
                return Optional.empty();
            }
            return javaCommand(launcher, Files.readAllLines(cfg, StandardCharsets.UTF_8), args, Files::isExecutable);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Same, from the {@code .cfg}'s lines; {@code executable} says whether the image's java is there. */
    static Optional<List<String>> javaCommand(String launcher, List<String> cfgLines, String[] args,
                                              Predicate<Path> executable) {
        Path bin = Path.of(launcher).toAbsolutePath().getParent();
        Path root = bin.getParent();
        Path appDir = root.resolve("lib").resolve("app");
        Path java = root.resolve("lib").resolve("runtime").resolve("bin").resolve("java");
        if (!executable.test(java)) {
            return Optional.empty();
        }
        List<String> classPath = new ArrayList<>();
        List<String> options = new ArrayList<>();
        String mainClass = null;
        String section = "";
        for (String raw : cfgLines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1).replace("$APPDIR", appDir.toString())
                    .replace("$ROOTDIR", root.toString()).replace("$BINDIR", bin.toString());
            if (section.equals("[Application]") && key.equals("app.classpath")) {
                classPath.add(value);
            } else if (section.equals("[Application]") && key.equals("app.mainclass") && mainClass == null) {
                mainClass = value;
            } else if (section.equals("[JavaOptions]") && key.equals("java-options")) {
                options.add(value);
            } else {
                return Optional.empty(); // a module, default arguments, a splash screen...: the launcher knows
            }
        }
        if (mainClass == null || classPath.isEmpty() || unknownVariable(options)) {
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(options);
        cmd.add("-Djpackage.app-path=" + launcher); // what the launcher sets: the app knows it runs from the image
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return Optional.of(cmd);
    }

    /** True when an option still holds a {@code $} variable the launcher would have expanded and we do not know. */
    private static boolean unknownVariable(List<String> options) {
        return options.stream().anyMatch(o -> o.matches(".*\\$[A-Z]+.*"));
    }
}
