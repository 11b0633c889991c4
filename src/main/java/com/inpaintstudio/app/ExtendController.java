package com.inpaintstudio.app;

import com.inpaintstudio.image.CanvasExtension;
import com.inpaintstudio.image.CanvasExtension.Sides;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.Outpaint;
import javafx.concurrent.Task;
import javafx.scene.image.Image;

/**
 * Outpainting in the editor: Image ▸ Extend canvas… grows the canvas (new area pre-filled on a worker), masks the new
 * area and a seam band, makes the result the photo (undoable) and switches the inpaint area to tiles, so Generate
 * paints past the old edges at any size.
 */
final class ExtendController {
    private final EditorContext ctx;

    ExtendController(EditorContext ctx) {
        this.ctx = ctx;
    }

    void chooseAndExtend() {
        if (!ctx.needPhoto()) {
            return;
        }
        RgbImage photo = ctx.canvas.photo();
        ExtendCanvasDialog d = new ExtendCanvasDialog(photo.width(), photo.height(), ctx.canvas::showExtensionOutline);
        d.initOwner(ctx.stage);
        d.initModality(javafx.stage.Modality.NONE); // the canvas stays live: its outline edges can be dragged
        ctx.canvas.setOnOutlineDragged(d::setSides);
        d.setOnHidden(e -> {
            ctx.canvas.setOnOutlineDragged(null);
            ctx.canvas.showExtensionOutline(null);
            ExtendCanvasDialog.Choice c = d.getResult();
            if (c != null && !c.sides().isZero()) {
                extend(c.sides(), c.prefill(), c.feather());
            }
        });
        ctx.canvas.showExtensionOutline(d.sides());
        d.show();
    }

    /** Extends the current photo; the heavy part (the built-in fill can take seconds) runs on a worker. */
    Task<CanvasExtension.Extended> extend(Sides sides, CanvasExtension.Prefill prefill, int feather) {
        RgbImage photo = ctx.canvas.photo();
        MaskModel mask = ctx.canvas.mask();
        int blur = ctx.panel.maskBlurValue();
        long seed = ctx.panel.lastSeedProperty().get();
        Image[] fx = new Image[1];
        com.inpaintstudio.image.Mask painted = mask.isEmpty() ? null : mask.toMask();
        Task<CanvasExtension.Extended> t = new Task<>() {
            @Override
            protected CanvasExtension.Extended call() {
                CanvasExtension.Extended e = Outpaint.extend(photo, painted, sides, prefill, feather, blur, seed);
                fx[0] = FxImages.toFx(e.image());
                return e;
            }
        };
        ctx.status.setText("Extending the canvas…");
        t.setOnSucceeded(ev -> {
            CanvasExtension.Extended e = t.getValue();
            MaskModel newMask = new MaskModel(e.image().width(), e.image().height());
            newMask.set(e.mask());
            DocumentEdit edit = new DocumentEdit(ctx.canvas, ctx.history,
                    new DocumentEdit.State(photo, ctx.canvas.photoImage(), mask),
                    new DocumentEdit.State(e.image(), fx[0], newMask), "extend canvas");
            ctx.strip.selectedProperty().set(null);
            edit.redo();
            ctx.history.push(edit);
            ctx.panel.area.getSelectionModel().select(SidePanel.AREA_TILED);
            ctx.status.setText("Canvas extended to " + e.image().width() + " × " + e.image().height()
                    + ": the new area is masked; Generate paints it (Ctrl+Z undoes the extension)");
        });
        t.setOnFailed(ev -> {
            ctx.status.setText("Ready");
            ctx.error(t.getException(), "The canvas could not be extended");
        });
        return ctx.submit(t);
    }
}
