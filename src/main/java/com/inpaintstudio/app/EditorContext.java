package com.inpaintstudio.app;

import javafx.concurrent.Task;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.prefs.Preferences;

/**
 * What the editor's controllers share: the stage and settings, the image reader/writer, the loaded engine, the
 * worker threads, and the window's parts (canvas, side panel, results strip, status bar, messages, undo history).
 */
final class EditorContext {
    final Stage stage;
    final Preferences prefs;
    final ImageIo io;
    final EngineHolder engines;
    final FileDialogs files;
    final CanvasView canvas = new CanvasView();
    final SidePanel panel = new SidePanel();
    final ResultsStrip strip = new ResultsStrip();
    final StatusBar status = new StatusBar();
    final EditHistory history = new EditHistory();
    final Notifier notifier;
    /** Precision and fused kernels for the requests (the Speed menu). */
    final SpeedController speed;
    /** Results written to a file by the user (Export); the others are unsaved work. */
    final java.util.Set<com.inpaintstudio.pipeline.InpaintResult> exported =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "editor-worker");
        t.setDaemon(true);
        return t;
    });

    EditorContext(Stage stage, Preferences prefs, ImageIo io, EngineProvider engineProvider, Notifier notifier) {
        this.stage = stage;
        this.prefs = prefs;
        this.io = io;
        this.engines = new EngineHolder(engineProvider);
        this.files = new FileDialogs(stage, prefs);
        this.notifier = notifier;
        this.speed = new SpeedController(prefs);
    }

    /** Runs {@code t} on a worker thread and returns it. */
    <T extends Task<?>> T submit(T t) {
        workers.submit(t);
        return t;
    }

    /** Shows the failure as one line for the user: what failed and why, no stack trace. */
    void error(Throwable t, String what) {
        notifier.error(UserMessages.describe(t, what));
    }

    /** False (and a hint to the user) while there is no photo to work on. */
    boolean needPhoto() {
        if (canvas.photo() == null) {
            notifier.info("Open a photo first (File ▸ Open, drag and drop, or paste).");
            return false;
        }
        return true;
    }
}
