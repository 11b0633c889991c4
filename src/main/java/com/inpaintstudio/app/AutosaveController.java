package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.InpaintResult;
import javafx.animation.PauseTransition;
import javafx.concurrent.Task;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.image.ImageView;
import javafx.util.Duration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the editor's session on disk ({@link SessionStore}): photo, mask, the newest results with their parameters,
 * prompt and settings, written on a worker (debounced) after every change of the document (stroke, mask operation,
 * new photo, use-as-base, undo), every result and every settings change. After a crash, the next start offers to
 * restore it; a clean exit clears it. Off with the preference {@code autosave=false} or
 * {@code INPAINT_STUDIO_AUTOSAVE=0}.
 */
final class AutosaveController {
    static final Duration DEBOUNCE = Duration.millis(700);
    /** Results kept in the session by default (the newest ones); preference {@code autosave.results}. */
    static final int DEFAULT_RESULTS = 20;
    /** The system property that answers the restore question without asking (tests, scripted starts). */
    static final String ANSWER_PROPERTY = "inpaintstudio.session.restore";

    private final EditorContext ctx;
    private final DocumentController docs;
    private final SessionStore store;
    private final PauseTransition debounce = new PauseTransition(DEBOUNCE);
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "autosave");
        t.setDaemon(true);
        return t;
    });
    private final Map<ResultsStrip.Entry, Long> ids = new IdentityHashMap<>();
    private final AtomicLong saves = new AtomicLong();
    private long nextId;
    private boolean active;
    private boolean restoring;

    AutosaveController(EditorContext ctx, DocumentController docs, Path dir) {
        this.ctx = ctx;
        this.docs = docs;
        this.store = new SessionStore(dir);
        debounce.setOnFinished(e -> saveNow());
    }

    static boolean enabledBy(java.util.prefs.Preferences prefs) {
        return prefs.getBoolean("autosave", true) && !"0".equals(System.getenv("INPAINT_STUDIO_AUTOSAVE"));
    }

    /**
     * Start-up: offers the session a crashed run left behind, else runs {@code orElse} (open the photo from the
     * command line, or the sample); then starts saving.
     */
    void start(Runnable orElse) {
        if (!enabledBy(ctx.prefs)) {
            orElse.run();
            return;
        }
        if (!store.acquire()) {
            orElse.run();
            ctx.notifier.info("Autosave is off in this window: another Inpaint Studio is using the session folder "
                    + store.dir() + ".");
            return;
        }
        active = true;
        watch();
        if (store.hasSession() && askRestore()) {
            restore(orElse);
        } else {
            store.clear();
            orElse.run();
        }
    }

    private void watch() {
        ctx.history.changesProperty().addListener((o, a, b) -> changed());
        ctx.strip.entries().addListener((javafx.collections.ListChangeListener<ResultsStrip.Entry>) c -> changed());
        ctx.strip.selectedProperty().addListener((o, a, b) -> changed());
        SidePanel p = ctx.panel;
        p.prompt.textProperty().addListener((o, a, b) -> changed());
        p.negativePrompt.textProperty().addListener((o, a, b) -> changed());
        for (javafx.beans.value.ObservableValue<?> v : List.of(p.steps.valueProperty(), p.guidance.valueProperty(),
                p.strength.valueProperty(), p.scheduler.valueProperty(), p.seed.textProperty(), p.batch.valueProperty(),
                p.maskBlur.valueProperty(), p.area.valueProperty(), p.padding.valueProperty(), p.preview.valueProperty(),
                p.maskedContent.valueProperty())) {
            v.addListener((o, a, b) -> changed());
        }
    }

    private void changed() {
        if (active && !restoring) {
            debounce.playFromStart();
        }
    }

    private boolean askRestore() {
        String answer = System.getProperty(ANSWER_PROPERTY);
        if (answer != null) {
            return answer.equalsIgnoreCase("restore");
        }
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        a.initOwner(ctx.stage);
        a.setTitle("Restore the previous session?");
        a.setHeaderText("Inpaint Studio did not close normally last time.\nRestore the photo, mask, results and "
                + "settings it was working on?");
        try {
            javafx.scene.image.Image thumb = new javafx.scene.image.Image(
                    store.dir().resolve("photo.png").toUri().toString(), 240, 240, true, true);
            a.setGraphic(new ImageView(thumb));
        } catch (RuntimeException e) {
            // no thumbnail; the question stands
        }
        ButtonType restore = new ButtonType("Restore", ButtonBar.ButtonData.OK_DONE);
        ButtonType discard = new ButtonType("Discard", ButtonBar.ButtonData.CANCEL_CLOSE);
        a.getButtonTypes().setAll(restore, discard);
        Optional<ButtonType> r = a.showAndWait();
        return r.isPresent() && r.get() == restore;
    }

    private void restore(Runnable orElse) {
        restoring = true;
        Task<List<ResultsStrip.Entry>> t = new Task<>() {
            SessionStore.Snapshot snap;

            @Override
            protected List<ResultsStrip.Entry> call() throws Exception {
                snap = store.load();
                List<ResultsStrip.Entry> entries = new ArrayList<>();
                for (SessionStore.SavedResult r : snap.results()) {
                    InpaintRequest req = InpaintRequest.builder().seed(r.seed()).steps(Math.max(1, r.steps())).build();
                    entries.add(ResultsStrip.Entry.of(new InpaintResult(r.image(), req, r.model(), r.sampler(),
                            r.cancelled(), r.stepsCompleted(), java.time.Duration.ZERO, r.parameters())));
                }
                return entries;
            }

            @Override
            protected void succeeded() {
                SessionStore.Snapshot s = snap;
                docs.setPhoto(s.photo(), s.photoPath() == null ? null : Path.of(s.photoPath()));
                float[] m = new float[s.mask().length];
                for (int i = 0; i < m.length; i++) {
                    m[i] = (s.mask()[i] & 0xff) / 255f;
                }
                ctx.canvas.mask().set(new Mask(s.maskWidth(), s.maskHeight(), m));
                ctx.canvas.overlay().update(ctx.canvas.mask().bounds());
                ctx.panel.load(new MapPreferences(new java.util.LinkedHashMap<>(s.settings())));
                List<ResultsStrip.Entry> entries = getValue();
                for (ResultsStrip.Entry e : entries) {
                    ctx.strip.add(e);
                }
                ctx.strip.selectedProperty().set(s.selected() >= 0 && s.selected() < entries.size()
                        ? entries.get(s.selected()) : null);
                restoring = false;
                ctx.status.setText("Previous session restored: " + entries.size() + " result"
                        + (entries.size() == 1 ? "" : "s"));
                saveNow();
            }

            @Override
            protected void failed() {
                restoring = false;
                try {
                    store.setAside();
                } catch (java.io.IOException e) {
                    store.clear();
                }
                orElse.run();
                ctx.notifier.error("The previous session could not be restored (" + getException().getMessage()
                        + "). Its files were kept in " + store.dir().getParent() + ".");
            }
        };
        ctx.submit(t);
    }

    /** Takes a copy of the session on the FX thread and writes it on the autosave thread. */
    void saveNow() {
        debounce.stop();
        if (!active || restoring) {
            return;
        }
        SessionStore.Snapshot s = snapshot();
        if (s == null) {
            return;
        }
        writer.execute(() -> {
            try {
                store.save(s);
                saves.incrementAndGet();
            } catch (java.io.IOException | RuntimeException e) {
                javafx.application.Platform.runLater(() -> ctx.notifier.error("Autosave failed: " + e.getMessage()
                        + ". Your work is still open; export it to be safe."));
            }
        });
    }

    private SessionStore.Snapshot snapshot() {
        RgbImage photo = ctx.canvas.photo();
        MaskModel mask = ctx.canvas.mask();
        if (photo == null || mask == null) {
            return null;
        }
        int keep = Math.max(0, ctx.prefs.getInt("autosave.results", DEFAULT_RESULTS));
        List<ResultsStrip.Entry> all = ctx.strip.entries();
        List<SessionStore.SavedResult> results = new ArrayList<>();
        ResultsStrip.Entry sel = ctx.strip.selectedProperty().get();
        int selected = -1;
        for (int i = Math.max(0, all.size() - keep); i < all.size(); i++) {
            ResultsStrip.Entry e = all.get(i);
            InpaintResult r = e.result();
            long id = ids.computeIfAbsent(e, k -> nextId++);
            if (e == sel) {
                selected = results.size();
            }
            results.add(new SessionStore.SavedResult(id, r.image(), r.parameters(),
                    r.request() == null ? 0 : r.request().seed(), r.request() == null ? 0 : r.request().steps(),
                    r.cancelled(), r.stepsCompleted(), r.modelName(), r.samplerName()));
        }
        ids.keySet().retainAll(all);
        MapPreferences settings = new MapPreferences();
        ctx.panel.save(settings);
        Path path = docs.photoPath();
        return new SessionStore.Snapshot(photo, path == null ? null : path.toString(), mask.width(), mask.height(),
                mask.raw().clone(), results, selected, Map.copyOf(settings.values()),
                ctx.history.changesProperty().get());
    }

    /** Completed session writes (for tests and the log). */
    long saves() {
        return saves.get();
    }

    /** A clean exit: pending writes finish, then the session is cleared and released. */
    void closeClean() {
        debounce.stop();
        boolean wasActive = active;
        active = false;
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (wasActive) {
            store.clear();
            store.release();
        }
    }
}
