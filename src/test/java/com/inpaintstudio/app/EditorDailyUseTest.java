package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.Engines;
import com.inpaintstudio.pipeline.InpaintResult;
import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #17: the editor as photographers use it every day (focus, small screens, honest states, polish). */
@ExtendWith(ApplicationExtension.class)
class EditorDailyUseTest {
    private static final ModelChoice FAKE_SD = new ModelChoice("fake sd (23 MB)", Path.of("fake-sd"),
            ModelChoice.Kind.DIFFUSERS_FOLDER);
    private final FakeEngine engine = new FakeEngine();
    private final List<ModelChoice> catalog = new CopyOnWriteArrayList<>(List.of(ModelChoice.BUILT_IN_FILL, FAKE_SD));
    private final List<Preferences> nodes = new ArrayList<>();
    private EditorWindow window;

    @Start
    void start(Stage stage) {
        engine.nativeSize = 512;
        Preferences prefs = prefs();
        prefs.putDouble("window.w", 1200);
        prefs.putDouble("window.h", 760);
        prefs.putBoolean("randomSeed", false);
        window = new EditorWindow(stage, c -> engine, () -> List.copyOf(catalog), new FileImageIo(), prefs);
        stage.show();
        window.setPhoto(gradient(400, 300), null);
    }

    private Preferences prefs() {
        Preferences p = Preferences.userRoot().node("com/inpaintstudio/editor-daily-" + System.nanoTime());
        nodes.add(p);
        return p;
    }

    @AfterEach
    void tearDown() throws Exception {
        org.testfx.api.FxToolkit.cleanupStages();
        for (Preferences p : nodes) {
            p.removeNode();
        }
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

    private static void await(Callable<Boolean> c, String what) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, c);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(c.call(), what);
    }

    private void paintDab(FxRobot robot, EditorWindow w, int x, int y) {
        robot.interact(() -> w.canvas.applyMaskOperation("dab", () -> w.canvas.mask().dab(x, y, 30, 1, false)));
    }

    private static Bounds inScene(Node n) {
        return n.localToScene(n.getBoundsInLocal());
    }

    // ---- 1. number fields ------------------------------------------------------------------------------------

    @Test
    void shortcutsStayOutOfNumberFieldsAndBadNumbersNeverThrowOnTheFxThread(FxRobot robot) throws Exception {
        List<Throwable> fxErrors = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler[] old = new Thread.UncaughtExceptionHandler[1];
        robot.interact(() -> {
            old[0] = Thread.currentThread().getUncaughtExceptionHandler();
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> fxErrors.add(e));
        });
        try {
            double size = window.canvas.brushSizeProperty().get();
            robot.clickOn(window.panel.steps.getEditor());
            robot.type(KeyCode.END);
            robot.type(KeyCode.CLOSE_BRACKET, KeyCode.E, KeyCode.X, KeyCode.B);
            assertEquals(size, window.canvas.brushSizeProperty().get(), "] did not grow the brush");
            assertEquals(CanvasView.Tool.BRUSH, window.canvas.toolProperty().get(), "E/X did not switch the tool");
            assertEquals("25", window.panel.steps.getEditor().getText(), "no letters in a number field");

            // text that is no number ("-") is reverted when the field loses the focus, without an exception
            robot.interact(() -> window.panel.steps.getEditor().setText("-"));
            robot.interact(() -> window.panel.guidance.getEditor().setText("7,5.5"));
            robot.interact(window.canvas::requestFocus);
            robot.drag(window.canvas, MouseButton.PRIMARY).moveBy(40, 10).drop();
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(List.of(), fxErrors, "nothing thrown on the FX thread");
            assertEquals(25, window.panel.steps.getValue());
            assertEquals("25", window.panel.steps.getEditor().getText());
            assertEquals(7.5, window.panel.guidance.getValue());
            assertFalse(window.canvas.mask().isEmpty(), "the next stroke paints");

            // a comma decimal is taken as a point (committed when the request is built)
            robot.interact(() -> window.panel.strength.getEditor().setText("0,5"));
            robot.interact(() -> window.panel.toRequest());
            assertEquals(0.5, window.panel.strength.getValue(), 1e-9);
        } finally {
            robot.interact(() -> Thread.currentThread().setUncaughtExceptionHandler(old[0]));
        }
    }

    @Test
    void editAndGenerateMenusShowAcceleratorsThatLeaveTextFieldsAlone(FxRobot robot) {
        MenuBar bar = (MenuBar) ((BorderPane) window.stage().getScene().getRoot()).getTop();
        Menu edit = bar.getMenus().stream().filter(m -> m.getText().equals("Edit")).findFirst().orElseThrow();
        Menu gen = bar.getMenus().stream().filter(m -> m.getText().equals("Generate")).findFirst().orElseThrow();
        assertEquals("Ctrl+Z", edit.getItems().get(0).getAccelerator().getDisplayText().replace("Ctrl+", "Ctrl+"));
        assertNotNull(edit.getItems().get(1).getAccelerator(), "Redo shows its key");
        assertNotNull(gen.getItems().get(0).getAccelerator(), "Generate shows its key");

        paintDab(robot, window, 200, 150);
        int undoable = window.history.size();
        robot.clickOn(window.panel.prompt).write("ab");
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(undoable, window.history.size(), "Ctrl+Z in the prompt left the mask's history alone");
        assertFalse(window.canvas.mask().isEmpty());
        robot.interact(window.canvas::requestFocus);
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(window.canvas.mask().isEmpty(), "on the canvas Ctrl+Z undoes the mask (once)");
    }

    // ---- 2. small screens ------------------------------------------------------------------------------------

    @Test
    void aWindowTooBigForTheScreenIsShrunkAndPlacedOnIt(FxRobot robot) throws Exception {
        Preferences p = prefs();
        p.putDouble("window.w", 4000);
        p.putDouble("window.h", 3000);
        p.putDouble("window.x", 50);
        p.putDouble("window.y", 40);
        Stage[] st = new Stage[1];
        robot.interact(() -> {
            st[0] = new Stage();
            new EditorWindow(st[0], c -> engine, () -> List.of(ModelChoice.BUILT_IN_FILL), new FileImageIo(), p);
            st[0].show();
        });
        Rectangle2D vb = Screen.getPrimary().getVisualBounds();
        Stage s = st[0];
        assertTrue(s.getX() >= vb.getMinX() && s.getY() >= vb.getMinY(), s.getX() + "," + s.getY());
        assertTrue(s.getX() + s.getWidth() <= vb.getMaxX() + 0.5, "right edge " + (s.getX() + s.getWidth()) + " in " + vb);
        assertTrue(s.getY() + s.getHeight() <= vb.getMaxY() + 0.5, "bottom " + (s.getY() + s.getHeight()) + " in " + vb);
        robot.interact(s::close);
    }

    @Test
    void at1280x720GenerateFitAndHundredPercentAreVisibleAndAFittedPhotoStaysFitted(FxRobot robot) throws Exception {
        Stage stage = window.stage();
        assertTrue(window.canvas.isFitted());
        double z0 = window.canvas.zoomProperty().get();
        robot.interact(() -> {
            stage.setWidth(1280);
            stage.setHeight(720);
        });
        WaitForAsyncUtils.waitForFxEvents();
        double sw = stage.getScene().getWidth(), sh = stage.getScene().getHeight();
        Bounds g = inScene(window.panel.generate);
        assertTrue(window.panel.generate.isVisible() && g.getMinY() >= 0 && g.getMaxY() <= sh && g.getMaxX() <= sw,
                "Generate in sight: " + g + " in " + sw + "x" + sh);
        for (Node b : List.of(window.fitButton, window.actualButton)) {
            assertNotNull(b.getScene(), "not moved into the tool bar's overflow menu");
            Bounds bb = inScene(b);
            assertTrue(b.isVisible() && bb.getMaxX() <= sw && bb.getWidth() > 10, "in the tool bar: " + bb);
        }
        // the canvas follows the resize while fitted: the whole photo visible, centred
        assertTrue(window.canvas.isFitted());
        assertTrue(Math.abs(window.canvas.zoomProperty().get() - z0) > 1e-3, "re-fitted to the new size");
        var topLeft = window.canvas.toView(0, 0);
        var bottomRight = window.canvas.toView(400, 300);
        assertTrue(topLeft.getX() >= 0 && topLeft.getY() >= 0 && bottomRight.getX() <= window.canvas.getWidth()
                && bottomRight.getY() <= window.canvas.getHeight(), "whole photo visible");
        // a zoomed view is left as the user made it
        robot.interact(() -> window.canvas.zoomAround(2, 100, 100));
        robot.interact(() -> stage.setWidth(1100));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, window.canvas.zoomProperty().get(), 1e-9);
    }

    // ---- 3. messages -----------------------------------------------------------------------------------------

    @Test
    void anErrorSitsBelowTheToolBarAndALaterSuccessClearsIt(FxRobot robot) throws Exception {
        robot.interact(() -> window.notifier.error("The generation failed: out of memory"));
        await(window.notifier::isShowing, "error shown");
        Bounds tools = inScene(window.fitButton);
        Bounds msg = inScene(window.notifier.pane());
        assertTrue(msg.getMinY() >= tools.getMaxY(), "the message area " + msg + " starts below the tool bar " + tools);
        assertTrue(window.fitButton.isVisible());
        paintDab(robot, window, 200, 150);
        robot.interact(() -> window.panel.steps.getValueFactory().setValue(2));
        robot.interact(window::generate);
        await(() -> !window.isGenerating() && window.strip.entries().size() == 1, "generated");
        await(() -> !window.notifier.isShowing(), "the error went away after the success");
    }

    // ---- 4. big photos, 5. Ctrl+S ----------------------------------------------------------------------------

    @Test
    void wholePictureOnABigPhotoSwitchesToOnlyMaskedOnceAndSaysSo(FxRobot robot) throws Exception {
        robot.interact(() -> window.setPhoto(gradient(1600, 1200), null));
        paintDab(robot, window, 800, 600);
        robot.interact(() -> {
            window.panel.area.getSelectionModel().select(0);
            window.panel.steps.getValueFactory().setValue(2);
        });
        await(() -> window.engineStatus().endsWith("ready"), "engine loaded");
        robot.interact(window::generate);
        await(() -> !window.isGenerating() && window.strip.entries().size() == 1, "generated");
        assertEquals(1, window.panel.area.getSelectionModel().getSelectedIndex(), "switched to Only masked");
        assertTrue(window.strip.entries().get(0).result().request().onlyMasked());
        assertTrue(window.notifier.lastMessage().contains("Only masked") && window.notifier.lastMessage().contains("1600×1200"),
                window.notifier.lastMessage());
        // choosing Whole picture again is respected
        robot.interact(() -> window.panel.area.getSelectionModel().select(0));
        robot.interact(window::generate);
        await(() -> !window.isGenerating() && window.strip.entries().size() == 2, "generated again");
        assertFalse(window.strip.entries().get(1).result().request().onlyMasked());
    }

    @Test
    void ctrlSAfterUseAsBaseExportsTheNewPhotoWithItsParameters(FxRobot robot) throws Exception {
        paintDab(robot, window, 200, 150);
        robot.interact(() -> {
            window.panel.steps.getValueFactory().setValue(2);
            window.panel.seed.setText("77");
        });
        robot.interact(window::generate);
        await(() -> !window.isGenerating() && window.strip.entries().size() == 1, "generated");
        InpaintResult r = window.strip.entries().get(0).result();
        robot.clickOn("Use as base");
        assertSame(r.image(), window.canvas.photo());
        ExportController.Exportable x = window.exportable();
        assertNotNull(x, "Ctrl+S has something to save");
        assertSame(window.canvas.photo(), x.image(), "the current base photo");
        assertEquals("photo", x.what());
        assertTrue(x.parameters().contains("Seed: 77"), x.parameters());
        Path out = Files.createTempFile("inpaint-base", ".png");
        javafx.concurrent.Task<Void> t = WaitForAsyncUtils.asyncFx(() -> window.export(x, out)).get();
        await(t::isDone, "written");
        Map<String, String> text = com.inpaintstudio.image.PngMetadata.read(out);
        assertTrue(text.get("parameters").contains("Seed: 77"), text.toString());
        Files.deleteIfExists(out);
    }

    // ---- 6. one step count -----------------------------------------------------------------------------------

    @Test
    void statusTileAndMetadataCountTheStepsThatRun(FxRobot robot) throws Exception {
        engine.extraSteps = 1; // like PNDM: 6 requested, 7 run
        paintDab(robot, window, 200, 150);
        robot.interact(() -> window.panel.steps.getValueFactory().setValue(6));
        robot.interact(window::generate);
        await(() -> !window.isGenerating() && window.strip.entries().size() == 1, "generated");
        ResultsStrip.Entry done = window.strip.entries().get(0);
        assertTrue(done.caption().endsWith("7 steps"), done.caption());
        assertTrue(done.result().parameters().contains("Steps: 6") && done.result().parameters().contains("Steps run: 7"),
                done.result().parameters());

        List<String> statuses = new CopyOnWriteArrayList<>();
        window.status.textProperty().addListener((o, a, b) -> statuses.add(b));
        engine.stepMillis = 60;
        robot.interact(window::generate);
        await(() -> engine.stepsEmitted.size() >= 7 + 3, "running");
        robot.type(KeyCode.ESCAPE);
        await(() -> !window.isGenerating() && window.strip.entries().size() == 2, "stopped");
        ResultsStrip.Entry stopped = window.strip.entries().get(1);
        int n = stopped.result().stepsCompleted();
        assertTrue(n >= 3 && n < 7, "partial " + n);
        assertTrue(statuses.stream().anyMatch(s -> s.startsWith("Step ") && s.contains("/7 ")), statuses.toString());
        assertTrue(statuses.stream().noneMatch(s -> s.matches("Step \\d+/6 .*")), statuses.toString());
        assertTrue(window.status.getText().contains("stopped at step " + n + " of 7"), window.status.getText());
        assertTrue(stopped.caption().contains("stopped at step " + n + " of 7"), stopped.caption());
        assertTrue(stopped.result().parameters().contains("Stopped at step: " + n + " of 7"), stopped.result().parameters());
    }

    // ---- 7. model picker -------------------------------------------------------------------------------------

    @Test
    void aModelInTheFoldersIsPreselectedAndNewOnesAppearWhileRunning(FxRobot robot) throws Exception {
        assertEquals(FAKE_SD, window.panel.model.getValue(), "first start: the model beats the built-in fill");
        ModelChoice added = new ModelChoice("new model (1.2 GB)", Path.of("new-model"), ModelChoice.Kind.DIFFUSERS_FOLDER);
        catalog.add(added);
        window.rescanModels().get(10, TimeUnit.SECONDS);
        await(() -> window.panel.model.getItems().contains(added), "the new model is listed");
        assertEquals(FAKE_SD, window.panel.model.getValue(), "the selection stays");
        assertEquals("23 MB", Services.sizeText(23_400_000L));
        assertEquals("999 MB", Services.sizeText(999_000_000L));
        assertEquals("4.3 GB", Services.sizeText(4_265_000_000L));
    }

    // ---- 8. built-in fill ------------------------------------------------------------------------------------

    @Test
    void theBuiltInFillSaysFillingAndUsesNoSeed(FxRobot robot) throws Exception {
        Preferences p = prefs();
        p.putBoolean("randomSeed", true);
        p.put("seed", "4242");
        EditorWindow[] w = new EditorWindow[1];
        robot.interact(() -> {
            Stage s = new Stage();
            w[0] = new EditorWindow(s, Services::openEngine, () -> List.of(ModelChoice.BUILT_IN_FILL), new FileImageIo(), p);
            s.show();
            w[0].setPhoto(gradient(300, 200), null);
        });
        EditorWindow fill = w[0];
        await(() -> fill.engineStatus().endsWith("ready"), "fill ready");
        List<String> statuses = new CopyOnWriteArrayList<>();
        fill.status.textProperty().addListener((o, a, b) -> statuses.add(b));
        paintDab(robot, fill, 150, 100);
        robot.interact(fill::generate);
        await(() -> !fill.isGenerating() && fill.strip.entries().size() == 1, "filled");
        assertTrue(statuses.stream().anyMatch(s -> s.startsWith("Filling")), statuses.toString());
        assertTrue(statuses.stream().noneMatch(s -> s.contains("VAE") || s.contains("preview")), statuses.toString());
        assertEquals("4242", fill.panel.seed.getText(), "no random seed drawn");
        assertEquals(-1, fill.panel.lastSeedProperty().get(), "no seed remembered as used");
        ResultsStrip.Entry e = fill.strip.entries().get(0);
        assertEquals("built-in fill", e.caption());
        assertFalse(e.result().parameters().contains("Seed"), e.result().parameters());
        assertEquals(Engines.builtInFill().name(), e.result().modelName());
    }

    // ---- 10. polish ------------------------------------------------------------------------------------------

    @Test
    void oneWheelNotchZoomsFifteenToTwentyPercent(FxRobot robot) {
        double z0 = window.canvas.zoomProperty().get();
        robot.moveTo(window.canvas).scroll(1, javafx.geometry.VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        double ratio = window.canvas.zoomProperty().get() / z0;
        double step = Math.max(ratio, 1 / ratio);
        assertTrue(step >= 1.15 && step <= 1.2, "one notch: x" + ratio);
    }

    @Test
    void erasingAlongASoftStrokeLeavesNoGhostEdge() {
        MaskModel m = new MaskModel(200, 120);
        m.line(30, 60, 170, 60, 25, 0.5, false, true);
        assertTrue(m.get(100, 60) == 255 && m.get(100, 60 + 20) > 0, "soft stroke painted");
        m.line(30, 60, 170, 60, 25, 0.5, true, true);
        int left = 0;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                left += m.get(x, y) > 0 ? 1 : 0;
            }
        }
        assertEquals(0, left, "pixels left behind by the same-size eraser");
    }

    @Test
    void theMaskOverlayHasNoTileSeamsWhenZoomedOut(FxRobot robot) throws Exception {
        robot.moveTo(window.fitButton); // no brush cursor over the canvas
        robot.interact(() -> {
            window.setPhoto(RgbImage.filled(1100, 900, 0x808080), null);
            window.canvas.applyMaskOperation("all", () -> window.canvas.mask().fill());
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> window.canvas.zoomAround(0.37, 3.3, 2.7)); // tile edges at fractional screen pixels
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage shot = WaitForAsyncUtils.asyncFx(() -> window.canvas.snapshot(null, null)).get();
        PixelReader px = shot.getPixelReader();
        var a = window.canvas.toView(0, 0);
        var b = window.canvas.toView(1100, 900);
        int x0 = (int) Math.ceil(a.getX()) + 2, x1 = (int) Math.min(shot.getWidth(), b.getX()) - 3;
        int y0 = (int) Math.ceil(a.getY()) + 2, y1 = (int) Math.min(shot.getHeight(), b.getY()) - 3;
        assertTrue(x1 - x0 > 150 && y1 - y0 > 150, "a large masked area in view " + x0 + ".." + x1 + ", " + y0 + ".." + y1);
        int ref = px.getArgb(x0 + 5, y0 + 5);
        int worst = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int c = px.getArgb(x, y);
                for (int sh = 0; sh < 24; sh += 8) {
                    worst = Math.max(worst, Math.abs((c >> sh & 0xff) - (ref >> sh & 0xff)));
                }
            }
        }
        assertTrue(worst <= 2, "a fully masked, uniform area shows one colour; worst channel difference " + worst);
    }

    @Test
    void theActiveToolButtonStandsOutAndF1IsATable(FxRobot robot) throws Exception {
        ToggleButton brush = robot.lookup(".toggle-button").match(n -> n instanceof ToggleButton t && t.getText().equals("Brush"))
                .queryAs(ToggleButton.class);
        ToggleButton eraser = robot.lookup(".toggle-button").match(n -> n instanceof ToggleButton t && t.getText().equals("Eraser"))
                .queryAs(ToggleButton.class);
        assertTrue(brush.isSelected());
        double on = WaitForAsyncUtils.asyncFx(() -> luminance(brush.snapshot(null, null))).get();
        double off = WaitForAsyncUtils.asyncFx(() -> luminance(eraser.snapshot(null, null))).get();
        assertTrue(Math.abs(on - off) > 25, "active " + on + " vs inactive " + off + " (0-255 mean luminance)");

        javafx.scene.layout.GridPane table = WaitForAsyncUtils.asyncFx(window::shortcutTable).get();
        int rows = window.shortcutHelp().split("\n").length;
        assertEquals(rows * 2, table.getChildren().size(), "two columns: keys, what they do");
        Label firstKeys = (Label) table.getChildren().get(0);
        assertEquals(0, javafx.scene.layout.GridPane.getColumnIndex(firstKeys));
        assertEquals(1, javafx.scene.layout.GridPane.getColumnIndex(table.getChildren().get(1)));
        assertTrue(table.getChildren().stream().anyMatch(n -> n instanceof Label l && l.getText().equals("Ctrl+Z")));
    }

    private static double luminance(WritableImage img) {
        PixelReader r = img.getPixelReader();
        double sum = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = r.getArgb(x, y);
                sum += 0.3 * (c >> 16 & 0xff) + 0.59 * (c >> 8 & 0xff) + 0.11 * (c & 0xff);
                n++;
            }
        }
        return sum / n;
    }
}
