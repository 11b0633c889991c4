package com.inpaintstudio.image;

/**
 * Removes the seams inside the fill where the copy changes its source (gradient-domain blending, Pérez et al. 2003):
 * the hole is re-solved so that its pixel differences are those of the fill, except across a seam, where they are
 * those each source has at that place. A step between two sources lit differently (the glow of a low sun in a sky
 * copied from left and right of the hole) then spreads out smoothly instead of showing as an edge. A fixed number of
 * over-relaxed Gauss-Seidel sweeps starting from the fill: seams are local, so they settle quickly.
 */
final class GradientBlend {
    static final int SWEEPS = 120;

    private GradientBlend() {}

    static void apply(PatchField f) {
        FillLevel lv = f.lv;
        int w = lv.w;
        int h = lv.h;
        int[] nnf = f.nnf;
        int m = 0;
        for (boolean b : lv.hole) if (b) m++;
        int[] idx = new int[m];
        m = 0;
        for (int i = 0; i < lv.hole.length; i++) if (lv.hole[i]) idx[m++] = i;
        if (m == 0) return;
        int[][] ch = {lv.red, lv.green, lv.blue};
        // divergence of the guidance per hole pixel and channel: sum over neighbours of g(p -> q)
        float[][] div = new float[3][m];
        int[] nbCount = new int[m];
        int[] step = {-1, 1, -w, w};
        for (int k = 0; k < m; k++) {
            int p = idx[k];
            int x = p % w;
            int y = p / w;
            for (int s : step) {
                int q = p + s;
                if (s == -1 && x == 0 || s == 1 && x == w - 1 || s == -w && y == 0 || s == w && y == h - 1) continue;
                nbCount[k]++;
                int sp = nnf[p];
                int sq = lv.hole[q] ? nnf[q] : -1;
                for (int c = 0; c < 3; c++) {
                    int[] v = ch[c];
                    float g;
                    if (sp >= 0 && sq >= 0 && sq - q != sp - p) {
                        // a seam: the gradient each source has there, averaged
                        g = 0.5f * (at(v, sp, s, w, h) + at(v, sq - s, s, w, h));
                    } else {
                        g = v[q] - v[p];
                    }
                    div[c][k] += g;
                }
            }
        }
        float[][] val = new float[3][w * h];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < w * h; i++) val[c][i] = ch[c][i];
        }
        for (int it = 0; it < SWEEPS; it++) {
            for (int k = 0; k < m; k++) {
                int p = idx[k];
                int x = p % w;
                int y = p / w;
                for (int c = 0; c < 3; c++) {
                    float[] v = val[c];
                    float s = 0;
                    if (x > 0) s += v[p - 1];
                    if (x < w - 1) s += v[p + 1];
                    if (y > 0) s += v[p - w];
                    if (y < h - 1) s += v[p + w];
                    float target = (s - div[c][k]) / nbCount[k];
                    v[p] += 1.8f * (target - v[p]);
                }
            }
        }
        for (int p : idx) {
            for (int c = 0; c < 3; c++) {
                ch[c][p] = Math.max(0, Math.min(255, Math.round(val[c][p])));
            }
        }
    }

    /** v[src + step] - v[src], or 0 when that neighbour lies outside the picture. */
    private static float at(int[] v, int src, int step, int w, int h) {
        int q = src + step;
        if (src < 0 || q < 0 || q >= w * h) return 0;
        if ((step == 1 || step == -1) && q / w != src / w) return 0;
        return v[q] - v[src];
    }
}
