package com.inpaintstudio.app;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.Rect;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.image.SamplePhoto;
import com.inpaintstudio.model.hub.FakeHub;
import com.inpaintstudio.model.hub.HubDownloader;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A first launch with an empty models folder: sample photo, the no-model banner, built-in fill, download. */
@ExtendWith(ApplicationExtension.class)
class FirstRunTest {
    @TempDir
    Path models;
    private EditorWindow window;
    private Preferences prefs;

    @Start
    void start(Stage stage) {
        prefs = Preferences.userRoot().node("com/inpaintstudio/editor-firstrun-" + System.nanoTime());
        prefs.putDouble("window.w", 1200);
        prefs.putDouble("window.h", 760);
        prefs.putBoolean("randomSeed", false);
        window = new EditorWindow(stage, Services::openEngine, () -> Services.scan(List.of(models)), new FileImageIo(), prefs);
        window.setDownloadTarget(() -> new HubDownloader("http://127.0.0.1:9", null), () -> models);
        stage.show();
        window.startWith(List.of());
    }

    @AfterEach
    void tearDown() throws Exception {
        org.testfx.api.FxToolkit.cleanupStages();
        prefs.removeNode();
    }

    private static void await(Callable<Boolean> c, String what) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, c);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(c.call(), what);
    }

    @Test
    void emptyModelsFolderShowsTheBannerAndTheBuiltInFillRemovesTheSignpost(FxRobot robot) throws Exception {
        RgbImage photo = window.canvas.photo();
        assertNotNull(photo, "the sample photo is open at once");
        assertEquals(768, photo.width());
        assertEquals(512, photo.height());
        assertTrue(window.stage().getTitle().startsWith("sample-landscape.png"), window.stage().getTitle());
        assertTrue(window.isNoModelBannerShowing(), "no-model banner");
        assertTrue(window.banner.message.getText().startsWith("No Stable Diffusion model found"));
        assertTrue(robot.lookup("Choose a model folder or file…").tryQuery().isPresent());
        assertTrue(robot.lookup("Download…").tryQuery().isPresent());
        assertEquals(List.of(ModelChoice.BUILT_IN_FILL), window.panel.model.getItems());

        robot.interact(() -> window.panel.model.getSelectionModel().select(ModelChoice.BUILT_IN_FILL));
        robot.interact(() -> window.canvas.applyMaskOperation("paint signpost",
                () -> window.canvas.mask().set(SamplePhoto.signpostMask())));
        robot.interact(window::generate);
        await(() -> !window.isGenerating() && window.strip.entries().size() == 1, "fill result in the strip");
        assertFalse(window.notifier.isShowing() && window.notifier.lastMessage().startsWith("⚠"),
                String.valueOf(window.notifier.lastMessage()));
        RgbImage out = window.strip.entries().get(0).result().image();
        assertEquals(photo.width(), out.width());
        Rect s = SamplePhoto.SIGNPOST;
        long changed = 0, inside = 0;
        for (int y = s.y(); y < s.bottom(); y++) {
            for (int x = s.x(); x < s.right(); x++) {
                inside++;
                if (colourDistance(photo.rgb()[y * 768 + x], out.rgb()[y * 768 + x]) > 24) {
                    changed++;
                }
            }
        }
        assertTrue(changed > inside / 3, "pixels inside the mask changed: " + changed + " of " + inside);
        int far = 0;
        for (int y = 0; y < 512; y += 3) {
            for (int x = 0; x < 768; x += 3) {
                boolean nearHole = x > s.x() - 40 && x < s.right() + 40 && y > s.y() - 40 && y < s.bottom() + 40;
                if (!nearHole) {
                    far++;
                    assertEquals(photo.rgb()[y * 768 + x] & 0xffffff, out.rgb()[y * 768 + x] & 0xffffff,
                            "unchanged far outside the mask at " + x + "," + y);
                }
            }
        }
        assertTrue(far > 10_000);
    }

    private static int colourDistance(int a, int b) {
        return Math.abs((a >> 16 & 255) - (b >> 16 & 255)) + Math.abs((a >> 8 & 255) - (b >> 8 & 255))
                + Math.abs((a & 255) - (b & 255));
    }

    @Test
    void downloadFromTheBannerPutsTheModelInThePickerAndSelectsIt(FxRobot robot) throws Exception {
        String repo = "tester/tiny-sd-inpaint";
        try (FakeHub hub = new FakeHub(repo, Fixtures.modelDir())) {
            window.setDownloadTarget(() -> new HubDownloader(hub.endpoint(), null), () -> models);
            robot.clickOn("Download…");
            assertTrue(window.banner.repo.isVisible());
            assertEquals(HubDownloader.DEFAULT_REPO, window.banner.repo.getText());
            robot.interact(() -> window.banner.repo.setText(repo));
            robot.clickOn("Start download");
            await(() -> !window.banner.isDownloading(), "download finished");
            assertFalse(window.banner.error.isVisible(), window.banner.error.getText());
            Path dir = models.resolve("tiny-sd-inpaint");
            assertTrue(Files.isRegularFile(dir.resolve("model_index.json")));
            ModelChoice selected = window.panel.model.getSelectionModel().getSelectedItem();
            assertEquals(dir.toAbsolutePath().normalize(), selected.path().toAbsolutePath().normalize());
            assertTrue(selected.name().startsWith("tiny-sd-inpaint ("), "scanner label with type and size: " + selected.name());
            assertFalse(window.isNoModelBannerShowing(), "banner gone once a model exists");
            assertTrue(window.panel.model.getItems().contains(ModelChoice.BUILT_IN_FILL), "fill stays selectable");
            await(() -> window.engineStatus().endsWith("· ready"), "model loaded: " + window.engineStatus());
        }
    }

    @Test
    void downloadErrorsAreShownInTheBanner(FxRobot robot) throws Exception {
        robot.interact(() -> window.banner.startDownload(HubDownloader.DEFAULT_REPO));
        await(() -> !window.banner.isDownloading(), "offline download failed");
        assertTrue(window.banner.error.isVisible());
        assertTrue(window.banner.error.getText().contains("Cannot reach http://127.0.0.1:9"), window.banner.error.getText());
        assertFalse(window.banner.error.getText().contains("DownloadException"), "the message as written, not a class name");

        try (FakeHub hub = new FakeHub("tester/tiny-sd-inpaint", Fixtures.modelDir())) {
            window.setDownloadTarget(() -> new HubDownloader(hub.endpoint(), null), () -> models);
            robot.interact(() -> window.banner.startDownload("nobody/no-such-model"));
            await(() -> !window.banner.isDownloading(), "unknown repo failed");
            assertTrue(window.banner.error.getText().contains("There is no repository nobody/no-such-model"),
                    window.banner.error.getText());
        }
        assertTrue(window.isNoModelBannerShowing(), "still no model");
        assertEquals("Start download", window.banner.start.getText());
    }

    @Test
    void theWindowIsUsableWhileASlowModelLoads(FxRobot robot) throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Path fake = Files.createDirectories(models.resolve("slow-model"));
        EditorWindow[] w = new EditorWindow[1];
        long[] millis = new long[1];
        robot.interact(() -> {
            long t0 = System.nanoTime();
            Stage stage = new Stage();
            w[0] = new EditorWindow(stage, c -> {
                try {
                    release.await(30, TimeUnit.SECONDS); // a model that takes long to load
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new FakeEngine();
            }, () -> List.of(ModelChoice.BUILT_IN_FILL, ModelChoice.of(fake)), new FileImageIo(), prefs);
            prefs.put("model", ModelChoice.of(fake).key());
            stage.show();
            w[0].startWith(List.of());
            w[0].chooseModel(ModelChoice.of(fake));
            millis[0] = (System.nanoTime() - t0) / 1_000_000;
        });
        assertTrue(millis[0] < 2000, "window built and shown in " + millis[0] + " ms");
        assertTrue(w[0].engineStatus().startsWith("Loading model…"), w[0].engineStatus());
        assertNotNull(w[0].canvas.photo(), "the sample photo is there to paint on meanwhile");
        assertFalse(w[0].isNoModelBannerShowing(), "a model exists, so no banner");
        robot.interact(() -> w[0].canvas.applyMaskOperation("dab", () -> w[0].canvas.mask().dab(300, 300, 20, 1, false)));
        assertFalse(w[0].canvas.mask().isEmpty(), "painting works while the model loads");
        release.countDown();
        await(() -> w[0].engineStatus().endsWith("· ready"), w[0].engineStatus());
        System.out.println("window built and shown in " + millis[0] + " ms while the model was loading");
    }

    @Test
    void statusLineSaysWhichPreviewTheStepCarries() {
        RgbImage p = RgbImage.filled(8, 8, 0x336699);
        var vae = new com.inpaintstudio.pipeline.StepEvent(2, 5, 800, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(2), p, 0, 0, 8, 8, true);
        var fast = new com.inpaintstudio.pipeline.StepEvent(2, 5, 800, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(2), p, 0, 0, 8, 8, false);
        var none = new com.inpaintstudio.pipeline.StepEvent(2, 5, 800, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(2), null, 0, 0, 0, 0, false);
        assertEquals("Step 2/5 · 2.00 it/s · ETA 0:02 · VAE preview", GenerationTask.describe(vae));
        assertEquals("Step 2/5 · 2.00 it/s · ETA 0:02 · fast preview", GenerationTask.describe(fast));
        assertEquals("Step 2/5 · 2.00 it/s · ETA 0:02", GenerationTask.describe(none));
    }
}
