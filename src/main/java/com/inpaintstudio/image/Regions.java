package com.inpaintstudio.image;

/** Cutting a rectangle out of a picture and putting one back. */
public final class Regions {
    private Regions() {}

    /** The pixels inside {@code r}, which must lie inside the picture. */
    public static RgbImage crop(RgbImage img, Rect r) {
        if (!r.fitsIn(img.width(), img.height())) {
            throw new IllegalArgumentException(r + " is not inside the " + img.width() + "x" + img.height() + " picture");
        }
        int[] out = new int[r.width() * r.height()];
        for (int y = 0; y < r.height(); y++) {
            System.arraycopy(img.rgb(), (r.y() + y) * img.width() + r.x(), out, y * r.width(), r.width());
        }
        return new RgbImage(r.width(), r.height(), out);
    }

    /** A copy of {@code base} with {@code patch} placed at {@code (x, y)}; the parts falling outside are dropped. */
    public static RgbImage paste(RgbImage base, RgbImage patch, int x, int y) {
        int[] out = base.rgb().clone();
        int x0 = Math.max(0, x);
        int x1 = Math.min(base.width(), x + patch.width());
        for (int py = Math.max(0, y); py < Math.min(base.height(), y + patch.height()); py++) {
            if (x1 > x0) {
                System.arraycopy(patch.rgb(), (py - y) * patch.width() + (x0 - x), out, py * base.width() + x0,
                        x1 - x0);
            }
        }
        return new RgbImage(base.width(), base.height(), out);
    }

    /** A copy of {@code base} with the mask {@code patch} placed at {@code (x, y)}; outside parts dropped. */
    public static Mask paste(Mask base, Mask patch, int x, int y) {
        float[] out = base.values().clone();
        int x0 = Math.max(0, x);
        int x1 = Math.min(base.width(), x + patch.width());
        for (int py = Math.max(0, y); py < Math.min(base.height(), y + patch.height()); py++) {
            if (x1 > x0) {
                System.arraycopy(patch.values(), (py - y) * patch.width() + (x0 - x), out, py * base.width() + x0,
                        x1 - x0);
            }
        }
        return new Mask(base.width(), base.height(), out);
    }
}
