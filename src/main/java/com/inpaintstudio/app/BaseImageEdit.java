package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;

/** "Use as base": the photo was replaced by a result. Undo puts the old photo back. */
public final class BaseImageEdit implements Edit {
    private final CanvasView canvas;
    private final RgbImage before;
    private final RgbImage after;

    public BaseImageEdit(CanvasView canvas, RgbImage before, RgbImage after) {
        this.canvas = canvas;
        this.before = before;
        this.after = after;
    }

    @Override
    public void undo() {
        canvas.replacePhoto(before);
    }

    @Override
    public void redo() {
        canvas.replacePhoto(after);
    }

    @Override
    public String label() {
        return "use as base";
    }
}
