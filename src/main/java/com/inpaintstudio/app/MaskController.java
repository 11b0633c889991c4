package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.Rect;
import javafx.concurrent.Task;
import javafx.scene.control.TextInputControl;

import java.nio.file.Path;
import java.util.function.Supplier;

/** Whole-mask operations (clear, invert, fill, grow/shrink, import) as undoable edits, and undo/redo. */
final class MaskController {
    private final EditorContext ctx;

    MaskController(EditorContext ctx) {
        this.ctx = ctx;
    }

    private void maskOp(String label, Supplier<Rect> op) {
        if (ctx.needPhoto()) {
            ctx.canvas.applyMaskOperation(label, op);
        }
    }

    void clear() {
        maskOp("clear mask", () -> ctx.canvas.mask().clear());
    }

    void invert() {
        maskOp("invert mask", () -> ctx.canvas.mask().invert());
    }

    void fill() {
        maskOp("fill mask", () -> ctx.canvas.mask().fill());
    }

    /**
     * Grows (px &gt; 0) or shrinks the mask. Small areas are done at once; a big one is computed on a worker from a copy
     * of the affected rectangle (the canvas is locked meanwhile) and pasted back as one undoable edit.
     */
    Task<byte[]> morph(int px) {
        if (!ctx.needPhoto()) {
            return null;
        }
        String label = px > 0 ? "grow mask" : "shrink mask";
        MaskModel mask = ctx.canvas.mask();
        Rect region = mask.morphRegion(px);
        if (region.isEmpty()) {
            return null;
        }
        if ((long) region.width() * region.height() < 1_000_000) {
            maskOp(label, () -> mask.morph(px));
            return null;
        }
        byte[] before = mask.copyRect(region);
        Task<byte[]> t = new Task<>() {
            @Override
            protected byte[] call() {
                MaskModel part = new MaskModel(region.width(), region.height());
                part.pasteRect(part.bounds(), before);
                part.morph(px);
                return part.copyRect(part.bounds());
            }
        };
        ctx.canvas.setDisable(true);
        ctx.status.setText(px > 0 ? "Growing the mask…" : "Shrinking the mask…");
        t.setOnSucceeded(e -> {
            ctx.canvas.setDisable(false);
            if (ctx.canvas.mask() == mask) {
                ctx.canvas.applyMaskOperation(label, () -> {
                    mask.pasteRect(region, t.getValue());
                    return region;
                });
            }
            ctx.status.setText("Ready");
        });
        t.setOnFailed(e -> {
            ctx.canvas.setDisable(false);
            ctx.error(t.getException(), "The mask could not be changed");
        });
        return ctx.submit(t);
    }

    /** Undo in the focused text field, else the last edit of the picture. */
    void undo() {
        TextInputControl text = focusedText();
        if (text != null) {
            text.undo();
        } else {
            ctx.history.undo();
        }
    }

    void redo() {
        TextInputControl text = focusedText();
        if (text != null) {
            text.redo();
        } else {
            ctx.history.redo();
        }
    }

    private TextInputControl focusedText() {
        return ctx.stage.getScene().getFocusOwner() instanceof TextInputControl t ? t : null;
    }

    void chooseAndImport() {
        if (!ctx.needPhoto()) {
            return;
        }
        Path f = ctx.files.open("Import mask (white = repaint)", FileDialogs.Folder.PHOTOS);
        if (f != null) {
            importMask(f);
        }
    }

    /** Reads a mask picture in the background and applies it as one undoable edit. */
    Task<Mask> importMask(Path file) {
        Task<Mask> t = new Task<>() {
            @Override
            protected Mask call() throws Exception {
                return ctx.io.readMask(file);
            }
        };
        t.setOnSucceeded(e -> {
            Mask m = t.getValue();
            if (m.width() != ctx.canvas.mask().width() || m.height() != ctx.canvas.mask().height()) {
                ctx.notifier.info("The mask is " + m.width() + "×" + m.height() + "; it was stretched to the photo's size.");
            }
            maskOp("import mask", () -> ctx.canvas.mask().set(m));
        });
        t.setOnFailed(e -> ctx.error(t.getException(), "The mask could not be imported"));
        return ctx.submit(t);
    }
}
