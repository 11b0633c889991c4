package com.inpaintstudio.app;

import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.model.PreviewDecoderEntry;
import com.inpaintstudio.model.hub.HubDownloader;
import com.inpaintstudio.pipeline.DiffusionEngine;
import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.pipeline.PreviewDecoder;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Preview menu: says which live-preview decoder the editor has, and, when there is no TAESD (the tiny decoder that
 * makes a real decoded preview of every step cheap), offers to download madebyollin/taesd. A finished download is
 * put to use at once by the loaded model; models loaded later find it in the models folder.
 */
final class PreviewController {
    static final String REPO = "madebyollin/taesd";

    private final EditorContext ctx;
    final Menu menu = new Menu("Preview");
    final MenuItem state = new MenuItem();
    final MenuItem download = new MenuItem("Download TAESD for live previews (~10 MB)…");
    private Supplier<HubDownloader> hub = HubDownloader::fromEnvironment;
    private Supplier<Path> downloadDir = Services::downloadDir;
    private ModelDownloadTask running;
    private Supplier<List<Path>> roots = () -> new ModelScanner().defaultRoots();

    PreviewController(EditorContext ctx) {
        this.ctx = ctx;
        state.setDisable(true);
        download.setOnAction(e -> download());
        menu.getItems().addAll(state, new SeparatorMenuItem(), download);
        menu.setOnShowing(e -> refresh());
        refresh();
    }

    /**
     * Where the download fetches from and saves to (tests use a local hub and a temporary folder, which is then the
     * only folder searched for a TAESD).
     */
    void setDownloadTarget(Supplier<HubDownloader> hub, Supplier<Path> dir) {
        this.hub = hub;
        this.downloadDir = dir;
        this.roots = List::of;
        refresh();
    }

    /** The usable TAESD for SD-1/2 latents in the models folders (and the download folder), or null. */
    PreviewDecoderEntry installed() {
        List<Path> folders = new ArrayList<>(roots.get());
        folders.add(downloadDir.get());
        return new ModelScanner().scanPreviewDecoders(folders).stream()
                .filter(d -> d.usable() && d.space() == PreviewDecoderEntry.LatentSpace.SD).findFirst().orElse(null);
    }

    void refresh() {
        PreviewDecoderEntry found = installed();
        if (running != null) {
            state.setText("Downloading TAESD… (" + running.getMessage() + ")");
        } else if (found != null) {
            state.setText("Live previews: TAESD (" + found.name() + ") decodes every step");
        } else {
            state.setText("No TAESD: Auto previews decode with the VAE now and then, a fast colour map between");
        }
        download.setDisable(found != null || running != null);
    }

    /** Starts the download of madebyollin/taesd; the status bar shows its progress. */
    ModelDownloadTask download() {
        if (running != null) {
            return running;
        }
        ModelDownloadTask task = new ModelDownloadTask(hub.get(), REPO, downloadDir.get());
        running = task;
        task.messageProperty().addListener((o, a, b) -> ctx.status.setText("TAESD: " + b));
        task.setOnSucceeded(e -> {
            running = null;
            refresh();
            useAtOnce(task.getValue());
        });
        task.setOnFailed(e -> {
            running = null;
            refresh();
            ctx.status.setText("TAESD download failed");
            ctx.error(task.getException(), "Downloading TAESD");
        });
        refresh();
        return ctx.submit(task);
    }

    /** Hands the downloaded TAESD to the loaded Stable Diffusion model, if it has none yet. */
    private void useAtOnce(Path dir) {
        ctx.submit(new Task<String>() {
            @Override
            protected String call() throws Exception {
                InpaintEngine e;
                try {
                    e = ctx.engines.await();
                } catch (RuntimeException notLoaded) {
                    return null; // no model yet: it finds the TAESD when it loads
                }
                if (e instanceof DiffusionEngine d && d.previewDecoder() == null) {
                    d.usePreviewDecoder(PreviewDecoder.load(dir, d.model()));
                }
                return null;
            }

            @Override
            protected void succeeded() {
                announce("TAESD downloaded: previews (Auto or TAESD) now show a real decode of every step.");
            }

            @Override
            protected void failed() {
                announce("TAESD downloaded to " + dir + "; it is used from the next model load ("
                        + getException().getMessage() + ").");
            }
        });
    }

    private void announce(String message) {
        Platform.runLater(() -> {
            ctx.status.setText(message);
            ctx.notifier.info(message);
        });
    }
}
