package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.image.SamplePhoto;
import javafx.concurrent.Task;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.image.Image;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;

import java.nio.file.Path;
import java.util.List;

/**
 * The photo being edited: open (dialog, recent list, drag and drop, clipboard), the sample photo, a new blank canvas;
 * keeps the window title, the size label and the empty-canvas hint in step.
 */
final class DocumentController {
    private final EditorContext ctx;
    private final RecentFiles recent;
    final Label hint = new Label("Open a photo (Ctrl+O), drop one here, paste one (Ctrl+V),\nor start from a blank canvas (Ctrl+N).");
    final Label sizeLabel = new Label();
    final Menu recentMenu = new Menu("Open recent");
    private Path photoPath;
    final UnsavedWorkGuard guard;

    DocumentController(EditorContext ctx) {
        this.ctx = ctx;
        this.recent = new RecentFiles(ctx.prefs);
        this.guard = new UnsavedWorkGuard(ctx);
        hint.getStyleClass().add("canvas-hint");
        hint.setMouseTransparent(true);
        updateState();
    }

    /** The sample landscape that ships with the app, so a first launch has something to paint on. */
    void showSamplePhoto() {
        setPhoto(SamplePhoto.load(), Path.of("sample-landscape.png"));
        ctx.status.setText("Sample photo: paint over something to remove (the signpost?), then Generate. Ctrl+O opens your own.");
    }

    /** Start-up: opens the photo named on the command line, else shows the sample photo. */
    void startWith(List<String> args) {
        if (args.isEmpty()) {
            showSamplePhoto();
        } else {
            open(Path.of(args.get(0)));
        }
    }

    /** Shows a new photo with an empty mask; forgets results and history of the previous photo. */
    void setPhoto(RgbImage photo, Path path) {
        setPhoto(photo, FxImages.toFx(photo), path, false);
    }

    private void setPhoto(RgbImage photo, Image photoImage, Path path, boolean fullyMasked) {
        MaskModel mask = new MaskModel(photo.width(), photo.height());
        if (fullyMasked) {
            mask.fill();
        }
        ctx.history.clear();
        ctx.strip.clear();
        ctx.canvas.setDocument(photo, photoImage, mask, ctx.history);
        photoPath = path;
        updateState();
    }

    private void updateState() {
        RgbImage photo = ctx.canvas.photo();
        hint.setVisible(photo == null);
        sizeLabel.setText(photo != null ? photo.width() + " × " + photo.height() : "no photo");
        ctx.stage.setTitle(photo != null ? (photoPath == null ? "untitled" : photoPath.getFileName()) + " — Inpaint Studio"
                : "Inpaint Studio");
    }

    /** Where the photo came from; null for a pasted picture or a new canvas. */
    Path photoPath() {
        return photoPath;
    }

    /** A file name for an export: the photo's name (if any) + {@code base} + ".png". */
    String suggestName(String base) {
        String stem = photoPath == null ? "" : photoPath.getFileName().toString().replaceFirst("\\.[^.]+$", "") + "-";
        return stem + base + ".png";
    }

    /** Reads a photo in the background; errors become a message and the current work stays. */
    Task<RgbImage> open(Path file) {
        Image[] fx = new Image[1];
        Task<RgbImage> t = new Task<>() {
            @Override
            protected RgbImage call() throws Exception {
                RgbImage img = ctx.io.read(file);
                fx[0] = FxImages.toFx(img); // the big conversion happens here, not on the FX thread
                return img;
            }
        };
        ctx.status.setText("Opening " + file.getFileName() + "…");
        t.setOnSucceeded(e -> {
            setPhoto(t.getValue(), fx[0], file, false);
            recent.add(file);
            ctx.files.remember(FileDialogs.Folder.PHOTOS, file);
            String settings = SettingsImport.fromPng(file).map(ctx.panel::apply).orElse(null);
            ctx.status.setText("Opened " + file.getFileName()
                    + (settings == null ? "" : " and took over its generation settings (" + settings + ")"));
        });
        t.setOnFailed(e -> {
            ctx.status.setText("Ready");
            ctx.error(t.getException(), "The picture could not be opened");
        });
        return ctx.submit(t);
    }

    void chooseAndOpen() {
        if (!guard.confirm("Open another photo")) {
            return;
        }
        Path f = ctx.files.open("Open photo", FileDialogs.Folder.PHOTOS, FileDialogs.IMAGES, FileDialogs.ALL_FILES);
        if (f != null) {
            open(f);
        }
    }

    /** Fills the "Open recent" menu (when it is about to show). */
    void rebuildRecentMenu() {
        recentMenu.getItems().clear();
        for (Path p : recent.list()) {
            MenuItem m = new MenuItem(p.toString());
            m.setMnemonicParsing(false);
            m.setOnAction(e -> {
                if (guard.confirm("Open another photo")) {
                    open(p);
                }
            });
            recentMenu.getItems().add(m);
        }
        if (recentMenu.getItems().isEmpty()) {
            MenuItem none = new MenuItem("(none)");
            none.setDisable(true);
            recentMenu.getItems().add(none);
        } else {
            MenuItem clear = new MenuItem("Clear list");
            clear.setOnAction(e -> recent.clear());
            recentMenu.getItems().addAll(new SeparatorMenuItem(), clear);
        }
    }

    /** File ▸ Load settings from PNG: the prompt and settings of an A1111 / Inpaint Studio PNG; the photo stays. */
    void chooseAndLoadSettings() {
        Path f = ctx.files.open("Load settings from PNG", FileDialogs.Folder.PHOTOS, FileDialogs.IMAGES,
                FileDialogs.ALL_FILES);
        if (f == null) {
            return;
        }
        SettingsImport.fromPng(f).ifPresentOrElse(
                s -> ctx.status.setText("Took over the settings of " + f.getFileName() + ": " + ctx.panel.apply(s)),
                () -> ctx.notifier.info(f.getFileName() + " carries no generation settings (no A1111 'parameters' text)."));
    }

    void newCanvas() {
        if (!guard.confirm("Start a new canvas")) {
            return;
        }
        new NewCanvasDialog(ctx.prefs.getInt("new.w", 512), ctx.prefs.getInt("new.h", 512)).showAndWait().ifPresent(s -> {
            ctx.prefs.putInt("new.w", s[0]);
            ctx.prefs.putInt("new.h", s[1]);
            newBlankCanvas(s[0], s[1]);
        });
    }

    /** A white canvas, fully masked: text to image. */
    void newBlankCanvas(int w, int h) {
        RgbImage white = RgbImage.filled(w, h, 0xffffff);
        setPhoto(white, FxImages.toFx(white), null, true);
    }

    void paste() {
        if (!guard.confirm("Paste over this photo")) {
            return;
        }
        Clipboard cb = Clipboard.getSystemClipboard();
        if (cb.hasImage()) {
            setPhoto(FxImages.fromFx(cb.getImage()), null);
        } else if (cb.hasFiles() && !cb.getFiles().isEmpty()) {
            open(cb.getFiles().get(0).toPath());
        } else if (cb.hasString() && SettingsImport.fromText(cb.getString()).isPresent()) {
            String settings = ctx.panel.apply(SettingsImport.fromText(cb.getString()).get());
            ctx.status.setText("Pasted generation settings: " + settings);
        } else {
            ctx.notifier.info("The clipboard holds no picture and no generation settings (A1111 PNG Info text).");
        }
    }

    void dragOver(DragEvent e) {
        if (e.getDragboard().hasFiles() || e.getDragboard().hasImage()) {
            e.acceptTransferModes(TransferMode.COPY);
        }
        e.consume();
    }

    void dragDropped(DragEvent e) {
        if (!guard.confirm("Open the dropped picture")) {
            e.setDropCompleted(false);
            e.consume();
            return;
        }
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
}
