package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.InpaintResult;
import javafx.concurrent.Task;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Writes PNGs in the background: a result with its parameters text, or the mask as a grey picture. */
final class ExportController {
    private final EditorContext ctx;
    private final Function<String, String> suggestName;

    /** {@code suggestName}: a file name for an export ("photo-" + base + ".png"). */
    ExportController(EditorContext ctx, Function<String, String> suggestName) {
        this.ctx = ctx;
        this.suggestName = suggestName;
    }

    void exportSelectedResult() {
        ResultsStrip.Entry e = ctx.strip.selectedProperty().get();
        if (e == null) {
            ctx.notifier.info("Select a result in the strip first.");
            return;
        }
        Path f = ctx.files.savePng("Export result", suggestName.apply("inpaint-" + e.result().request().seed()));
        if (f != null) {
            exportResult(e.result(), f);
        }
    }

    /** Writes a result PNG with its {@code parameters} text in the background. */
    Task<Void> exportResult(InpaintResult r, Path file) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("parameters", r.parameters() == null ? "" : r.parameters());
        meta.put("Software", "Inpaint Studio");
        Task<Void> t = write(file, r.image(), meta);
        t.addEventHandler(javafx.concurrent.WorkerStateEvent.WORKER_STATE_SUCCEEDED, e -> ctx.exported.add(r));
        return t;
    }

    void chooseAndExportMask() {
        if (!ctx.needPhoto()) {
            return;
        }
        Path f = ctx.files.savePng("Export mask", suggestName.apply("mask"));
        if (f != null) {
            exportMask(f);
        }
    }

    /** Writes the mask as a grey PNG (white = repaint). */
    Task<Void> exportMask(Path file) {
        MaskModel m = ctx.canvas.mask();
        int[] px = new int[m.width() * m.height()];
        byte[] raw = m.raw();
        for (int i = 0; i < px.length; i++) {
            int v = raw[i] & 0xff;
            px[i] = v << 16 | v << 8 | v;
        }
        return write(file, new RgbImage(m.width(), m.height(), px), Map.of());
    }

    private Task<Void> write(Path file, RgbImage img, Map<String, String> meta) {
        Task<Void> t = new Task<>() {
            @Override
            protected Void call() throws IOException {
                ctx.io.writePng(file, img, meta);
                return null;
            }
        };
        t.setOnSucceeded(e -> {
            ctx.files.remember(FileDialogs.Folder.SAVED, file);
            ctx.status.setText("Saved " + file.getFileName());
        });
        t.setOnFailed(e -> ctx.error(t.getException(), "Could not save " + file.getFileName()));
        return ctx.submit(t);
    }
}
