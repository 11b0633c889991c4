package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.pipeline.StepEvent;

/**
 * One step's preview made ready for the canvas on the worker thread: ARGB pixels ({@code w x h}, the preview's own
 * size) whose alpha is the mask coverage, to be drawn scaled into the photo rectangle
 * {@code x, y, regionW, regionH}. {@code argb} is null when the step came without a preview.
 */
public record PreviewFrame(StepEvent event, int x, int y, int regionW, int regionH, int w, int h, int[] argb) {

    /** Composes the event's preview with the mask (worker thread; plain arrays only). */
    public static PreviewFrame of(StepEvent e, Mask mask) {
        if (e.preview() == null || e.regionWidth() <= 0 || e.regionHeight() <= 0) {
            return new PreviewFrame(e, 0, 0, 0, 0, 0, 0, null);
        }
        int pw = e.preview().width();
        int ph = e.preview().height();
        int rx = e.regionX();
        int ry = e.regionY();
        int rw = e.regionWidth();
        int rh = e.regionHeight();
        int[] out = new int[pw * ph];
        int[] src = e.preview().rgb();
        float[] m = mask.values();
        for (int y = 0; y < ph; y++) {
            int my = Math.min(mask.height() - 1, ry + (int) ((y + 0.5) * rh / ph));
            for (int x = 0; x < pw; x++) {
                int mx = Math.min(mask.width() - 1, rx + (int) ((x + 0.5) * rw / pw));
                int a = Math.round(Math.max(0, Math.min(1, m[my * mask.width() + mx])) * 255);
                out[y * pw + x] = a << 24 | (src[y * pw + x] & 0xffffff);
            }
        }
        return new PreviewFrame(e, rx, ry, rw, rh, pw, ph, out);
    }
}
