package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
import javafx.scene.image.Image;

/** The photo and its mask replaced together (Extend canvas): undo puts both back, with the view re-fitted. */
final class DocumentEdit implements Edit {
    record State(RgbImage photo, Image photoFx, MaskModel mask) { }

    private final CanvasView canvas;
    private final EditHistory history;
    private final State before;
    private final State after;
    private final String label;

    DocumentEdit(CanvasView canvas, EditHistory history, State before, State after, String label) {
        this.canvas = canvas;
        this.history = history;
        this.before = before;
        this.after = after;
        this.label = label;
    }

    private void show(State s) {
        canvas.setDocument(s.photo(), s.photoFx(), s.mask(), history);
    }

    @Override
    public void undo() {
        show(before);
    }

    @Override
    public void redo() {
        show(after);
    }

    @Override
    public String label() {
        return label;
    }
}
