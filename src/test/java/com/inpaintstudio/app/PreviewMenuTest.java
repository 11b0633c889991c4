package com.inpaintstudio.app;

import com.inpaintstudio.Fixtures;
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
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Preview menu: no TAESD -> it offers the download; after it, the menu names the TAESD and offers nothing. */
@ExtendWith(ApplicationExtension.class)
class PreviewMenuTest {
    @TempDir
    Path models;
    private EditorWindow window;
    private Preferences prefs;
    private FakeHub hub;

    @Start
    void start(Stage stage) throws Exception {
        prefs = Preferences.userRoot().node("com/inpaintstudio/editor-previewmenu-" + System.nanoTime());
        prefs.putDouble("window.w", 1200); // within the headless screen
        prefs.putDouble("window.h", 760);
        hub = new FakeHub("madebyollin/taesd", Fixtures.taesdDir());
        window = new EditorWindow(stage, Services::openEngine, () -> Services.scan(List.of(models)), new FileImageIo(), prefs);
        window.setDownloadTarget(() -> new HubDownloader(hub.endpoint(), null), () -> models);
        stage.show();
        window.startWith(List.of());
    }

    @AfterEach
    void tearDown() throws Exception {
        org.testfx.api.FxToolkit.cleanupStages();
        prefs.removeNode();
        hub.close();
    }

    @Test
    void offersTheTaesdDownloadWhenMissingAndUsesItAfter(FxRobot robot) throws Exception {
        PreviewController p = window.previews;
        robot.interact(p::refresh);
        assertTrue(p.state.getText().startsWith("No TAESD"), p.state.getText());
        assertFalse(p.download.isDisable(), "the download is offered");
        assertTrue(p.menu.getItems().contains(p.download));

        robot.interact(p::download);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> Files.isRegularFile(models.resolve("taesd/config.json")) && p.download.isDisable()
                        && p.state.getText().contains("TAESD (taesd)"));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(Files.isRegularFile(models.resolve("taesd/diffusion_pytorch_model.safetensors")));
        assertTrue(p.state.getText().startsWith("Live previews: TAESD (taesd)"), p.state.getText());
        assertTrue(p.download.isDisable(), "nothing more to download");
    }
}
