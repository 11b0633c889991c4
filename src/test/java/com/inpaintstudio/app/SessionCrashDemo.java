package com.inpaintstudio.app;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.pipeline.Engines;
import com.inpaintstudio.pipeline.InpaintEngine;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.prefs.Preferences;

/**
 * A real editor process for {@link SessionRecoveryTest}: {@code work OUT} paints, generates with the tiny model, waits
 * for the autosave and writes the pixel digest to OUT, then waits to be killed; {@code restore OUT} starts again,
 * restores the session and writes the digest of what it shows.
 */
public final class SessionCrashDemo {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path out = Path.of(args[1]);
        InpaintEngine engine = Engines.open(Fixtures.modelDir());
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        AtomicReference<EditorWindow> w = new AtomicReference<>();
        Preferences prefs = Preferences.userRoot().node("com/inpaintstudio/crash-demo-" + ProcessHandle.current().pid());
        prefs.putBoolean("randomSeed", false);
        onFx(() -> {
            Stage stage = new Stage();
            EditorWindow win = new EditorWindow(stage, c -> engine, () -> List.of(ModelChoice.BUILT_IN_FILL),
                    new FileImageIo(), prefs);
            stage.show();
            win.startWith(List.of());
            w.set(win);
        });
        EditorWindow win = w.get();
        if (mode.equals("work")) {
            onFx(() -> {
                win.panel.prompt.setText("a red barn, (wooden:1.2)");
                win.panel.steps.getValueFactory().setValue(2);
                win.panel.area.getSelectionModel().select(1);
                win.canvas.applyMaskOperation("brush stroke", () -> win.canvas.mask().dab(420, 430, 40, 0.7, false));
                win.canvas.applyMaskOperation("brush stroke", () -> win.canvas.mask().dab(470, 440, 30, 1.0, false));
            });
            onFx(win::generate);
            waitFor(() -> win.strip.entries().size() == 1 && !win.isGenerating(), 120);
            long before = win.autosave.saves();
            waitFor(() -> win.autosave.saves() > before, 30); // the save after the result and its selection
            Thread.sleep(1500);
            long settled = win.autosave.saves();
            Thread.sleep(1500);
            if (win.autosave.saves() != settled) {
                Thread.sleep(3000);
            }
            Files.writeString(out, digest(win), StandardCharsets.UTF_8);
            Thread.sleep(600_000); // until kill -9
        } else {
            waitFor(() -> win.strip.entries().size() == 1, 60);
            Thread.sleep(500);
            AtomicReference<String> d = new AtomicReference<>();
            onFx(() -> d.set(digest(win)));
            Files.writeString(out, d.get(), StandardCharsets.UTF_8);
            prefs.removeNode();
            System.exit(0);
        }
    }

    static String digest(EditorWindow win) {
        StringBuilder sb = new StringBuilder();
        sb.append("photo ").append(win.canvas.photo().width()).append('x').append(win.canvas.photo().height()).append(' ')
                .append(Arrays.hashCode(win.canvas.photo().rgb())).append('\n');
        sb.append("mask ").append(Arrays.hashCode(win.canvas.mask().raw())).append(" painted ")
                .append(!win.canvas.mask().isEmpty()).append('\n');
        for (ResultsStrip.Entry e : win.strip.entries()) {
            sb.append("result ").append(Arrays.hashCode(e.result().image().rgb())).append(" seed ")
                    .append(e.result().request().seed()).append('\n');
            sb.append("parameters ").append(e.result().parameters().replace('\n', '|')).append('\n');
        }
        sb.append("prompt ").append(win.panel.prompt.getText()).append('\n');
        sb.append("steps ").append(win.panel.steps.getValue()).append('\n');
        return sb.toString();
    }

    private static void onFx(Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                r.run();
            } finally {
                done.countDown();
            }
        });
        done.await();
    }

    private static void waitFor(java.util.function.BooleanSupplier c, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            AtomicReference<Boolean> ok = new AtomicReference<>(false);
            onFx(() -> ok.set(c.getAsBoolean()));
            if (ok.get()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out");
    }
}
