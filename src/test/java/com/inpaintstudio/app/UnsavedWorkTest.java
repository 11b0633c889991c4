package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
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
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unexported results are not thrown away without asking. */
@ExtendWith(ApplicationExtension.class)
class UnsavedWorkTest {
    private final FakeEngine engine = new FakeEngine();
    private EditorWindow window;
    private Preferences prefs;
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        prefs = Preferences.userRoot().node("com/inpaintstudio/unsaved-test-" + System.nanoTime());
        prefs.putBoolean("randomSeed", false);
        prefs.putDouble("window.w", 1200);
        prefs.putDouble("window.h", 760);
        window = new EditorWindow(stage, c -> engine, () -> List.of(ModelChoice.BUILT_IN_FILL), new FileImageIo(), prefs);
        stage.show();
        window.setPhoto(RgbImage.filled(200, 150, 0x336699), null);
    }

    @AfterEach
    void tearDown() throws Exception {
        System.setProperty(UnsavedWorkGuard.ANSWER_PROPERTY, "yes");
        org.testfx.api.FxToolkit.cleanupStages();
        prefs.removeNode();
    }

    @Test
    void newCanvasAsksWhileAResultIsUnexportedAndNotAfterItsExport(FxRobot robot) throws Exception {
        robot.interact(() -> window.canvas.applyMaskOperation("fill", () -> window.canvas.mask().fill()));
        robot.interact(window::generate);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.strip.entries().size() == 1 && !window.isGenerating());
        RgbImage photo = window.canvas.photo();
        assertEquals(1, window.documents().guard.unexported());

        System.setProperty(UnsavedWorkGuard.ANSWER_PROPERTY, "no");
        javafx.scene.input.ClipboardContent cc = new javafx.scene.input.ClipboardContent();
        robot.interact(() -> {
            cc.putImage(new javafx.scene.image.WritableImage(32, 32));
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(cc);
            window.documents().paste();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertSame(photo, window.canvas.photo(), "declined: the photo and its result stay");
        assertEquals(1, window.strip.entries().size());

        robot.interact(() -> window.exportResult(window.strip.entries().get(0).result(), dir.resolve("r.png")));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.documents().guard.unexported() == 0);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, window.documents().guard.unexported(), "exported results are saved work");
        assertTrue(window.documents().guard.confirm("Quit"), "nothing unsaved: no question");
        System.setProperty(UnsavedWorkGuard.ANSWER_PROPERTY, "no");
        robot.interact(() -> window.documents().paste());
        WaitForAsyncUtils.waitForFxEvents();
        assertNotSame(photo, window.canvas.photo(), "after the export, paste goes ahead without asking");
    }
}
