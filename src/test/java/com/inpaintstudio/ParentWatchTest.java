package com.inpaintstudio;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relaunched child ends when its parent is killed with SIGKILL: real processes, no mocks. */
class ParentWatchTest {
    @Test
    void parentPassesItsPidToTheChild() {
        Map<String, String> env = AllocatorRelauncher.childEnvironment(Map.of(), null);
        assertEquals(Long.toString(ProcessHandle.current().pid()), env.get(ParentWatch.PARENT_PID_ENV));
    }

    @Test
    void childExitsWhenItsParentIsKilledWithSigkill() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        // the parent: a shell that starts the child with its own pid in the environment and waits for it
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "INPAINT_STUDIO_PARENT_PID=$$ \"$0\" -cp \"$1\" "
                + "com.inpaintstudio.ParentWatchProbe; echo parent-done", java, cp);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().remove(AllocatorRelauncher.DEBUG_ENV);
        Process parent = pb.start();
        ProcessHandle child = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
            String[] line = out.readLine().split(" ");
            assertEquals("true", line[1], "the probe found its parent's pid");
            child = ProcessHandle.of(Long.parseLong(line[0])).orElseThrow();
            assertEquals(parent.pid(), child.parent().orElseThrow().pid());
            Thread.sleep(3 * ParentWatch.POLL_MS);
            assertTrue(child.isAlive(), "with its parent alive the child keeps running");

            parent.destroyForcibly(); // SIGKILL: the parent runs no code of its own
            assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
            child.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "the child ended with its parent");
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
            parent.destroyForcibly();
        }
    }

    @Test
    void noWatchOutsideARelaunch() {
        assertFalse(ParentWatch.startFromEnvironment(Map.of()));
        assertFalse(ParentWatch.startFromEnvironment(Map.of(ParentWatch.PARENT_PID_ENV, "not-a-pid")));
    }
}
