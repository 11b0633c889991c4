package com.inpaintstudio.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash recovery as it really happens: an editor process paints, generates with the tiny model and is killed with
 * SIGKILL once its session is saved; a second process restores the session; photo, mask, result pixels, parameters
 * and settings must be the same.
 */
class SessionRecoveryTest {
    @TempDir
    Path dir;

    private Process start(String mode, Path out, Path session, String answer) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless",
                "-Dprism.order=sw", "-Djava.awt.headless=true", "-D" + AutosaveController.ANSWER_PROPERTY + "=" + answer,
                "-cp", System.getProperty("java.class.path"), SessionCrashDemo.class.getName(), mode, out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(mode + ".log").toFile());
        pb.environment().put("INPAINT_STUDIO_SESSION_DIR", session.toString());
        pb.environment().remove("INPAINT_STUDIO_AUTOSAVE");
        return pb.start();
    }

    private String log(String mode) throws Exception {
        Path f = dir.resolve(mode + ".log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Test
    void killMinusNineThenRestoreBringsBackEveryPixel() throws Exception {
        Path session = dir.resolve("session");
        Path workOut = dir.resolve("work.txt");
        Process work = start("work", workOut, session, "discard");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(workOut) && work.isAlive() && System.nanoTime() < end) {
            Thread.sleep(200);
        }
        assertTrue(Files.exists(workOut), "the editor finished its work: " + log("work"));
        work.destroyForcibly(); // SIGKILL: no shutdown hook, no clean exit
        assertTrue(work.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, work.exitValue(), "killed by SIGKILL");
        assertTrue(Files.exists(session.resolve(SessionStore.SESSION_JSON)), "the session was left on disk");

        Path restoreOut = dir.resolve("restore.txt");
        Process restore = start("restore", restoreOut, session, "restore");
        assertTrue(restore.waitFor(240, TimeUnit.SECONDS), "restore finished: " + log("restore"));
        assertEquals(0, restore.exitValue(), log("restore"));
        String before = Files.readString(workOut);
        String after = Files.readString(restoreOut);
        assertTrue(before.contains("result "), before);
        assertTrue(before.contains("painted true"), before);
        assertEquals(before, after, "restored session differs");
    }
}
