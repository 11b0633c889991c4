package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.pipeline.StepEvent;

/**
 * One step's preview made ready for the canvas on the worker thread: ARGB pixels whose alpha is the mask coverage, so
 * the preview shows only inside the masked region. {@code argb} is null when the step came without a preview.
 */
public record PreviewFrame(StepEvent event, int x, int y, int w, int h, int[] argb) {

    /** Composes the event's preview with the mask (worker thread; plain arrays only). */
    public static PreviewFrame of(StepEvent e, Mask mask) {
        if (e.preview() == null) {
            return new PreviewFrame(e, 0, 0, 0, 0, null);
        }
        int pw = e.preview().width(), ph = e.preview().height();
        int x0 = Math.max(0, e.previewX()), y0 = Math.max(0, e.previewY());
        int x1 = Math.min(mask.width(), e.previewX() + pw), y1 = Math.min(mask.height(), e.previewY() + ph);
        if (x1 <= x0 || y1 <= y0) {
            return new PreviewFrame(e, 0, 0, 0, 0, null);
        }
        int w = x1 - x0, h = y1 - y0;
        int[] out = new int[w * h];
        int[] src = e.preview().rgb();
        float[] m = mask.values();
        for (int y = 0; y < h; y++) {
            int sy = y0 + y - e.previewY();
            for (int x = 0; x < w; x++) {
                int sx = x0 + x - e.previewX();
                int a = Math.round(Math.max(0, Math.min(1, m[(y0 + y) * mask.width() + x0 + x])) * 255);
                out[y * w + x] = a << 24 | (src[sy * pw + sx] & 0xffffff);
            }
        }
        return new PreviewFrame(e, x0, y0, w, h, out);
    }
}
