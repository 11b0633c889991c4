package com.inpaintstudio.image;

import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * The nearest-neighbour field of one pyramid level: for every pixel whose patch overlaps the hole (a target), the
 * centre of the most similar fully known patch (a source), found by PatchMatch (Barnes et al. 2009: propagation from
 * the neighbours plus a shrinking random search). Distance: squared RGB differences over the whole patch (the hole's
 * current estimate included, so the fill stays coherent with itself), plus a small cost for sources far from the
 * target (so among equally good patches the nearby one wins) and a larger one for sources displaced across the
 * direction the edges around the hole run ({@link StructureDirection}): next to a shoreline the source then lies along
 * the shore, water beside water and grass beside grass, not sky pasted into the lake. Deterministic for a given seed.
 */
final class PatchField {
    /**
     * A source one picture diagonal away from its target costs as much as a mean squared error of this many
     * levels^2 per pixel and channel (a tie-breaker towards nearby sources).
     */
    static final double DISTANCE_COST = 17;
    /**
     * A source displaced across the edges' direction costs this many levels^2 per pixel and channel per squared photo
     * pixel of displacement: 10 px across cost as much as a mean error of 10 levels...
     */
    static final double ACROSS_COST = 1.0;
    /**
     * ... but never more than this per squared pixel of the coarsest level (where the hole is 24-47 px across). On the
     * 768x512 sample the two agree; at 12 MP the hole has two more levels and the cost per photo pixel alone was 16x
     * stronger there than on the sample (a 3-degree error of the measured direction then took the lake's rows from
     * the meadow: a block of meadow in the lake). Strong enough that a strip added by outpainting keeps the
     * mountains, the lake and the meadow in their own rows.
     */
    static final double ACROSS_COST_COARSEST = 64;
    /**
     * The measured direction is a few degrees off (3-4 on the sample photo), so displacement across it is counted
     * only beyond this share of the displacement along it (about 6 degrees either way). Without this slack a source
     * far along the hole on the same row costs as much as one a few rows away, and at 12 MP the fill took the lake's
     * rows from the meadow beside it: a block of meadow in the lake. Large holes only (see {@link #largeHole}).
     */
    static final double CONE = 0.1;
    /**
     * Each 4-neighbour whose source is not shifted along with a target's own (a seam between the two copies) costs
     * this many levels^2 per patch pixel and channel. Without it, half the neighbouring pixels of a large fill came from
     * different places: the exact copy at full resolution then has no coherent grain and the gradient-domain blend
     * averages the sources' gradients at every such seam, which smears the texture (neighbour contrast in the fill
     * 0.5-0.6 x the photo's). With it, whole pieces are copied and seams are rare (about 3 % of neighbour pairs on a
     * 2000x1500 large mask instead of 35 %). Large holes only (see {@link #largeHole}).
     */
    static final double SEAM_COST = 16;

    final FillLevel lv;
    final int r;
    /** Source centre per pixel, -1 where the pixel is not a target. */
    final int[] nnf;
    /** Patch distance per target. */
    final long[] dist;
    final int[] targets;
    /** Valid source centres (patch inside the picture, nothing excluded). */
    final int[] sources;
    private final boolean[] isSource;
    private final SplittableRandom rnd;

    private final double distCost;
    /** The cost of each 4-neighbour target whose source is not shifted along with this one's (a seam). */
    private long seamCost;
    /** The slack for the direction's error, as a share of the displacement along it. */
    private double cone;
    /** The edges' direction (unit vector) and the cost per squared pixel of displacement across it. */
    private double alongX = 1;
    private double alongY = 0;
    private double acrossCost = 0;

    PatchField(FillLevel lv, int r, long seed) {
        this.lv = lv;
        this.r = r;
        this.rnd = new SplittableRandom(seed);
        int w = lv.w;
        int h = lv.h;
        int n = w * h;
        this.distCost = DISTANCE_COST * 3 * (2 * r + 1) * (2 * r + 1) / ((double) w * w + (double) h * h);
        int[] sat = new int[(w + 1) * (h + 1)];
        int[] hsat = new int[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            int row = 0;
            int hrow = 0;
            for (int x = 0; x < w; x++) {
                row += lv.excluded[y * w + x] || lv.hole[y * w + x] ? 1 : 0;
                hrow += lv.hole[y * w + x] ? 1 : 0;
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
                hsat[(y + 1) * (w + 1) + x + 1] = hsat[y * (w + 1) + x + 1] + hrow;
            }
        }
        isSource = new boolean[n];
        int[] src = new int[n];
        int[] tgt = new int[n];
        int ns = 0;
        int nt = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - r), y0 = Math.max(0, y - r);
                int x1 = Math.min(w, x + r + 1), y1 = Math.min(h, y + r + 1);
                int holes = boxSum(hsat, w, x0, y0, x1, y1);
                if (holes > 0) {
                    tgt[nt++] = y * w + x;
                } else if (x >= r && y >= r && x + r < w && y + r < h && boxSum(sat, w, x0, y0, x1, y1) == 0) {
                    isSource[y * w + x] = true;
                    src[ns++] = y * w + x;
                }
            }
        }
        sources = java.util.Arrays.copyOf(src, ns);
        targets = java.util.Arrays.copyOf(tgt, nt);
        nnf = new int[n];
        java.util.Arrays.fill(nnf, -1);
        dist = new long[n];
    }

    private static int boxSum(int[] sat, int w, int x0, int y0, int x1, int y1) {
        int W = w + 1;
        return sat[y1 * W + x1] - sat[y0 * W + x1] - sat[y1 * W + x0] + sat[y0 * W + x0];
    }

    /**
     * Sources displaced across the edges' direction cost {@code costPerPixel2} per squared pixel (per patch pixel and
     * channel, in squared levels).
     */
    void direction(StructureDirection dir, double costPerPixel2) {
        alongX = dir.ex();
        alongY = dir.ey();
        acrossCost = costPerPixel2 * 3 * (2 * r + 1) * (2 * r + 1);
    }

    /**
     * Turns on what large holes need ({@link #SEAM_COST}, {@link #CONE}). On a small hole (the ridge on the sample
     * photo, 72 px) the two together leave a hazy notch where the copied ridge pieces meet, and the short copies
     * there are coherent enough without them.
     */
    void largeHole() {
        seamCost = (long) (SEAM_COST * 3 * (2 * r + 1) * (2 * r + 1));
        cone = CONE;
    }

    boolean hasSources() {
        return sources.length > 0;
    }

    /** Random sources everywhere (the coarsest level). */
    void initRandom() {
        for (int t : targets) {
            nnf[t] = sources[rnd.nextInt(sources.length)];
            dist[t] = distance(t, nnf[t], Long.MAX_VALUE);
        }
    }

    /**
     * Hole targets start where the structure pass copied their pixel from ({@code from[t]}, -1: not copied), when
     * that is a source; every other target starts random. The refinement then keeps the structure pass's layout.
     */
    void initFromCopies(int[] from) {
        for (int t : targets) {
            int s = from[t];
            nnf[t] = s >= 0 && isSource[s] ? s : sources[rnd.nextInt(sources.length)];
            dist[t] = distance(t, nnf[t], Long.MAX_VALUE);
        }
    }

    /** The coarser level's field scaled up: each target keeps its coarse match's offset. */
    void initFrom(PatchField coarse) {
        int w = lv.w;
        int cw = coarse.lv.w;
        int ch = coarse.lv.h;
        for (int t : targets) {
            int x = t % w;
            int y = t / w;
            int cx = Math.min(cw - 1, x / 2);
            int cy = Math.min(ch - 1, y / 2);
            int cs = coarse.nnf[cy * cw + cx];
            int s = -1;
            if (cs >= 0) {
                int sx = 2 * (cs % cw) + (x - 2 * cx);
                int sy = 2 * (cs / cw) + (y - 2 * cy);
                if (sx >= 0 && sy >= 0 && sx < w && sy < lv.h && isSource[sy * w + sx]) s = sy * w + sx;
            }
            nnf[t] = s >= 0 ? s : sources[rnd.nextInt(sources.length)];
        }
        refreshDistances();
    }

    /** Recomputes every target's distance (after the hole's estimate changed). */
    void refreshDistances() {
        for (int t : targets) {
            dist[t] = distance(t, nnf[t], Long.MAX_VALUE);
        }
    }

    /**
     * PatchMatch rounds, alternating scan direction. Returns false when cancelled (the field is still usable).
     */
    boolean improve(int rounds, BooleanSupplier cancelled) {
        int w = lv.w;
        for (int round = 0; round < rounds; round++) {
            boolean forward = (round & 1) == 0;
            int step = forward ? 1 : -1;
            for (int k = 0; k < targets.length; k++) {
                if ((k & 4095) == 0 && cancelled.getAsBoolean()) return false;
                int t = targets[forward ? k : targets.length - 1 - k];
                int tx = t % w;
                // propagation: the neighbour's match, shifted by one
                int nx = tx - step;
                if (nx >= 0 && nx < w) tryCandidate(t, nnf[t - step], step);
                int ny = t / w - step;
                if (ny >= 0 && ny < lv.h) tryCandidate(t, nnf[t - step * w], step * w);
                // random search around the current best, radius halving
                int best = nnf[t];
                for (int rad = Math.max(w, lv.h); rad >= 1; rad /= 2) {
                    int sx = best % w + rnd.nextInt(2 * rad + 1) - rad;
                    int sy = best / w + rnd.nextInt(2 * rad + 1) - rad;
                    if (sx < 0 || sy < 0 || sx >= w || sy >= lv.h) continue;
                    int s = sy * w + sx;
                    if (isSource[s]) tryCandidate(t, s, 0);
                }
            }
        }
        return true;
    }

    private void tryCandidate(int t, int neighbourMatch, int shift) {
        if (neighbourMatch < 0) return;
        int s = neighbourMatch + shift;
        if (shift != 0) {
            // the shifted source must stay on the same row (horizontal shift) and be a source
            int w = lv.w;
            if (s < 0 || s >= isSource.length || (Math.abs(shift) == 1 && s / w != neighbourMatch / w)) return;
        }
        if (!isSource[s] || s == nnf[t]) return;
        // the patch distance plus the seams each choice makes with the neighbours' sources
        long extra = seamCost * seams(t, s);
        long current = dist[t] + seamCost * seams(t, nnf[t]);
        if (extra >= current) return;
        long d = distance(t, s, current - extra);
        if (d + extra < current) {
            dist[t] = d;
            nnf[t] = s;
        }
    }

    /** How many of target t's 4-neighbour targets take a source not shifted along with s. */
    private int seams(int t, int s) {
        if (seamCost == 0) return 0;
        int w = lv.w;
        int x = t % w;
        int k = 0;
        int off = s - t;
        if (x > 0 && nnf[t - 1] >= 0 && nnf[t - 1] - (t - 1) != off) k++;
        if (x < w - 1 && nnf[t + 1] >= 0 && nnf[t + 1] - (t + 1) != off) k++;
        if (t >= w && nnf[t - w] >= 0 && nnf[t - w] - (t - w) != off) k++;
        if (t + w < nnf.length && nnf[t + w] >= 0 && nnf[t + w] - (t + w) != off) k++;
        return k;
    }

    /** Patch distance of target {@code t} to source {@code s}; stops early once above {@code cutoff}. */
    long distance(int t, int s, long cutoff) {
        int w = lv.w;
        int tx = t % w;
        int ty = t / w;
        int sx = s % w;
        int sy = s / w;
        long dxs = tx - sx;
        long dys = ty - sy;
        long d = (long) (distCost * (dxs * dxs + dys * dys));
        if (acrossCost > 0) {
            double across = Math.abs(-dxs * alongY + dys * alongX);
            double along = Math.abs(dxs * alongX + dys * alongY);
            across = Math.max(0, across - cone * along); // the direction's uncertainty
            d += (long) (acrossCost * across * across);
        }
        int x0 = Math.max(-r, -tx), x1 = Math.min(r, w - 1 - tx);
        int y0 = Math.max(-r, -ty), y1 = Math.min(r, lv.h - 1 - ty);
        int[] red = lv.red;
        int[] green = lv.green;
        int[] blue = lv.blue;
        for (int dy = y0; dy <= y1 && d <= cutoff; dy++) {
            int tr = t + dy * w;
            int sr = s + dy * w;
            for (int dx = x0; dx <= x1; dx++) {
                int a = tr + dx;
                int b = sr + dx;
                int er = red[a] - red[b];
                int eg = green[a] - green[b];
                int eb = blue[a] - blue[b];
                d += er * er + eg * eg + eb * eb;
            }
        }
        return d;
    }
}
