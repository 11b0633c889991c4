package com.inpaintstudio.image;

/**
 * Hides the colour step at the mask's edge (a Poisson-style correction): the jump between each border pixel of the
 * fill and its known neighbours, smoothed along the border so grain does not count as a jump, is spread smoothly over
 * the hole (Laplace) and added to the fill. Light that changes across the picture, such as the glow of a low sun in
 * the sky, then meets the surroundings on every side instead of showing the level of the place it was copied from,
 * while the copied texture is kept as it is.
 */
final class SeamBlend {
    /** Border jumps are averaged over this many border pixels either way. */
    static final int SMOOTH = 4;
    /** Largest correction (levels). */
    static final int MAX_SHIFT = 40;

    private SeamBlend() {}

    static void apply(FillLevel lv) {
        int w = lv.w;
        int h = lv.h;
        int n = w * h;
        int[][] ch = {lv.red, lv.green, lv.blue};
        // the jump at each border hole pixel (mean of its known 4-neighbours minus itself)
        float[][] jump = new float[3][n];
        boolean[] border = new boolean[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (lv.hole[i]) m++;
        }
        int[] idx = new int[m];
        m = 0;
        for (int i = 0; i < n; i++) {
            if (!lv.hole[i]) continue;
            idx[m++] = i;
            int x = i % w;
            int y = i / w;
            float[] s = new float[3];
            int k = 0;
            for (int j : new int[] {x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1,
                    y < h - 1 ? i + w : -1}) {
                if (j < 0 || lv.hole[j]) continue;
                for (int c = 0; c < 3; c++) s[c] += ch[c][j];
                k++;
            }
            if (k > 0) {
                border[i] = true;
                for (int c = 0; c < 3; c++) jump[c][i] = s[c] / k - ch[c][i];
            }
        }
        if (m == 0) return;
        // smooth the jumps over nearby border pixels: only the low-frequency mismatch is a seam
        float[][] corr = new float[3][n];
        for (int i : idx) {
            if (!border[i]) continue;
            int x = i % w;
            int y = i / w;
            float[] s = new float[3];
            int k = 0;
            for (int dy = -SMOOTH; dy <= SMOOTH; dy++) {
                int yy = y + dy;
                if (yy < 0 || yy >= h) continue;
                for (int dx = -SMOOTH; dx <= SMOOTH; dx++) {
                    int xx = x + dx;
                    if (xx < 0 || xx >= w) continue;
                    int j = yy * w + xx;
                    if (!border[j]) continue;
                    for (int c = 0; c < 3; c++) s[c] += jump[c][j];
                    k++;
                }
            }
            for (int c = 0; c < 3; c++) corr[c][i] = s[c] / k;
        }
        // interior: harmonic interpolation of the border's correction
        int iterations = 40 + (int) (6 * Math.sqrt(m));
        for (int it = 0; it < iterations; it++) {
            for (int i : idx) {
                if (border[i]) continue;
                int x = i % w;
                int y = i / w;
                for (int c = 0; c < 3; c++) {
                    float[] f = corr[c];
                    float s = 0;
                    int k = 0;
                    if (x > 0 && lv.hole[i - 1]) { s += f[i - 1]; k++; }
                    if (x < w - 1 && lv.hole[i + 1]) { s += f[i + 1]; k++; }
                    if (y > 0 && lv.hole[i - w]) { s += f[i - w]; k++; }
                    if (y < h - 1 && lv.hole[i + w]) { s += f[i + w]; k++; }
                    if (k > 0) f[i] += 1.8f * (s / k - f[i]);
                }
            }
        }
        for (int i : idx) {
            for (int c = 0; c < 3; c++) {
                float d = Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, corr[c][i]));
                ch[c][i] = Math.max(0, Math.min(255, Math.round(ch[c][i] + d)));
            }
        }
    }
}
