package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;

/** Conversions between plain pixels and JavaFX images. */
public final class FxImages {
    private FxImages() {}

    /** A JavaFX image of the pixels; may be called on any thread (the image is not yet in a scene). */
    public static WritableImage toFx(RgbImage img) {
        WritableImage out = new WritableImage(img.width(), img.height());
        int[] argb = new int[img.rgb().length];
        int[] src = img.rgb();
        for (int i = 0; i < argb.length; i++) {
            argb[i] = 0xff000000 | src[i];
        }
        // opaque pixels: premultiplied and straight ARGB are the same, and the premultiplied path is a plain copy
        out.getPixelWriter().setPixels(0, 0, img.width(), img.height(), PixelFormat.getIntArgbPreInstance(), argb, 0,
                img.width());
        return out;
    }

    /** Pixels of a JavaFX image (transparent pixels composited over white). */
    public static RgbImage fromFx(Image img) {
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        int[] argb = new int[w * h];
        PixelReader r = img.getPixelReader();
        r.getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i], a = p >>> 24;
            if (a == 255) {
                argb[i] = p & 0xffffff;
            } else {
                int rr = ((p >> 16 & 0xff) * a + 255 * (255 - a)) / 255;
                int g = ((p >> 8 & 0xff) * a + 255 * (255 - a)) / 255;
                int b = ((p & 0xff) * a + 255 * (255 - a)) / 255;
                argb[i] = rr << 16 | g << 8 | b;
            }
        }
        return new RgbImage(w, h, argb);
    }

    /** A box-filtered thumbnail whose longer side is {@code max} pixels (computed off the FX thread is fine). */
    public static RgbImage thumbnail(RgbImage img, int max) {
        double s = Math.min(1.0, (double) max / Math.max(img.width(), img.height()));
        int w = Math.max(1, (int) Math.round(img.width() * s)), h = Math.max(1, (int) Math.round(img.height() * s));
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            int y0 = (int) ((long) y * img.height() / h), y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * img.height() / h));
            for (int x = 0; x < w; x++) {
                int x0 = (int) ((long) x * img.width() / w), x1 = Math.max(x0 + 1, (int) ((long) (x + 1) * img.width() / w));
                long r = 0, g = 0, b = 0;
                int n = 0;
                for (int yy = y0; yy < y1; yy += Math.max(1, (y1 - y0) / 4)) {
                    for (int xx = x0; xx < x1; xx += Math.max(1, (x1 - x0) / 4)) {
                        int p = img.rgb()[yy * img.width() + xx];
                        r += p >> 16 & 0xff;
                        g += p >> 8 & 0xff;
                        b += p & 0xff;
                        n++;
                    }
                }
                out[y * w + x] = (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n);
            }
        }
        return new RgbImage(w, h, out);
    }
}
