package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.pipeline.CancelToken;
import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.pipeline.InpaintException;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.InpaintResult;
import com.inpaintstudio.pipeline.StepEvent;
import com.inpaintstudio.pipeline.StepListener;
import com.inpaintstudio.pipeline.TilingEngine;
import javafx.application.Platform;
import javafx.concurrent.Task;

import java.util.ArrayList;
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
        InpaintEngine engine = tiled ? new TilingEngine(engines.await()) : engines.await();
        List<InpaintResult> results = new ArrayList<>();
        Mask mask = request.mask();
        for (int i = 0; i < batch && !cancel.isCancelled(); i++) {
            InpaintRequest r = request.toBuilder().seed(request.seed() + i).build();
            final int index = i;
            String prefix = batch > 1 ? "Image " + (i + 1) + "/" + batch + " · " : "";
            updateMessage(prefix + "Starting…");
            InpaintResult result;
            try {
                result = engine.generate(r, new StepListener() {
                    @Override
                    public void onStep(StepEvent e) {
                        pump.offer(PreviewFrame.of(e, mask));
                        updateProgress(index * (long) e.totalSteps() + e.step(), (long) batch * e.totalSteps());
                        updateMessage(prefix + describe(e));
                    }

                    @Override
                    public void onPhase(String phase) {
                        updateMessage(prefix + phase);
                    }
                }, cancel);
            } catch (OutOfMemoryError e) {
                throw new InpaintException("Out of memory. Try 'Only masked', a smaller picture, fewer batch images, "
                        + "or start Inpaint Studio with more memory (-Xmx).", e);
            }
            results.add(result);
            ResultsStrip.Entry entry = ResultsStrip.Entry.of(result); // image conversion here, not on the FX thread
            Platform.runLater(() -> onResult.accept(entry));
            if (result.cancelled()) {
                break;
            }
        }
        return results;
    }

    /** "Step 7/25 · 3.1 it/s · ETA 0:06 · TAESD preview" (or "VAE preview", "fast preview"; nothing without one). */
    public static String describe(StepEvent e) {
        long eta = e.eta() == null ? 0 : Math.max(0, e.eta().toSeconds());
        String preview = e.preview() == null ? "" : " · " + e.previewKind().label();
        return String.format(java.util.Locale.ROOT, "Step %d/%d · %.2f it/s · ETA %d:%02d%s", e.step(), e.totalSteps(),
                e.itPerSecond(), eta / 60, eta % 60, preview);
    }
}
