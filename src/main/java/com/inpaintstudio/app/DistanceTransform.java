package com.inpaintstudio.app;

import java.util.function.IntPredicate;

/** Exact squared Euclidean distance transform (Felzenszwalb &amp; Huttenlocher, two separable passes, linear time). */
final class DistanceTransform {
    private static final float INF = 1e20f;

    private DistanceTransform() {}

    /** For every pixel, the squared distance to the nearest pixel for which {@code source} holds (INF if none). */
    static float[] squaredDistanceTo(int w, int h, IntPredicate source) {
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = source.test(i) ? 0 : INF;
        }
        int n = Math.max(w, h);
        float[] f = new float[n];
        float[] out = new float[n];
        int[] v = new int[n];
        float[] z = new float[n + 1];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                f[y] = d[y * w + x];
            }
            oneDim(f, h, out, v, z);
            for (int y = 0; y < h; y++) {
                d[y * w + x] = out[y];
            }
        }
        for (int y = 0; y < h; y++) {
            System.arraycopy(d, y * w, f, 0, w);
            oneDim(f, w, out, v, z);
            System.arraycopy(out, 0, d, y * w, w);
        }
        return d;
    }

    private static void oneDim(float[] f, int n, float[] d, int[] v, float[] z) {
        int k = 0;
        v[0] = 0;
        z[0] = -INF;
        z[1] = INF;
        for (int q = 1; q < n; q++) {
            float s = ((f[q] + (float) q * q) - (f[v[k]] + (float) v[k] * v[k])) / (2f * q - 2f * v[k]);
            while (s <= z[k]) {
                k--;
                s = ((f[q] + (float) q * q) - (f[v[k]] + (float) v[k] * v[k])) / (2f * q - 2f * v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = INF;
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
