package com.inpaintstudio;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.CRC32;

/**
 * A dynamic AppCDS archive for the relaunched editor: the child JVM maps the classes (JavaFX, CSS, ours) it loaded on
 * an earlier start instead of parsing and verifying them again.
 *
 * <p>The archive lives in {@code $XDG_CACHE_HOME/inpaint-studio} (default {@code ~/.cache/inpaint-studio}) under a
 * name that changes with the app version, the Java runtime and the class path (entries, sizes, modification times).
 * When it is there the child gets {@code -XX:SharedArchiveFile}; otherwise {@code -XX:ArchiveClassesAtExit} with a
 * private temporary name, which the parent moves into place once the child has exited, so a half-written archive
 * never carries the final name. Before that the parent checks the new archive once with a short JVM
 * ({@code -Xshare:on -XX:+VerifySharedSpaces}: it maps the archive and checks its CRCs, ~0.2 s at the end of the first
 * run only); an archive that fails is dropped. Later starts do not verify the CRCs again: that reads the whole ~25 MB
 * archive and the runtime's base archive at every start (~0.3 s of CPU before the window, for a check that already
 * passed). The final name records the file's size: JDK 17 dies with SIGBUS mapping a truncated archive, so a file of
 * another size is deleted, never used. A stale archive (other runtime, changed jars) is ignored by the JVM (default
 * {@code -Xshare:auto}), and if the child still dies of a JVM fatal error the archive is deleted, so a damaged one
 * costs at most one start. CDS log output is turned off so users never see its warnings. Nothing happens when the
 * cache folder cannot be made or written, or when the class path holds anything but jar files (the JVM refuses to
 * archive from directories).
 */
final class ClassDataSharing {
    /** Set (to anything) to start the editor without the archive. */
    static final String OPT_OUT_ENV = "INPAINT_STUDIO_NO_CDS";
    /** Options that stop the JVM from printing CDS warnings (stale archive, mismatched class path, no base archive). */
    static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    /**
     * What the child gets: its extra JVM options, and where the archive it writes at exit goes (null when it only
     * reads an existing archive).
     */
    record Plan(List<String> jvmOptions, Path archive, Path writtenAt, Predicate<Path> check) {
        // archive: the archive in use, or (when writtenAt is set) the final name without its size part;
        // check: whether a freshly written archive may be published (see verifier)
        /**
         * Called by the parent after the child exited with {@code exitCode}: publishes a freshly written archive under
         * its final name (which records its size), drops a partial one, and drops the archive in use when the child
         * aborted (134: the JVM's fatal-error exit), so one bad archive costs at most one start.
         */
        void finish(int exitCode) {
            if (writtenAt == null) {
                if (exitCode == FATAL_ERROR_EXIT) {
                    deleteQuietly(archive);
                }
                return;
            }
            try {
                if (isEditorExit(exitCode) && Files.isRegularFile(writtenAt) && Files.size(writtenAt) > 0
                        && check.test(writtenAt)) {
                    Path published = archive.resolveSibling(archiveName(archive, Files.size(writtenAt)));
                    Files.move(writtenAt, published, StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                    pruneOlderArchives(published.getParent(), published, KEPT_ARCHIVES);
                }
            } catch (IOException | RuntimeException e) {
                // no archive this time: the next start tries again
            } finally {
                deleteQuietly(writtenAt);
            }
        }
    }

    /**
     * Whether a child that exited with {@code code} ran the editor, so its archive holds the editor's classes: it quit
     * (0) or was stopped (SIGHUP, SIGINT, SIGTERM: 128 + the signal). A start that failed early (no display: 2, a JVM
     * error: 1 or 134) wrote an archive of the few classes it loaded; published, every later start would use that one
     * and never record a full one.
     */
    static boolean isEditorExit(int code) {
        return code == 0 || code == 128 + 1 || code == 128 + 2 || code == 128 + 15;
    }

    /** The exit code of a JVM that hit a fatal error (SIGABRT after writing hs_err). */
    static final int FATAL_ERROR_EXIT = 134;

    private ClassDataSharing() {}

    /**
     * The plan for a child started with {@code jvmArgs} and {@code classPath}, or empty when CDS is not to be used.
     *
     * @param pid this process's id, to give the archive being written a name no other start uses
     */
    static Optional<Plan> plan(String javaHome, String classPath, List<String> jvmArgs, String version,
                               Map<String, String> env, long pid) {
        return plan(javaHome, classPath, jvmArgs, version, env, pid, verifier(javaHome, classPath));
    }

    /** Same, with {@code check} deciding whether a freshly written archive is published. */
    static Optional<Plan> plan(String javaHome, String classPath, List<String> jvmArgs, String version,
                               Map<String, String> env, long pid, Predicate<Path> check) {
        if (javaHome == null || classPath == null || classPath.isEmpty()) {
            return Optional.empty();
        }
        for (String a : jvmArgs) {
            if (a.startsWith("-Xshare") || a.startsWith("-XX:SharedArchiveFile")
                    || a.startsWith("-XX:ArchiveClassesAtExit") || a.startsWith("-XX:DumpLoadedClassList")
                    || a.startsWith("-XX:SharedClassListFile")) {
                return Optional.empty(); // the user chose a CDS setting
            }
        }
        Optional<String> key = key(javaHome, classPath, version);
        Optional<Path> dir = cacheDir(env);
        if (key.isEmpty() || dir.isEmpty()) {
            return Optional.empty();
        }
        String prefix = "cds-" + safe(version) + "-" + key.get();
        List<String> options = new ArrayList<>(QUIET);
        Optional<Path> existing = intactArchive(dir.get(), prefix);
        if (existing.isPresent()) {
            // its CRCs were checked once, before it got this name (see verifier)
            options.add("-XX:SharedArchiveFile=" + existing.get());
            return Optional.of(new Plan(List.copyOf(options), existing.get(), null, check));
        }
        Path archive = dir.get().resolve(prefix + ".jsa");
        if (!Files.isRegularFile(Path.of(javaHome, "lib", "server", "classes.jsa"))) {
            return Optional.empty(); // a dynamic archive needs the runtime's base archive
        }
        Path writtenAt = archive.resolveSibling(archive.getFileName() + "." + pid + ".tmp");
        options.add("-XX:ArchiveClassesAtExit=" + writtenAt);
        return Optional.of(new Plan(List.copyOf(options), archive, writtenAt, check));
    }

    /** How long the one-time check of a new archive may take before the archive is dropped instead. */
    static final long VERIFY_TIMEOUT_SECONDS = 30;

    /**
     * The one-time check of a freshly written archive: a JVM of this runtime with the same class path maps it
     * ({@code -Xshare:on}: fails instead of running without it) and verifies its CRCs ({@code -XX:+VerifySharedSpaces})
     * and exits 0 ({@code -version}), or the archive is not published.
     */
    static Predicate<Path> verifier(String javaHome, String classPath) {
        return jsa -> {
            List<String> cmd = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString(), "-Xshare:on",
                    "-XX:+VerifySharedSpaces", "-XX:SharedArchiveFile=" + jsa));
            cmd.addAll(QUIET);
            cmd.addAll(List.of("-cp", classPath, "-version"));
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(VERIFY_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return false;
                }
                return p.exitValue() == 0;
            } catch (IOException | RuntimeException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    /**
     * The archive named {@code PREFIX-SIZE.jsa} whose size is the one in its name; copies of another size (truncated:
     * the JVM would crash mapping them) are deleted.
     */
    static Optional<Path> intactArchive(Path dir, String prefix) {
        Optional<Path> found = Optional.empty();
        try (var files = Files.newDirectoryStream(dir, prefix + "-*.jsa")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String size = name.substring(prefix.length() + 1, name.length() - ".jsa".length());
                if (found.isEmpty() && size.matches("[0-9]{1,18}") && Files.isRegularFile(f)
                        && Files.size(f) == Long.parseLong(size)) {
                    found = Optional.of(f);
                } else {
                    deleteQuietly(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return found;
    }

    /**
     * Published archives kept in the cache folder, newest first (each ~25 MB). Every new version, runtime or set of
     * jars writes a new one, so without a limit every update would leave its predecessor's behind; a few are kept so
     * that two installations used side by side (the jar and the app image) do not keep displacing each other's.
     */
    static final int KEPT_ARCHIVES = 3;

    /**
     * Deletes published archives ({@code cds-*.jsa}) beyond the {@code keep} most recently written, never
     * {@code current}; temporary ones being written by a running start ({@code .tmp}) are left alone.
     */
    static void pruneOlderArchives(Path dir, Path current, int keep) {
        List<Path> archives = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir, "cds-*.jsa")) {
            files.forEach(archives::add);
        } catch (IOException | RuntimeException e) {
            return; // nothing pruned: a full cache folder is harmless
        }
        archives.remove(current);
        archives.sort(java.util.Comparator.comparing(ClassDataSharing::modified).reversed());
        for (int i = Math.max(0, keep - 1); i < archives.size(); i++) {
            deleteQuietly(archives.get(i));
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    /** {@code cds-V-KEY.jsa} with {@code size} bytes -> {@code cds-V-KEY-SIZE.jsa}. */
    static String archiveName(Path unsized, long size) {
        String name = unsized.getFileName().toString();
        return name.substring(0, name.length() - ".jsa".length()) + "-" + size + ".jsa";
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException | RuntimeException e) {
            // a leftover file in the cache folder is harmless
        }
    }

    /**
     * A short hash of the runtime and the class path (each entry with its size and modification time), or empty when
     * an entry is not a jar file that exists.
     */
    static Optional<String> key(String javaHome, String classPath, String version) {
        StringBuilder text = new StringBuilder(version).append('\n').append(javaHome).append('\n');
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) {
                return Optional.empty();
            }
            try {
                text.append(p.toAbsolutePath().normalize()).append(' ').append(Files.size(p)).append(' ')
                        .append(Files.getLastModifiedTime(p).toMillis()).append('\n');
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        // Not a security hash, only a cache key (the JVM itself checks the class path before using an archive): CRC32
        // and String.hashCode are already loaded, where MessageDigest would load the security providers (~0.1 s in
        // the relaunch's first JVM, which the editor's window waits for).
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return Optional.of(hex8(crc.getValue()) + hex8(text.toString().hashCode() & 0xffffffffL));
    }

    private static String hex8(long v) {
        String h = Long.toHexString(v);
        return "0".repeat(8 - h.length()) + h;
    }

    /** The app's cache folder, made if missing, or empty when it cannot be made or written. */
    static Optional<Path> cacheDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base;
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            base = Path.of(xdg);
        } else {
            String home = env.get("HOME");
            if (home == null || home.isBlank()) {
                return Optional.empty();
            }
            base = Path.of(home, ".cache");
        }
        Path dir = base.resolve("inpaint-studio");
        try {
            Files.createDirectories(dir);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Files.isWritable(dir) ? Optional.of(dir) : Optional.empty();
    }

    private static String safe(String version) {
        return version.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
