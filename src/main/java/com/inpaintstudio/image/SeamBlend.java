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

    /** Above this hole side (px) the correction is first solved on a coarser grid. */
    static final int COARSE_SIDE = 48;

    private SeamBlend() {}

    /** Gauss-Seidel sweeps with over-relaxation over the hole's inner pixels; border pixels and the rest stay. */
    private static void relax(float[][] corr, boolean[] fixed, boolean[] hole, int[] idx, int w, int h, int sweeps) {
        for (int it = 0; it < sweeps; it++) {
            for (int i : idx) {
                if (fixed[i]) continue;
                int x = i % w;
                int y = i / w;
                for (int c = 0; c < 3; c++) {
                    float[] f = corr[c];
                    float s = 0;
                    int k = 0;
                    if (x > 0 && hole[i - 1]) { s += f[i - 1]; k++; }
                    if (x < w - 1 && hole[i + 1]) { s += f[i + 1]; k++; }
                    if (y > 0 && hole[i - w]) { s += f[i - w]; k++; }
                    if (y < h - 1 && hole[i + w]) { s += f[i + w]; k++; }
                    if (k > 0) f[i] += 1.8f * (s / k - f[i]);
                }
            }
        }
    }

    /**
     * Solves the correction on k x k cells (a cell holding border pixels is fixed at their mean) and gives every inner
     * hole pixel its cell's value: the starting point of the full-resolution sweeps.
     */
    private static void coarseStart(float[][] corr, boolean[] border, boolean[] hole, int[] idx, int w, int h, int k) {
        int cw = (w + k - 1) / k;
        int ch = (h + k - 1) / k;
        int cn = cw * ch;
        float[][] sum = new float[3][cn];
        int[] borderCount = new int[cn];
        boolean[] cellHole = new boolean[cn];
        for (int i : idx) {
            int c = (i / w / k) * cw + (i % w) / k;
            cellHole[c] = true;
            if (border[i]) {
                borderCount[c]++;
                for (int ch3 = 0; ch3 < 3; ch3++) sum[ch3][c] += corr[ch3][i];
            }
        }
        boolean[] fixed = new boolean[cn];
        int free = 0;
        for (int c = 0; c < cn; c++) {
            if (borderCount[c] > 0) {
                fixed[c] = true;
                for (int ch3 = 0; ch3 < 3; ch3++) sum[ch3][c] /= borderCount[c];
            } else if (cellHole[c]) {
                free++;
            }
        }
        int cells = 0;
        for (boolean b : cellHole) if (b) cells++;
        int[] cidx = new int[cells];
        int j = 0;
        for (int c = 0; c < cn; c++) if (cellHole[c]) cidx[j++] = c;
        relax(sum, fixed, cellHole, cidx, cw, ch, 40 + (int) (6 * Math.sqrt(free)));
        for (int i : idx) {
            if (border[i]) continue;
            int c = (i / w / k) * cw + (i % w) / k;
            for (int ch3 = 0; ch3 < 3; ch3++) corr[ch3][i] = sum[ch3][c];
        }
    }

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
        // interior: harmonic interpolation of the border's correction. The correction is smooth, so on a big hole it
        // is solved on a grid of k x k cells first and then only refined near full resolution
        int k = Math.max(1, (int) Math.ceil(Math.sqrt(m) / COARSE_SIDE));
        if (k > 1) {
            coarseStart(corr, border, lv.hole, idx, w, h, k);
        }
        int iterations = k > 1 ? 4 * k : 40 + (int) (6 * Math.sqrt(m));
        relax(corr, border, lv.hole, idx, w, h, iterations);
        for (int i : idx) {
            for (int c = 0; c < 3; c++) {
                float d = Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, corr[c][i]));
                ch[c][i] = Math.max(0, Math.min(255, Math.round(ch[c][i] + d)));
            }
        }
    }
}
