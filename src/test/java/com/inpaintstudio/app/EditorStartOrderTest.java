package com.inpaintstudio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real start path ({@code com.inpaintstudio.Launcher} without arguments, in its own JVM, headless JavaFX) with a
 * Stable Diffusion model in the models folder: no DJL class may load before the editor's first frame (the engine
 * starts loading only after it), and the engine does start loading right after.
 */
class EditorStartOrderTest {
    private static final String FIRST_FRAME = "first frame after";
    private static final String DJL_CLASS = "[class,load] ai.djl.";

    @TempDir
    Path tmp;

    @Test
    void noDjlClassLoadsBeforeTheFirstFrameAndTheEngineLoadsAfterIt() throws Exception {
        Path models = Path.of("src/test/resources/fixtures/sd15-tiny-inpaint/model").toAbsolutePath();
        assertTrue(Files.isDirectory(models.resolve("tiny-sd-inpaint")), "tiny model fixture");
        String djlCache = System.getenv("ENGINE_CACHE_DIR") != null ? System.getenv("ENGINE_CACHE_DIR")
                : System.getProperty("ENGINE_CACHE_DIR", Path.of(System.getProperty("user.home"), ".djl.ai").toString());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Xlog:class+load=info", "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless",
                "-Dprism.order=sw", "-Djava.awt.headless=true", "-Dai.djl.offline=true",
                "-DENGINE_CACHE_DIR=" + djlCache,
                "-Djava.util.prefs.userRoot=" + tmp.resolve("prefs"), // a first start: no remembered model or photo
                "-Dinpaintstudio.session.restore=discard",
                "-cp", System.getProperty("java.class.path"), "com.inpaintstudio.Launcher"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("INPAINT_STUDIO_NO_RELAUNCH", "1");
        pb.environment().put("INPAINT_STUDIO_MODELS", models.toString());
        pb.environment().put("INPAINT_STUDIO_SESSION_DIR", tmp.resolve("session").toString());
        Process p = pb.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            List<String> beforeFrame = new ArrayList<>();
            String frame = null;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (frame == null && System.nanoTime() < end) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                if (l == null) {
                    assertTrue(p.isAlive() || !lines.isEmpty(), "the editor ended before its first frame: " + tail(beforeFrame));
                } else if (l.contains(FIRST_FRAME)) {
                    frame = l;
                } else {
                    beforeFrame.add(l);
                }
            }
            assertTrue(frame != null, "no first frame logged: " + tail(beforeFrame));
            assertTrue(beforeFrame.stream().anyMatch(l -> l.contains("[class,load] com.inpaintstudio.app.EditorWindow ")),
                    "the class-load log is seen (else the next check proves nothing)");
            assertEquals(List.of(), beforeFrame.stream().filter(l -> l.contains(DJL_CLASS)).toList(),
                    "DJL classes loaded before the window's first frame");
            String djl = null;
            List<String> after = new ArrayList<>();
            while (djl == null && System.nanoTime() < end) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                if (l != null && l.contains(DJL_CLASS)) {
                    djl = l;
                } else if (l != null) {
                    after.add(l);
                }
            }
            assertTrue(djl != null, "the model's engine never started loading after the first frame: " + tail(after));
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String tail(List<String> l) {
        return String.join("\n", l.subList(Math.max(0, l.size() - 20), l.size()));
    }
}
