package com.inpaintstudio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.inpaintstudio.AllocatorRelauncher.StartInfo;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AllocatorRelauncherTest {
    private static final String[] ARGS = {"generate", "--prompt", "a red door", ""};

    @Test
    void relaunchesOnlyOnLinuxWithoutAnAllocatorChoice() {
        assertTrue(AllocatorRelauncher.shouldRelaunch("Linux", Map.of()));
        assertTrue(AllocatorRelauncher.shouldRelaunch("Linux", Map.of("GLIBC_TUNABLES", "glibc.pthread.rseq=0")));
        assertFalse(AllocatorRelauncher.shouldRelaunch("Mac OS X", Map.of()));
        assertFalse(AllocatorRelauncher.shouldRelaunch("Windows 11", Map.of()));
        assertFalse(AllocatorRelauncher.shouldRelaunch("Linux", Map.of("INPAINT_STUDIO_NO_RELAUNCH", "1")));
        assertFalse(AllocatorRelauncher.shouldRelaunch("Linux", Map.of("INPAINT_STUDIO_RELAUNCHED", "1")),
                "the child must never relaunch again");
        assertFalse(AllocatorRelauncher.shouldRelaunch("Linux",
                Map.of("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=65536")));
        assertFalse(AllocatorRelauncher.shouldRelaunch("Linux", Map.of("GLIBC_TUNABLES", "glibc.malloc.hugetlb=2")));
        assertFalse(AllocatorRelauncher.shouldRelaunch("Linux",
                Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4")));
    }

    @Test
    void childEnvironmentAddsTunablesAndLoopGuard() {
        Map<String, String> env = AllocatorRelauncher.childEnvironment(
                Map.of("HOME", "/home/u", "GLIBC_TUNABLES", "glibc.pthread.rseq=0", "JDK_JAVA_OPTIONS", "-Dx=1"), null);
        assertEquals("glibc.pthread.rseq=0:" + AllocatorRelauncher.TUNABLES, env.get("GLIBC_TUNABLES"));
        assertEquals("1", env.get(AllocatorRelauncher.MARKER_ENV));
        assertEquals("/home/u", env.get("HOME"));
        assertFalse(env.containsKey("JDK_JAVA_OPTIONS"), "already part of the JVM arguments passed on");
        assertFalse(AllocatorRelauncher.shouldRelaunch("Linux", env));
    }

    @Test
    void childOfAJpackageLauncherLosesTheLauncherSecondStageState() {
        String app = "/opt/inpaint-studio/bin/inpaint-studio";
        Map<String, String> jp = AllocatorRelauncher.childEnvironment(Map.of("JDK_JAVA_OPTIONS", "-Dx=1",
                "_JPACKAGE_LAUNCHER", "0", "LD_LIBRARY_PATH", ":/opt/inpaint-studio/lib/app"), app);
        assertEquals(AllocatorRelauncher.TUNABLES, jp.get("GLIBC_TUNABLES"));
        assertEquals("-Dx=1", jp.get("JDK_JAVA_OPTIONS"));
        assertFalse(jp.containsKey("_JPACKAGE_LAUNCHER"), "else the child launcher reads the user's args as JVM options");
        assertFalse(jp.containsKey("LD_LIBRARY_PATH"));
        Map<String, String> user = AllocatorRelauncher.childEnvironment(
                Map.of("LD_LIBRARY_PATH", "/usr/local/cuda/lib64:/opt/inpaint-studio/lib/app"), app);
        assertEquals("/usr/local/cuda/lib64", user.get("LD_LIBRARY_PATH"));
    }

    @Test
    void jpackageLauncherIsReExecutedWithTheUserArgumentsOnly() {
        StartInfo s = new StartInfo("/opt/inpaint-studio/bin/InpaintStudio", null, List.of(), null, null, null);
        assertEquals(List.of("/opt/inpaint-studio/bin/InpaintStudio", "generate", "--prompt", "a red door", ""),
                AllocatorRelauncher.childCommand(s, ARGS).orElseThrow());
    }

    @Test
    void classPathStartIsReplayedWithJvmOptions() {
        StartInfo s = new StartInfo(null, "/usr/bin/java", List.of("-Xmx8g", "-Dai.djl.offline=true"),
                "com.inpaintstudio.Launcher generate --prompt a red door ", "/a/classes:/a/lib/x.jar", null);
        assertEquals(List.of("/usr/bin/java", "-Xmx8g", "-Dai.djl.offline=true", "-cp", "/a/classes:/a/lib/x.jar",
                        "com.inpaintstudio.Launcher", "generate", "--prompt", "a red door", ""),
                AllocatorRelauncher.childCommand(s, ARGS).orElseThrow());
    }

    @Test
    void jarStartIsReplayedWithDashJar() {
        StartInfo s = new StartInfo(null, "/usr/bin/java", List.of(), "/a/inpaint studio.jar --version",
                "/a/inpaint studio.jar", "/a/inpaint studio.jar");
        assertEquals(List.of("/usr/bin/java", "-jar", "/a/inpaint studio.jar", "--version"),
                AllocatorRelauncher.childCommand(s, new String[] {"--version"}).orElseThrow());
    }

    @Test
    void classDataSharingOptionsGoAfterTheJvmOptionsAndBeforeTheMainClassOrJar() {
        List<String> cds = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:SharedArchiveFile=/c/a.jsa");
        StartInfo jar = new StartInfo(null, "/usr/bin/java", List.of("-Xmx8g"), "/a/app.jar", "/a/app.jar",
                "/a/app.jar");
        assertEquals(List.of("/usr/bin/java", "-Xmx8g", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                        "-XX:SharedArchiveFile=/c/a.jsa", "-jar", "/a/app.jar"),
                AllocatorRelauncher.childCommand(jar, new String[0], cds).orElseThrow());
        StartInfo cp = new StartInfo(null, "/usr/bin/java", List.of(), "com.inpaintstudio.Launcher edit", "/a/x.jar",
                null);
        assertEquals(List.of("/usr/bin/java", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                        "-XX:SharedArchiveFile=/c/a.jsa", "-cp", "/a/x.jar", "com.inpaintstudio.Launcher", "edit"),
                AllocatorRelauncher.childCommand(cp, new String[] {"edit"}, cds).orElseThrow());
        StartInfo jp = new StartInfo("/opt/inpaint-studio/bin/inpaint-studio", null, List.of(), null, null, null);
        assertEquals(List.of("/opt/inpaint-studio/bin/inpaint-studio"),
                AllocatorRelauncher.childCommand(jp, new String[0], cds).orElseThrow(),
                "a jpackage launcher would read JVM options as the user's arguments");
    }

    @Test
    void classDataSharingOnlyForTheEditorStartedFromJars(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path jarFile = Files.write(tmp.resolve("app.jar"), new byte[] {'P', 'K'});
        Map<String, String> env = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        StartInfo jar = new StartInfo(null, "/usr/bin/java", List.of(), jarFile.toString(), jarFile.toString(),
                jarFile.toString());
        boolean baseArchive = Files.isRegularFile(Path.of(System.getProperty("java.home"), "lib/server/classes.jsa"));
        assertEquals(baseArchive, AllocatorRelauncher.classDataSharing(jar, new String[0], env).isPresent());
        assertEquals(baseArchive, AllocatorRelauncher.classDataSharing(jar, new String[] {"edit"}, env).isPresent());
        assertEquals(Optional.empty(), AllocatorRelauncher.classDataSharing(jar, new String[] {"--version"}, env));
        assertEquals(Optional.empty(), AllocatorRelauncher.classDataSharing(jar, ARGS, env), "CLI commands");
        assertEquals(Optional.empty(), AllocatorRelauncher.classDataSharing(jar, new String[0],
                Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(), "INPAINT_STUDIO_NO_CDS", "1")));
        StartInfo jp = new StartInfo("/opt/inpaint-studio/bin/inpaint-studio", null, List.of(), null, null, null);
        assertEquals(Optional.empty(), AllocatorRelauncher.classDataSharing(jp, new String[0], env));
    }

    @Test
    void staysInProcessWhenStartedBySomethingElseOrUnderADebugger() {
        StartInfo surefire = new StartInfo(null, "/usr/bin/java", List.of(), "/tmp/surefirebooter1.jar /tmp x",
                "/tmp/surefirebooter1.jar", null);
        assertEquals(Optional.empty(), AllocatorRelauncher.childCommand(surefire, ARGS));
        StartInfo otherMain = new StartInfo(null, "/usr/bin/java", List.of(), "org.example.Main", "/a", null);
        assertEquals(Optional.empty(), AllocatorRelauncher.childCommand(otherMain, ARGS));
        StartInfo debug = new StartInfo(null, "/usr/bin/java",
                List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005"), "com.inpaintstudio.Launcher",
                "/a", null);
        assertEquals(Optional.empty(), AllocatorRelauncher.childCommand(debug, ARGS));
        StartInfo unknownJava = new StartInfo(null, null, List.of(), "com.inpaintstudio.Launcher", "/a", null);
        assertEquals(Optional.empty(), AllocatorRelauncher.childCommand(unknownJava, ARGS));
    }

    @Test
    void jvmOptionsAreReadFromTheCommandLineUpToTheMainClassOrJar() {
        assertEquals(Optional.of(List.of("-Xmx8g", "-Dai.djl.offline=true")), AllocatorRelauncher.jvmOptions(List.of(
                "/usr/bin/java", "-Xmx8g", "-cp", "/a/x.jar:/a/y.jar", "-Dai.djl.offline=true",
                "com.inpaintstudio.Launcher", "generate", "-Xmx1g")));
        assertEquals(Optional.of(List.of("-Xss2m", "--add-opens", "java.base/java.lang=ALL-UNNAMED")),
                AllocatorRelauncher.jvmOptions(List.of("java", "-Xss2m", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                        "-jar", "/a/inpaint-studio.jar", "edit", "-jar")));
        assertEquals(Optional.of(List.of()), AllocatorRelauncher.jvmOptions(List.of("java", "-jar", "app.jar")));
        assertEquals(Optional.of(List.of("-ea")), AllocatorRelauncher.jvmOptions(List.of("java", "--class-path=/a.jar",
                "-ea", "com.inpaintstudio.Launcher")));
        // what only JMX can answer: an @argfile, a module main class, no main class at all
        assertEquals(Optional.empty(), AllocatorRelauncher.jvmOptions(List.of("java", "@opts", "-cp", "x", "Main")));
        assertEquals(Optional.empty(), AllocatorRelauncher.jvmOptions(List.of("java", "-m", "app/app.Main")));
        assertEquals(Optional.empty(), AllocatorRelauncher.jvmOptions(List.of("java", "-Xmx1g", "-cp")));
    }

    @Test
    void editorChildGetsTheStartUpJitSettingUnlessTheUserChoseOne() {
        assertEquals(AllocatorRelauncher.EDITOR_JIT, AllocatorRelauncher.editorJitOptions(new String[0], List.of("-Xmx8g")));
        assertEquals(AllocatorRelauncher.EDITOR_JIT, AllocatorRelauncher.editorJitOptions(new String[] {"edit", "a.png"}, List.of()));
        assertTrue(AllocatorRelauncher.EDITOR_JIT.stream().allMatch(o -> o.startsWith("-XX:Tier4")));
        assertEquals(List.of(), AllocatorRelauncher.editorJitOptions(ARGS, List.of()), "CLI commands keep the defaults");
        assertEquals(List.of(), AllocatorRelauncher.editorJitOptions(new String[0], List.of("-XX:TieredStopAtLevel=1")));
        assertEquals(List.of(), AllocatorRelauncher.editorJitOptions(new String[0], List.of("-XX:CompileThresholdScaling=2")));
        assertEquals(List.of(), AllocatorRelauncher.editorJitOptions(new String[0], List.of("-Xint")));
        assertEquals(List.of(), AllocatorRelauncher.editorJitOptions(new String[0], List.of("-XX:Tier4InvocationThreshold=1")));
    }

    @Test
    void jvmOptionsAreReadFromAProcCmdlineFile() throws Exception {
        Path f = Files.createTempFile("cmdline", "");
        try {
            Files.write(f, "/usr/bin/java\0-Xmx2g\0-cp\0/a.jar\0-Dk=a b\0com.inpaintstudio.Launcher\0edit\0"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(Optional.of(List.of("-Xmx2g", "-Dk=a b")), AllocatorRelauncher.jvmOptionsFromCommandLine(f));
        } finally {
            Files.delete(f);
        }
        assertEquals(Optional.empty(), AllocatorRelauncher.jvmOptionsFromCommandLine(Path.of("/no/such/cmdline")));
    }

    @Test
    void jvmOptionsOfThisTestJvmMatchWhatJmxReports() {
        Path cmdline = Path.of("/proc/self/cmdline");
        List<String> jmx = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        boolean envOptions = System.getenv("JDK_JAVA_OPTIONS") != null || System.getenv("JAVA_TOOL_OPTIONS") != null
                || System.getenv("_JAVA_OPTIONS") != null;
        Optional<List<String>> parsed = AllocatorRelauncher.jvmOptionsFromCommandLine(cmdline);
        if (!Files.isReadable(cmdline) || envOptions || parsed.isEmpty()) {
            return; // not Linux, options from the environment, or an @argfile: the relaunch asks JMX then
        }
        assertEquals(jmx, parsed.get());
    }

    /** End to end: a real JVM started like the jar relaunches once, the child sees the tunables, the exit code passes. */
    @Test
    void realLauncherRelaunchesOnceAndPassesTheExitCode() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String cp = System.getProperty("java.class.path");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", cp, "com.inpaintstudio.Launcher",
                "--no-such-option");
        pb.environment().remove("GLIBC_TUNABLES");
        pb.environment().remove(AllocatorRelauncher.OPT_OUT_ENV);
        pb.environment().remove(AllocatorRelauncher.MARKER_ENV);
        pb.environment().put(AllocatorRelauncher.DEBUG_ENV, "1");
        File log = Files.createTempFile("relaunch", ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher did not finish");
        String out = Files.readString(log.toPath());
        log.delete();
        if (!System.getProperty("os.name").startsWith("Linux")) {
            assertFalse(out.contains("[relaunch]"), out);
            return;
        }
        assertEquals(1, out.split("\\[relaunch\\] starting", -1).length - 1, out);
        assertTrue(out.contains("[relaunch] child running with GLIBC_TUNABLES=" + AllocatorRelauncher.TUNABLES), out);
        assertTrue(out.contains("--no-such-option"), out);
        assertTrue(out.contains("-Xmx256m, -cp, "), "the child gets this JVM's options: " + out);
        boolean envOptions = System.getenv("JDK_JAVA_OPTIONS") != null || System.getenv("JAVA_TOOL_OPTIONS") != null
                || System.getenv("_JAVA_OPTIONS") != null;
        assertTrue(out.contains("[relaunch] JVM options from " + (envOptions ? "JMX" : "the command line")), out);
        assertEquals(2, p.exitValue(), "picocli's usage-error code must come back through the parent: " + out);
    }
}
