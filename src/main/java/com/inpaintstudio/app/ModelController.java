package com.inpaintstudio.app;

import com.inpaintstudio.model.hub.HubDownloader;
import javafx.application.Platform;
import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Side;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The model picker: lists what the catalog finds, remembers the choice, loads the chosen engine in the background
 * (status-bar label), lets the user browse for a folder/checkpoint, and shows the no-model banner with its download.
 */
final class ModelController {
    private final EditorContext ctx;
    private final ModelCatalog catalog;
    final ModelBanner banner;
    final Label engineLabel = new Label();
    private final ContextMenu browseMenu = new ContextMenu(
            item("Diffusers model folder…", this::browseModelFolder),
            item("Single checkpoint file (.safetensors)…", this::browseModelFile));
    private Supplier<HubDownloader> hub = HubDownloader::fromEnvironment;
    private Supplier<Path> downloadDir = Services::downloadDir;
    private boolean rescanning;

    /** {@code busy}: true while a generation runs (the picker is locked meanwhile). */
    ModelController(EditorContext ctx, ModelCatalog catalog, ObservableBooleanValue busy) {
        this.ctx = ctx;
        this.catalog = catalog;
        banner = new ModelBanner(b -> browseMenu.show(b, Side.BOTTOM, 0, 0), () -> hub.get(), () -> downloadDir.get(),
                this::modelDownloaded, ctx.workers);
        SidePanel panel = ctx.panel;
        panel.model.disableProperty().bind(busy);
        panel.browseModel.disableProperty().bind(busy);
        panel.browseModel.setOnAction(e -> browseMenu.show(panel.browseModel, Side.BOTTOM, 0, 0));
    }

    private static MenuItem item(String text, Runnable r) {
        MenuItem m = new MenuItem(text);
        m.setOnAction(e -> r.run());
        return m;
    }

    /** Fills the picker and starts loading the remembered model quietly (a failure shows when the user generates). */
    void start() {
        SidePanel panel = ctx.panel;
        List<ModelChoice> models = new ArrayList<>(catalog.scan());
        // first start: a Stable Diffusion model found in models/ beats the built-in fill
        String remembered = ctx.prefs.get("model", models.stream().filter(m -> m.kind() != ModelChoice.Kind.BUILT_IN_FILL)
                .map(ModelChoice::key).findFirst().orElse(ModelChoice.BUILT_IN_FILL.key()));
        ModelChoice pick = models.stream().filter(m -> m.key().equals(remembered)).findFirst().orElse(null);
        if (pick == null && !remembered.startsWith("builtin:") && Files.exists(Path.of(remembered))) {
            pick = ModelChoice.of(Path.of(remembered));
            models.add(pick);
        }
        panel.model.getItems().setAll(models);
        panel.model.getItems().addListener((ListChangeListener<ModelChoice>) c -> updateBanner());
        updateBanner();
        panel.model.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                ctx.prefs.put("model", b.key());
                loadEngine(b, true);
            }
        });
        ModelChoice first = pick != null ? pick : models.isEmpty() ? null : models.get(0);
        if (first != null) {
            ctx.prefs.put("model", first.key());
            loadEngine(first, false);
            panel.model.getSelectionModel().select(first);
        }
        // models copied into a models folder while the editor runs show up when the window gets the focus back
        ctx.stage.focusedProperty().addListener((o, was, now) -> {
            if (now) {
                rescan();
            }
        });
    }

    /**
     * Scans the models folders again on a worker and adds what is new to the picker (the selection stays); a model
     * whose files are gone is dropped unless it is selected. Cheap: only configs and file headers are read.
     */
    java.util.concurrent.CompletableFuture<Void> rescan() {
        if (rescanning) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        rescanning = true;
        return java.util.concurrent.CompletableFuture.supplyAsync(catalog::scan, ctx.workers)
                .thenAccept(found -> Platform.runLater(() -> {
                    rescanning = false;
                    merge(found);
                })).exceptionally(err -> {
                    Platform.runLater(() -> rescanning = false);
                    return null;
                });
    }

    private void merge(List<ModelChoice> found) {
        var items = ctx.panel.model.getItems();
        ModelChoice selected = ctx.panel.model.getSelectionModel().getSelectedItem();
        java.util.Set<String> foundKeys = new java.util.HashSet<>();
        for (ModelChoice c : found) {
            foundKeys.add(c.key());
            if (items.stream().noneMatch(m -> m.key().equals(c.key()))) {
                items.add(c);
                ctx.status.setText("New model found: " + c.name());
            }
        }
        items.removeIf(m -> m != selected && m.kind() != ModelChoice.Kind.BUILT_IN_FILL && !foundKeys.contains(m.key())
                && !java.nio.file.Files.exists(m.path()));
    }

    /** The no-model banner shows while the picker holds nothing but the built-in fill. */
    private void updateBanner() {
        boolean none = ctx.panel.model.getItems().stream().allMatch(m -> m.kind() == ModelChoice.Kind.BUILT_IN_FILL);
        banner.setVisible(none || banner.isDownloading());
        banner.setManaged(banner.isVisible());
    }

    /** Where "Download…" fetches from and saves to (tests use a local hub and a temporary folder). */
    void setDownloadTarget(Supplier<HubDownloader> hub, Supplier<Path> dir) {
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
        ctx.notifier.info("Downloaded " + found.name() + ". It is now selected; Generate uses it.");
        chooseModel(found);
    }

    private void loadEngine(ModelChoice c, boolean reportFailure) {
        if (c.equals(ctx.engines.choice())) {
            return;
        }
        engineLabel.setText("Loading model… (" + c.name() + ")");
        ctx.engines.load(c).whenComplete((eng, err) -> Platform.runLater(() -> {
            if (ctx.engines.choice() != c) {
                return;
            }
            if (err != null) {
                engineLabel.setText("No model loaded");
                if (reportFailure) {
                    ctx.notifier.error(EngineHolder.asUserError(err instanceof CompletionException ? err.getCause() : err)
                            .getMessage());
                }
            } else {
                engineLabel.setText(eng.name() + " · ready");
            }
        }));
    }

    private void browseModelFile() {
        Path f = ctx.files.open("Choose a single-file checkpoint", FileDialogs.Folder.MODELS,
                new javafx.stage.FileChooser.ExtensionFilter("Checkpoints", "*.safetensors", "*.ckpt"));
        if (f != null) {
            chooseModel(ModelChoice.of(f));
        }
    }

    private void browseModelFolder() {
        Path f = ctx.files.folder("Choose a diffusers model folder (with model_index.json)", FileDialogs.Folder.MODELS);
        if (f != null) {
            chooseModel(ModelChoice.of(f));
        }
    }

    /** Adds a model to the picker (if new) and selects it: the engine starts loading in the background. */
    void chooseModel(ModelChoice c) {
        if (!ctx.panel.model.getItems().contains(c)) {
            ctx.panel.model.getItems().add(c);
        }
        ctx.panel.model.getSelectionModel().select(c);
    }
}
