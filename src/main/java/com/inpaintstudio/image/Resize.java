package com.inpaintstudio.image;

/**
 * Resampling with PIL's {@code Image.LANCZOS} filter (Lanczos, a = 3), which diffusers' {@code VaeImageProcessor}
 * uses. As in PIL, when shrinking the kernel is stretched by the shrink factor (antialiasing: every source pixel
 * contributes, so a 4000x3000 photo scaled to 512 px does not alias), and each output pixel is sampled at its centre
 * ({@code (i + 0.5) * in / out}). Separable: horizontal pass then vertical, in float (PIL rounds to 8 bits between
 * the passes, so results can differ from PIL by one level).
 */
public final class Resize {
    private static final double SUPPORT = 3.0;

    private Resize() {}

    /** The picture at {@code w x h}. Returns the same pixels (copied) when the size does not change. */
    public static RgbImage lanczos(RgbImage img, int w, int h) {
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + w + "x" + h);
        }
        int iw = img.width();
        int ih = img.height();
        if (iw == w && ih == h) {
            return new RgbImage(w, h, img.rgb().clone());
        }
        float[][] planes = new float[3][iw * ih];
        int[] px = img.rgb();
        for (int i = 0; i < px.length; i++) {
            planes[0][i] = px[i] >> 16 & 0xff;
            planes[1][i] = px[i] >> 8 & 0xff;
            planes[2][i] = px[i] & 0xff;
        }
        Kernel kx = new Kernel(iw, w);
        Kernel ky = new Kernel(ih, h);
        int[] out = new int[w * h];
        for (int c = 0; c < 3; c++) {
            float[] r = resample(planes[c], iw, ih, w, h, kx, ky);
            int shift = 16 - 8 * c;
            for (int i = 0; i < out.length; i++) {
                int v = Math.round(r[i]);
                out[i] |= (v < 0 ? 0 : Math.min(v, 255)) << shift;
            }
        }
        return new RgbImage(w, h, out);
    }

    /** The mask at {@code w x h}, same filter, clamped to [0, 1] (for a mask drawn at another size than the photo). */
    public static Mask lanczos(Mask m, int w, int h) {
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + w + "x" + h);
        }
        if (m.width() == w && m.height() == h) {
            return new Mask(w, h, m.values().clone());
        }
        float[] r = resample(m.values(), m.width(), m.height(), w, h, new Kernel(m.width(), w),
                new Kernel(m.height(), h));
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.max(0f, Math.min(1f, r[i]));
        }
        return new Mask(w, h, r);
    }

    /** The size that fits inside {@code maxW x maxH} keeping the aspect, each side a multiple of {@code multiple}. */
    public static int[] fitInside(int w, int h, int maxW, int maxH, int multiple) {
        double s = Math.min((double) maxW / w, (double) maxH / h);
        int m = Math.max(1, multiple);
        int ow = Math.max(m, (int) Math.round(w * s / m) * m);
        int oh = Math.max(m, (int) Math.round(h * s / m) * m);
        return new int[] {Math.min(ow, Math.max(m, maxW / m * m)), Math.min(oh, Math.max(m, maxH / m * m))};
    }

    private static float[] resample(float[] src, int iw, int ih, int w, int h, Kernel kx, Kernel ky) {
        float[] tmp = new float[w * ih];
        for (int y = 0; y < ih; y++) {
            int row = y * iw;
            for (int x = 0; x < w; x++) {
                int start = kx.start[x];
                int off = x * kx.taps;
                float acc = 0f;
                for (int j = 0; j < kx.count[x]; j++) {
                    acc += kx.weights[off + j] * src[row + start + j];
                }
                tmp[y * w + x] = acc;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int start = ky.start[y];
            int off = y * ky.taps;
            int n = ky.count[y];
            int orow = y * w;
            for (int j = 0; j < n; j++) {
                float wgt = ky.weights[off + j];
                int srow = (start + j) * w;
                for (int x = 0; x < w; x++) {
                    out[orow + x] += wgt * tmp[srow + x];
                }
            }
        }
        return out;
    }

    private static double lanczos3(double x) {
        if (x == 0) {
            return 1;
        }
        if (x <= -SUPPORT || x >= SUPPORT) {
            return 0;
        }
        double px = Math.PI * x;
        return SUPPORT * Math.sin(px) * Math.sin(px / SUPPORT) / (px * px);
    }

    /** Normalised 1-D weights for every output coordinate, as PIL's {@code precompute_coeffs}. */
    private static final class Kernel {
        final int taps;
        final int[] start;
        final int[] count;
        final float[] weights;

        Kernel(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(1.0, scale);
            double support = SUPPORT * filterScale;
            taps = (int) Math.ceil(support) * 2 + 1;
            start = new int[out];
            count = new int[out];
            weights = new float[out * taps];
            double[] k = new double[taps];
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int xmin = Math.max(0, (int) (center - support + 0.5));
                int xmax = Math.min(in, (int) (center + support + 0.5)) - xmin;
                double total = 0;
                for (int j = 0; j < xmax; j++) {
                    double wgt = lanczos3((j + xmin - center + 0.5) / filterScale);
                    k[j] = wgt;
                    total += wgt;
                }
                for (int j = 0; j < xmax; j++) {
                    weights[i * taps + j] = (float) (total != 0 ? k[j] / total : 0);
                }
                start[i] = xmin;
                count[i] = xmax;
            }
        }
    }
}
