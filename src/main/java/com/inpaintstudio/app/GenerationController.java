package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.InpaintResult;
import com.inpaintstudio.pipeline.StepEvent;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.util.List;
import java.util.Locale;

/**
 * Generate and cancel: builds the request from the side panel, the photo and the mask, runs it on a worker, streams
 * the step previews to the canvas through the {@link PreviewPump}, puts results in the strip, and makes a result the
 * new base photo on request.
 */
final class GenerationController {
    private final EditorContext ctx;
    private final ObjectProperty<GenerationTask> running = new SimpleObjectProperty<>();
    final PreviewPump pump = new PreviewPump(this::drawPreview);
    private int previewsDrawn;
    /** "Whole picture" on a photo above this many times the model's native area is switched to "Only masked". */
    static final double BIG_PHOTO_FACTOR = 4;
    private RgbImage switchedFor;
    /** Whether to decode the final picture through TAESD (the Preview menu's draft decode). */
    private java.util.function.BooleanSupplier draftDecode = () -> false;

    GenerationController(EditorContext ctx) {
        this.ctx = ctx;
        SidePanel panel = ctx.panel;
        panel.generate.setOnAction(e -> generateOrCancel());
        panel.generate.textProperty().bind(Bindings.when(running.isNull()).then("Generate").otherwise("Cancel"));
        running.addListener((o, a, b) -> {
            if (b == null) {
                panel.generate.getStyleClass().remove("cancel");
            } else {
                panel.generate.getStyleClass().add("cancel");
            }
        });
    }

    void draftDecodeFrom(java.util.function.BooleanSupplier s) {
        draftDecode = s;
    }

    /** True while a generation runs. */
    BooleanBinding busy() {
        return running.isNotNull();
    }

    boolean isGenerating() {
        return running.get() != null;
    }

    /** Generate, or Cancel when a generation is running. */
    void generateOrCancel() {
        if (isGenerating()) {
            cancel();
        } else {
            generate();
        }
    }

    void cancel() {
        GenerationTask t = running.get();
        if (t != null) {
            t.requestCancel();
        }
    }

    GenerationTask generate() {
        if (isGenerating() || !ctx.needPhoto()) {
            return null;
        }
        CanvasView canvas = ctx.canvas;
        if (canvas.mask().isEmpty()) {
            ctx.notifier.info("Paint over the area to repaint first (or Edit ▸ Mask everything).");
            return null;
        }
        boolean fill = ctx.engines.isBuiltInFill();
        suggestOnlyMasked(canvas.photo());
        long seed = 0; // the built-in fill uses no seed: neither drawn nor remembered as "Last"
        if (!fill) {
            seed = ctx.panel.nextSeed();
            ctx.panel.lastSeedProperty().set(seed);
        }
        InpaintRequest req = ctx.panel.toRequest().image(canvas.photo()).mask(canvas.mask().toMask()).seed(seed)
                .draftDecode(!fill && draftDecode.getAsBoolean()).compute(ctx.speed.options()).build();
        GenerationTask task = new GenerationTask(ctx.engines, req, ctx.panel.batchCount(), pump, this::resultArrived)
                .tiled(ctx.panel.tiled());
        running.set(task);
        ctx.strip.selectedProperty().set(null);
        canvas.clearPreview();
        previewsDrawn = 0;
        ctx.status.textProperty().bind(task.messageProperty());
        ctx.status.progressProperty().bind(task.progressProperty());
        task.setOnSucceeded(e -> finished(task, null));
        task.setOnFailed(e -> finished(task, task.getException()));
        task.setOnCancelled(e -> finished(task, null));
        pump.start();
        return ctx.submit(task);
    }

    /**
     * "Whole picture" on a photo much larger than the model's size would generate at the model's size and scale it up
     * (blocky at 100 %): switch to "Only masked" once per photo and say so; choosing "Whole picture" again is kept.
     */
    private void suggestOnlyMasked(RgbImage photo) {
        int nativeSize = ctx.engines.nativeSize();
        if (photo == null || nativeSize <= 0 || ctx.panel.area.getSelectionModel().getSelectedIndex() != 0
                || photo == switchedFor) {
            return;
        }
        if ((double) photo.width() * photo.height() > BIG_PHOTO_FACTOR * nativeSize * nativeSize) {
            switchedFor = photo;
            ctx.panel.area.getSelectionModel().select(1);
            ctx.notifier.info("The photo is " + photo.width() + "×" + photo.height() + ", far larger than the model's "
                    + nativeSize + " px: \"Whole picture\" would be generated small and scaled up (blocky). Switched the"
                    + " inpaint area to \"Only masked\", which keeps full detail; choose \"Whole picture\" again to"
                    + " generate it anyway.");
        }
    }

    private void resultArrived(ResultsStrip.Entry r) {
        ctx.strip.add(r);
        if (isGenerating()) {
            ctx.strip.selectedProperty().set(null); // keep the canvas on the live preview until the batch is done
        }
    }

    private void finished(GenerationTask task, Throwable error) {
        pump.stop();
        ctx.status.textProperty().unbind();
        ctx.status.progressProperty().unbind();
        ctx.status.setProgress(0);
        ctx.canvas.clearPreview();
        List<InpaintResult> results = task.getValue();
        if (error != null) {
            ctx.status.setText("Generation failed");
            ctx.error(error, "The generation failed");
        } else if (results != null && !results.isEmpty()) {
            ctx.notifier.success();
            InpaintResult last = results.get(results.size() - 1);
            RunSteps steps = RunSteps.of(last, task.stepsInRun(), task.isBuiltInFill());
            ctx.status.setText((last.cancelled() ? "Cancelled · " + steps.text(true) + " · " : "Done · ")
                    + results.size() + (results.size() == 1 ? " image" : " images") + " in "
                    + String.format(Locale.ROOT, "%.1f s", last.elapsed() == null ? 0 : last.elapsed().toMillis() / 1000.0));
        } else {
            ctx.status.setText("Cancelled");
        }
        List<ResultsStrip.Entry> entries = ctx.strip.entries();
        if (!entries.isEmpty() && results != null && !results.isEmpty()) {
            ctx.strip.selectedProperty().set(entries.get(entries.size() - 1));
        }
        running.set(null);
    }

    private void drawPreview(StepEvent e) {
        if (ctx.canvas.showPreview(e)) {
            previewsDrawn++;
        }
    }

    /** Previews drawn on the canvas during the current/last generation. */
    int previewsDrawn() {
        return previewsDrawn;
    }

    /** Makes the selected result the photo (undoable), to inpaint it further. */
    void useAsBase() {
        ResultsStrip.Entry e = ctx.strip.selectedProperty().get();
        if (e == null) {
            return;
        }
        RgbImage before = ctx.canvas.photo();
        RgbImage after = e.result().image();
        javafx.scene.image.Image beforeFx = ctx.canvas.photoImage();
        if (after.width() != before.width() || after.height() != before.height()) {
            ctx.notifier.error("This result is " + after.width() + "×" + after.height() + " but the photo is "
                    + before.width() + "×" + before.height() + "; it cannot become the base.");
            return;
        }
        ctx.strip.selectedProperty().set(null);
        BaseImageEdit edit = new BaseImageEdit(ctx.canvas, before, beforeFx, after, e.full());
        edit.redo();
        ctx.history.push(edit);
        ctx.status.setText("The result is now the photo (Ctrl+Z to undo)");
    }

    /** Window closing: asks a running generation to stop; true if one was running. */
    boolean cancelForShutdown() {
        GenerationTask t = running.get();
        if (t != null) {
            t.requestCancel();
        }
        return t != null;
    }
}
