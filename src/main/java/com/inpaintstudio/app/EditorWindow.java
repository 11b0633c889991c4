package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.InpaintException;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.InpaintResult;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ColorPicker;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.FileChooser;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.prefs.Preferences;

/** The editor window: menus, tool bar, canvas, side panel, results strip, status bar; wires the actions. */
public final class EditorWindow {
    private final Stage stage;
    private final ImageIo io;
    private final Preferences prefs;
    private final EngineHolder engines;
    private final ModelCatalog catalog;
    private final RecentFiles recent;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "editor-worker");
        t.setDaemon(true);
        return t;
    });

    final CanvasView canvas = new CanvasView();
    final SidePanel panel = new SidePanel();
    final ResultsStrip strip = new ResultsStrip();
    final StatusBar status = new StatusBar();
    final Notifier notifier;
    final EditHistory history = new EditHistory();
    private final PreviewPump pump = new PreviewPump(this::drawPreview);
    private final Label hint = new Label("Open a photo (Ctrl+O), drop one here, paste one (Ctrl+V),\nor start from a blank canvas (Ctrl+N).");
    private final Label zoomLabel = new Label();
    private final Label sizeLabel = new Label();
    private final Label engineLabel = new Label();
    private final Menu recentMenu = new Menu("Open recent");
    private final Button useAsBase = new Button("Use as base");
    private final Button showPhoto = new Button("Show photo");
    private final Button exportResult = new Button("Export…");
    private final Slider brushSize = new Slider(1, 500, 60);
    private final Slider hardness = new Slider(0, 1, 0.8);
    private final ColorPicker overlayColor = new ColorPicker(Color.web("#ff3d6e"));
    private final javafx.beans.property.ObjectProperty<GenerationTask> running = new javafx.beans.property.SimpleObjectProperty<>();
    final ModelBanner banner;
    private final javafx.scene.control.ContextMenu browseMenu = new javafx.scene.control.ContextMenu(
            item("Diffusers model folder…", null, this::browseModelFolder),
            item("Single checkpoint file (.safetensors)…", null, this::browseModelFile));
    private java.util.function.Supplier<com.inpaintstudio.model.hub.HubDownloader> hub =
            com.inpaintstudio.model.hub.HubDownloader::fromEnvironment;
    private java.util.function.Supplier<Path> downloadDir = Services::downloadDir;
    private Path photoPath;
    private int previewsDrawn;
    private boolean shutDown;

    public EditorWindow(Stage stage, EngineProvider engineProvider, ModelCatalog catalog, ImageIo io, Preferences prefs) {
        this.stage = stage;
        this.io = io;
        this.prefs = prefs;
        this.catalog = catalog;
        this.engines = new EngineHolder(engineProvider);
        this.recent = new RecentFiles(prefs);

        StackPane canvasHolder = new StackPane(canvas, hint);
        canvasHolder.getStyleClass().add("canvas-holder");
        hint.getStyleClass().add("canvas-hint");
        hint.setMouseTransparent(true);
        ScrollPane side = new ScrollPane(panel);
        side.setFitToWidth(true);
        side.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        side.getStyleClass().add("side-scroll");
        side.setMinWidth(300);
        side.setPrefWidth(330);

        banner = new ModelBanner(b -> browseMenu.show(b, javafx.geometry.Side.BOTTOM, 0, 0), () -> hub.get(),
                () -> downloadDir.get(), this::modelDownloaded, workers);
        BorderPane center = new BorderPane(canvasHolder);
        center.setTop(new VBox(buildToolBar(), banner));
        center.setBottom(buildResultsBar());
        BorderPane root = new BorderPane();
        root.setCenter(center);
        root.setRight(side);
        notifier = new Notifier(root);

        status.setText("Ready");
        status.getRightItems().addAll(engineLabel, new Separator(Orientation.VERTICAL), sizeLabel,
                new Separator(Orientation.VERTICAL), zoomLabel);
        zoomLabel.textProperty().bind(Bindings.createStringBinding(
                () -> String.format(Locale.ROOT, "%.0f %%", canvas.zoomProperty().get() * 100), canvas.zoomProperty()));

        BorderPane outer = new BorderPane(notifier.pane());
        outer.setTop(buildMenuBar());
        outer.setBottom(status);
        outer.getStyleClass().add("editor-root");

        Scene scene = new Scene(outer, prefs.getDouble("window.w", 1400), prefs.getDouble("window.h", 900));
        scene.getStylesheets().add(EditorWindow.class.getResource("dark.css").toExternalForm());
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::keyPressed);
        scene.addEventFilter(KeyEvent.KEY_RELEASED, this::keyReleased);
        scene.setOnDragOver(this::dragOver);
        scene.setOnDragDropped(this::dragDropped);
        stage.setScene(scene);
        stage.setTitle("Inpaint Studio");
        for (String size : new String[] {"32", "64", "256"}) {
            var icon = EditorWindow.class.getResourceAsStream("/com/inpaintstudio/app/icon-" + size + ".png");
            if (icon != null) {
                stage.getIcons().add(new javafx.scene.image.Image(icon));
            }
        }
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        if (prefs.get("window.x", null) != null) {
            double x = prefs.getDouble("window.x", 0), y = prefs.getDouble("window.y", 0);
            // only where a screen still shows the title bar (monitors come and go)
            if (!javafx.stage.Screen.getScreensForRectangle(x, y, 200, 40).isEmpty()) {
                stage.setX(x);
                stage.setY(y);
            }
        }
        stage.setMaximized(prefs.getBoolean("window.maximized", false));
        stage.setOnHidden(e -> shutdown());

        wireTools();
        wirePanel();
        wireStrip();
        updateDocumentState();
    }

    // ---- layout -------------------------------------------------------------------------------------------

    private MenuBar buildMenuBar() {
        Menu file = new Menu("File");
        file.getItems().addAll(
                item("New canvas…", "Shortcut+N", this::newCanvas),
                item("Open…", "Shortcut+O", this::chooseAndOpen),
                recentMenu,
                item("Paste image", null, this::paste),
                item("Sample photo", null, this::showSamplePhoto),
                new SeparatorMenuItem(),
                item("Export result PNG…", "Shortcut+S", this::exportResult),
                item("Export mask PNG…", "Shortcut+Shift+S", this::exportMask),
                item("Import mask…", "Shortcut+M", this::importMask),
                new SeparatorMenuItem(),
                item("Quit", "Shortcut+Q", stage::close));
        file.setOnShowing(e -> rebuildRecentMenu());
        Menu edit = new Menu("Edit");
        MenuItem undo = item("Undo", null, this::undo);
        MenuItem redo = item("Redo", null, this::redo);
        undo.disableProperty().bind(history.canUndoProperty().not());
        redo.disableProperty().bind(history.canRedoProperty().not());
        edit.getItems().addAll(undo, redo, new SeparatorMenuItem(),
                item("Clear mask", null, this::clearMask),
                item("Invert mask", "Shortcut+I", this::invertMask),
                item("Mask everything", null, () -> maskOp("fill mask", () -> canvas.mask().fill())),
                item("Grow mask (8 px)", null, () -> morph(8)),
                item("Shrink mask (8 px)", null, () -> morph(-8)));
        Menu view = new Menu("View");
        view.getItems().addAll(item("Fit", "Shortcut+0", canvas::fit), item("100 %", "Shortcut+1", canvas::actualSize),
                item("Show photo", null, () -> strip.selectedProperty().set(null)));
        Menu gen = new Menu("Generate");
        gen.getItems().addAll(item("Generate / Cancel", null, this::generateOrCancel),
                item("Use result as base", null, this::useAsBase));
        Menu help = new Menu("Help");
        help.getItems().add(item("Shortcuts", "F1", this::showShortcuts));
        return new MenuBar(file, edit, view, gen, help);
    }

    private static MenuItem item(String text, String accel, Runnable r) {
        MenuItem m = new MenuItem(text);
        if (accel != null) {
            m.setAccelerator(KeyCombination.keyCombination(accel));
        }
        m.setOnAction(e -> r.run());
        return m;
    }

    private ToolBar buildToolBar() {
        ToggleGroup tools = new ToggleGroup();
        ToggleButton brush = new ToggleButton("Brush");
        ToggleButton eraser = new ToggleButton("Eraser");
        brush.setToggleGroup(tools);
        eraser.setToggleGroup(tools);
        brush.setTooltip(new Tooltip("Brush (B) · X swaps · Shift-click draws a straight line"));
        eraser.setTooltip(new Tooltip("Eraser (E) · X swaps"));
        brush.setSelected(true);
        canvas.toolProperty().addListener((o, a, b) -> (b == CanvasView.Tool.BRUSH ? brush : eraser).setSelected(true));
        tools.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true);
            } else {
                canvas.toolProperty().set(b == brush ? CanvasView.Tool.BRUSH : CanvasView.Tool.ERASER);
            }
        });
        brushSize.setPrefWidth(100);
        brushSize.setTooltip(new Tooltip("Brush size in photo pixels ([ and ])"));
        Label sizeValue = new Label();
        sizeValue.setMinWidth(44);
        sizeValue.textProperty().bind(Bindings.format("%.0f px", brushSize.valueProperty()));
        hardness.setPrefWidth(70);
        hardness.setTooltip(new Tooltip("Hardness: soft edges paint partial mask values"));
        CheckBox showMask = new CheckBox("Mask");
        showMask.setSelected(true);
        showMask.setTooltip(new Tooltip("Show the mask overlay"));
        canvas.overlayVisibleProperty().bind(showMask.selectedProperty());
        overlayColor.getStyleClass().add(ColorPicker.STYLE_CLASS_BUTTON);
        overlayColor.setStyle("-fx-color-label-visible: false;");
        overlayColor.setTooltip(new Tooltip("Mask overlay colour"));
        Button undo = button("↶", "Undo (Ctrl+Z)", this::undo);
        Button redo = button("↷", "Redo (Ctrl+Shift+Z)", this::redo);
        undo.disableProperty().bind(history.canUndoProperty().not());
        redo.disableProperty().bind(history.canRedoProperty().not());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        return new ToolBar(brush, eraser, new Label("Size"), brushSize, sizeValue, new Label("Hardness"), hardness,
                new Separator(), showMask, overlayColor, new Separator(), undo, redo,
                button("Clear", "Clear the mask", this::clearMask),
                button("Invert", "Invert the mask (Ctrl+I)", this::invertMask),
                button("Grow", "Grow the mask by 8 px", () -> morph(8)),
                button("Shrink", "Shrink the mask by 8 px", () -> morph(-8)),
                grow,
                button("Fit", "Fit the photo in the window (Ctrl+0)", canvas::fit),
                button("100%", "One photo pixel per screen pixel (Ctrl+1)", canvas::actualSize));
    }

    private static Button button(String text, String tip, Runnable r) {
        Button b = new Button(text);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> r.run());
        b.setFocusTraversable(false);
        return b;
    }

    private Node buildResultsBar() {
        useAsBase.setOnAction(e -> useAsBase());
        showPhoto.setOnAction(e -> strip.selectedProperty().set(null));
        exportResult.setOnAction(e -> exportResult());
        useAsBase.setTooltip(new Tooltip("Make the selected result the photo, to inpaint it further (undoable)"));
        for (Button b : List.of(useAsBase, showPhoto, exportResult)) {
            b.disableProperty().bind(strip.selectedProperty().isNull());
            b.setMaxWidth(Double.MAX_VALUE);
        }
        VBox buttons = new VBox(6, useAsBase, showPhoto, exportResult);
        buttons.setAlignment(Pos.CENTER);
        buttons.setPadding(new Insets(6));
        buttons.setMinWidth(120);
        BorderPane bar = new BorderPane(strip);
        bar.setRight(buttons);
        bar.getStyleClass().add("results-bar");
        return bar;
    }

    // ---- wiring -------------------------------------------------------------------------------------------

    private void wireTools() {
        canvas.brushSizeProperty().bind(brushSize.valueProperty());
        canvas.hardnessProperty().bind(hardness.valueProperty());
        canvas.overlayColorProperty().bind(overlayColor.valueProperty());
        brushSize.setValue(prefs.getDouble("brush.size", 60));
        hardness.setValue(prefs.getDouble("brush.hardness", 0.8));
        try {
            overlayColor.setValue(Color.web(prefs.get("overlay.color", "#ff3d6e")));
        } catch (IllegalArgumentException e) {
            overlayColor.setValue(Color.web("#ff3d6e"));
        }
    }

    private void wirePanel() {
        panel.load(prefs);
        panel.generate.setOnAction(e -> generateOrCancel());
        panel.generate.textProperty().bind(Bindings.when(running.isNull()).then("Generate").otherwise("Cancel"));
        running.addListener((o, a, b) -> {
            if (b == null) {
                panel.generate.getStyleClass().remove("cancel");
            } else {
                panel.generate.getStyleClass().add("cancel");
            }
        });
        panel.model.disableProperty().bind(running.isNotNull());
        panel.browseModel.disableProperty().bind(running.isNotNull());
        panel.browseModel.setOnAction(e -> browseMenu.show(panel.browseModel, javafx.geometry.Side.BOTTOM, 0, 0));
        List<ModelChoice> models = new java.util.ArrayList<>(catalog.scan());
        String remembered = prefs.get("model", ModelChoice.BUILT_IN_FILL.key());
        ModelChoice pick = models.stream().filter(m -> m.key().equals(remembered)).findFirst().orElse(null);
        if (pick == null && !remembered.startsWith("builtin:") && Files.exists(Path.of(remembered))) {
            pick = ModelChoice.of(Path.of(remembered));
            models.add(pick);
        }
        panel.model.getItems().setAll(models);
        panel.model.getItems().addListener((javafx.collections.ListChangeListener<ModelChoice>) c -> updateBanner());
        updateBanner();
        panel.model.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                prefs.put("model", b.key());
                loadEngine(b, true);
            }
        });
        ModelChoice first = pick != null ? pick : models.isEmpty() ? null : models.get(0);
        if (first != null) {
            // the remembered model loads quietly at start-up; a failure shows when the user generates
            prefs.put("model", first.key());
            loadEngine(first, false);
            panel.model.getSelectionModel().select(first);
        }
    }

    /** The no-model banner shows while the picker holds nothing but the built-in fill. */
    private void updateBanner() {
        boolean none = panel.model.getItems().stream().allMatch(m -> m.kind() == ModelChoice.Kind.BUILT_IN_FILL);
        banner.setVisible(none || banner.isDownloading());
        banner.setManaged(banner.isVisible());
    }

    /** True while the window tells the user that no Stable Diffusion model is available. */
    public boolean isNoModelBannerShowing() {
        return banner.isVisible();
    }

    /** Where "Download…" fetches from and saves to (tests use a local hub and a temporary folder). */
    void setDownloadTarget(java.util.function.Supplier<com.inpaintstudio.model.hub.HubDownloader> hub,
                           java.util.function.Supplier<Path> dir) {
        this.hub = hub;
        this.downloadDir = dir;
    }

    /** A download finished: rescan so the picker shows the model with its type and size, and select it. */
    private void modelDownloaded(Path dir) {
        Path want = dir.toAbsolutePath().normalize();
        ModelChoice found = null;
        for (ModelChoice c : catalog.scan()) {
            if (c.path() != null && c.path().toAbsolutePath().normalize().equals(want)) {
                found = c;
            }
        }
        if (found == null) {
            found = ModelChoice.of(want);
        }
        notifier.info("Downloaded " + found.name() + ". It is now selected; Generate uses it.");
        chooseModel(found);
    }

    private void wireStrip() {
        strip.selectedProperty().addListener((o, a, b) -> canvas.view(b == null ? null : b.full()));
    }

    private void loadEngine(ModelChoice c, boolean reportFailure) {
        if (c.equals(engines.choice())) {
            return;
        }
        engineLabel.setText("Loading model… (" + c.name() + ")");
        engines.load(c).whenComplete((eng, err) -> Platform.runLater(() -> {
            if (engines.choice() != c) {
                return;
            }
            if (err != null) {
                engineLabel.setText("No model loaded");
                if (reportFailure) {
                    notifier.error(EngineHolder.asUserError(err instanceof java.util.concurrent.CompletionException
                            ? err.getCause() : err).getMessage());
                }
            } else {
                engineLabel.setText(eng.name() + " · ready");
            }
        }));
    }

    private void browseModelFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Choose a single-file checkpoint");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Checkpoints", "*.safetensors", "*.ckpt"));
        File init = existingDir(prefs.get("dir.model", null));
        if (init != null) {
            fc.setInitialDirectory(init);
        }
        File f = fc.showOpenDialog(stage);
        if (f != null) {
            prefs.put("dir.model", parentOf(f.toPath()));
            chooseModel(ModelChoice.of(f.toPath()));
        }
    }

    private void browseModelFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Choose a diffusers model folder (with model_index.json)");
        File init = existingDir(prefs.get("dir.model", null));
        if (init != null) {
            dc.setInitialDirectory(init);
        }
        File f = dc.showDialog(stage);
        if (f == null) {
            return;
        }
        prefs.put("dir.model", f.getParent() == null ? f.toString() : f.getParent());
        chooseModel(ModelChoice.of(f.toPath()));
    }

    /** Adds a model to the picker (if new) and selects it: the engine starts loading in the background. */
    public void chooseModel(ModelChoice c) {
        if (!panel.model.getItems().contains(c)) {
            panel.model.getItems().add(c);
        }
        panel.model.getSelectionModel().select(c);
    }

    // ---- documents ----------------------------------------------------------------------------------------

    /** The sample landscape that ships with the app, so a first launch has something to paint on. */
    public void showSamplePhoto() {
        setPhoto(com.inpaintstudio.image.SamplePhoto.load(), Path.of("sample-landscape.png"));
        status.setText("Sample photo: paint over something to remove (the signpost?), then Generate. Ctrl+O opens your own.");
    }

    /** Start-up: opens the photo named on the command line, else shows the sample photo. */
    public void startWith(List<String> args) {
        if (args.isEmpty()) {
            showSamplePhoto();
        } else {
            open(Path.of(args.get(0)));
        }
    }

    /** Shows a new photo with an empty mask; forgets results and history of the previous photo. */
    public void setPhoto(RgbImage photo, Path path) {
        setPhoto(photo, path, false);
    }

    private void setPhoto(RgbImage photo, Path path, boolean fullyMasked) {
        setPhoto(photo, FxImages.toFx(photo), path, fullyMasked);
    }

    private void setPhoto(RgbImage photo, javafx.scene.image.Image photoImage, Path path, boolean fullyMasked) {
        MaskModel mask = new MaskModel(photo.width(), photo.height());
        if (fullyMasked) {
            mask.fill();
        }
        history.clear();
        strip.clear();
        canvas.setDocument(photo, photoImage, mask, history);
        photoPath = path;
        updateDocumentState();
    }

    private void updateDocumentState() {
        boolean has = canvas.photo() != null;
        hint.setVisible(!has);
        sizeLabel.setText(has ? canvas.photo().width() + " × " + canvas.photo().height() : "no photo");
        stage.setTitle(has ? (photoPath == null ? "untitled" : photoPath.getFileName()) + " — Inpaint Studio"
                : "Inpaint Studio");
    }

    /** Reads a photo in the background; errors become a message and the current work stays. */
    public Task<RgbImage> open(Path file) {
        javafx.scene.image.Image[] fx = new javafx.scene.image.Image[1];
        Task<RgbImage> t = new Task<>() {
            @Override
            protected RgbImage call() throws Exception {
                RgbImage img = io.read(file);
                fx[0] = FxImages.toFx(img); // the big conversion happens here, not on the FX thread
                return img;
            }
        };
        status.setText("Opening " + file.getFileName() + "…");
        t.setOnSucceeded(e -> {
            setPhoto(t.getValue(), fx[0], file, false);
            recent.add(file);
            prefs.put("dir.open", parentOf(file));
            status.setText("Opened " + file.getFileName());
        });
        t.setOnFailed(e -> {
            status.setText("Ready");
            notifier.error(userMessage(t.getException(), "The picture could not be opened"));
        });
        workers.submit(t);
        return t;
    }

    private void chooseAndOpen() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open photo");
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Images", "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif", "*.PNG", "*.JPG", "*.JPEG"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        File init = existingDir(prefs.get("dir.open", null));
        if (init != null) {
            fc.setInitialDirectory(init);
        }
        File f = fc.showOpenDialog(stage);
        if (f != null) {
            open(f.toPath());
        }
    }

    private void rebuildRecentMenu() {
        recentMenu.getItems().clear();
        for (Path p : recent.list()) {
            MenuItem m = new MenuItem(p.toString());
            m.setMnemonicParsing(false);
            m.setOnAction(e -> open(p));
            recentMenu.getItems().add(m);
        }
        if (recentMenu.getItems().isEmpty()) {
            MenuItem none = new MenuItem("(none)");
            none.setDisable(true);
            recentMenu.getItems().add(none);
        } else {
            recentMenu.getItems().addAll(new SeparatorMenuItem(), item("Clear list", null, recent::clear));
        }
    }

    private void newCanvas() {
        new NewCanvasDialog(prefs.getInt("new.w", 512), prefs.getInt("new.h", 512)).showAndWait().ifPresent(s -> {
            prefs.putInt("new.w", s[0]);
            prefs.putInt("new.h", s[1]);
            newBlankCanvas(s[0], s[1]);
        });
    }

    /** A white canvas, fully masked: text to image. */
    public void newBlankCanvas(int w, int h) {
        setPhoto(RgbImage.filled(w, h, 0xffffff), null, true);
    }

    private void paste() {
        Clipboard cb = Clipboard.getSystemClipboard();
        if (cb.hasImage()) {
            setPhoto(FxImages.fromFx(cb.getImage()), null);
        } else if (cb.hasFiles() && !cb.getFiles().isEmpty()) {
            open(cb.getFiles().get(0).toPath());
        } else {
            notifier.info("The clipboard holds no picture.");
        }
    }

    private void dragOver(DragEvent e) {
        if (e.getDragboard().hasFiles() || e.getDragboard().hasImage()) {
            e.acceptTransferModes(TransferMode.COPY);
        }
        e.consume();
    }

    private void dragDropped(DragEvent e) {
        boolean ok = false;
        if (e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty()) {
            open(e.getDragboard().getFiles().get(0).toPath());
            ok = true;
        } else if (e.getDragboard().hasImage()) {
            setPhoto(FxImages.fromFx(e.getDragboard().getImage()), null);
            ok = true;
        }
        e.setDropCompleted(ok);
        e.consume();
    }

    // ---- mask ---------------------------------------------------------------------------------------------

    private boolean needPhoto() {
        if (canvas.photo() == null) {
            notifier.info("Open a photo first (File ▸ Open, drag and drop, or paste).");
            return false;
        }
        return true;
    }

    private void maskOp(String label, java.util.function.Supplier<IntRect> op) {
        if (needPhoto()) {
            canvas.applyMaskOperation(label, op);
        }
    }

    void clearMask() {
        maskOp("clear mask", () -> canvas.mask().clear());
    }

    void invertMask() {
        maskOp("invert mask", () -> canvas.mask().invert());
    }

    /**
     * Grows (px &gt; 0) or shrinks the mask. Small areas are done at once; a big one is computed on a worker from a copy
     * of the affected rectangle (the canvas is locked meanwhile) and pasted back as one undoable edit.
     */
    Task<byte[]> morph(int px) {
        if (!needPhoto()) {
            return null;
        }
        String label = px > 0 ? "grow mask" : "shrink mask";
        MaskModel mask = canvas.mask();
        IntRect region = mask.morphRegion(px);
        if (region.isEmpty()) {
            return null;
        }
        if ((long) region.w() * region.h() < 1_000_000) {
            maskOp(label, () -> mask.morph(px));
            return null;
        }
        byte[] before = mask.copyRect(region);
        Task<byte[]> t = new Task<>() {
            @Override
            protected byte[] call() {
                MaskModel part = new MaskModel(region.w(), region.h());
                part.pasteRect(part.bounds(), before);
                part.morph(px);
                return part.copyRect(part.bounds());
            }
        };
        canvas.setDisable(true);
        status.setText(px > 0 ? "Growing the mask…" : "Shrinking the mask…");
        t.setOnSucceeded(e -> {
            canvas.setDisable(false);
            if (canvas.mask() == mask) {
                canvas.applyMaskOperation(label, () -> {
                    mask.pasteRect(region, t.getValue());
                    return region;
                });
            }
            status.setText("Ready");
        });
        t.setOnFailed(e -> {
            canvas.setDisable(false);
            notifier.error(userMessage(t.getException(), "The mask could not be changed"));
        });
        workers.submit(t);
        return t;
    }

    void undo() {
        if (getFocusedText() != null) {
            getFocusedText().undo();
        } else {
            history.undo();
        }
    }

    void redo() {
        if (getFocusedText() != null) {
            getFocusedText().redo();
        } else {
            history.redo();
        }
    }

    private TextInputControl getFocusedText() {
        return stage.getScene().getFocusOwner() instanceof TextInputControl t ? t : null;
    }

    private void importMask() {
        if (!needPhoto()) {
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setTitle("Import mask (white = repaint)");
        File init = existingDir(prefs.get("dir.open", null));
        if (init != null) {
            fc.setInitialDirectory(init);
        }
        File f = fc.showOpenDialog(stage);
        if (f != null) {
            importMask(f.toPath());
        }
    }

    /** Reads a mask picture in the background and applies it as one undoable edit. */
    public Task<Mask> importMask(Path file) {
        Task<Mask> t = new Task<>() {
            @Override
            protected Mask call() throws Exception {
                return io.readMask(file);
            }
        };
        t.setOnSucceeded(e -> {
            Mask m = t.getValue();
            if (m.width() != canvas.mask().width() || m.height() != canvas.mask().height()) {
                notifier.info("The mask is " + m.width() + "×" + m.height() + "; it was stretched to the photo's size.");
            }
            maskOp("import mask", () -> canvas.mask().set(m));
        });
        t.setOnFailed(e -> notifier.error(userMessage(t.getException(), "The mask could not be imported")));
        workers.submit(t);
        return t;
    }

    // ---- generation ---------------------------------------------------------------------------------------

    /** Generate, or Cancel when a generation is running. */
    public void generateOrCancel() {
        if (running.get() != null) {
            cancel();
        } else {
            generate();
        }
    }

    public void cancel() {
        GenerationTask t = running.get();
        if (t != null) {
            t.requestCancel();
        }
    }

    public GenerationTask generate() {
        if (running.get() != null || !needPhoto()) {
            return null;
        }
        if (canvas.mask().isEmpty()) {
            notifier.info("Paint over the area to repaint first (or Edit ▸ Mask everything).");
            return null;
        }
        long seed = panel.nextSeed();
        panel.lastSeedProperty().set(seed);
        InpaintRequest req = panel.toRequest().image(canvas.photo()).mask(canvas.mask().toMask()).seed(seed).build();
        GenerationTask task = new GenerationTask(engines, req, panel.batchCount(), pump, this::resultArrived);
        running.set(task);
        strip.selectedProperty().set(null);
        canvas.clearPreview();
        previewsDrawn = 0;
        status.textProperty().bind(task.messageProperty());
        status.progressProperty().bind(task.progressProperty());
        task.setOnSucceeded(e -> finished(task, null));
        task.setOnFailed(e -> finished(task, task.getException()));
        task.setOnCancelled(e -> finished(task, null));
        pump.start();
        workers.submit(task);
        return task;
    }

    private void resultArrived(ResultsStrip.Entry r) {
        strip.add(r);
        if (running.get() != null) {
            strip.selectedProperty().set(null); // keep the canvas on the live preview until the batch is done
        }
    }

    private void finished(GenerationTask task, Throwable error) {
        pump.stop();
        status.textProperty().unbind();
        status.progressProperty().unbind();
        status.setProgress(0);
        canvas.clearPreview();
        List<InpaintResult> results = task.getValue();
        if (error != null) {
            status.setText("Generation failed");
            notifier.error(userMessage(error, "The generation failed"));
        } else if (results != null && !results.isEmpty()) {
            InpaintResult last = results.get(results.size() - 1);
            status.setText((last.cancelled() ? "Cancelled after step " + last.stepsCompleted() + " · " : "Done · ")
                    + results.size() + (results.size() == 1 ? " image" : " images") + " in "
                    + String.format(Locale.ROOT, "%.1f s", last.elapsed() == null ? 0 : last.elapsed().toMillis() / 1000.0));
        } else {
            status.setText("Cancelled");
        }
        if (!strip.entries().isEmpty() && results != null && !results.isEmpty()) {
            strip.selectedProperty().set(strip.entries().get(strip.entries().size() - 1));
        }
        running.set(null);
    }

    private void drawPreview(PreviewFrame f) {
        if (f.argb() != null) {
            canvas.showPreview(f.x(), f.y(), f.regionW(), f.regionH(), f.w(), f.h(), f.argb());
            previewsDrawn++;
        }
    }

    /** Previews drawn on the canvas during the current/last generation. */
    public int previewsDrawn() {
        return previewsDrawn;
    }

    /** The status bar's model state: "Loading model… (name)", "name · ready" or "No model loaded". */
    public String engineStatus() {
        return engineLabel.getText();
    }

    public PreviewPump pump() {
        return pump;
    }

    public boolean isGenerating() {
        return running.get() != null;
    }

    private void useAsBase() {
        ResultsStrip.Entry e = strip.selectedProperty().get();
        if (e == null) {
            return;
        }
        RgbImage before = canvas.photo();
        RgbImage after = e.result().image();
        javafx.scene.image.Image beforeFx = canvas.photoImage();
        if (after.width() != before.width() || after.height() != before.height()) {
            notifier.error("This result is " + after.width() + "×" + after.height() + " but the photo is "
                    + before.width() + "×" + before.height() + "; it cannot become the base.");
            return;
        }
        strip.selectedProperty().set(null);
        BaseImageEdit edit = new BaseImageEdit(canvas, before, beforeFx, after, e.full());
        edit.redo();
        history.push(edit);
        status.setText("The result is now the photo (Ctrl+Z to undo)");
    }

    // ---- export -------------------------------------------------------------------------------------------

    private void exportResult() {
        ResultsStrip.Entry e = strip.selectedProperty().get();
        if (e == null) {
            notifier.info("Select a result in the strip first.");
            return;
        }
        File f = saveChooser("Export result", suggestName("inpaint-" + e.result().request().seed()));
        if (f != null) {
            exportResult(e.result(), f.toPath());
        }
    }

    /** Writes a result PNG with its {@code parameters} text in the background. */
    public Task<Void> exportResult(InpaintResult r, Path file) {
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        meta.put("parameters", r.parameters() == null ? "" : r.parameters());
        meta.put("Software", "Inpaint Studio");
        return write(file, r.image(), meta);
    }

    private void exportMask() {
        if (!needPhoto()) {
            return;
        }
        File f = saveChooser("Export mask", suggestName("mask"));
        if (f != null) {
            exportMask(f.toPath());
        }
    }

    /** Writes the mask as a grey PNG (white = repaint). */
    public Task<Void> exportMask(Path file) {
        MaskModel m = canvas.mask();
        int[] px = new int[m.width() * m.height()];
        byte[] raw = m.raw();
        for (int i = 0; i < px.length; i++) {
            int v = raw[i] & 0xff;
            px[i] = v << 16 | v << 8 | v;
        }
        return write(file, new RgbImage(m.width(), m.height(), px), Map.of());
    }

    private Task<Void> write(Path file, RgbImage img, Map<String, String> meta) {
        Task<Void> t = new Task<>() {
            @Override
            protected Void call() throws IOException {
                io.writePng(file, img, meta);
                return null;
            }
        };
        t.setOnSucceeded(e -> {
            prefs.put("dir.save", parentOf(file));
            status.setText("Saved " + file.getFileName());
        });
        t.setOnFailed(e -> notifier.error(userMessage(t.getException(), "Could not save " + file.getFileName())));
        workers.submit(t);
        return t;
    }

    private String suggestName(String base) {
        String stem = photoPath == null ? "" : photoPath.getFileName().toString().replaceFirst("\\.[^.]+$", "") + "-";
        return stem + base + ".png";
    }

    private File saveChooser(String title, String name) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.setInitialFileName(name);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        File init = existingDir(prefs.get("dir.save", prefs.get("dir.open", null)));
        if (init != null) {
            fc.setInitialDirectory(init);
        }
        File f = fc.showSaveDialog(stage);
        if (f != null && !f.getName().toLowerCase(Locale.ROOT).endsWith(".png")) {
            f = new File(f.getParentFile(), f.getName() + ".png");
        }
        return f;
    }

    // ---- keys ---------------------------------------------------------------------------------------------

    private void keyPressed(KeyEvent e) {
        boolean inText = e.getTarget() instanceof TextInputControl
                || stage.getScene().getFocusOwner() instanceof TextInputControl;
        if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) {
            generateOrCancel();
            e.consume();
            return;
        }
        if (e.getCode() == KeyCode.ESCAPE && running.get() != null) {
            cancel();
            e.consume();
            return;
        }
        if (e.isShortcutDown() && e.getCode() == KeyCode.Z) {
            if (!inText) {
                if (e.isShiftDown()) {
                    redo();
                } else {
                    undo();
                }
                e.consume();
            }
            return;
        }
        if (e.isShortcutDown() && e.getCode() == KeyCode.Y && !inText) {
            redo();
            e.consume();
            return;
        }
        if (e.isShortcutDown() && e.getCode() == KeyCode.V && !inText) {
            paste();
            e.consume();
            return;
        }
        if (inText || e.isShortcutDown() || e.isAltDown()) {
            return;
        }
        switch (e.getCode()) {
            case OPEN_BRACKET -> brushSize.setValue(Math.max(1, brushSize.getValue() / 1.2));
            case CLOSE_BRACKET -> brushSize.setValue(Math.min(500, brushSize.getValue() * 1.2));
            case B -> canvas.toolProperty().set(CanvasView.Tool.BRUSH);
            case E -> canvas.toolProperty().set(CanvasView.Tool.ERASER);
            case X -> canvas.toolProperty().set(canvas.toolProperty().get() == CanvasView.Tool.BRUSH
                    ? CanvasView.Tool.ERASER : CanvasView.Tool.BRUSH);
            case O -> canvas.showOriginalProperty().set(true);
            case SPACE -> canvas.setSpaceDown(true);
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void keyReleased(KeyEvent e) {
        if (e.getCode() == KeyCode.O) {
            canvas.showOriginalProperty().set(false);
        } else if (e.getCode() == KeyCode.SPACE) {
            canvas.setSpaceDown(false);
            if (!(stage.getScene().getFocusOwner() instanceof TextInputControl)) {
                e.consume();
            }
        }
    }

    private void showShortcuts() {
        javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.INFORMATION);
        a.initOwner(stage);
        a.setTitle("Shortcuts");
        a.setHeaderText("Keyboard shortcuts");
        a.setContentText(SHORTCUTS);
        a.getDialogPane().getStylesheets().addAll(stage.getScene().getStylesheets());
        a.show();
    }

    static final String SHORTCUTS = String.join("\n",
            "B  brush      E  eraser      X  swap brush / eraser",
            "[  ]  smaller / larger brush      Shift-click  straight line",
            "Wheel  zoom around the pointer      Space-drag or middle-drag  pan",
            "Ctrl+0  fit      Ctrl+1  100 %      hold O  show the original",
            "Ctrl+Z  undo      Ctrl+Shift+Z / Ctrl+Y  redo      Ctrl+I  invert mask",
            "Ctrl+Enter  generate      Esc  cancel",
            "Ctrl+O  open      Ctrl+V  paste image      Ctrl+N  new canvas",
            "Ctrl+S  export result      Ctrl+Shift+S  export mask      Ctrl+M  import mask");

    // ---- lifecycle ----------------------------------------------------------------------------------------

    /** Remembers window and panel state, cancels a running generation, closes the engine. */
    public void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        GenerationTask t = running.get();
        if (t != null) {
            t.requestCancel();
        }
        if (!stage.isMaximized() && stage.getWidth() > 0) {
            prefs.putDouble("window.x", stage.getX());
            prefs.putDouble("window.y", stage.getY());
            prefs.putDouble("window.w", stage.getScene().getWidth());
            prefs.putDouble("window.h", stage.getScene().getHeight());
        }
        prefs.putBoolean("window.maximized", stage.isMaximized());
        prefs.putDouble("brush.size", brushSize.getValue());
        prefs.putDouble("brush.hardness", hardness.getValue());
        prefs.put("overlay.color", toWeb(overlayColor.getValue()));
        panel.save(prefs);
        try {
            prefs.flush();
        } catch (java.util.prefs.BackingStoreException e) {
            // the settings are simply not kept; nothing the user can act on
        }
        if (t == null) {
            engines.close();
        } // else the worker may still be inside the engine: leave it open, the process is ending anyway
        workers.shutdown();
    }

    private static String toWeb(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", (int) Math.round(c.getRed() * 255),
                (int) Math.round(c.getGreen() * 255), (int) Math.round(c.getBlue() * 255));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static String parentOf(Path p) {
        Path parent = p.toAbsolutePath().getParent();
        return parent == null ? "" : parent.toString();
    }

    private static File existingDir(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        File f = new File(s);
        return f.isDirectory() ? f : null;
    }

    /** The message a user should read for a failure: ours as written, anything else summarised, no stack trace. */
    static String userMessage(Throwable t, String what) {
        Throwable c = t;
        while (c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException) {
            c = c.getCause();
        }
        if (c instanceof InpaintException || c instanceof IOException
                || c instanceof com.inpaintstudio.model.hub.DownloadException) {
            return c.getMessage();
        }
        if (c instanceof OutOfMemoryError) {
            return what + ": out of memory. Try a smaller picture or 'Only masked', or give Java more memory (-Xmx).";
        }
        return what + ": " + (c == null ? "unknown error" : c.getClass().getSimpleName()
                + (c.getMessage() == null ? "" : " — " + c.getMessage()));
    }

    public Stage stage() {
        return stage;
    }
}
