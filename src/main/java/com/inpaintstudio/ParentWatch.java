package com.inpaintstudio;

import java.util.Map;
import java.util.Optional;

/**
 * Ends the relaunched child when the process that started it is gone. {@link AllocatorRelauncher}'s first process
 * only waits for its child and passes its exit code on; when it is killed ({@code kill -9}, a closed terminal, a
 * desktop session ending) nothing would stop the child, and its window stayed open with no owner. The parent puts
 * its pid into the child's environment ({@value #PARENT_PID_ENV}); the child polls it twice a second (a
 * {@link ProcessHandle} remembers the start time, so a reused pid does not count as alive) and exits with code 143
 * when it disappears, running shutdown hooks first.
 */
public final class ParentWatch {
    /** The launching process's pid, set in the child's environment by the parent. */
    public static final String PARENT_PID_ENV = "INPAINT_STUDIO_PARENT_PID";
    static final long POLL_MS = 500;

    private ParentWatch() {}

    /** Starts the watcher when this process was started by the relauncher; returns whether it did. */
    public static boolean startFromEnvironment(Map<String, String> env) {
        String pid = env.get(PARENT_PID_ENV);
        if (pid == null) {
            return false;
        }
        Optional<ProcessHandle> parent;
        try {
            parent = ProcessHandle.of(Long.parseLong(pid.trim()));
        } catch (NumberFormatException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
        if (parent.isEmpty()) {
            exit(); // the parent died before we got here
        }
        start(parent.get());
        return true;
    }

    /** Watches {@code parent} on a daemon thread and ends this process when it is no longer alive. */
    public static void start(ProcessHandle parent) {
        Thread t = new Thread(() -> {
            while (parent.isAlive()) {
                try {
                    Thread.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            exit();
        }, "parent-watch");
        t.setDaemon(true);
        t.start();
    }

    private static void exit() {
        if (System.getenv(AllocatorRelauncher.DEBUG_ENV) != null) {
            System.err.println("[relaunch] the launching process ended; exiting");
        }
        // System.exit runs shutdown hooks (archives, autosave); if one of them hangs, halt after 10 s
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                // exiting anyway
            }
            Runtime.getRuntime().halt(143);
        }, "parent-watch-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(143);
    }
}
