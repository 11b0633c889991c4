package com.inpaintstudio.image;

/**
 * Rebuilds the hole from the nearest-neighbour field (the "voting" step of Wexler, Shechtman &amp; Irani 2007): every
 * hole pixel becomes the weighted mean of what each overlapping target patch's source says it should be. Patches
 * that match well weigh more (weight exp(-d / 2 sigma^2), sigma from the field's own distances), so where sources
 * agree the copy is exact and where two sources meet their seam is blended over the patch width, including at the
 * mask's edge, where the patches also cover known pixels.
 */
final class PatchVote {
    private PatchVote() {}

    static void vote(PatchField f) {
        FillLevel lv = f.lv;
        int w = lv.w;
        int h = lv.h;
        int r = f.r;
        int n = w * h;
        double sigma2 = sigmaSquared(f);
        float[] acc = new float[n * 3];
        float[] wsum = new float[n];
        int side = 2 * r + 1;
        for (int t : f.targets) {
            int s = f.nnf[t];
            if (s < 0) continue;
            int tx = t % w;
            int ty = t / w;
            int x0 = Math.max(-r, -tx), x1 = Math.min(r, w - 1 - tx);
            int y0 = Math.max(-r, -ty), y1 = Math.min(r, h - 1 - ty);
            int count = (x1 - x0 + 1) * (y1 - y0 + 1);
            double perPixel = f.dist[t] / (3.0 * count);
            float wt = (float) Math.exp(-perPixel / (2 * sigma2)) + 1e-9f;
            for (int dy = y0; dy <= y1; dy++) {
                for (int dx = x0; dx <= x1; dx++) {
                    int q = t + dy * w + dx;
                    if (!lv.hole[q]) continue;
                    int src = s + dy * w + dx;
                    acc[3 * q] += wt * lv.red[src];
                    acc[3 * q + 1] += wt * lv.green[src];
                    acc[3 * q + 2] += wt * lv.blue[src];
                    wsum[q] += wt;
                }
            }
        }
        for (int q = 0; q < n; q++) {
            if (!lv.hole[q] || wsum[q] == 0) continue;
            lv.red[q] = Math.round(acc[3 * q] / wsum[q]);
            lv.green[q] = Math.round(acc[3 * q + 1] / wsum[q]);
            lv.blue[q] = Math.round(acc[3 * q + 2] / wsum[q]);
        }
    }

    /**
     * Each hole pixel takes the pixel its own patch's source has at its centre: an exact copy, grain as sharp as in
     * the photo. Where neighbouring pixels copy from different places this leaves seams, which {@link GradientBlend}
     * then smooths; the averaging vote before it has made neighbouring sources agree wherever they can.
     */
    static void copyCentres(PatchField f) {
        FillLevel lv = f.lv;
        for (int t : f.targets) {
            int s = f.nnf[t];
            if (s < 0 || !lv.hole[t]) continue;
            lv.red[t] = lv.red[s];
            lv.green[t] = lv.green[s];
            lv.blue[t] = lv.blue[s];
        }
    }

    /** The median of the per-pixel distances (at least 4 levels^2): the weights' scale. */
    private static double sigmaSquared(PatchField f) {
        int w = f.lv.w;
        int[] hist = new int[4096];
        int k = 0;
        for (int t : f.targets) {
            if (f.nnf[t] < 0) continue;
            double per = f.dist[t] / (3.0 * (2 * f.r + 1) * (2 * f.r + 1));
            hist[(int) Math.min(4095, per)]++;
            k++;
        }
        int want = k / 2;
        int seen = 0;
        for (int i = 0; i < hist.length; i++) {
            seen += hist[i];
            if (seen > want) return Math.max(4, i + 1);
        }
        return 4095;
    }
}
