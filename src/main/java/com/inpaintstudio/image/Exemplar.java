package com.inpaintstudio.image;

/**
 * The Criminisi fill on one working picture (the solver behind {@link ClassicalFill}): fill-front priorities, the
 * best-matching known patch, the copy with its colour shift.
 */
final class Exemplar {
    /** Above this many source patches the search first scans every other row and column, then refines. */
    static final int COARSE_SEARCH_ABOVE = 20000;
    /** Largest colour shift applied to a copied patch (levels). */
    static final int MAX_BIAS = 24;

    final int w;
    final int h;
    final int r;
    final int[] red;
    final int[] green;
    final int[] blue;
    final boolean[] unknown;
    final float[] confidence;
    /** Where each filled pixel was copied from (-1: not copied), and the colour shift applied. */
    final int[] from;
    final int[] shift;
    final int[] candidates;
    /** The candidates on even rows and columns (the coarse search), null when the search is exhaustive. */
    final int[] coarse;
    final boolean[] isCandidate;
    int remaining;
    // scratch for the target patch
    private final int[] offs;
    private final int[] tr;
    private final int[] tg;
    private final int[] tb;

    Exemplar(RgbImage img, boolean[] unknown, boolean[] excluded, int r) {
        this.w = img.width();
        this.h = img.height();
        this.r = r;
        this.unknown = unknown.clone();
        int n = w * h;
        red = new int[n];
        green = new int[n];
        blue = new int[n];
        confidence = new float[n];
        from = new int[n];
        shift = new int[n];
        java.util.Arrays.fill(from, -1);
        for (int i = 0; i < n; i++) {
            int p = img.rgb()[i];
            red[i] = p >> 16 & 0xff;
            green[i] = p >> 8 & 0xff;
            blue[i] = p & 0xff;
            if (this.unknown[i]) {
                remaining++;
            } else {
                confidence[i] = 1f;
            }
        }
        // candidate source patches: fully inside, no excluded pixel (summed-area table of the exclusions)
        int[] sat = new int[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            int rowSum = 0;
            for (int x = 0; x < w; x++) {
                rowSum += excluded[y * w + x] || this.unknown[y * w + x] ? 1 : 0;
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + rowSum;
            }
        }
        int[] c = new int[Math.max(0, (w - 2 * r) * (h - 2 * r))];
        int k = 0;
        for (int y = r; y < h - r; y++) {
            for (int x = r; x < w - r; x++) {
                int a = sat[(y - r) * (w + 1) + x - r];
                int b = sat[(y - r) * (w + 1) + x + r + 1];
                int cc = sat[(y + r + 1) * (w + 1) + x - r];
                int d = sat[(y + r + 1) * (w + 1) + x + r + 1];
                if (d - b - cc + a == 0) {
                    c[k++] = y * w + x;
                }
            }
        }
        candidates = java.util.Arrays.copyOf(c, k);
        isCandidate = new boolean[w * h];
        int kc = 0;
        for (int i = 0; i < k; i++) {
            isCandidate[c[i]] = true;
            if ((c[i] % w & 1) == 0 && (c[i] / w & 1) == 0) kc++;
        }
        if (k > COARSE_SEARCH_ABOVE) {
            coarse = new int[kc];
            int j = 0;
            for (int i = 0; i < k; i++) {
                if ((c[i] % w & 1) == 0 && (c[i] / w & 1) == 0) coarse[j++] = c[i];
            }
        } else {
            coarse = null;
        }
        int side = 2 * r + 1;
        offs = new int[side * side];
        tr = new int[side * side];
        tg = new int[side * side];
        tb = new int[side * side];
    }

    RgbImage image() {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = red[i] << 16 | green[i] << 8 | blue[i];
        }
        return new RgbImage(w, h, px);
    }

    /** Fills one patch (or, without any source patch, one ring of pixels by averaging). */
    void step() {
        int best = -1;
        double bestPriority = -1;
        float bestConf = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!unknown[i] || !onFront(x, y)) continue;
                float c = patchConfidence(x, y);
                double pr = c * (data(x, y) + 0.001);
                if (pr > bestPriority) {
                    bestPriority = pr;
                    best = i;
                    bestConf = c;
                }
            }
        }
        if (best < 0 || candidates.length == 0) {
            diffuseRing();
            return;
        }
        int px = best % w;
        int py = best / w;
        int n = 0;
        for (int dy = -r; dy <= r; dy++) {
            int y = py + dy;
            if (y < 0 || y >= h) continue;
            for (int dx = -r; dx <= r; dx++) {
                int x = px + dx;
                if (x < 0 || x >= w) continue;
                int i = y * w + x;
                if (!unknown[i]) {
                    offs[n] = dy * w + dx;
                    tr[n] = red[i];
                    tg[n] = green[i];
                    tb[n] = blue[i];
                    n++;
                }
            }
        }
        int src = search(coarse != null ? coarse : candidates, n, best);
        if (coarse != null) {
            // refine around the coarse winner
            int cx = src % w;
            int cy = src / w;
            int[] near = new int[9];
            int m = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int x = cx + dx;
                    int y = cy + dy;
                    if (x >= 0 && y >= 0 && x < w && y < h && isCandidate[y * w + x]) near[m++] = y * w + x;
                }
            }
            src = search(java.util.Arrays.copyOf(near, m), n, best);
        }
        // shift the copied colours by the patch's mean mismatch on the known pixels: smooth shading (sky, skin,
        // a gradient) then carries on across the hole instead of repeating the source's level
        int br = 0;
        int bg = 0;
        int bb = 0;
        if (n > 1) {
            br = bias(src, tr, red, n);
            bg = bias(src, tg, green, n);
            bb = bias(src, tb, blue, n);
        }
        int sxc = src % w;
        int syc = src / w;
        for (int dy = -r; dy <= r; dy++) {
            int y = py + dy;
            if (y < 0 || y >= h) continue;
            for (int dx = -r; dx <= r; dx++) {
                int x = px + dx;
                if (x < 0 || x >= w) continue;
                int i = y * w + x;
                if (unknown[i]) {
                    int j = (syc + dy) * w + sxc + dx;
                    red[i] = clamp8(red[j] + br);
                    green[i] = clamp8(green[j] + bg);
                    blue[i] = clamp8(blue[j] + bb);
                    confidence[i] = bestConf;
                    from[i] = j;
                    shift[i] = (br + 256) << 18 | (bg + 256) << 9 | (bb + 256);
                    unknown[i] = false;
                    remaining--;
                }
            }
        }
    }

    /** The candidate whose patch best matches the {@code n} known target pixels (ties: nearest to the target). */
    private int search(int[] cands, int n, int target) {
        long bestSsd = Long.MAX_VALUE;
        long bestDist = Long.MAX_VALUE;
        int src = cands[0];
        for (int c : cands) {
            long s = 0;
            for (int k = 0; k < n && s <= bestSsd; k++) {
                int j = c + offs[k];
                int dr = red[j] - tr[k];
                int dg = green[j] - tg[k];
                int db = blue[j] - tb[k];
                s += dr * dr + dg * dg + db * db;
            }
            if (s < bestSsd || s == bestSsd && dist(c, target) < bestDist) {
                bestSsd = s;
                bestDist = dist(c, target);
                src = c;
            }
        }
        return src;
    }

    /**
     * The mean of target - source over the known pixels of one channel, when it is a real shift: larger than 2.5
     * standard errors (texture and noise average out and get no shift, so grain does not drift), bounded by
     * {@link #MAX_BIAS}.
     */
    private int bias(int src, int[] target, int[] ch, int n) {
        double sum = 0;
        double sq = 0;
        for (int k = 0; k < n; k++) {
            double d = target[k] - ch[src + offs[k]];
            sum += d;
            sq += d * d;
        }
        double mean = sum / n;
        double var = Math.max(0, sq / n - mean * mean);
        if (Math.abs(mean) <= 2.5 * Math.sqrt(var / n)) {
            return 0;
        }
        return (int) Math.max(-MAX_BIAS, Math.min(MAX_BIAS, Math.round(mean)));
    }

    private static int clamp8(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    private long dist(int a, int b) {
        long dx = a % w - b % w;
        long dy = a / w - b / w;
        return dx * dx + dy * dy;
    }

    private boolean onFront(int x, int y) {
        return x > 0 && !unknown[y * w + x - 1] || x < w - 1 && !unknown[y * w + x + 1]
                || y > 0 && !unknown[(y - 1) * w + x] || y < h - 1 && !unknown[(y + 1) * w + x];
    }

    private float patchConfidence(int px, int py) {
        float s = 0;
        for (int y = Math.max(0, py - r); y <= Math.min(h - 1, py + r); y++) {
            for (int x = Math.max(0, px - r); x <= Math.min(w - 1, px + r); x++) {
                s += confidence[y * w + x];
            }
        }
        int side = 2 * r + 1;
        return s / (side * side);
    }

    /** |isophote . normal| / 255: the strongest known gradient in the patch against the front's normal. */
    private double data(int px, int py) {
        // front normal: gradient of the known/unknown indicator (Sobel)
        double nx = 0;
        double ny = 0;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int x = px + dx;
                int y = py + dy;
                double v = x < 0 || y < 0 || x >= w || y >= h || unknown[y * w + x] ? 1 : 0;
                double wgt = (dx == 0 || dy == 0) ? 2 : 1;
                nx += dx * wgt * v;
                ny += dy * wgt * v;
            }
        }
        double nl = Math.hypot(nx, ny);
        if (nl == 0) {
            return 0;
        }
        nx /= nl;
        ny /= nl;
        double bestMag = 0;
        double gx = 0;
        double gy = 0;
        for (int y = Math.max(1, py - r); y <= Math.min(h - 2, py + r); y++) {
            for (int x = Math.max(1, px - r); x <= Math.min(w - 2, px + r); x++) {
                int i = y * w + x;
                if (unknown[i] || unknown[i - 1] || unknown[i + 1] || unknown[i - w] || unknown[i + w]) continue;
                double ix = (lum(i + 1) - lum(i - 1)) / 2.0;
                double iy = (lum(i + w) - lum(i - w)) / 2.0;
                double m = ix * ix + iy * iy;
                if (m > bestMag) {
                    bestMag = m;
                    gx = ix;
                    gy = iy;
                }
            }
        }
        // isophote = gradient rotated 90 degrees
        return Math.abs(-gy * nx + gx * ny) / 255.0;
    }

    private double lum(int i) {
        return 0.299 * red[i] + 0.587 * green[i] + 0.114 * blue[i];
    }

    /** Fallback without any source patch: each front pixel becomes the mean of its known neighbours. */
    private void diffuseRing() {
        boolean[] newly = new boolean[w * h];
        int[] nr = new int[w * h];
        int[] ng = new int[w * h];
        int[] nb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!unknown[i]) continue;
                int sr = 0, sg = 0, sb = 0, k = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                        int j = yy * w + xx;
                        if (!unknown[j]) {
                            sr += red[j]; sg += green[j]; sb += blue[j]; k++;
                        }
                    }
                }
                if (k > 0) {
                    newly[i] = true;
                    nr[i] = (sr + k / 2) / k;
                    ng[i] = (sg + k / 2) / k;
                    nb[i] = (sb + k / 2) / k;
                }
            }
        }
        boolean any = false;
        for (int i = 0; i < newly.length; i++) {
            if (newly[i]) {
                red[i] = nr[i]; green[i] = ng[i]; blue[i] = nb[i];
                unknown[i] = false;
                confidence[i] = 0.5f;
                remaining--;
                any = true;
            }
        }
        if (!any) {
            remaining = 0; // nothing known in this working picture: leave the rest as it is
        }
    }
}
