package com.inpaintstudio.image;

/**
 * Mask operations. Every method returns a new mask and leaves its argument untouched. The "inside" of a mask is
 * {@code value >= 0.5}, the threshold diffusers binarises at ({@code mask[mask < 0.5] = 0; mask[mask >= 0.5] = 1}),
 * the same test as {@link Mask#isEmpty()}.
 */
public final class MaskOps {
    private MaskOps() {}

    /** diffusers' binarisation: values below 0.5 become 0, the rest 1. */
    public static Mask binarize(Mask m) {
        float[] v = m.values();
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] >= 0.5f ? 1f : 0f;
        }
        return new Mask(m.width(), m.height(), o);
    }

    /** 1 - value. */
    public static Mask invert(Mask m) {
        float[] v = m.values();
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = 1f - v[i];
        }
        return new Mask(m.width(), m.height(), o);
    }

    /**
     * Gaussian feather, as A1111's mask blur: standard deviation {@code radius} pixels, kernel half-width
     * {@code (int)(2.5 * radius + 0.5)}, separable, edge pixels repeated at the borders. Radius 0 returns a copy.
     * Pixels farther than the half-width from any non-zero pixel stay exactly 0.
     */
    public static Mask blur(Mask m, double radius) {
        if (radius <= 0) {
            return new Mask(m.width(), m.height(), m.values().clone());
        }
        int half = (int) (2.5 * radius + 0.5);
        float[] k = new float[2 * half + 1];
        double sum = 0;
        for (int i = -half; i <= half; i++) {
            double g = Math.exp(-(i * (double) i) / (2 * radius * radius));
            k[i + half] = (float) g;
            sum += g;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        int w = m.width();
        int h = m.height();
        float[] src = m.values();
        float[] tmp = new float[w * h];
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                float acc = 0f;
                for (int j = -half; j <= half; j++) {
                    int xx = Math.min(w - 1, Math.max(0, x + j));
                    acc += k[j + half] * src[row + xx];
                }
                tmp[row + x] = acc;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0f;
                for (int j = -half; j <= half; j++) {
                    int yy = Math.min(h - 1, Math.max(0, y + j));
                    acc += k[j + half] * tmp[yy * w + x];
                }
                out[y * w + x] = Math.min(1f, Math.max(0f, acc));
            }
        }
        return new Mask(w, h, out);
    }

    /**
     * Dilates by {@code px} pixels with a disc (exact Euclidean distance, linear time): every pixel within {@code px}
     * of an inside pixel becomes 1; values already larger are kept. {@code px <= 0} returns a copy.
     */
    public static Mask grow(Mask m, int px) {
        float[] v = m.values();
        if (px <= 0) {
            return new Mask(m.width(), m.height(), v.clone());
        }
        boolean[] near = near(inside(m), m.width(), m.height(), px);
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = near[i] ? 1f : v[i];
        }
        return new Mask(m.width(), m.height(), o);
    }

    /**
     * Erodes by {@code px} pixels with a disc: pixels within {@code px} of an outside pixel become 0, the rest keep
     * their value. {@code px <= 0} returns a copy.
     */
    public static Mask shrink(Mask m, int px) {
        float[] v = m.values();
        if (px <= 0) {
            return new Mask(m.width(), m.height(), v.clone());
        }
        boolean[] outside = inside(m);
        for (int i = 0; i < outside.length; i++) {
            outside[i] = !outside[i];
        }
        boolean[] near = near(outside, m.width(), m.height(), px);
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = near[i] ? 0f : v[i];
        }
        return new Mask(m.width(), m.height(), o);
    }

    /**
     * The one grow/shrink kernel (here and in the editor's mask): which pixels of a {@code w x h} grid lie within
     * {@code radius} pixels (Euclidean, disc structuring element) of a {@code source} pixel, the sources included.
     * Grow: sources = inside pixels; shrink: sources = outside pixels.
     */
    public static boolean[] near(boolean[] source, int w, int h, int radius) {
        float[] d = DistanceTransform.squared(source, w, h);
        float r2 = (float) radius * radius;
        boolean[] out = new boolean[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = d[i] <= r2;
        }
        return out;
    }

    /**
     * A feather that lies outside the mask: 1 inside, falling linearly to 0 at {@code px} pixels from it (Euclidean
     * distance). Blending with it never lets what was under the mask show through.
     */
    public static Mask featherOutward(Mask m, int px) {
        boolean[] in = inside(m);
        float[] o = new float[in.length];
        if (px <= 0) {
            for (int i = 0; i < o.length; i++) {
                o[i] = in[i] ? 1f : 0f;
            }
            return new Mask(m.width(), m.height(), o);
        }
        float[] d = DistanceTransform.squared(in, m.width(), m.height());
        float band = px + 1f;
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.max(0f, 1f - (float) Math.sqrt(d[i]) / band);
        }
        return new Mask(m.width(), m.height(), o);
    }

    /** The pixels at or above the 0.5 threshold. */
    public static boolean[] inside(Mask m) {
        float[] v = m.values();
        boolean[] b = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i] >= 0.5f;
        }
        return b;
    }

    /** The smallest rectangle holding every pixel with value >= 0.5, or null when there is none. */
    public static Rect boundingBox(Mask m) {
        int w = m.width();
        int h = m.height();
        float[] v = m.values();
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                if (v[row + x] >= 0.5f) {
                    if (x < x0) x0 = x;
                    if (x > x1) x1 = x;
                    y0 = Math.min(y0, y);
                    y1 = y;
                }
            }
        }
        return x1 < 0 ? null : Rect.ofCorners(x0, y0, x1, y1);
    }

    /** The part of the mask inside {@code r} (which must lie inside the mask). */
    public static Mask crop(Mask m, Rect r) {
        if (!r.fitsIn(m.width(), m.height())) {
            throw new IllegalArgumentException(r + " is not inside the " + m.width() + "x" + m.height() + " mask");
        }
        float[] o = new float[r.width() * r.height()];
        for (int y = 0; y < r.height(); y++) {
            System.arraycopy(m.values(), (r.y() + y) * m.width() + r.x(), o, y * r.width(), r.width());
        }
        return new Mask(r.width(), r.height(), o);
    }

    /** torch {@code interpolate(mode="nearest")}: source index = floor(dst * in / out). */
    public static Mask resizeNearest(Mask m, int w, int h) {
        int[] sx = nearestIndex(m.width(), w);
        int[] sy = nearestIndex(m.height(), h);
        float[] o = new float[w * h];
        for (int y = 0; y < h; y++) {
            int row = sy[y] * m.width();
            for (int x = 0; x < w; x++) {
                o[y * w + x] = m.values()[row + sx[x]];
            }
        }
        return new Mask(w, h, o);
    }

    /** floor(dst * in / out) clamped to in - 1, as libtorch's nearest kernel computes it (float scale). */
    static int[] nearestIndex(int in, int out) {
        int[] idx = new int[out];
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            idx[d] = Math.min((int) Math.floor(d * scale), in - 1);
        }
        return idx;
    }

    /**
     * Grows a box for "only masked" inpainting: adds {@code padding} on every side, then widens the short side to the
     * aspect {@code aspect = width / height} (ignored when <= 0), then rounds each side up to a multiple of
     * {@code multiple} (ignored when <= 1) — shifting the box to stay inside the {@code imageWidth x imageHeight}
     * picture, as A1111's {@code expand_crop_region} does. Where the picture is too small for the wanted size the box
     * is clipped to the picture (then the side may not reach the aspect or the multiple); it always still holds
     * {@code box}.
     */
    public static Rect expandBox(Rect box, int padding, int imageWidth, int imageHeight, double aspect, int multiple) {
        int x0 = Math.max(0, box.x() - padding);
        int y0 = Math.max(0, box.y() - padding);
        int x1 = Math.min(imageWidth, box.right() + padding);
        int y1 = Math.min(imageHeight, box.bottom() + padding);
        int w = x1 - x0;
        int h = y1 - y0;
        if (aspect > 0) {
            if ((double) w / h > aspect) {
                h = (int) Math.round(w / aspect);
            } else {
                w = (int) Math.round(h * aspect);
            }
        }
        if (multiple > 1) {
            w = (w + multiple - 1) / multiple * multiple;
            h = (h + multiple - 1) / multiple * multiple;
        }
        int[] xs = fit(x0, x1, w, imageWidth, multiple);
        int[] ys = fit(y0, y1, h, imageHeight, multiple);
        return new Rect(xs[0], ys[0], xs[1], ys[1]);
    }

    /** Widens [a, b) around its centre to {@code size}, shifted to stay in [0, limit). */
    private static int[] fit(int a, int b, int size, int limit, int multiple) {
        if (size > limit) {
            size = limit;
            if (multiple > 1 && limit / multiple * multiple >= b - a) {
                size = limit / multiple * multiple;
            }
        }
        size = Math.max(size, b - a);
        int extra = size - (b - a);
        int start = a - extra / 2;
        start = Math.max(0, Math.min(start, limit - size));
        return new int[] {start, size};
    }
}
