package com.inpaintstudio.app;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The editor application. Its collaborators come from {@link Services} (set them before launching). Started by
 * {@link EditorLauncher}; has no main method of its own so the jar's entry point stays a plain class.
 *
 * <p>Start order (what the user waits for first): the window is built and shown; its first frame is laid out; only
 * then the window's icons are added ({@link WindowIcons}), the photo (sample, command-line file or restored session)
 * is opened and the model's engine (DJL, libtorch) starts loading, so none of them competes with the first frame for
 * the CPU. Both follow within a fraction of a second;
 * the engine load was in the background already, and a generation asked for meanwhile waits for it as before.
 */
public final class InpaintStudioApp extends Application {
    /** The engine waits at most this long after show() for the first frame (a window that never draws must not block it). */
    static final long ENGINE_GATE_TIMEOUT_MS = 10_000;

    private EditorWindow window;

    @Override
    public void start(Stage stage) {
        long jvmStart = processStartMillis();
        long fxReady = System.currentTimeMillis() - jvmStart;
        CompletableFuture<Void> firstFrame = new CompletableFuture<>();
        window = new EditorWindow(stage, afterFirstFrame(Services.engines(), firstFrame), Services.catalog(),
                Services.imageIo(), Services.preferences());
        stage.show();
        long shown = System.currentTimeMillis() - jvmStart;
        firstFrame.completeOnTimeout(null, ENGINE_GATE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        List<String> args = getParameters().getUnnamed();
        onFirstFrame(stage.getScene(), () -> {
            long drawn = System.currentTimeMillis() - jvmStart;
            System.getLogger("com.inpaintstudio.app").log(System.Logger.Level.INFO, "Editor window shown " + shown
                    + " ms after the process started (JavaFX up after " + fxReady + " ms), first frame after " + drawn
                    + " ms");
            firstFrame.complete(null);
            Platform.runLater(() -> { // after this pulse: the window is on screen first
                WindowIcons.addTo(stage);
                window.startWith(args);
            });
        });
    }

    /**
     * Runs {@code r} once, right after the first pulse that laid out {@code scene} (CSS applied, sizes known, the
     * frame handed to the renderer).
     */
    static void onFirstFrame(Scene scene, Runnable r) {
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            scene.removePostLayoutPulseListener(self[0]);
            r.run();
        };
        scene.addPostLayoutPulseListener(self[0]);
        Platform.requestNextPulse();
    }

    /**
     * {@code engines}, opening nothing before {@code gate} completes: the engine loader thread waits there, so DJL's
     * classes and the native libraries load after the window's first frame, not during it.
     */
    static EngineProvider afterFirstFrame(EngineProvider engines, CompletableFuture<Void> gate) {
        return choice -> {
            gate.join();
            return engines.open(choice);
        };
    }

    /** When this process started (epoch ms), from the OS: the JVM's start time through JMX costs ~0.1 s of class loading. */
    static long processStartMillis() {
        return ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
                .orElseGet(System::currentTimeMillis);
    }

    @Override
    public void stop() {
        if (window != null) {
            window.shutdown();
        }
    }
}
