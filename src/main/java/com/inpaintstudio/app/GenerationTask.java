package com.inpaintstudio.app;

import com.inpaintstudio.pipeline.BatchRunner;
import com.inpaintstudio.pipeline.CancelToken;
import com.inpaintstudio.pipeline.ClassicalFillEngine;
import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.InpaintResult;
import com.inpaintstudio.pipeline.StepEvent;
import com.inpaintstudio.pipeline.StepListener;
import com.inpaintstudio.pipeline.TilingEngine;
import javafx.application.Platform;
import javafx.concurrent.Task;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs {@code batch} generations (seeds {@code seed, seed+1, ...}) on a worker thread. Previews go through the
 * {@link PreviewPump}; each finished result (with its images made here) is handed to {@code onResult} on the FX
 * thread as soon as it exists.
 * Cancel goes through the {@link CancelToken}: the engine returns its partial image, which is kept.
 */
public final class GenerationTask extends Task<List<InpaintResult>> {
    private final EngineHolder engines;
    private final InpaintRequest request;
    private final int batch;
    private final PreviewPump pump;
    private final Consumer<ResultsStrip.Entry> onResult;
    private final CancelToken cancel = new CancelToken();
    private boolean tiled;
    private volatile boolean builtInFill;
    private volatile int stepsInRun;

    public GenerationTask(EngineHolder engines, InpaintRequest request, int batch, PreviewPump pump,
                          Consumer<ResultsStrip.Entry> onResult) {
        this.engines = engines;
        this.request = request;
        this.batch = Math.max(1, batch);
        this.pump = pump;
        this.onResult = onResult;
    }

    /** Generates large masked areas in tiles at the model's size ({@link TilingEngine}). */
    public GenerationTask tiled(boolean on) {
        this.tiled = on;
        return this;
    }

    /** Asks the engine to stop after the current step; the partial result is still delivered. */
    public void requestCancel() {
        cancel.cancel();
        updateMessage("Cancelling…");
    }

    public boolean isCancelRequested() {
        return cancel.isCancelled();
    }

    @Override
    protected List<InpaintResult> call() throws Exception {
        updateMessage("Loading model…");
        InpaintEngine base = engines.await();
        builtInFill = ClassicalFillEngine.NAME.equals(base.name());
        InpaintEngine engine = tiled ? new TilingEngine(base) : base;
        return BatchRunner.run(engine, request, batch, new BatchRunner.Listener() {
            @Override
            public StepListener image(int index, int count) {
                String prefix = count > 1 ? "Image " + (index + 1) + "/" + count + " · " : "";
                updateMessage(prefix + "Starting…");
                stepsInRun = 0;
                return new StepListener() {
                    @Override
                    public void onStep(StepEvent e) {
                        stepsInRun = e.totalSteps();
                        pump.offer(e);
                        updateProgress(index * (long) e.totalSteps() + e.step(), (long) count * e.totalSteps());
                        updateMessage(prefix + (builtInFill ? describeFill(e) : describe(e)));
                    }

                    @Override
                    public void onPhase(String phase) {
                        updateMessage(prefix + phase);
                    }
                };
            }

            @Override
            public void result(int index, InpaintResult result) {
                RunSteps steps = RunSteps.of(result, stepsInRun, builtInFill);
                // image conversion here, not on the FX thread
                ResultsStrip.Entry entry = ResultsStrip.Entry.of(steps.annotate(result), steps.caption(result));
                Platform.runLater(() -> onResult.accept(entry));
            }
        }, cancel);
    }

    /** The steps of the current/last image's run, as its step events count them (0 before the first step). */
    public int stepsInRun() {
        return stepsInRun;
    }

    /** True once the engine turned out to be the built-in fill (no seed, no VAE). */
    public boolean isBuiltInFill() {
        return builtInFill;
    }

    /** "Filling 4/10 · ETA 0:02": the built-in fill has no VAE and no seed. */
    public static String describeFill(StepEvent e) {
        long eta = e.eta() == null ? 0 : Math.max(0, e.eta().toSeconds());
        return String.format(java.util.Locale.ROOT, "Filling %d/%d · ETA %d:%02d", e.step(), e.totalSteps(),
                eta / 60, eta % 60);
    }

    /** "Step 7/25 · 3.1 it/s · ETA 0:06 · TAESD preview" (or "VAE preview", "fast preview"; nothing without one). */
    public static String describe(StepEvent e) {
        long eta = e.eta() == null ? 0 : Math.max(0, e.eta().toSeconds());
        String preview = e.preview() == null ? "" : " · " + e.previewKind().label();
        return String.format(java.util.Locale.ROOT, "Step %d/%d · %.2f it/s · ETA %d:%02d%s", e.step(), e.totalSteps(),
                e.itPerSecond(), eta / 60, eta % 60, preview);
    }
}
