package com.inpaintstudio;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Re-executes the app once with glibc malloc tunables that stop large tensor allocations from faulting in page by
 * page (a 4096x4096 attention bmm: ~3.8 s with the defaults, ~0.4 s with the tunables). glibc reads
 * {@code GLIBC_TUNABLES} only at process start and the jpackage launcher cannot set environment variables, so the
 * first process starts a child with the variable set, passes its console through, and exits with the child's code.
 *
 * <p>Never loops (the child carries a marker), can be turned off with {@code INPAINT_STUDIO_NO_RELAUNCH=1}, does
 * nothing off Linux, when the user already chose an allocator setting, under a debugger, or when it cannot tell
 * exactly how this JVM was started; any failure before the child starts falls back to running in this process.
 */
public final class AllocatorRelauncher {
    /** The glibc tunables the child gets (appended to any the user already set). */
    public static final String TUNABLES = com.inpaintstudio.tensor.NativeHeap.TUNABLES;
    /** Set (to anything) to keep the app in the first process. */
    public static final String OPT_OUT_ENV = "INPAINT_STUDIO_NO_RELAUNCH";
    /** Set in the child's environment: the loop guard. */
    public static final String MARKER_ENV = "INPAINT_STUDIO_RELAUNCHED";
    /** Set (to anything) to have both processes say on stderr what they do: for troubleshooting and the CI check. */
    public static final String DEBUG_ENV = "INPAINT_STUDIO_RELAUNCH_DEBUG";

    private static final String MAIN_CLASS = "com.inpaintstudio.Launcher";

    private AllocatorRelauncher() {}

    /**
     * Called first thing in {@code main}. Returns when the app should run in this process; otherwise runs the app in a
     * child process and exits this JVM with the child's exit code (it does not return).
     */
    public static void relaunchIfNeeded(String[] args) {
        Optional<List<String>> command;
        Optional<ClassDataSharing.Plan> cds = Optional.empty();
        Map<String, String> env = System.getenv();
        boolean debug = env.containsKey(DEBUG_ENV);
        if (debug && env.containsKey(MARKER_ENV)) {
            System.err.println("[relaunch] child running with GLIBC_TUNABLES=" + env.get("GLIBC_TUNABLES"));
        }
        if (env.containsKey(MARKER_ENV)) {
            ParentWatch.startFromEnvironment(env); // end with the parent, even when it is killed with -9
        }
        try {
            if (!shouldRelaunch(System.getProperty("os.name", ""), env)) {
                return;
            }
            StartInfo start = StartInfo.current();
            cds = classDataSharing(start, args, env);
            List<String> extra = new ArrayList<>(cds.map(ClassDataSharing.Plan::jvmOptions).orElse(List.of()));
            extra.addAll(editorJitOptions(args, start.jvmArgs()));
            command = childCommand(start, args, extra);
        } catch (RuntimeException | Error e) {
            if (debug) {
                System.err.println("[relaunch] cannot tell how this JVM started (" + e + "), running in this process");
            }
            return; // could not work out how we were started: run here
        }
        if (command.isEmpty()) {
            if (debug) {
                System.err.println("[relaunch] not started as the app's launcher, running in this process");
            }
            return;
        }
        Process child;
        Thread stderrCopy = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(command.get()).inheritIO();
            boolean filter = !"1".equals(env.get("INPAINT_DEBUG"));
            if (filter) {
                pb.redirectError(ProcessBuilder.Redirect.PIPE); // libtorch's NNPACK warning is dropped on the way
            }
            pb.environment().clear();
            String appPath = System.getProperty("jpackage.app-path");
            boolean viaLauncher = appPath != null && command.get().get(0).equals(appPath);
            pb.environment().putAll(childEnvironment(env, appPath, viaLauncher));
            if (debug) {
                System.err.println("[relaunch] JVM options from " + jvmArgsSource);
                System.err.println("[relaunch] starting " + command.get());
            }
            child = pb.start();
            if (filter) {
                stderrCopy = NativeNoiseFilter.start(child.getErrorStream());
            }
        } catch (Exception e) {
            if (debug) {
                System.err.println("[relaunch] could not start the child (" + e + "), running in this process");
            }
            return; // the child did not start: nothing ran yet, run here
        }
        Optional<ClassDataSharing.Plan> archive = cds;
        Thread killChild = new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
            }
            if (archive.isPresent()) {
                try {
                    // the child may be writing its archive as it exits: publish it if it finishes in time
                    if (child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                        archive.get().finish(child.exitValue());
                    }
                } catch (InterruptedException e) {
                    // stopping anyway
                }
            }
        }, "allocator-relauncher-stop-child");
        Runtime.getRuntime().addShutdownHook(killChild);
        int code;
        while (true) {
            try {
                code = child.waitFor();
                break;
            } catch (InterruptedException e) {
                // keep waiting: the child owns the console and the work
            }
        }
        if (stderrCopy != null) {
            try {
                stderrCopy.join(2000); // the child's last lines (its error message) before we exit
            } catch (InterruptedException e) {
                // exiting anyway
            }
        }
        int exit = code;
        cds.ifPresent(plan -> plan.finish(exit));
        Runtime.getRuntime().halt(code);
    }

    /** Whether this process should hand over to a child with the tunables set. */
    static boolean shouldRelaunch(String osName, Map<String, String> env) {
        if (!osName.startsWith("Linux")) {
            return false;
        }
        if (env.containsKey(OPT_OUT_ENV) || env.containsKey(MARKER_ENV)) {
            return false;
        }
        String tunables = env.getOrDefault("GLIBC_TUNABLES", "");
        if (tunables.contains("glibc.malloc.")) {
            return false; // the user tuned malloc already
        }
        String preload = env.getOrDefault("LD_PRELOAD", "");
        return !(preload.contains("tcmalloc") || preload.contains("jemalloc") || preload.contains("mimalloc"));
    }

    /**
     * The child's environment: ours plus the tunables and the loop guard. When the child is a jpackage launcher again
     * ({@code jpackageAppPath} not null) also without what that launcher added for its own second stage: with {@code
     * _JPACKAGE_LAUNCHER} set a launcher takes its arguments as JVM options, and it appends its app folder to
     * {@code LD_LIBRARY_PATH} again. (A child started with the image's java directly keeps the launcher's
     * {@code LD_LIBRARY_PATH}, as the launcher would have set it.)
     */
    static Map<String, String> childEnvironment(Map<String, String> env, String jpackageAppPath) {
        return childEnvironment(env, jpackageAppPath, true);
    }

    /** Same; {@code viaLauncher}: the image's child is its launcher again, not its java (see {@link JpackageImage}). */
    static Map<String, String> childEnvironment(Map<String, String> env, String jpackageAppPath, boolean viaLauncher) {
        Map<String, String> out = new HashMap<>(env);
        String existing = env.get("GLIBC_TUNABLES");
        out.put("GLIBC_TUNABLES", existing == null || existing.isBlank() ? TUNABLES : existing + ":" + TUNABLES);
        out.put(MARKER_ENV, "1");
        out.put(ParentWatch.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
        if (jpackageAppPath == null) {
            // The java launcher already folded these into the JVM arguments we pass on explicitly.
            out.remove("JDK_JAVA_OPTIONS");
            out.remove("JAVA_TOOL_OPTIONS");
            return out;
        }
        out.remove("_JPACKAGE_LAUNCHER");
        if (!viaLauncher) {
            return out;
        }
        String ld = env.get("LD_LIBRARY_PATH");
        Path launcher = Path.of(jpackageAppPath).toAbsolutePath();
        if (ld != null && launcher.getParent() != null && launcher.getParent().getParent() != null) {
            String added = ":" + launcher.getParent().getParent().resolve("lib").resolve("app");
            if (ld.endsWith(added)) {
                String before = ld.substring(0, ld.length() - added.length());
                if (before.isEmpty()) {
                    out.remove("LD_LIBRARY_PATH");
                } else {
                    out.put("LD_LIBRARY_PATH", before);
                }
            }
        }
        return out;
    }

    /**
     * The class-data-sharing plan for the child: only for the editor (the start-up users wait for, and the only
     * command whose classes the archive holds) started from jars with a known Java runtime, not for a jpackage
     * launcher (it re-reads its own JVM options) and not when {@link ClassDataSharing#OPT_OUT_ENV} is set.
     */
    static Optional<ClassDataSharing.Plan> classDataSharing(StartInfo s, String[] args, Map<String, String> env) {
        boolean editor = args.length == 0 || args[0].equals("edit");
        if (!editor || s.jpackageAppPath() != null || s.javaCommand() == null || env.containsKey(ClassDataSharing.OPT_OUT_ENV)) {
            return Optional.empty();
        }
        String version = AllocatorRelauncher.class.getPackage().getImplementationVersion();
        return ClassDataSharing.plan(System.getProperty("java.home"), s.classPath(), s.jvmArgs(),
                version == null ? "dev" : version, env, ProcessHandle.current().pid());
    }

    /**
     * JIT settings for the editor's JVM (started from jars; the app image's .cfg carries the same options): C2, the
     * optimising compiler, takes a method after 10x the usual calls or loop iterations; C1 compiles as usual. While
     * the window opens, C2 otherwise spends ~1 s of CPU (as much as half the JavaFX thread's work) on CSS and layout
     * code that runs a few thousand times during start-up and rarely after; with these ~0.2 s, and the JavaFX thread
     * keeps its speed (C1 code). Code that runs long (painting, image loops, the engine's Java side) still reaches C2
     * within a fraction of a second, so the speed after start-up is unchanged. (Scaling all thresholds,
     * {@code -XX:CompileThresholdScaling=10}, saved as much CPU but left the JavaFX thread ~0.4 s longer in the
     * interpreter; C1 alone, {@code -XX:TieredStopAtLevel=1}, is cheapest at start but slower for good.) Not added
     * when the user chose a JIT setting.
     */
    static List<String> editorJitOptions(String[] args, List<String> jvmArgs) {
        boolean editor = args.length == 0 || args[0].equals("edit");
        if (!editor) {
            return List.of();
        }
        for (String a : jvmArgs) {
            if (a.startsWith("-XX:CompileThresholdScaling") || a.startsWith("-XX:TieredStopAtLevel")
                    || a.startsWith("-XX:Tier4") || a.contains("TieredCompilation") || a.equals("-Xint")
                    || a.equals("-Xcomp")) {
                return List.of();
            }
        }
        return EDITOR_JIT;
    }

    /** See {@link #editorJitOptions}: C2's thresholds, 10x their defaults (5000, 600, 15000, 40000). */
    public static final List<String> EDITOR_JIT = List.of("-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4MinInvocationThreshold=6000", "-XX:Tier4CompileThreshold=150000",
            "-XX:Tier4BackEdgeThreshold=400000");

    /** The command that starts this same app again, or empty when it cannot be rebuilt exactly. */
    static Optional<List<String>> childCommand(StartInfo s, String[] args) {
        return childCommand(s, args, List.of());
    }

    /** Same, with {@code extraJvmOptions} after this JVM's own options (ignored for a jpackage launcher). */
    static Optional<List<String>> childCommand(StartInfo s, String[] args, List<String> extraJvmOptions) {
        List<String> cmd = new ArrayList<>();
        if (s.jpackageAppPath() != null) {
            // The image's own java with the .cfg's options (see JpackageImage); else the launcher, which re-reads its
            // .cfg (class path, JVM options): pass only the user's arguments.
            Optional<List<String>> direct = JpackageImage.javaCommand(s.jpackageAppPath(), args);
            if (direct.isPresent()) {
                return direct;
            }
            cmd.add(s.jpackageAppPath());
            cmd.addAll(List.of(args));
            return Optional.of(cmd);
        }
        if (s.javaCommand() == null || s.sunJavaCommand() == null || s.classPath() == null) {
            return Optional.empty();
        }
        for (String a : s.jvmArgs()) {
            if (a.startsWith("-agentlib:jdwp") || a.startsWith("-Xrunjdwp") || a.startsWith("-Xdebug")
                    || a.startsWith("-Djdk.module.") || a.startsWith("-XX:Flags=") || a.startsWith("-XX:VMOptionsFile")) {
                return Optional.empty(); // a debugger holds the port, or options we could not replay faithfully
            }
        }
        cmd.add(s.javaCommand());
        cmd.addAll(s.jvmArgs());
        cmd.addAll(extraJvmOptions);
        String first = s.sunJavaCommand().split(" ", 2)[0];
        if (first.equals(MAIN_CLASS)) {
            cmd.add("-cp");
            cmd.add(s.classPath());
            cmd.add(MAIN_CLASS);
        } else if (s.launcherJar() != null && s.sunJavaCommand().startsWith(s.classPath())
                && samePath(s.classPath(), s.launcherJar())) {
            cmd.add("-jar");
            cmd.add(s.classPath());
        } else {
            return Optional.empty(); // started by something else (a test runner, another main class): stay here
        }
        cmd.addAll(List.of(args));
        return Optional.of(cmd);
    }

    private static boolean samePath(String a, String b) {
        try {
            return Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** How this JVM was started, as far as the relaunch needs to know. */
    record StartInfo(String jpackageAppPath, String javaCommand, List<String> jvmArgs, String sunJavaCommand,
                     String classPath, String launcherJar) {
        static StartInfo current() {
            if (System.getProperty("jpackage.app-path") != null) {
                return new StartInfo(System.getProperty("jpackage.app-path"), null, List.of(), null, null, null);
            }
            String launcherJar = null;
            try {
                var src = AllocatorRelauncher.class.getProtectionDomain().getCodeSource();
                if (src != null && src.getLocation().getPath().endsWith(".jar")) {
                    launcherJar = Path.of(src.getLocation().toURI()).toString();
                }
            } catch (Exception e) {
                launcherJar = null;
            }
            // JMX also reports options taken from the environment (which the child then does not inherit)
            boolean envOptions = System.getenv("JDK_JAVA_OPTIONS") != null || System.getenv("JAVA_TOOL_OPTIONS") != null
                    || System.getenv("_JAVA_OPTIONS") != null;
            List<String> jvmArgs = envOptions ? null : jvmOptionsFromCommandLine(Path.of("/proc/self/cmdline")).orElse(null);
            jvmArgsSource = jvmArgs != null ? "the command line" : "JMX";
            if (jvmArgs == null) {
                jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
            }
            return new StartInfo(null, ProcessHandle.current().info().command().orElse(null), jvmArgs,
                    System.getProperty("sun.java.command"), System.getProperty("java.class.path"), launcherJar);
        }
    }

    /** Where {@link StartInfo#current()} found this JVM's options (said with {@link #DEBUG_ENV}). */
    static volatile String jvmArgsSource = "";

    /** The java launcher's options that take their value as the next argument. */
    private static final java.util.Set<String> OPTIONS_WITH_VALUE = java.util.Set.of("-cp", "-classpath",
            "--class-path", "-p", "--module-path", "--upgrade-module-path", "--add-modules", "--limit-modules",
            "--add-reads", "--add-exports", "--add-opens", "--patch-module", "--source", "--enable-native-access");

    /**
     * This JVM's options as its command line gave them ({@code /proc/self/cmdline}: the arguments between the java
     * command and the main class or {@code -jar}), without the class path (the child gets it explicitly). Reading
     * them through JMX ({@code RuntimeMXBean.getInputArguments}) costs ~0.15 s of class loading in this short-lived
     * first process, which the editor's window waits for. Used only when no options come from the environment
     * ({@code JDK_JAVA_OPTIONS}, {@code JAVA_TOOL_OPTIONS}, {@code _JAVA_OPTIONS}: JMX reports those too). Empty when
     * the line cannot be read or understood (then JMX is asked): an {@code @argfile}, a module main class.
     */
    static Optional<List<String>> jvmOptionsFromCommandLine(Path cmdline) {
        try {
            if (!Files.isReadable(cmdline)) {
                return Optional.empty();
            }
            String[] parts = new String(Files.readAllBytes(cmdline), java.nio.charset.StandardCharsets.UTF_8)
                    .split("\0", -1);
            return jvmOptions(List.of(parts));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code java [options] (-jar file | mainclass) args...} -> the options; empty when there is no such split. */
    static Optional<List<String>> jvmOptions(List<String> commandLine) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < commandLine.size(); i++) {
            String a = commandLine.get(i);
            if (a.equals("-jar") || !a.startsWith("-")) {
                return a.isEmpty() || a.startsWith("@") ? Optional.empty() : Optional.of(List.copyOf(out));
            }
            if (a.equals("-m") || a.equals("--module") || a.startsWith("--module=")) {
                return Optional.empty();
            }
            if (OPTIONS_WITH_VALUE.contains(a)) {
                if (i + 1 >= commandLine.size()) {
                    return Optional.empty();
                }
                String value = commandLine.get(++i);
                if (!(a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path"))) {
                    out.add(a);
                    out.add(value);
                }
            } else if (!a.startsWith("--class-path=")) {
                out.add(a);
            }
        }
        return Optional.empty();
    }
}
