package com.inpaintstudio.app;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.InpaintResult;
import com.inpaintstudio.pipeline.PreviewMode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The editor driving the real Stable Diffusion pipeline with the tiny fixture model. */
@ExtendWith(ApplicationExtension.class)
class TinyModelEditorTest {
    private EditorWindow window;
    private Preferences prefs;

    @Start
    void start(Stage stage) {
        prefs = Preferences.userRoot().node("com/inpaintstudio/editor-tiny-" + System.nanoTime());
        prefs.putDouble("window.w", 1200);
        prefs.putDouble("window.h", 760);
        prefs.putBoolean("randomSeed", false);
        window = new EditorWindow(stage, Services::openEngine, () -> List.of(ModelChoice.BUILT_IN_FILL), new FileImageIo(), prefs);
        stage.show();
    }

    @AfterEach
    void tearDown() throws Exception {
        org.testfx.api.FxToolkit.cleanupStages();
        prefs.removeNode();
    }

    @Test
    void everyStepsVaePreviewReachesTheCanvasAndTheResultTheStrip(FxRobot robot, @TempDir Path dir) throws Exception {
        int[] px = new int[128 * 128];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 128) * 2 << 16 | (i / 128) * 2 << 8 | 0x60;
        }
        Path photo = dir.resolve("small.png");
        new FileImageIo().writePng(photo, new RgbImage(128, 128, px), Map.of());
        javafx.concurrent.Task<RgbImage> opened = WaitForAsyncUtils.asyncFx(() -> window.open(photo)).get();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, opened::isDone);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(128, window.canvas.photo().width());

        robot.interact(() -> window.chooseModel(ModelChoice.of(Fixtures.modelDir())));
        assertFalse(window.isNoModelBannerShowing(), "a model is in the picker now");
        robot.interact(() -> window.canvas.applyMaskOperation("dab", () -> window.canvas.mask().dab(64, 64, 24, 1, false)));
        robot.interact(() -> {
            window.panel.prompt.setText("a stone bridge");
            window.panel.steps.getValueFactory().setValue(3);
            window.panel.seed.setText("77");
            window.panel.preview.setValue(PreviewMode.VAE);
            window.panel.scheduler.setValue("ddim"); // exactly 3 timesteps (PNDM adds a warm-up one)
        });
        List<String> statusSeen = new CopyOnWriteArrayList<>();
        robot.interact(() -> window.status.textProperty().addListener((o, a, b) -> statusSeen.add(b)));
        long t0 = System.nanoTime();
        robot.interact(window::generate);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !window.isGenerating());
        WaitForAsyncUtils.waitForFxEvents();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertFalse(window.notifier.isShowing() && window.notifier.lastMessage().startsWith("⚠"),
                String.valueOf(window.notifier.lastMessage()));
        assertEquals(1, window.strip.entries().size(), "result in the strip");
        assertEquals(3, window.pump().offeredCount(), "one preview handed to the canvas per step");
        assertEquals(3, window.pump().lastDrawnStep(), "the last step's preview was drawn");
        assertTrue(window.previewsDrawn() >= 1 && window.previewsDrawn() <= 3, "drawn: " + window.previewsDrawn());
        // the status line is coalesced like the previews (the newest wins), so on a fast machine "Decoding" can
        // replace step 3 before a pulse shows it; some step's line with its preview kind must have been shown
        assertTrue(statusSeen.stream().anyMatch(s -> s.matches("Step [1-3]/3 · [0-9.]+ it/s · ETA \\d+:\\d\\d · VAE preview")),
                statusSeen.toString());
        InpaintResult r = window.strip.entries().get(0).result();
        assertFalse(r.cancelled());
        assertEquals(128, r.image().width());
        assertTrue(r.parameters().contains("a stone bridge"), r.parameters());
        assertTrue(r.parameters().contains("Seed: 77"), r.parameters());
        assertTrue(window.engineStatus().endsWith("· ready"), window.engineStatus());
        System.out.printf("tiny model, 128 px, 3 steps, VAE previews: %.2f s in the editor%n", seconds);
    }
}
