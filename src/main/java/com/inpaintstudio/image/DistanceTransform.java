package com.inpaintstudio.image;

/**
 * Exact squared Euclidean distance to the nearest "on" pixel (Felzenszwalb &amp; Huttenlocher 2012: two passes of the
 * 1-D lower envelope of parabolas). Linear in the pixel count, so it stays fast on 4000x3000 masks.
 */
public final class DistanceTransform {
    private static final float INF = 1e20f;

    private DistanceTransform() {}

    /** Squared distance of each pixel to the nearest pixel with {@code on[i]}; 0 on those; huge where none exist. */
    public static float[] squared(boolean[] on, int w, int h) {
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = on[i] ? 0f : INF;
        }
        int n = Math.max(w, h);
        float[] f = new float[n];
        float[] out = new float[n];
        int[] v = new int[n];
        float[] z = new float[n + 1];
        for (int x = 0; x < w; x++) { // columns
            for (int y = 0; y < h; y++) {
                f[y] = d[y * w + x];
            }
            envelope(f, h, out, v, z);
            for (int y = 0; y < h; y++) {
                d[y * w + x] = out[y];
            }
        }
        for (int y = 0; y < h; y++) { // rows
            System.arraycopy(d, y * w, f, 0, w);
            envelope(f, w, out, v, z);
            System.arraycopy(out, 0, d, y * w, w);
        }
        return d;
    }

    private static double intersect(float[] f, int q, int p) {
        return ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
    }

    private static void envelope(float[] f, int n, float[] d, int[] v, float[] z) {
        int k = 0;
        v[0] = 0;
        z[0] = -Float.MAX_VALUE;
        z[1] = Float.MAX_VALUE;
        for (int q = 1; q < n; q++) {
            double s = intersect(f, q, v[k]);
            while (s <= z[k]) {
                k--;
                s = intersect(f, q, v[k]);
            }
            k++;
            v[k] = q;
            z[k] = (float) s;
            z[k + 1] = Float.MAX_VALUE;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) {
                k++;
            }
            float dq = q - v[k];
            d[q] = dq * dq + f[v[k]];
        }
    }
}
