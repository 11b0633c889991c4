package com.inpaintstudio.app;

import com.inpaintstudio.image.Rect;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.InpaintResult;
import javafx.geometry.Point2D;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class EditorWindowTest {
    private final FakeEngine engine = new FakeEngine();
    private volatile RuntimeException engineFailure;
    private EditorWindow window;
    private Preferences prefs;

    @Start
    void start(Stage stage) throws Exception {
        prefs = Preferences.userRoot().node("com/inpaintstudio/editor-test-" + System.nanoTime());
        prefs.putDouble("window.w", 1200);
        prefs.putDouble("window.h", 760);
        prefs.putBoolean("randomSeed", false);
        window = new EditorWindow(stage, c -> {
            if (engineFailure != null) {
                throw engineFailure;
            }
            return engine;
        }, () -> List.of(ModelChoice.BUILT_IN_FILL), new FileImageIo(), prefs);
        stage.show();
        window.setPhoto(gradient(400, 300), null);
    }

    @AfterEach
    void tearDown() throws Exception {
        org.testfx.api.FxToolkit.cleanupStages();
        prefs.removeNode();
    }

    private static RgbImage gradient(int w, int h) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (x * 255 / w) << 16 | (y * 255 / h) << 8 | 0x80;
            }
        }
        return new RgbImage(w, h, px);
    }

    private Point2D screenOf(double px, double py) {
        Point2D v = window.canvas.toView(px, py);
        return window.canvas.localToScreen(v);
    }

    private static double distToSegment(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax, dy = by - ay;
        double t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
        return Math.hypot(px - ax - t * dx, py - ay - t * dy);
    }

    private void drag(FxRobot robot, double ax, double ay, double bx, double by) {
        robot.moveTo(screenOf(ax, ay));
        robot.press(MouseButton.PRIMARY);
        robot.moveTo(screenOf(bx, by));
        robot.release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void setBrush(FxRobot robot, double size, double hardness) {
        robot.interact(() -> {
            window.canvas.brushSizeProperty().unbind();
            window.canvas.hardnessProperty().unbind();
            window.canvas.brushSizeProperty().set(size);
            window.canvas.hardnessProperty().set(hardness);
        });
    }

    private static void await(Callable<Boolean> c, String what) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, c);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(c.call(), what);
    }

    @Test
    void robotStrokePaintsTheCapsuleAndEraserAndUndoRedoRestoreIt(FxRobot robot) throws Exception {
        setBrush(robot, 30, 1.0);
        MaskModel m = window.canvas.mask();
        drag(robot, 60, 100, 300, 140);
        double tol = 1.5 / window.canvas.zoomProperty().get() + 0.75;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                double d = distToSegment(x + 0.5, y + 0.5, 60, 100, 300, 140);
                if (d <= 15 - tol) {
                    assertEquals(255, m.get(x, y), "inside stroke at " + x + "," + y);
                } else if (d > 15 + tol) {
                    assertEquals(0, m.get(x, y), "outside stroke at " + x + "," + y);
                }
            }
        }
        assertTrue((window.canvas.overlay().argbAt(180, 120) >>> 24) > 100, "overlay shows the stroke");
        assertEquals(0, window.canvas.overlay().argbAt(180, 250) >>> 24);
        byte[] afterStroke = m.copyRect(m.bounds());
        assertEquals(1, window.history.size());
        MaskEdit edit = (MaskEdit) window.history.peekUndo();
        assertTrue(edit.rect().width() <= 240 + 32 && edit.rect().height() <= 40 + 32, "undo keeps only the stroke's box " + edit.rect());

        // eraser (E) through the middle of the stroke
        robot.clickOn(window.canvas, MouseButton.SECONDARY);
        robot.type(KeyCode.E);
        assertEquals(CanvasView.Tool.ERASER, window.canvas.toolProperty().get());
        setBrush(robot, 20, 1.0);
        drag(robot, 180, 60, 180, 200);
        for (int y = 90; y < 150; y++) {
            for (int x = 175; x <= 185; x++) {
                assertEquals(0, m.get(x, y), "erased at " + x + "," + y);
            }
        }
        assertEquals(255, m.get(100, 120));
        byte[] afterErase = m.copyRect(m.bounds());

        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(afterStroke, m.copyRect(m.bounds()), "undo of the eraser stroke");
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(m.isEmpty(), "undo of the brush stroke");
        assertEquals(0, window.canvas.overlay().argbAt(180, 120) >>> 24, "overlay follows undo");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(afterErase, m.copyRect(m.bounds()), "redo twice");

        // X swaps back to the brush; invert is exact and undoable
        robot.type(KeyCode.X);
        assertEquals(CanvasView.Tool.BRUSH, window.canvas.toolProperty().get());
        robot.interact(window::invertMask);
        for (int i = 0; i < afterErase.length; i++) {
            assertEquals(255 - (afterErase[i] & 0xff), m.get(i % m.width(), i / m.width()));
        }
        robot.interact(window::undo);
        assertArrayEquals(afterErase, m.copyRect(m.bounds()));
    }

    @Test
    void shiftClickDrawsAStraightLineFromTheLastStroke(FxRobot robot) {
        setBrush(robot, 10, 1.0);
        MaskModel m = window.canvas.mask();
        robot.moveTo(screenOf(50, 50)).clickOn(MouseButton.PRIMARY);
        robot.press(KeyCode.SHIFT);
        robot.moveTo(screenOf(250, 50)).clickOn(MouseButton.PRIMARY);
        robot.release(KeyCode.SHIFT);
        WaitForAsyncUtils.waitForFxEvents();
        for (int x = 52; x < 248; x += 5) {
            assertEquals(255, m.get(x, 50), "line at " + x);
        }
    }

    @Test
    void generationDrawsEveryStepsPreviewAndAddsTheResult(FxRobot robot) throws Exception {
        robot.interact(() -> window.canvas.applyMaskOperation("box", () -> {
            Rect r = Rect.EMPTY;
            for (int y = 100; y < 160; y += 4) {
                r = r.union(window.canvas.mask().line(120, y, 260, y, 6, 1, false, false));
            }
            return r;
        }));
        robot.clickOn(window.panel.prompt).write("a red fox");
        robot.interact(() -> {
            window.panel.steps.getValueFactory().setValue(8);
            window.panel.seed.setText("1234");
        });
        // each step waits until the canvas has drawn it: proves no step's preview is lost when the UI keeps up
        engine.waitAfterStep = s -> window.pump().lastDrawnStep() >= s;
        robot.press(KeyCode.CONTROL).type(KeyCode.ENTER).release(KeyCode.CONTROL);
        await(() -> !window.isGenerating() && window.strip.entries().size() == 1, "generation finished");
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), engine.stepsEmitted);
        assertEquals(8, window.previewsDrawn(), "every step drawn");
        InpaintResult r = window.strip.entries().get(0).result();
        assertFalse(r.cancelled());
        assertEquals("a red fox", r.request().prompt());
        assertEquals(1234, r.request().seed());
        assertSame(window.strip.entries().get(0), window.strip.selectedProperty().get(), "result shown");
        assertTrue(window.canvas.isViewingResult());
        assertEquals("Generate", window.panel.generate.getText());

        // export writes the parameters text (prompt and seed)
        Path out = Files.createTempFile("inpaint-export", ".png");
        javafx.concurrent.Task<Void> t = WaitForAsyncUtils.asyncFx(() -> window.exportResult(r, out)).get();
        await(t::isDone, "export finished");
        Map<String, String> text = com.inpaintstudio.image.PngMetadata.read(out);
        assertTrue(text.get("parameters").startsWith("a red fox\n"), text.toString());
        assertTrue(text.get("parameters").contains("Seed: 1234"), text.toString());
        RgbImage back = new FileImageIo().read(out);
        assertArrayEquals(r.image().rgb(), back.rgb());
        Files.deleteIfExists(out);

        // use as base (undoable)
        RgbImage before = window.canvas.photo();
        robot.clickOn("Use as base");
        assertSame(r.image(), window.canvas.photo());
        robot.interact(window::undo);
        assertSame(before, window.canvas.photo());
    }

    @Test
    void cancelMidRunKeepsThePartialResult(FxRobot robot) throws Exception {
        robot.interact(() -> window.canvas.applyMaskOperation("dab", () -> window.canvas.mask().dab(200, 150, 40, 1, false)));
        robot.interact(() -> {
            window.panel.steps.getValueFactory().setValue(50);
            window.panel.batch.getValueFactory().setValue(3);
        });
        engine.stepMillis = 40;
        robot.interact(window::generate);
        await(() -> engine.stepsEmitted.size() >= 3 && window.pump().lastDrawnStep() >= 2, "started");
        assertEquals("Cancel", window.panel.generate.getText());
        // the canvas shows the newest preview inside the mask (opaque where fully masked, clear outside)
        int[] seen = WaitForAsyncUtils.asyncFx(() -> new int[] {
                window.pump().lastDrawnStep(),
                window.canvas.previewImage().getPixelReader().getArgb(200 - 160, 150 - 110),
                window.canvas.previewImage().getPixelReader().getArgb(0, 0),
                (int) window.canvas.previewImage().getWidth()}).get();
        assertEquals(0xff000000 | FakeEngine.colourOf(seen[0], 50), seen[1], "preview colour of step " + seen[0]);
        assertEquals(0, seen[2] >>> 24, "outside the round mask the preview is transparent");
        assertEquals(80, seen[3]);
        assertTrue(window.status.getText().matches("Image 1/3 · Step \\d+/50 · [0-9.]+ it/s · ETA \\d+:\\d\\d · (VAE|fast) preview"),
                window.status.getText());
        robot.type(KeyCode.ESCAPE);
        await(() -> !window.isGenerating(), "stopped");
        assertEquals(1, window.strip.entries().size(), "the batch stops with the cancelled image");
        InpaintResult r = window.strip.entries().get(0).result();
        assertTrue(r.cancelled());
        assertTrue(r.stepsCompleted() >= 3 && r.stepsCompleted() < 50, "partial: " + r.stepsCompleted());
        assertTrue(window.status.getText().startsWith("Cancelled · stopped at step " + r.stepsCompleted() + " of 50"),
                window.status.getText());
        assertFalse(window.canvas.mask().isEmpty(), "mask kept");
    }

    @Test
    void openingANonImageShowsAnErrorAndKeepsTheWork(FxRobot robot, @TempDir Path dir) throws Exception {
        robot.interact(() -> window.canvas.applyMaskOperation("dab", () -> window.canvas.mask().dab(100, 100, 20, 1, false)));
        RgbImage photo = window.canvas.photo();
        MaskModel mask = window.canvas.mask();
        byte[] maskBefore = mask.copyRect(mask.bounds());
        Path notes = dir.resolve("notes.png");
        Files.writeString(notes, "this is not a picture");
        javafx.concurrent.Task<RgbImage> t = WaitForAsyncUtils.asyncFx(() -> window.open(notes)).get();
        await(() -> t.isDone() && window.notifier.isShowing(), "error shown");
        assertTrue(window.notifier.lastMessage().contains("not an image"), window.notifier.lastMessage());
        assertFalse(window.notifier.lastMessage().contains("Exception"), window.notifier.lastMessage());
        assertSame(photo, window.canvas.photo());
        assertSame(mask, window.canvas.mask());
        assertArrayEquals(maskBefore, mask.copyRect(mask.bounds()));
        assertEquals(1, window.history.size());
    }

    @Test
    void aBrokenModelShowsItsMessageAndKeepsMaskAndResults(FxRobot robot) throws Exception {
        robot.interact(() -> window.canvas.applyMaskOperation("dab", () -> window.canvas.mask().dab(200, 150, 30, 1, false)));
        robot.interact(() -> window.panel.steps.getValueFactory().setValue(3));
        robot.interact(window::generate);
        await(() -> !window.isGenerating() && window.strip.entries().size() == 1, "first result");
        byte[] mask = window.canvas.mask().copyRect(window.canvas.mask().bounds());

        engineFailure = new com.inpaintstudio.errors.InpaintException(
                "The folder '/models/x' has no unet/config.json. Choose a diffusers inpainting model folder.");
        robot.interact(() -> window.chooseModel(new ModelChoice("x", Path.of("/models/x"), ModelChoice.Kind.DIFFUSERS_FOLDER)));
        await(window.notifier::isShowing, "load error shown");
        assertTrue(window.notifier.lastMessage().contains("has no unet/config.json"), window.notifier.lastMessage());

        robot.interact(() -> window.notifier.pane().hide());
        robot.interact(window::generate);
        await(() -> !window.isGenerating() && window.notifier.isShowing(), "generate error shown");
        assertTrue(window.notifier.lastMessage().contains("has no unet/config.json"), window.notifier.lastMessage());
        assertEquals(1, window.strip.entries().size(), "results kept");
        assertArrayEquals(mask, window.canvas.mask().copyRect(window.canvas.mask().bounds()), "mask kept");
    }

    @Test
    void importedMaskIsOneUndoableEdit(FxRobot robot, @TempDir Path dir) throws Exception {
        int[] px = new int[400 * 300];
        for (int y = 50; y < 120; y++) {
            for (int x = 30; x < 200; x++) {
                px[y * 400 + x] = 0xffffff;
            }
        }
        Path maskFile = dir.resolve("mask.png");
        new FileImageIo().writePng(maskFile, new RgbImage(400, 300, px), Map.of());
        javafx.concurrent.Task<com.inpaintstudio.image.Mask> t = WaitForAsyncUtils.asyncFx(() -> window.importMask(maskFile)).get();
        await(() -> t.isDone() && window.history.size() == 1, "imported");
        MaskModel m = window.canvas.mask();
        assertEquals(255, m.get(30, 50));
        assertEquals(255, m.get(199, 119));
        assertEquals(0, m.get(200, 119));
        assertEquals(0, m.get(29, 50));
        robot.interact(window::undo);
        assertTrue(m.isEmpty());
    }

    @Test
    void oneActionTableDrivesKeysMenusAndTheShortcutHelp(FxRobot robot) {
        String help = window.shortcutHelp();
        for (String keys : List.of("Ctrl+O", "Ctrl+Shift+S", "Ctrl+Shift+Z / Ctrl+Y", "[", "]", "hold O", "Esc", "F1",
                "Ctrl+Enter", "Shift-click", "Wheel")) {
            assertTrue(help.lines().anyMatch(l -> l.startsWith(keys + " ")), keys + " in\n" + help);
        }
        robot.clickOn(window.canvas, MouseButton.SECONDARY);
        double size = window.canvas.brushSizeProperty().get();
        robot.type(KeyCode.OPEN_BRACKET);
        assertEquals(size / 1.2, window.canvas.brushSizeProperty().get(), 1e-9, "[ makes the brush smaller");
        robot.type(KeyCode.CLOSE_BRACKET);
        assertEquals(size, window.canvas.brushSizeProperty().get(), 1e-9, "] makes it larger again");
        // Ctrl+I is a menu accelerator from the same table
        robot.press(KeyCode.CONTROL).type(KeyCode.I).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(255, window.canvas.mask().get(10, 10), "Ctrl+I inverted the empty mask");
        assertEquals(1, window.history.size());
        // typing in the prompt keeps its own keys: B goes into the text, the tool stays
        robot.clickOn(window.panel.prompt).write("b");
        assertEquals(CanvasView.Tool.BRUSH, window.canvas.toolProperty().get());
        robot.type(KeyCode.E);
        assertEquals(CanvasView.Tool.BRUSH, window.canvas.toolProperty().get(), "E typed into the prompt");
        assertEquals("be", window.panel.prompt.getText());
    }

    @Test
    void wheelZoomKeepsThePointUnderThePointer(FxRobot robot) {
        Point2D before = window.canvas.toPhoto(300, 200);
        double z0 = window.canvas.zoomProperty().get();
        robot.interact(() -> window.canvas.zoomAround(z0 * 3, 300, 200));
        Point2D after = window.canvas.toPhoto(300, 200);
        assertEquals(before.getX(), after.getX(), 1e-9);
        assertEquals(before.getY(), after.getY(), 1e-9);
        robot.moveTo(screenOf(100, 100)).scroll(3, javafx.geometry.VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(window.canvas.zoomProperty().get() != z0 * 3, "wheel changed the zoom");
    }

    @Test
    void spaceDragPansWithoutPainting(FxRobot robot) {
        setBrush(robot, 20, 1.0);
        robot.clickOn(window.canvas, MouseButton.SECONDARY);
        Point2D start = window.canvas.toPhoto(300, 200);
        Point2D from = screenOf(100, 100);
        robot.press(KeyCode.SPACE);
        robot.moveTo(from).press(MouseButton.PRIMARY).moveBy(60, 40).release(MouseButton.PRIMARY);
        robot.release(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(window.canvas.mask().isEmpty(), "space-drag does not paint");
        Point2D moved = window.canvas.toPhoto(300, 200);
        double z = window.canvas.zoomProperty().get();
        assertEquals(start.getX() - 60 / z, moved.getX(), 1.5 / z);
        assertEquals(start.getY() - 40 / z, moved.getY(), 1.5 / z);
    }

    @Test
    void growOfABigMaskRunsOnAWorkerAndIsUndoable(FxRobot robot) throws Exception {
        robot.interact(() -> window.setPhoto(RgbImage.filled(1600, 1200, 0x336699), null));
        robot.interact(() -> window.canvas.applyMaskOperation("box", () -> window.canvas.mask().line(500, 600, 1000, 600, 400, 1, false, false)));
        MaskModel m = window.canvas.mask();
        byte[] before = m.copyRect(m.bounds());
        javafx.concurrent.Task<byte[]> t = WaitForAsyncUtils.asyncFx(() -> window.morph(20)).get();
        assertTrue(t != null, "big region goes to a worker");
        await(() -> t.isDone() && window.history.size() == 2, "grown");
        assertEquals(0, before[600 * 1600 + 1410]);
        assertEquals(255, m.get(1000 + 400 + 15, 600));
        assertEquals(0, m.get(1000 + 400 + 25, 600));
        assertFalse(window.canvas.isDisabled());
        robot.interact(window::undo);
        assertArrayEquals(before, m.copyRect(m.bounds()));
    }

    @Test
    void openingAPngReplacesThePhotoAndIsRemembered(FxRobot robot, @TempDir Path dir) throws Exception {
        Path p = dir.resolve("small.png");
        new FileImageIo().writePng(p, gradient(64, 32), Map.of());
        javafx.concurrent.Task<RgbImage> t = WaitForAsyncUtils.asyncFx(() -> window.open(p)).get();
        await(() -> t.isDone() && window.canvas.photo().width() == 64, "opened");
        assertEquals(32, window.canvas.mask().height());
        assertEquals(p.toAbsolutePath().normalize(), new RecentFiles(prefs).list().get(0));
    }

    @Test
    void panelValuesAndWindowStatePersist(FxRobot robot) {
        robot.interact(() -> {
            window.panel.prompt.setText("castle on a hill");
            window.panel.scheduler.getSelectionModel().select("euler-a");
            window.panel.steps.getValueFactory().setValue(33);
            window.shutdown();
        });
        SidePanel[] p = new SidePanel[1];
        robot.interact(() -> {
            p[0] = new SidePanel();
            p[0].load(prefs);
        });
        assertEquals("castle on a hill", p[0].prompt.getText());
        assertEquals("euler-a", p[0].scheduler.getValue());
        assertEquals(33, p[0].steps.getValue());
        assertTrue(prefs.getDouble("window.w", 0) > 0);
    }
}
