package com.inpaintstudio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.inpaintstudio.tensor.NativeHeap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app image's launcher script ({@code packaging/linux/launcher}, filled in as {@code build-installers.sh} does),
 * run by bash in a fake image whose {@code java} prints what it was given: the same command as jpackage's launcher
 * from the same {@code .cfg}, the malloc tunables for the editor only, and a clear message for a damaged image.
 */
class ImageLauncherScriptTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path launcher;

    @BeforeEach
    void image() throws Exception {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux") && Files.isExecutable(Path.of("/bin/bash")),
                "the launcher is a bash script for Linux");
        root = tmp.resolve("my apps/inpaint-studio"); // a space in the path, as a user's folder may have
        Files.createDirectories(root.resolve("lib/app"));
        Path java = Files.createDirectories(root.resolve("lib/runtime/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"TUNABLES=${GLIBC_TUNABLES-<unset>}\"\n"
                + "for a in \"$@\"; do echo \"ARG=$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(root.resolve("lib/app/inpaint-studio.cfg"), JpackageImageTest.CFG);
        launcher = Files.createDirectories(root.resolve("bin")).resolve("inpaint-studio");
        String template = Files.readString(Path.of("packaging/linux/launcher"), StandardCharsets.UTF_8);
        Files.writeString(launcher, template.replace("@TUNABLES@", NativeHeap.TUNABLES)
                .replace("@NAME@", "inpaint-studio"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exit, String tunables, List<String> args, String output) {}

    private Run run(Path command, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(command.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("GLIBC_TUNABLES");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher ended");
        String tunables = null;
        List<String> argv = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("TUNABLES=")) {
                tunables = line.substring("TUNABLES=".length());
            } else if (line.startsWith("ARG=")) {
                argv.add(line.substring("ARG=".length()));
            }
        }
        return new Run(p.exitValue(), tunables, argv, out);
    }

    private List<String> expected(Path appPath, String... userArgs) {
        String app = root.resolve("lib/app").toString();
        List<String> args = new ArrayList<>(List.of("-Djpackage.app-version=0.1.0",
                "-DENGINE_CACHE_DIR=" + app + "/engines", "-XX:SharedArchiveFile=" + app + "/inpaint-studio.jsa",
                "-Xlog:cds=off", "-Djpackage.app-path=" + appPath,
                "-cp", app + "/inpaint-studio.jar:" + app + "/lib/api-0.36.0.jar", "com.inpaintstudio.Launcher"));
        args.addAll(List.of(userArgs));
        return args;
    }

    @Test
    void aCommandGetsTheCfgsJavaCommandAndGoesThroughTheRelaunch() throws Exception {
        Run r = run(launcher, Map.of(), "generate", "--prompt", "a red door", "--out", "my pictures/x.png");
        assertEquals(0, r.exit(), r.output());
        assertEquals(expected(launcher, "generate", "--prompt", "a red door", "--out", "my pictures/x.png"), r.args());
        assertEquals("<unset>", r.tunables(), "no tunables: the app's relaunch sets them and filters the child's stderr");
    }

    @Test
    void theEditorGetsTheMallocTunablesAndSoRunsInOneJvm() throws Exception {
        Run none = run(launcher, Map.of());
        assertEquals(0, none.exit(), none.output());
        assertEquals(expected(launcher), none.args());
        assertEquals(NativeHeap.TUNABLES, none.tunables());
        assertFalse(AllocatorRelauncher.shouldRelaunch("Linux", Map.of("GLIBC_TUNABLES", none.tunables())),
                "the app sees them and does not start a second JVM");

        Run edit = run(launcher, Map.of(), "edit", "photo one.jpg");
        assertEquals(expected(launcher, "edit", "photo one.jpg"), edit.args());
        assertEquals(NativeHeap.TUNABLES, edit.tunables());
    }

    @Test
    void theUsersOwnMallocTunablesWinAndOtherTunablesAreKept() throws Exception {
        assertEquals("glibc.malloc.arena_max=4",
                run(launcher, Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=4")).tunables());
        assertEquals("glibc.cpu.hwcaps=-AVX512F:" + NativeHeap.TUNABLES,
                run(launcher, Map.of("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX512F")).tunables());
    }

    @Test
    void startedThroughALinkItFindsTheImage() throws Exception {
        Path link = Files.createDirectories(tmp.resolve("usr/bin")).resolve("inpaint-studio");
        Files.createSymbolicLink(link, launcher);
        Run r = run(link, Map.of(), "--version");
        assertEquals(0, r.exit(), r.output());
        assertEquals(expected(launcher.toRealPath(), "--version"), r.args(),
                "the image's own paths, as from /usr/bin/inpaint-studio");
    }

    @Test
    void aDamagedImageGetsOneClearLineNotAJavaError() throws Exception {
        Files.write(root.resolve("lib/app/inpaint-studio.cfg"), List.of("[Application]", "app.splash=$APPDIR/x.png"));
        Run odd = run(launcher, Map.of());
        assertEquals(1, odd.exit());
        assertTrue(odd.output().contains("a setting this launcher does not know: app.splash=$APPDIR/x.png")
                && odd.output().contains("install Inpaint Studio again"), odd.output());
        assertTrue(odd.args().isEmpty(), "java was not started");

        Files.delete(root.resolve("lib/app/inpaint-studio.cfg"));
        Run gone = run(launcher, Map.of());
        assertEquals(1, gone.exit());
        assertTrue(gone.output().contains("cannot read " + root.resolve("lib/app/inpaint-studio.cfg")), gone.output());
    }
}
