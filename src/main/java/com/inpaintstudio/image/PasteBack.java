package com.inpaintstudio.image;

/**
 * Puts generated pixels into the original photo through a soft mask: {@code out = original * (1 - a) + generated * a},
 * rounded to 8 bits. Where {@code a == 0} the original pixel is copied untouched (bit-identical), where {@code a == 1}
 * the generated one.
 */
public final class PasteBack {
    private PasteBack() {}

    /** The blend weights for a mask and a blur radius: the mask feathered by {@link MaskOps#blur}. */
    public static Mask alpha(Mask mask, int blurRadius) {
        return MaskOps.blur(mask, blurRadius);
    }

    /** Blends two pictures of the same size through {@code alpha} (same size too). */
    public static RgbImage blend(RgbImage original, RgbImage generated, Mask alpha) {
        if (original.width() != generated.width() || original.height() != generated.height()
                || alpha.width() != original.width() || alpha.height() != original.height()) {
            throw new IllegalArgumentException("blend needs equal sizes: original " + original.width() + "x"
                    + original.height() + ", generated " + generated.width() + "x" + generated.height() + ", alpha "
                    + alpha.width() + "x" + alpha.height());
        }
        return blendAt(original, generated, 0, 0, alpha);
    }

    /**
     * Blends {@code patch} (with its own {@code alpha}, same size as the patch) into a copy of {@code original} at
     * {@code (x, y)}; pixels outside the patch stay as they were. This is the "only masked" uncrop: the alpha never
     * has to be built at the full photo size.
     */
    public static RgbImage blendAt(RgbImage original, RgbImage patch, int x, int y, Mask alpha) {
        if (alpha.width() != patch.width() || alpha.height() != patch.height()) {
            throw new IllegalArgumentException("alpha " + alpha.width() + "x" + alpha.height() + " does not match the "
                    + patch.width() + "x" + patch.height() + " patch");
        }
        if (!new Rect(x, y, patch.width(), patch.height()).fitsIn(original.width(), original.height())) {
            throw new IllegalArgumentException("the patch at " + x + "," + y + " does not fit in the photo");
        }
        int[] out = original.rgb().clone();
        int ow = original.width();
        int[] g = patch.rgb();
        float[] a = alpha.values();
        for (int py = 0; py < patch.height(); py++) {
            for (int px = 0; px < patch.width(); px++) {
                int pi = py * patch.width() + px;
                float t = a[pi];
                if (t <= 0f) {
                    continue;
                }
                int oi = (y + py) * ow + x + px;
                out[oi] = t >= 1f ? g[pi] : mix(out[oi], g[pi], t);
            }
        }
        return new RgbImage(original.width(), original.height(), out);
    }

    private static int mix(int o, int g, float t) {
        float s = 1f - t;
        int r = Math.round((o >> 16 & 0xff) * s + (g >> 16 & 0xff) * t);
        int gr = Math.round((o >> 8 & 0xff) * s + (g >> 8 & 0xff) * t);
        int b = Math.round((o & 0xff) * s + (g & 0xff) * t);
        return r << 16 | gr << 8 | b;
    }
}
