package com.inpaintstudio.image;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Outpainting's first half: a bigger canvas with the photo inside it, the new area pre-filled and masked. The mask
 * covers the new area and a band of {@code feather} pixels into the photo, so the seam is repainted too; every
 * photo pixel farther than {@code feather} from the new area is left unmasked.
 */
public final class CanvasExtension {
    private CanvasExtension() {}

    /** Pixels added on each side. */
    public record Sides(int left, int top, int right, int bottom) {
        public boolean isZero() {
            return left == 0 && top == 0 && right == 0 && bottom == 0;
        }

        @Override
        public String toString() {
            return left + "," + top + "," + right + "," + bottom;
        }
    }

    /** What the new area holds before the model repaints it. */
    public enum Prefill {
        /** The photo's edge pixels stretched outward, then blurred: colours continue, no structure. */
        STRETCH,
        /** The built-in exemplar fill ({@link ClassicalFill}): texture continues. */
        FILL,
        /** Mid-grey noise: no hint at all. */
        NOISE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Prefill parse(String s) {
            for (Prefill p : values()) {
                if (p.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown prefill '" + s + "': use stretch, fill or noise");
        }
    }

    /**
     * The extended picture, its mask, and where the photo sits in it.
     *
     * @param image    the new canvas, the photo at {@code photo}'s position and the new area pre-filled
     * @param mask     1 over the new area and the feather band, 0 elsewhere (plus the photo's own mask, if given)
     * @param photo    the photo's rectangle inside {@code image}
     */
    public record Extended(RgbImage image, Mask mask, Rect photo) {
    }

    /**
     * Extends {@code photo} by {@code sides}. {@code existingMask} (same size as the photo, may be null) is kept: what
     * the user painted inside the photo is repainted too.
     */
    public static Extended extend(RgbImage photo, Mask existingMask, Sides sides, Prefill prefill, int feather,
                                  long seed) {
        int w = photo.width() + sides.left() + sides.right();
        int h = photo.height() + sides.top() + sides.bottom();
        Rect inner = new Rect(sides.left(), sides.top(), photo.width(), photo.height());
        int[] px = new int[w * h];
        float[] m = new float[w * h];
        int[] src = photo.rgb();
        for (int y = 0; y < h; y++) {
            int sy = Math.min(photo.height() - 1, Math.max(0, y - sides.top()));
            for (int x = 0; x < w; x++) {
                int sx = Math.min(photo.width() - 1, Math.max(0, x - sides.left()));
                px[y * w + x] = src[sy * photo.width() + sx];
                boolean outside = x < inner.x() || x >= inner.right() || y < inner.y() || y >= inner.bottom();
                m[y * w + x] = outside ? 1f : 0f;
            }
        }
        Mask newArea = new Mask(w, h, m);
        RgbImage canvas = new RgbImage(w, h, px);
        canvas = switch (prefill) {
            case STRETCH -> blurOutside(canvas, inner, Math.max(4, Math.min(64, Math.max(w, h) / 32)));
            case NOISE -> noiseOutside(canvas, inner, seed);
            case FILL -> ClassicalFill.fill(canvas, newArea);
        };
        Mask mask = MaskOps.grow(newArea, Math.max(0, feather));
        if (existingMask != null) {
            float[] mv = mask.values();
            for (int y = 0; y < photo.height(); y++) {
                for (int x = 0; x < photo.width(); x++) {
                    int i = (y + inner.y()) * w + x + inner.x();
                    mv[i] = Math.max(mv[i], existingMask.get(x, y) >= 0.5f ? 1f : 0f);
                }
            }
        }
        return new Extended(canvas, mask, inner);
    }

    /** Box-blurs (three passes, about Gaussian) the pixels outside {@code inner}; the photo itself is untouched. */
    static RgbImage blurOutside(RgbImage img, Rect inner, int radius) {
        int w = img.width();
        int h = img.height();
        float[][] ch = new float[3][w * h];
        int[] rgb = img.rgb();
        for (int i = 0; i < rgb.length; i++) {
            ch[0][i] = rgb[i] >> 16 & 0xff;
            ch[1][i] = rgb[i] >> 8 & 0xff;
            ch[2][i] = rgb[i] & 0xff;
        }
        for (float[] c : ch) {
            for (int pass = 0; pass < 3; pass++) {
                boxRows(c, w, h, radius);
                boxCols(c, w, h, radius);
            }
        }
        int[] out = rgb.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean outside = x < inner.x() || x >= inner.right() || y < inner.y() || y >= inner.bottom();
                if (outside) {
                    int i = y * w + x;
                    out[i] = clamp(ch[0][i]) << 16 | clamp(ch[1][i]) << 8 | clamp(ch[2][i]);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    private static void boxRows(float[] c, int w, int h, int r) {
        float[] line = new float[w];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            double acc = 0;
            for (int j = -r; j <= r; j++) {
                acc += c[row + Math.min(w - 1, Math.max(0, j))];
            }
            for (int x = 0; x < w; x++) {
                line[x] = (float) (acc / (2 * r + 1));
                acc += c[row + Math.min(w - 1, x + r + 1)] - c[row + Math.max(0, x - r)];
            }
            System.arraycopy(line, 0, c, row, w);
        }
    }

    private static void boxCols(float[] c, int w, int h, int r) {
        float[] line = new float[h];
        for (int x = 0; x < w; x++) {
            double acc = 0;
            for (int j = -r; j <= r; j++) {
                acc += c[Math.min(h - 1, Math.max(0, j)) * w + x];
            }
            for (int y = 0; y < h; y++) {
                line[y] = (float) (acc / (2 * r + 1));
                acc += c[Math.min(h - 1, y + r + 1) * w + x] - c[Math.max(0, y - r) * w + x];
            }
            for (int y = 0; y < h; y++) {
                c[y * w + x] = line[y];
            }
        }
    }

    static RgbImage noiseOutside(RgbImage img, Rect inner, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int w = img.width();
        int[] out = img.rgb().clone();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < w; x++) {
                boolean outside = x < inner.x() || x >= inner.right() || y < inner.y() || y >= inner.bottom();
                if (outside) {
                    int v = 128 + rnd.nextInt(-48, 49);
                    out[y * w + x] = clamp(v + rnd.nextInt(-8, 9)) << 16 | clamp(v + rnd.nextInt(-8, 9)) << 8
                            | clamp(v + rnd.nextInt(-8, 9));
                }
            }
        }
        return new RgbImage(w, img.height(), out);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
