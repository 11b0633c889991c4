package com.inpaintstudio.app;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.DiffusersFolder;
import com.inpaintstudio.model.hub.FakeHub;
import com.inpaintstudio.model.hub.HubDownloader;
import com.inpaintstudio.pipeline.DiffusionEngine;
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

/**
 * The editor with the tiny model and no TAESD: Auto previews are VAE / fast ones; the Preview menu's download (from a
 * local hub) hands TAESD to the loaded model, so the next Auto run shows "TAESD preview" without a restart; the draft
 * decode then makes a result marked as a draft on its tile and in its parameters; without TAESD the editor's message
 * points at the Preview menu, not the command line.
 */
@ExtendWith(ApplicationExtension.class)
class TaesdEditorTest {
    @TempDir
    Path models;
    private EditorWindow window;
    private Preferences prefs;
    private FakeHub hub;

    @Start
    void start(Stage stage) throws Exception {
        prefs = Preferences.userRoot().node("com/inpaintstudio/editor-taesd-" + System.nanoTime());
        prefs.putDouble("window.w", 1200);
        prefs.putDouble("window.h", 760);
        prefs.putBoolean("randomSeed", false);
        hub = new FakeHub("madebyollin/taesd", Fixtures.taesdDir());
        // the model opens without searching the machine's models folders, so no TAESD is there to begin with
        EngineProvider noTaesd = c -> DiffusionEngine.open(DiffusersFolder.open(c.path()));
        window = new EditorWindow(stage, noTaesd, () -> List.of(ModelChoice.BUILT_IN_FILL), new FileImageIo(), prefs);
        window.setDownloadTarget(() -> new HubDownloader(hub.endpoint(), null), () -> models);
        stage.show();
    }

    @AfterEach
    void tearDown() throws Exception {
        org.testfx.api.FxToolkit.cleanupStages();
        prefs.removeNode();
        hub.close();
    }

    @Test
    void aDownloadFromThePreviewMenuMakesAutoDecodeThroughTaesdAndTheDraftIsMarked(FxRobot robot, @TempDir Path dir)
            throws Exception {
        int[] px = new int[128 * 128];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 128) * 2 << 16 | (i / 128) * 2 << 8 | 0x60;
        }
        Path photo = dir.resolve("small.png");
        new FileImageIo().writePng(photo, new RgbImage(128, 128, px), Map.of());
        javafx.concurrent.Task<RgbImage> opened = WaitForAsyncUtils.asyncFx(() -> window.open(photo)).get();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, opened::isDone);
        robot.interact(() -> window.chooseModel(ModelChoice.of(Fixtures.modelDir())));
        robot.interact(() -> window.canvas.applyMaskOperation("dab", () -> window.canvas.mask().dab(64, 64, 24, 1, false)));
        robot.interact(() -> {
            window.panel.prompt.setText("a stone bridge");
            window.panel.steps.getValueFactory().setValue(3);
            window.panel.seed.setText("77");
            window.panel.scheduler.setValue("ddim");
            window.panel.preview.setValue(PreviewMode.TAESD);
        });
        PreviewController p = window.previews;

        // no TAESD: "TAESD every step" says where to get one in the editor
        generate(robot);
        assertTrue(window.notifier.lastMessage().contains(TaesdHints.MISSING), window.notifier.lastMessage());
        assertFalse(window.notifier.lastMessage().contains("inpaint-studio download"), "no command line in the editor");

        robot.interact(() -> window.panel.preview.setValue(PreviewMode.AUTO));
        List<String> before = generate(robot);
        assertTrue(before.stream().noneMatch(s -> s.contains("TAESD preview")), before.toString());
        assertTrue(before.stream().anyMatch(s -> s.matches("Step [1-3]/3 · .* · (VAE|fast) preview")), before.toString());
        robot.interact(p::refresh);
        assertTrue(p.download.isVisible() && p.draft.isDisable());

        robot.interact(p::download);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> String.valueOf(window.notifier.lastMessage())
                .startsWith("TAESD downloaded: Auto previews now show a real decode of every step"));
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(p.download.isVisible(), "the menu no longer offers the download");

        List<String> after = generate(robot);
        assertTrue(after.stream().anyMatch(s -> s.matches("Step [1-3]/3 · .* · TAESD preview")), after.toString());
        assertTrue(after.stream().noneMatch(s -> s.contains("VAE preview")), after.toString());
        InpaintResult finalOne = window.strip.entries().get(window.strip.entries().size() - 1).result();
        assertFalse(DraftDecode.isDraft(finalOne), "the default decode is the VAE's");
        assertFalse(finalOne.parameters().contains(DraftDecode.PARAMETER), finalOne.parameters());
        assertTrue(robot.from(window.strip.cellOf(window.strip.entries().get(window.strip.entries().size() - 1)))
                .lookup(".draft-badge").queryAll().isEmpty());

        robot.interact(() -> p.draft.setSelected(true));
        generate(robot);
        ResultsStrip.Entry draft = window.strip.entries().get(window.strip.entries().size() - 1);
        assertTrue(draft.result().request().draftDecode());
        assertTrue(draft.result().parameters().contains(DraftDecode.PARAMETER), draft.result().parameters());
        assertEquals(128, draft.result().image().width());
        assertFalse(java.util.Arrays.equals(finalOne.image().rgb(), draft.result().image().rgb()),
                "same seed, other decoder: another picture");
        javafx.scene.control.Label badge = robot.from(window.strip.cellOf(draft)).lookup(".draft-badge").query();
        assertEquals(DraftDecode.BADGE, badge.getText());
    }

    /** Generates and waits; returns the status lines seen meanwhile. */
    private List<String> generate(FxRobot robot) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        javafx.beans.value.ChangeListener<String> l = (o, a, b) -> seen.add(b);
        robot.interact(() -> window.status.textProperty().addListener(l));
        robot.interact(window::generate);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !window.isGenerating());
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> window.status.textProperty().removeListener(l));
        return seen;
    }
}
