package com.inpaintstudio.app;

import com.inpaintstudio.model.hub.DownloadCancelledException;
import com.inpaintstudio.model.hub.HubDownloader;
import com.inpaintstudio.pipeline.DiffusionEngine;
import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.pipeline.PreviewDecoder;
import javafx.application.Platform;
import javafx.concurrent.Task;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One download of madebyollin/taesd from the editor, through the same hub client and {@link ModelDownloadTask} as a
 * model download (sizes and SHA-256 checked, {@code .part} files resumed): progress in the status bar while no
 * generation owns it, cancel, the failure in the error bar. When it is done the loaded Stable Diffusion model is given
 * the TAESD at once, so Auto previews decode every step through it without a restart.
 */
final class TaesdDownload {
    static final String REPO = "madebyollin/taesd";

    private final EditorContext ctx;
    private final ModelDownloadTask task;

    /** {@code onEnd}: FX thread, once, when the download has succeeded, failed or been cancelled. */
    private TaesdDownload(EditorContext ctx, HubDownloader hub, Path dir, Consumer<TaesdDownload> onEnd) {
        this.ctx = ctx;
        this.task = new ModelDownloadTask(hub, REPO, dir);
        task.messageProperty().addListener((o, a, b) -> status("TAESD: " + b));
        task.progressProperty().addListener((o, a, b) -> {
            if (!ctx.status.progressProperty().isBound()) { // a running generation owns the progress bar
                ctx.status.setProgress(b.doubleValue());
            }
        });
        task.setOnSucceeded(e -> {
            ended(onEnd);
            useAtOnce(task.getValue());
        });
        task.setOnFailed(e -> {
            ended(onEnd);
            if (task.getException() instanceof DownloadCancelledException) {
                status("TAESD download cancelled; choose Preview ▸ Download again to resume where it stopped.");
            } else {
                status("TAESD download failed");
                ctx.error(task.getException(), "Downloading TAESD");
            }
        });
    }

    /** FX thread: starts downloading into {@code dir} on a worker. */
    static TaesdDownload start(EditorContext ctx, HubDownloader hub, Path dir, Consumer<TaesdDownload> onEnd) {
        TaesdDownload d = new TaesdDownload(ctx, hub, dir, onEnd);
        ctx.submit(d.task);
        return d;
    }

    void cancel() {
        task.requestCancel();
    }

    /** "1.2 MB of 9.8 MB · …" or "Cancelling…". */
    String message() {
        return task.getMessage();
    }

    ModelDownloadTask task() {
        return task;
    }

    private void ended(Consumer<TaesdDownload> onEnd) {
        if (!ctx.status.progressProperty().isBound()) {
            ctx.status.setProgress(0);
        }
        onEnd.accept(this);
    }

    /** The status line, unless a running generation shows its steps there. */
    private void status(String text) {
        if (!ctx.status.textProperty().isBound()) {
            ctx.status.setText(text);
        }
    }

    /** Hands the downloaded TAESD to the loaded Stable Diffusion model, if it has none yet. */
    private void useAtOnce(Path dir) {
        ctx.submit(new Task<Boolean>() {
            @Override
            protected Boolean call() throws Exception {
                InpaintEngine e;
                try {
                    e = ctx.engines.await();
                } catch (RuntimeException notLoaded) {
                    return false; // no model yet: it finds the TAESD in the models folder when it loads
                }
                if (e instanceof DiffusionEngine d && d.previewDecoder() == null) {
                    d.usePreviewDecoder(PreviewDecoder.load(dir, d.model()));
                }
                return e instanceof DiffusionEngine;
            }

            @Override
            protected void succeeded() {
                announce(getValue() ? "TAESD downloaded: Auto previews now show a real decode of every step (TAESD preview)."
                        : "TAESD downloaded: Stable Diffusion models use it for their previews when they load.");
            }

            @Override
            protected void failed() {
                announce("TAESD downloaded to " + dir + "; it is used from the next model load ("
                        + UserMessages.describe(getException(), "loading it") + ").");
            }
        });
    }

    private void announce(String message) {
        Platform.runLater(() -> {
            status(message);
            ctx.notifier.info(message);
        });
    }
}
