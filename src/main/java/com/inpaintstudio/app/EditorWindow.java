package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.hub.HubDownloader;
import com.inpaintstudio.pipeline.InpaintResult;
import javafx.beans.binding.Bindings;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.ToolBar;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * The editor window: lays out menus, tool bar, canvas, side panel, results strip and status bar, and keeps the
 * window's settings. The work is done by controllers ({@link DocumentController}, {@link MaskController},
 * {@link ModelController}, {@link GenerationController}, {@link ExportController}) over a shared
 * {@link EditorContext}; menus, keys and the shortcut help come from one {@link ActionTable}.
 */
public final class EditorWindow {
    private final EditorContext ctx;
    private final DocumentController documents;
    private final MaskController masks;
    private final ModelController models;
    private final GenerationController generation;
    private final ExportController export;
    final ExtendController extend;
    final AutosaveController autosave;
    final PreviewController previews;
    final LoraController loras;
    private final BrushTools brush;
    private final ActionTable actions;
    private final Label zoomLabel = new Label();
    private boolean shutDown;

    // the window's parts, for tests
    final CanvasView canvas;
    final SidePanel panel;
    final ResultsStrip strip;
    final StatusBar status;
    final Notifier notifier;
    final EditHistory history;
    final ModelBanner banner;
    Button fitButton;
    Button actualButton;

    public EditorWindow(Stage stage, EngineProvider engineProvider, ModelCatalog catalog, ImageIo io, Preferences prefs) {
        BorderPane root = new BorderPane();
        StackPane canvasHolder = new StackPane();
        // messages slide in at the canvas's bottom edge: never over the tool bar or the side panel
        ctx = new EditorContext(stage, prefs, io, engineProvider, new Notifier(canvasHolder));
        canvas = ctx.canvas;
        panel = ctx.panel;
        strip = ctx.strip;
        status = ctx.status;
        notifier = ctx.notifier;
        history = ctx.history;
        documents = new DocumentController(ctx);
        autosave = new AutosaveController(ctx, documents, SessionStore.defaultDir());
        masks = new MaskController(ctx);
        generation = new GenerationController(ctx);
        models = new ModelController(ctx, catalog, generation.busy());
        loras = new LoraController(ctx); // before the model picker is filled: a model choice rescans the LoRAs
        banner = models.banner;
        export = new ExportController(ctx, documents::suggestName);
        brush = new BrushTools(canvas, prefs);
        extend = new ExtendController(ctx);
        previews = new PreviewController(ctx);
        generation.draftDecodeFrom(previews::draftDecode);
        actions = EditorActions.create(ctx, documents, masks, generation, export, brush, extend, this::showShortcuts);

        canvasHolder.getChildren().addAll(canvas, documents.hint);
        canvasHolder.getStyleClass().add("canvas-holder");
        ScrollPane side = new ScrollPane(panel);
        side.setFitToWidth(true);
        side.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        side.getStyleClass().add("side-scroll");
        side.setMinWidth(300);
        side.setPrefWidth(330);
        // Generate stays in sight below the scrolling settings, however small the screen
        StackPane generateBar = new StackPane(panel.generate);
        generateBar.getStyleClass().add("generate-bar");
        generateBar.setPadding(new Insets(8, 10, 10, 10));
        VBox.setMargin(panel.loras.fastBar, new Insets(8, 10, 0, 10)); // the LCM/TCD question, never scrolled away
        VBox right = new VBox(side, panel.loras.fastBar, generateBar);
        VBox.setVgrow(side, Priority.ALWAYS);
        right.setMinWidth(300);
        BorderPane center = new BorderPane(notifier.pane());
        center.setTop(new VBox(buildToolBar(), banner));
        center.setBottom(ResultsBar.create(strip, generation::useAsBase, export::exportSelectedResult));
        root.setCenter(center);
        root.setRight(right);

        status.setText("Ready");
        status.getRightItems().addAll(models.engineLabel, new Separator(Orientation.VERTICAL), documents.sizeLabel,
                new Separator(Orientation.VERTICAL), zoomLabel);
        zoomLabel.textProperty().bind(Bindings.createStringBinding(
                () -> String.format(Locale.ROOT, "%.0f %%", canvas.zoomProperty().get() * 100), canvas.zoomProperty()));
        BorderPane outer = new BorderPane(root);
        outer.setTop(buildMenuBar());
        outer.setBottom(status);
        outer.getStyleClass().add("editor-root");

        double[] sceneSize = WindowPlacement.sceneSize(prefs);
        Scene scene = new Scene(outer, sceneSize[0], sceneSize[1]);
        scene.getStylesheets().add(EditorWindow.class.getResource("dark.css").toExternalForm());
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> actions.keyPressed(e, ActionTable.isTyping(e, scene)));
        actions.typing(() -> ActionTable.isTyping(null, scene));
        scene.addEventFilter(KeyEvent.KEY_RELEASED, e -> actions.keyReleased(e, ActionTable.isTyping(e, scene)));
        scene.setOnDragOver(documents::dragOver);
        scene.setOnDragDropped(documents::dragDropped);
        stage.setScene(scene);
        stage.setTitle("Inpaint Studio");
        // the icons come after the first frame (WindowIcons, from InpaintStudioApp)
        stage.setMinWidth(Math.min(900, sceneSize[0]));
        stage.setMinHeight(Math.min(600, sceneSize[1]));
        WindowPlacement.restore(stage, prefs);
        stage.setOnHidden(e -> shutdown());
        stage.setOnCloseRequest(e -> { // the window manager's close button
            if (!documents.guard.confirm("Quit")) {
                e.consume();
            }
        });

        panel.load(prefs);
        models.start();
        loras.rescan();
        strip.selectedProperty().addListener((o, a, b) -> canvas.view(b == null ? null : b.full()));
    }

    private MenuBar buildMenuBar() {
        Menu file = actions.menu("File", "file.new", "file.open", documents.recentMenu, "file.paste", "file.sample", "file.loadSettings", null,
                "file.exportResult", "file.exportMask", "file.importMask", null, "file.quit");
        file.setOnShowing(e -> documents.rebuildRecentMenu());
        Menu edit = actions.menu("Edit", "edit.undo", "edit.redo", null, "mask.clear", "mask.invert", "mask.fill",
                "mask.grow", "mask.shrink");
        edit.getItems().get(0).disableProperty().bind(history.canUndoProperty().not());
        edit.getItems().get(1).disableProperty().bind(history.canRedoProperty().not());
        Menu view = actions.menu("View", "view.fit", "view.actual", "view.photo");
        Menu image = actions.menu("Image", "image.extend");
        Menu gen = actions.menu("Generate", "gen.run", "gen.useAsBase");
        Menu help = actions.menu("Help", "help.shortcuts");
        return new MenuBar(file, edit, view, image, gen, previews.menu, ctx.speed.menu, help);
    }

    /** The tool bar; Fit and 100 % sit in their own bar at the right, never in the overflow menu. */
    private Node buildToolBar() {
        Button undo = actions.button("edit.undo", "↶");
        Button redo = actions.button("edit.redo", "↷");
        undo.disableProperty().bind(history.canUndoProperty().not());
        redo.disableProperty().bind(history.canRedoProperty().not());
        List<Node> items = new ArrayList<>(brush.nodes());
        items.addAll(List.of(new Separator(), undo, redo, actions.button("mask.clear", "Clear"),
                actions.button("mask.invert", "Invert"), actions.button("mask.grow", "Grow"),
                actions.button("mask.shrink", "Shrink")));
        ToolBar tools = new ToolBar(items.toArray(Node[]::new));
        tools.setMinWidth(0);
        HBox.setHgrow(tools, Priority.ALWAYS);
        fitButton = actions.button("view.fit", "Fit");
        actualButton = actions.button("view.actual", "100%");
        ToolBar view = new ToolBar(fitButton, actualButton);
        view.setMinWidth(Region.USE_PREF_SIZE);
        view.getStyleClass().add("view-bar");
        return new HBox(tools, view);
    }

    /** Remembers window and panel state, cancels a running generation, closes the engine. */
    public void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        boolean wasRunning = generation.cancelForShutdown();
        autosave.closeClean();
        Preferences prefs = ctx.prefs;
        WindowPlacement.save(ctx.stage, prefs);
        brush.save(prefs);
        panel.save(prefs);
        try {
            prefs.flush();
        } catch (BackingStoreException e) {
            // the settings are simply not kept; nothing the user can act on
        }
        if (!wasRunning) {
            ctx.engines.close();
        } // else the worker may still be inside the engine: leave it open, the process is ending anyway
        ctx.workers.shutdown();
    }

    // ---- facade: what the launcher, the demos and the tests call ------------------------------------------------

    DocumentController documents() {
        return documents;
    }

    public Stage stage() {
        return ctx.stage;
    }

    public void startWith(List<String> args) {
        autosave.start(() -> documents.startWith(args));
    }

    public void setPhoto(RgbImage photo, Path path) {
        documents.setPhoto(photo, path);
    }

    public Task<RgbImage> open(Path file) {
        return documents.open(file);
    }

    public Task<Mask> importMask(Path file) {
        return masks.importMask(file);
    }

    void invertMask() {
        masks.invert();
    }

    Task<byte[]> morph(int px) {
        return masks.morph(px);
    }

    void undo() {
        masks.undo();
    }

    public void chooseModel(ModelChoice c) {
        models.chooseModel(c);
    }

    /** True while the window tells the user that no Stable Diffusion model is available. */
    public boolean isNoModelBannerShowing() {
        return banner.isVisible();
    }

    /** The status bar's model state: "Loading model… (name)", "name · ready" or "No model loaded". */
    public String engineStatus() {
        return models.engineLabel.getText();
    }

    void setDownloadTarget(Supplier<HubDownloader> hub, Supplier<Path> dir) {
        models.setDownloadTarget(hub, dir);
        previews.setDownloadTarget(hub, dir);
    }

    public GenerationTask generate() {
        return generation.generate();
    }

    public boolean isGenerating() {
        return generation.isGenerating();
    }

    public PreviewPump pump() {
        return generation.pump;
    }

    /** Previews drawn on the canvas during the current/last generation. */
    public int previewsDrawn() {
        return generation.previewsDrawn();
    }

    public Task<Void> exportResult(InpaintResult r, Path file) {
        return export.exportResult(r, file);
    }

    /** What Ctrl+S would export now. */
    ExportController.Exportable exportable() {
        return export.exportable();
    }

    Task<Void> export(ExportController.Exportable x, Path file) {
        return export.export(x, file);
    }

    /** Scans the models folders again (as when the window gets the focus). */
    java.util.concurrent.CompletableFuture<Void> rescanModels() {
        return models.rescan();
    }

    private void showShortcuts() {
        ShortcutHelp.show(ctx.stage, actions);
    }

    /** F1's table, for tests. */
    javafx.scene.layout.GridPane shortcutTable() {
        return ShortcutHelp.table(actions);
    }

    /** The shortcut help (F1), made from the action table. */
    String shortcutHelp() {
        return actions.helpText();
    }
}
