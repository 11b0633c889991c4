package com.inpaintstudio.app;

import com.inpaintstudio.image.CanvasExtension.Prefill;
import com.inpaintstudio.image.CanvasExtension.Sides;
import com.inpaintstudio.image.RgbImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Image ▸ Extend canvas: outline, new size, masked new area, tiles, undo. */
@ExtendWith(ApplicationExtension.class)
class ExtendCanvasTest {
    private final FakeEngine engine = new FakeEngine();
    private EditorWindow window;
    private Preferences prefs;

    @Start
    void start(Stage stage) {
        prefs = Preferences.userRoot().node("com/inpaintstudio/extend-test-" + System.nanoTime());
        prefs.putDouble("window.w", 1200);
        prefs.putDouble("window.h", 760);
        prefs.putBoolean("randomSeed", false);
        window = new EditorWindow(stage, c -> engine, () -> List.of(ModelChoice.BUILT_IN_FILL), new FileImageIo(), prefs);
        stage.show();
        int[] px = new int[400 * 300];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 400 * 255 / 400) << 16 | 0x3060;
        }
        window.setPhoto(new RgbImage(400, 300, px), null);
    }

    @AfterEach
    void tearDown() throws Exception {
        org.testfx.api.FxToolkit.cleanupStages();
        prefs.removeNode();
    }

    @Test
    void extendingMasksTheNewAreaAndTheSeamSwitchesToTilesAndUndoes(FxRobot robot) throws Exception {
        RgbImage before = window.canvas.photo();
        MaskModel maskBefore = window.canvas.mask();
        robot.interact(() -> window.extend.extend(new Sides(100, 0, 60, 20), Prefill.STRETCH, 32));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.canvas.photo().width() == 560);
        WaitForAsyncUtils.waitForFxEvents();
        RgbImage after = window.canvas.photo();
        assertEquals(320, after.height());
        assertEquals(before.get(200, 150), after.get(300, 150), "the photo sits 100 px to the right");
        MaskModel m = window.canvas.mask();
        assertEquals(255, m.get(10, 10), "new area masked");
        assertEquals(255, m.get(103, 150), "seam band masked");
        assertEquals(0, m.get(300, 150), "the middle of the photo is not masked");
        assertEquals(SidePanel.AREA_TILED, window.panel.area.getSelectionModel().getSelectedIndex());
        assertTrue(window.status.getText().contains("560 × 320"), window.status.getText());

        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertSame(before, window.canvas.photo(), "Ctrl+Z gives back the photo");
        assertSame(maskBefore, window.canvas.mask(), "and its mask");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertSame(after, window.canvas.photo(), "redo extends again");
    }

    @Test
    void generatingOnAnExtendedCanvasRunsInTilesOfTheModelSize(FxRobot robot) throws Exception {
        engine.nativeSize = 128;
        robot.interact(() -> window.extend.extend(new Sides(0, 0, 400, 0), Prefill.NOISE, 16));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.canvas.photo().width() == 800);
        robot.interact(() -> window.generate());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !window.strip.entries().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(800, window.strip.entries().get(0).result().image().width());
        assertTrue(engine.generatedWidths.size() > 1, "several tiles: " + engine.generatedWidths);
        assertTrue(window.strip.entries().get(0).result().parameters().contains("Tiles:"));
    }

    @Test
    void draggingAnOutlineEdgeGrowsThatSideInStepsOf8AndPaintsNothing(FxRobot robot) {
        AtomicReference<Sides> dragged = new AtomicReference<>();
        robot.interact(() -> {
            window.canvas.setOnOutlineDragged(dragged::set);
            window.canvas.showExtensionOutline(new Sides(0, 0, 40, 0));
        });
        WaitForAsyncUtils.waitForFxEvents();
        javafx.geometry.Point2D edge = window.canvas.localToScreen(window.canvas.toView(440, 150));
        javafx.geometry.Point2D to = window.canvas.localToScreen(window.canvas.toView(520, 150));
        robot.moveTo(edge).press(javafx.scene.input.MouseButton.PRIMARY).moveTo(to)
                .release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        Sides s = dragged.get();
        assertEquals(0, s.left());
        assertEquals(0, s.top());
        assertEquals(0, s.bottom());
        assertEquals(0, s.right() % 8);
        assertTrue(Math.abs(s.right() - 120) <= 12, "right edge dragged to about 120 px: " + s);
        assertTrue(window.canvas.mask().isEmpty(), "no paint while extending");
    }

    @Test
    void theDialogDrawsTheNewOutlineLiveInPixelsOrPercent(FxRobot robot) {
        AtomicReference<Sides> seen = new AtomicReference<>();
        AtomicReference<ExtendCanvasDialog> dialog = new AtomicReference<>();
        robot.interact(() -> {
            ExtendCanvasDialog d = new ExtendCanvasDialog(400, 300, s -> {
                seen.set(s);
                window.canvas.showExtensionOutline(s);
            });
            dialog.set(d);
            d.left.getValueFactory().setValue(64);
        });
        assertEquals(new Sides(64, 0, 0, 0), seen.get());
        assertTrue(window.canvas.isExtensionOutlineShown());
        robot.interact(() -> dialog.get().unit.getSelectionModel().select(1));
        assertEquals(new Sides(256, 0, 0, 0), seen.get(), "64 % of 400 px");
        robot.interact(() -> window.canvas.showExtensionOutline(null));
        assertFalse(window.canvas.isExtensionOutlineShown());
    }
}
