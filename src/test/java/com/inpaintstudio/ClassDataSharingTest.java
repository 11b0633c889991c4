package com.inpaintstudio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {
    @TempDir
    Path tmp;

    /** Stands in for the one-time JVM check of a new archive where the test's archive is a few made-up bytes. */
    private static final java.util.function.Predicate<Path> ACCEPT = p -> true;

    private Path javaHome(boolean baseArchive) throws Exception {
        Path home = Files.createDirectories(tmp.resolve(baseArchive ? "jdk" : "jlinked").resolve("lib/server"));
        if (baseArchive) {
            Files.write(home.resolve("classes.jsa"), new byte[] {1});
        }
        return home.getParent().getParent();
    }

    private String jars(String... names) throws Exception {
        List<String> paths = new ArrayList<>();
        for (String n : names) {
            Path jar = tmp.resolve(n);
            if (!Files.exists(jar)) {
                Files.write(jar, new byte[] {'P', 'K'});
            }
            paths.add(jar.toString());
        }
        return String.join(File.pathSeparator, paths);
    }

    @Test
    void firstStartWritesToAPrivateNameThatTheParentPublishesThenLaterStartsUseIt() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(), "HOME", "/nonexistent");
        String home = javaHome(true).toString();
        String cp = jars("inpaint-studio.jar");
        ClassDataSharing.Plan first = ClassDataSharing.plan(home, cp, List.of("-Xmx8g"), "0.1.0", env, 42, ACCEPT)
                .orElseThrow();
        Path dir = tmp.resolve("cache/inpaint-studio");
        assertTrue(Files.isDirectory(dir), "cache folder made");
        assertEquals(dir, first.archive().getParent());
        assertTrue(first.archive().getFileName().toString().matches("cds-0\\.1\\.0-[0-9a-f]{16}\\.jsa"),
                first.archive().toString());
        assertEquals(first.archive().resolveSibling(first.archive().getFileName() + ".42.tmp"), first.writtenAt());
        assertEquals(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:ArchiveClassesAtExit=" + first.writtenAt()),
                first.jvmOptions());

        Files.write(first.writtenAt(), new byte[] {7, 7, 7}); // what the child leaves at exit
        first.finish(0);
        assertFalse(Files.exists(first.writtenAt()));
        Path published = first.archive().resolveSibling(
                first.archive().getFileName().toString().replace(".jsa", "-3.jsa"));
        assertTrue(Files.isRegularFile(published), "published under a name that records its size");

        ClassDataSharing.Plan later = ClassDataSharing.plan(home, cp, List.of(), "0.1.0", env, 43).orElseThrow();
        assertEquals(published, later.archive());
        assertNull(later.writtenAt());
        assertEquals(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:SharedArchiveFile=" + published),
                later.jvmOptions());
        later.finish(0); // nothing to publish: leaves the archive alone
        assertTrue(Files.isRegularFile(published));
        later.finish(1);
        assertTrue(Files.isRegularFile(published), "an ordinary error exit says nothing about the archive");
        later.finish(ClassDataSharing.FATAL_ERROR_EXIT);
        assertFalse(Files.exists(published), "a JVM crash drops the archive: the next start makes a new one");
        assertNotNull(ClassDataSharing.plan(home, cp, List.of(), "0.1.0", env, 44).orElseThrow().writtenAt());
    }

    @Test
    void publishingAnArchiveKeepsOnlyTheNewestFewSoUpdatesDoNotFillTheCache() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(), "HOME", "/nonexistent");
        Path dir = Files.createDirectories(tmp.resolve("cache/inpaint-studio"));
        List<Path> older = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // four earlier versions' archives, the last one the newest
            Path old = dir.resolve("cds-0.0." + i + "-00000000000000a" + i + "-1.jsa");
            Files.write(old, new byte[] {1});
            Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L * (i + 1)));
            older.add(old);
        }
        Path beingWritten = dir.resolve("cds-0.0.9-00000000000000ff.jsa.77.tmp"); // another start's, in progress
        Files.write(beingWritten, new byte[] {1});
        Path unrelated = Files.createDirectories(dir.resolve("tokenizer-clip"));
        ClassDataSharing.Plan first = ClassDataSharing.plan(javaHome(true).toString(), jars("inpaint-studio.jar"),
                List.of(), "0.1.0", env, 42, ACCEPT).orElseThrow();
        Files.write(first.writtenAt(), new byte[] {7, 7});
        first.finish(0);
        Path published = first.archive().resolveSibling(
                first.archive().getFileName().toString().replace(".jsa", "-2.jsa"));
        assertTrue(Files.isRegularFile(published));
        assertTrue(Files.exists(older.get(3)) && Files.exists(older.get(2)), "the two newest earlier ones stay");
        assertFalse(Files.exists(older.get(1)) || Files.exists(older.get(0)), "older ones are deleted");
        assertTrue(Files.exists(beingWritten), "an archive another start is writing is left alone");
        assertTrue(Files.isDirectory(unrelated), "only archives are touched");
    }

    /** A truncated archive makes JDK 17 die with SIGBUS while mapping it: such a file must never be used. */
    @Test
    void truncatedOrResizedArchiveIsDeletedInsteadOfUsed() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        String home = javaHome(true).toString();
        String cp = jars("a.jar");
        ClassDataSharing.Plan first = ClassDataSharing.plan(home, cp, List.of(), "1", env, 5, ACCEPT).orElseThrow();
        Files.write(first.writtenAt(), new byte[100]);
        first.finish(0);
        Path published = first.archive().resolveSibling(ClassDataSharing.archiveName(first.archive(), 100));
        assertTrue(Files.isRegularFile(published));
        Files.write(published, new byte[60]); // cut short (disk full, a copy that stopped)
        ClassDataSharing.Plan again = ClassDataSharing.plan(home, cp, List.of(), "1", env, 6).orElseThrow();
        assertNotNull(again.writtenAt(), "writes a new archive instead");
        assertFalse(Files.exists(published), "the damaged one is removed");
    }

    @Test
    void aChildThatCrashedWhileWritingPublishesNothing() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        ClassDataSharing.Plan plan = ClassDataSharing.plan(javaHome(true).toString(), jars("a.jar"), List.of(), "1",
                env, 8).orElseThrow();
        Files.write(plan.writtenAt(), new byte[10]);
        plan.finish(ClassDataSharing.FATAL_ERROR_EXIT);
        assertFalse(Files.exists(plan.writtenAt()));
        try (var files = Files.list(plan.archive().getParent())) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void theArchiveOfAStartThatFailedEarlyIsNotPublished() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        for (int code : new int[] {2, 1}) { // no display / GTK (DesktopCheck.EXIT), a JVM start error
            ClassDataSharing.Plan plan = ClassDataSharing.plan(javaHome(true).toString(), jars("a.jar"), List.of(), "1",
                    env, 9).orElseThrow();
            Files.write(plan.writtenAt(), new byte[4096]); // the few classes loaded before giving up
            plan.finish(code);
            assertFalse(Files.exists(plan.writtenAt()), "removed");
            try (var files = Files.list(plan.archive().getParent())) {
                assertEquals(0, files.count(), "exit " + code + ": nothing published, the next start records again");
            }
        }
        ClassDataSharing.Plan stopped = ClassDataSharing.plan(javaHome(true).toString(), jars("a.jar"), List.of(), "1",
                env, 10, ACCEPT).orElseThrow();
        Files.write(stopped.writtenAt(), new byte[4096]);
        stopped.finish(143); // the editor ended by SIGTERM (logout, kill): its archive is complete
        assertTrue(ClassDataSharing.intactArchive(stopped.archive().getParent(),
                stopped.archive().getFileName().toString().replace(".jsa", "")).isPresent(), "published");
    }

    @Test
    void anEmptyOrMissingArchiveFromAChildThatDiedIsNotPublished() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        ClassDataSharing.Plan plan = ClassDataSharing.plan(javaHome(true).toString(), jars("a.jar"), List.of(), "1",
                env, 7).orElseThrow();
        Files.createFile(plan.writtenAt());
        plan.finish(0);
        assertFalse(Files.exists(plan.writtenAt()), "partial file removed");
        try (var files = Files.list(plan.archive().getParent())) {
            assertEquals(0, files.count(), "nothing published");
        }
        plan.finish(0); // nothing written at all: no error
    }

    @Test
    void archiveNameChangesWithVersionRuntimeAndJars() throws Exception {
        String cp = jars("a.jar", "b.jar");
        String key = ClassDataSharing.key("/usr/lib/jvm/17", cp, "0.1.0").orElseThrow();
        assertEquals(key, ClassDataSharing.key("/usr/lib/jvm/17", cp, "0.1.0").orElseThrow());
        assertNotEquals(key, ClassDataSharing.key("/usr/lib/jvm/21", cp, "0.1.0").orElseThrow());
        assertNotEquals(key, ClassDataSharing.key("/usr/lib/jvm/17", cp, "0.2.0").orElseThrow());
        assertNotEquals(key, ClassDataSharing.key("/usr/lib/jvm/17", jars("a.jar"), "0.1.0").orElseThrow());
        Files.setLastModifiedTime(tmp.resolve("b.jar"), FileTime.fromMillis(1_000_000L));
        assertNotEquals(key, ClassDataSharing.key("/usr/lib/jvm/17", cp, "0.1.0").orElseThrow(), "rebuilt jar");
    }

    @Test
    void skippedWhereTheJvmCouldNotArchiveOrTheUserChoseACdsSetting() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        String home = javaHome(true).toString();
        String cp = jars("a.jar");
        Files.createDirectories(tmp.resolve("classes"));
        assertEquals(Optional.empty(), ClassDataSharing.plan(home, cp + File.pathSeparator + tmp.resolve("classes"),
                List.of(), "1", env, 1), "directories cannot be archived");
        assertEquals(Optional.empty(), ClassDataSharing.plan(home, tmp.resolve("missing.jar").toString(), List.of(),
                "1", env, 1));
        assertEquals(Optional.empty(), ClassDataSharing.plan(javaHome(false).toString(), cp, List.of(), "1", env, 1),
                "no base archive (jlink without --generate-cds-archive): dynamic archiving is refused");
        for (String opt : List.of("-Xshare:off", "-XX:SharedArchiveFile=/x.jsa", "-XX:ArchiveClassesAtExit=/y.jsa")) {
            assertEquals(Optional.empty(), ClassDataSharing.plan(home, cp, List.of(opt), "1", env, 1), opt);
        }
        assertEquals(Optional.empty(), ClassDataSharing.plan(null, cp, List.of(), "1", env, 1));
    }

    @Test
    void cacheFolderHonoursXdgAndIsSkippedWhenItCannotBeMade() throws Exception {
        assertEquals(Optional.of(tmp.resolve("x/inpaint-studio")),
                ClassDataSharing.cacheDir(Map.of("XDG_CACHE_HOME", tmp.resolve("x").toString(), "HOME", "/h")));
        assertEquals(Optional.of(tmp.resolve("h/.cache/inpaint-studio")),
                ClassDataSharing.cacheDir(Map.of("XDG_CACHE_HOME", "relative", "HOME", tmp.resolve("h").toString())),
                "a relative XDG_CACHE_HOME is invalid and ignored");
        Path file = Files.write(tmp.resolve("not-a-dir"), new byte[] {1});
        assertEquals(Optional.empty(), ClassDataSharing.cacheDir(Map.of("XDG_CACHE_HOME", file.toString())));
        assertEquals(Optional.empty(), ClassDataSharing.cacheDir(Map.of()));
    }

    @Test
    void anArchiveThatFailsItsOneTimeCheckIsNotPublished() throws Exception {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        List<Path> checked = new ArrayList<>();
        ClassDataSharing.Plan plan = ClassDataSharing.plan(javaHome(true).toString(), jars("a.jar"), List.of(), "1",
                env, 11, p -> checked.add(p) && false).orElseThrow();
        Files.write(plan.writtenAt(), new byte[4096]);
        plan.finish(0);
        assertEquals(List.of(plan.writtenAt()), checked, "checked once, before publishing");
        try (var files = Files.list(plan.archive().getParent())) {
            assertEquals(0, files.count(), "dropped: the next start records a new one");
        }
        ClassDataSharing.Plan next = ClassDataSharing.plan(javaHome(true).toString(), jars("a.jar"), List.of(), "1",
                env, 12, p -> true).orElseThrow();
        assertNotNull(next.writtenAt());
    }

    /** The real check: a JVM of this runtime maps and CRC-checks the archive; a damaged or foreign file fails. */
    @Test
    void theOneTimeCheckAcceptsARealArchiveAndRejectsADamagedOne() throws Exception {
        String javaHome = System.getProperty("java.home");
        Path javaCmd = Path.of(javaHome, "bin", "java");
        Path src = Files.writeString(tmp.resolve("Hello.java"),
                "public class Hello { public static void main(String[] a) { System.out.println(1); } }");
        Path jsa = tmp.resolve("hello.jsa");
        List<String> dump = new ArrayList<>(List.of(javaCmd.toString(), "-XX:ArchiveClassesAtExit=" + jsa));
        dump.addAll(ClassDataSharing.QUIET);
        dump.add(src.toString()); // source-file mode: no class path, the archive holds the JDK classes it loaded
        Process p = new ProcessBuilder(dump).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        org.junit.jupiter.api.Assumptions.assumeTrue(p.exitValue() == 0 && Files.isRegularFile(jsa)
                && Files.size(jsa) > 1_000_000, "this runtime cannot write a dynamic archive");
        var check = ClassDataSharing.verifier(javaHome, "");
        assertTrue(check.test(jsa), "the archive as written");
        Path flipped = Files.copy(jsa, tmp.resolve("flipped.jsa"));
        try (var f = java.nio.channels.FileChannel.open(flipped, java.nio.file.StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}),
                    Files.size(flipped) / 2);
        }
        assertFalse(check.test(flipped), "one damaged word in the middle fails the CRC check");
        assertFalse(check.test(Files.write(tmp.resolve("junk.jsa"), "not an archive".getBytes())));
        assertFalse(check.test(tmp.resolve("missing.jsa")));
    }

    /** The JVM itself: a damaged archive is ignored without a word, and the app still runs. */
    @Test
    void corruptArchiveStillStartsAndPrintsNothingExtra() throws Exception {
        Path bad = Files.write(tmp.resolve("cds-bad.jsa"), "not an archive at all".getBytes());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(ClassDataSharing.QUIET);
        cmd.add("-XX:+VerifySharedSpaces");
        cmd.add("-XX:SharedArchiveFile=" + bad);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "com.inpaintstudio.Launcher", "--version"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(AllocatorRelauncher.OPT_OUT_ENV, "1");
        Path log = tmp.resolve("out.log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not finish");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.toLowerCase().contains("cds") || out.toLowerCase().contains("shar")
                || out.toLowerCase().contains("archive"), out);
        assertFalse(out.isBlank());
    }
}
