package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
import javafx.scene.image.Image;

/** "Use as base": the photo was replaced by a result. Undo puts the old photo back. */
public final class BaseImageEdit implements Edit {
    private final CanvasView canvas;
    private final RgbImage before;
    private final Image beforeFx;
    private final RgbImage after;
    private final Image afterFx;

    public BaseImageEdit(CanvasView canvas, RgbImage before, Image beforeFx, RgbImage after, Image afterFx) {
        this.canvas = canvas;
        this.before = before;
        this.beforeFx = beforeFx;
        this.after = after;
        this.afterFx = afterFx;
    }

    @Override
    public void undo() {
        canvas.replacePhoto(before, beforeFx);
    }

    @Override
    public void redo() {
        canvas.replacePhoto(after, afterFx);
    }

    @Override
    public String label() {
        return "use as base";
    }
}
