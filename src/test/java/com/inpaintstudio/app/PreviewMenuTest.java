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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Preview menu: no TAESD -> it offers the download (and the draft decode waits for one); while it runs the item
 * cancels it; a corrupt file ends in the error bar; after a download the menu names the TAESD, the download item is
 * gone and the draft decode can be chosen.
 */
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
        assertTrue(p.menu.getItems().contains(p.download));
        assertTrue(p.download.isVisible() && !p.download.isDisable(), "the download is offered");
        assertEquals(PreviewController.DOWNLOAD, p.download.getText());
        assertTrue(p.draft.isDisable(), "no draft decode without a TAESD");
        assertFalse(p.draftDecode());

        robot.interact(p::download);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> Files.isRegularFile(models.resolve("taesd/config.json")) && !p.download.isVisible()
                        && p.state.getText().contains("TAESD (taesd)"));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(Files.isRegularFile(models.resolve("taesd/diffusion_pytorch_model.safetensors")));
        assertTrue(p.state.getText().startsWith("Live previews: TAESD (taesd)"), p.state.getText());
        assertFalse(p.download.isVisible(), "nothing more to download: the item is gone");
        assertFalse(p.draft.isDisable(), "the draft decode can be chosen now");
        assertEquals(DraftDecode.MENU_TEXT, p.draft.getText());
        robot.interact(() -> p.draft.setSelected(true));
        assertTrue(p.draftDecode());
    }

    @Test
    void aCancelledDownloadCanBeStartedAgainAndACorruptOneEndsInTheErrorBar(FxRobot robot) throws Exception {
        PreviewController p = window.previews;
        robot.interact(() -> {
            p.download();
            assertEquals(PreviewController.CANCEL, p.download.getText(), "while it runs the item cancels it");
            p.download.fire();
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> p.download.getText().equals(PreviewController.DOWNLOAD));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(window.status.getText().startsWith("TAESD download cancelled"), window.status.getText());
        assertFalse(Files.isRegularFile(models.resolve("taesd/diffusion_pytorch_model.safetensors")));
        assertTrue(p.download.isVisible(), "offered again");

        hub.corruptFile("diffusion_pytorch_model.safetensors");
        robot.interact(p::download);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> p.download.getText().equals(PreviewController.DOWNLOAD));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("TAESD download failed", window.status.getText());
        assertTrue(window.notifier.isShowing() && window.notifier.lastMessage().startsWith("⚠"),
                String.valueOf(window.notifier.lastMessage()));
        assertTrue(window.notifier.lastMessage().contains("does not match"), window.notifier.lastMessage());
        assertFalse(Files.isRegularFile(models.resolve("taesd/diffusion_pytorch_model.safetensors")), "a bad file is not kept");
        assertTrue(p.state.getText().startsWith("No TAESD"), p.state.getText());
    }
}
