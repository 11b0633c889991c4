package com.inpaintstudio;

import java.lang.management.ManagementFactory;
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
            command = childCommand(start, args, cds.map(ClassDataSharing.Plan::jvmOptions).orElse(List.of()));
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
            pb.environment().putAll(childEnvironment(env, System.getProperty("jpackage.app-path")));
            if (debug) {
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
     * The child's environment: ours plus the tunables and the loop guard. Under a jpackage launcher ({@code
     * jpackageAppPath} not null) also without what that launcher added for its own second stage: with {@code
     * _JPACKAGE_LAUNCHER} set a launcher takes its arguments as JVM options, and it appends its app folder to
     * {@code LD_LIBRARY_PATH} again.
     */
    static Map<String, String> childEnvironment(Map<String, String> env, String jpackageAppPath) {
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

    /** The command that starts this same app again, or empty when it cannot be rebuilt exactly. */
    static Optional<List<String>> childCommand(StartInfo s, String[] args) {
        return childCommand(s, args, List.of());
    }

    /** Same, with {@code extraJvmOptions} after this JVM's own options (ignored for a jpackage launcher). */
    static Optional<List<String>> childCommand(StartInfo s, String[] args, List<String> extraJvmOptions) {
        List<String> cmd = new ArrayList<>();
        if (s.jpackageAppPath() != null) {
            // The jpackage launcher re-reads its .cfg (class path, JVM options): pass only the user's arguments.
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
            return new StartInfo(null, ProcessHandle.current().info().command().orElse(null),
                    ManagementFactory.getRuntimeMXBean().getInputArguments(),
                    System.getProperty("sun.java.command"), System.getProperty("java.class.path"), launcherJar);
        }
    }
}
