package com.inpaintstudio.image;

import com.inpaintstudio.pipeline.InpaintException;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Content-aware fill without any model: exemplar-based inpainting after Criminisi, Pérez &amp; Toyama (2004). The fill
 * front is walked in priority order (confidence x strength of the isophotes flowing into the hole, so lines and
 * edges are continued first); each step copies the unknown pixels of the best-matching fully known patch (sum of
 * squared RGB differences over the known pixels; ties go to the nearest patch).
 *
 * <p>Speed: each connected hole is filled on its own, searching only its neighbourhood (the hole's bounding box grown
 * by its own size, at least {@value #MIN_MARGIN} px), so a blemish on a 4000x3000 photo costs what it costs on a small
 * one. A hole larger than {@value #MAX_WORK_PIXELS} pixels is filled on a Lanczos-reduced copy of its neighbourhood
 * and scaled back up (smoother detail there: a known limit for big holes).
 */
public final class ClassicalFill {
    /** Half the patch side: patches are 9x9. */
    public static final int PATCH_RADIUS = 4;
    static final int MIN_MARGIN = 40;
    static final int MAX_WORK_PIXELS = 4096;

    /** Part of the picture as it currently is, at photo scale: {@code pixels} cover {@code (x, y)} onwards. */
    public record Snapshot(RgbImage pixels, int x, int y) { }

    /** Receives progress; {@code snapshot.get()} renders the region being filled (only call it when shown). */
    public interface Progress {
        Progress NONE = (done, total, snapshot) -> { };

        void onProgress(int filledPixels, int totalPixels, Supplier<Snapshot> snapshot);
    }

    private ClassicalFill() {}

    /** Fills every pixel with mask >= 0.5 from the rest of the picture. */
    public static RgbImage fill(RgbImage img, Mask mask) {
        return fill(img, mask, Progress.NONE, () -> false);
    }

    /**
     * Fills every pixel with mask >= 0.5 from the rest of the picture; the other pixels are returned unchanged. When
     * {@code cancelled} turns true the fill stops and holes not yet finished keep their original pixels.
     *
     * @throws InpaintException when the mask leaves no pixel to copy from
     */
    public static RgbImage fill(RgbImage img, Mask mask, Progress progress, BooleanSupplier cancelled) {
        if (img.width() != mask.width() || img.height() != mask.height()) {
            throw new IllegalArgumentException("mask " + mask.width() + "x" + mask.height() + " does not match the "
                    + img.width() + "x" + img.height() + " picture");
        }
        boolean[] hole = MaskOps.inside(mask);
        int total = 0;
        for (boolean b : hole) {
            if (b) total++;
        }
        if (total == 0) {
            return new RgbImage(img.width(), img.height(), img.rgb().clone());
        }
        if (total == hole.length) {
            throw new InpaintException("The mask covers the whole photo: the built-in fill copies from the unmasked"
                    + " part, so leave some of the photo unpainted.");
        }
        int[] out = img.rgb().clone();
        int w = img.width();
        int h = img.height();
        int[] done = {0};
        int[] label = new int[w * h];
        int next = 0;
        for (int i = 0; i < hole.length; i++) {
            if (!hole[i] || label[i] != 0) {
                continue;
            }
            next++;
            Rect box = flood(hole, label, w, h, i, next);
            if (cancelled.getAsBoolean()) {
                break;
            }
            int holePixels = count(label, box, w, next);
            fillComponent(out, w, h, hole, label, next, box, holePixels, done, total, progress, cancelled);
        }
        return new RgbImage(w, h, out);
    }

    private static int count(int[] label, Rect b, int w, int id) {
        int n = 0;
        for (int y = b.y(); y < b.bottom(); y++) {
            for (int x = b.x(); x < b.right(); x++) {
                if (label[y * w + x] == id) n++;
            }
        }
        return n;
    }

    /** Labels the 8-connected hole containing {@code seed}; returns its bounding box. */
    private static Rect flood(boolean[] hole, int[] label, int w, int h, int seed, int id) {
        ArrayDeque<Integer> q = new ArrayDeque<>();
        q.add(seed);
        label[seed] = id;
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        while (!q.isEmpty()) {
            int p = q.poll();
            int px = p % w;
            int py = p / w;
            x0 = Math.min(x0, px); x1 = Math.max(x1, px);
            y0 = Math.min(y0, py); y1 = Math.max(y1, py);
            for (int dy = -1; dy <= 1; dy++) {
                int ny = py + dy;
                if (ny < 0 || ny >= h) continue;
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = px + dx;
                    if (nx < 0 || nx >= w) continue;
                    int n = ny * w + nx;
                    if (hole[n] && label[n] == 0) {
                        label[n] = id;
                        q.add(n);
                    }
                }
            }
        }
        return Rect.ofCorners(x0, y0, x1, y1);
    }

    private static void fillComponent(int[] out, int w, int h, boolean[] hole, int[] label, int id, Rect box,
                                      int holePixels, int[] done, int total, Progress progress,
                                      BooleanSupplier cancelled) {
        double scale = holePixels > MAX_WORK_PIXELS ? Math.sqrt((double) holePixels / MAX_WORK_PIXELS) : 1.0;
        int margin = Math.max((int) Math.ceil(MIN_MARGIN * scale), Math.max(box.width(), box.height()));
        int rx0 = Math.max(0, box.x() - margin);
        int ry0 = Math.max(0, box.y() - margin);
        int rx1 = Math.min(w, box.right() + margin);
        int ry1 = Math.min(h, box.bottom() + margin);
        Rect region = new Rect(rx0, ry0, rx1 - rx0, ry1 - ry0);
        RgbImage regionPixels = Regions.crop(new RgbImage(w, h, out), region);

        // the working picture: the region, reduced when the hole is big
        int ww = scale == 1.0 ? region.width() : Math.max(1, (int) Math.round(region.width() / scale));
        int wh = scale == 1.0 ? region.height() : Math.max(1, (int) Math.round(region.height() / scale));
        RgbImage work = scale == 1.0 ? regionPixels : Resize.lanczos(regionPixels, ww, wh);
        boolean[] unknown = new boolean[ww * wh];  // still to fill: this component
        boolean[] excluded = new boolean[ww * wh]; // never copied from: any hole pixel (filled or not)
        double sx = (double) region.width() / ww;
        double sy = (double) region.height() / wh;
        for (int y = 0; y < wh; y++) {
            int fy0 = (int) Math.floor(y * sy);
            int fy1 = Math.min(region.height(), Math.max(fy0 + 1, (int) Math.ceil((y + 1) * sy)));
            for (int x = 0; x < ww; x++) {
                int fx0 = (int) Math.floor(x * sx);
                int fx1 = Math.min(region.width(), Math.max(fx0 + 1, (int) Math.ceil((x + 1) * sx)));
                for (int fy = fy0; fy < fy1; fy++) {
                    for (int fx = fx0; fx < fx1; fx++) {
                        int fi = (region.y() + fy) * w + region.x() + fx;
                        if (hole[fi]) {
                            excluded[y * ww + x] = true;
                            if (label[fi] == id) {
                                unknown[y * ww + x] = true;
                            }
                        }
                    }
                }
            }
        }
        if (scale != 1.0) {
            // reduced pixels next to the hole carry some of the removed object through the filter: repaint them too
            unknown = dilate(unknown, ww, wh, 2);
            excluded = dilate(excluded, ww, wh, 2);
        }
        int startDone = done[0];
        final double fScale = scale;
        Exemplar ex = new Exemplar(work, unknown, excluded, PATCH_RADIUS);
        int unknownCount = ex.remaining;
        final boolean[] unknownFinal = unknown;
        Supplier<Snapshot> snap = () -> {
            RgbImage cur = ex.image();
            RgbImage shown = fScale == 1.0 ? cur : Resize.lanczos(cur, region.width(), region.height());
            return new Snapshot(compose(regionPixels, shown, region, label, id, w, ex, unknownFinal, fScale),
                    region.x(), region.y());
        };
        final boolean[] toFill = unknown.clone();
        int reportEvery = Math.max(64, unknownCount / 12);
        int lastReport = 0;
        while (ex.remaining > 0) {
            if (cancelled.getAsBoolean()) {
                return; // unfinished: this hole keeps its original pixels
            }
            ex.step();
            int filled = unknownCount - ex.remaining;
            if (filled - lastReport >= reportEvery) {
                lastReport = filled;
                done[0] = startDone + (int) Math.min(holePixels, (long) filled * holePixels / unknownCount);
                progress.onProgress(done[0], total, snap);
            }
        }
        ex.blendSeams(toFill);
        RgbImage result = fScale == 1.0 ? ex.image() : Resize.lanczos(ex.image(), region.width(), region.height());
        int[] rp = result.rgb();
        for (int y = 0; y < region.height(); y++) {
            for (int x = 0; x < region.width(); x++) {
                int fi = (region.y() + y) * w + region.x() + x;
                if (label[fi] == id) {
                    out[fi] = rp[y * region.width() + x];
                }
            }
        }
        done[0] = startDone + holePixels;
        progress.onProgress(done[0], total, () -> new Snapshot(Regions.crop(new RgbImage(w, h, out), region),
                region.x(), region.y()));
    }

    /** The region with this hole's pixels taken from {@code shown} where they are already filled. */
    private static RgbImage compose(RgbImage regionPixels, RgbImage shown, Rect region, int[] label, int id, int w,
                                    Exemplar ex, boolean[] unknownAtStart, double scale) {
        int[] px = regionPixels.rgb().clone();
        int rw = region.width();
        for (int y = 0; y < region.height(); y++) {
            for (int x = 0; x < rw; x++) {
                int fi = (region.y() + y) * w + region.x() + x;
                if (label[fi] != id) continue;
                int wx = Math.min(ex.w - 1, (int) (x / (double) rw * ex.w));
                int wy = Math.min(ex.h - 1, (int) (y / (double) region.height() * ex.h));
                if (!ex.unknown[wy * ex.w + wx]) {
                    px[y * rw + x] = shown.rgb()[y * rw + x];
                }
            }
        }
        return new RgbImage(rw, region.height(), px);
    }

    private static boolean[] dilate(boolean[] m, int w, int h, int r) {
        boolean[] o = m.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!m[y * w + x]) continue;
                for (int dy = -r; dy <= r; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) continue;
                    for (int dx = -r; dx <= r; dx++) {
                        int xx = x + dx;
                        if (xx >= 0 && xx < w) o[yy * w + xx] = true;
                    }
                }
            }
        }
        return o;
    }

    /** The Criminisi fill on one working picture. */
    static final class Exemplar {
        final int w;
        final int h;
        final int r;
        final int[] red;
        final int[] green;
        final int[] blue;
        final boolean[] unknown;
        final float[] confidence;
        final int[] candidates;
        /** Where each pixel was copied from (itself when known from the start, -1 when averaged or unfilled). */
        final int[] source;
        final boolean[] original;
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
            source = new int[n];
            original = new boolean[n];
            for (int i = 0; i < n; i++) {
                original[i] = !excluded[i] && !this.unknown[i];
                source[i] = this.unknown[i] ? -1 : i;
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
            long bestSsd = Long.MAX_VALUE;
            long bestDist = Long.MAX_VALUE;
            int src = candidates[0];
            for (int c : candidates) {
                long s = 0;
                for (int k = 0; k < n && s <= bestSsd; k++) {
                    int j = c + offs[k];
                    int dr = red[j] - tr[k];
                    int dg = green[j] - tg[k];
                    int db = blue[j] - tb[k];
                    s += dr * dr + dg * dg + db * db;
                }
                if (s < bestSsd || s == bestSsd && dist(c, best) < bestDist) {
                    bestSsd = s;
                    bestDist = dist(c, best);
                    src = c;
                }
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
                        red[i] = red[j];
                        green[i] = green[j];
                        blue[i] = blue[j];
                        confidence[i] = bestConf;
                        source[i] = j;
                        unknown[i] = false;
                        remaining--;
                    }
                }
            }
        }

        /**
         * Removes the seams between copied patches and the hole's border: solves the Poisson equation on the filled
         * pixels with the known border as boundary and, as guidance, each filled pixel's gradient at the place it was
         * copied from (Pérez et al. 2003). Smooth shading across the hole (sky, skin, walls) then comes out right
         * even where no patch with exactly the right colour existed; texture is kept.
         */
        void blendSeams(boolean[] filled) {
            int n = 0;
            int[] index = new int[w * h];
            java.util.Arrays.fill(index, -1);
            for (int i = 0; i < filled.length; i++) {
                if (filled[i] && !unknown[i]) index[i] = n++;
            }
            if (n == 0) return;
            int[] pix = new int[n];
            int[] nb = new int[4 * n]; // hole-neighbour numbers, -1 when the neighbour is fixed or absent
            int[] count = new int[n];
            float[][] rhs = new float[3][n];
            float[][] f = new float[3][n];
            int[][] ch = {red, green, blue};
            float[][] low = {lowPass(red), lowPass(green), lowPass(blue)};
            int[] dxs = {-1, 1, 0, 0};
            int[] dys = {0, 0, -1, 1};
            for (int i = 0; i < filled.length; i++) {
                int k = index[i];
                if (k < 0) continue;
                pix[k] = i;
                int x = i % w;
                int y = i / w;
                int s = source[i];
                for (int d = 0; d < 4; d++) {
                    int qx = x + dxs[d];
                    int qy = y + dys[d];
                    nb[4 * k + d] = -1;
                    if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
                    int q = qy * w + qx;
                    count[k]++;
                    // the source's own difference in this direction; next to a hole there, the one on the other side
                    int a = -1;
                    int b = -1;
                    if (s >= 0) {
                        int sx = s % w;
                        int sy = s / w;
                        int fwd = at(sx + dxs[d], sy + dys[d]);
                        int back = at(sx - dxs[d], sy - dys[d]);
                        if (fwd >= 0) {
                            a = s;
                            b = fwd;
                        } else if (back >= 0) {
                            a = back;
                            b = s;
                        }
                    }
                    for (int c = 0; c < 3; c++) {
                        float v = a >= 0 ? low[c][a] - low[c][b] : 0f;
                        rhs[c][k] += v;
                        if (index[q] < 0) rhs[c][k] += low[c][q];
                    }
                    if (index[q] >= 0) nb[4 * k + d] = index[q];
                }
                for (int c = 0; c < 3; c++) f[c][k] = low[c][i];
            }
            double omega = 1.9;
            for (int it = 0; it < 3000; it++) {
                float maxDelta = 0;
                for (int c = 0; c < 3; c++) {
                    float[] fc = f[c];
                    float[] bc = rhs[c];
                    for (int k = 0; k < n; k++) {
                        float sum = bc[k];
                        for (int d = 0; d < 4; d++) {
                            int q = nb[4 * k + d];
                            if (q >= 0) sum += fc[q];
                        }
                        float target = sum / count[k];
                        float delta = (float) (omega * (target - fc[k]));
                        fc[k] += delta;
                        maxDelta = Math.max(maxDelta, Math.abs(delta));
                    }
                }
                if (maxDelta < 0.02f) break;
            }
            for (int k = 0; k < n; k++) {
                for (int c = 0; c < 3; c++) {
                    int i = pix[k];
                    ch[c][i] = Math.max(0, Math.min(255, Math.round(ch[c][i] + f[c][k] - low[c][i])));
                }
            }
        }

        /** Gaussian blur (sigma 2 px, edges repeated) of one channel. */
        private float[] lowPass(int[] ch) {
            int half = 5;
            float[] k = new float[2 * half + 1];
            float sum = 0;
            for (int i = -half; i <= half; i++) {
                k[i + half] = (float) Math.exp(-i * i / 8.0);
                sum += k[i + half];
            }
            for (int i = 0; i < k.length; i++) k[i] /= sum;
            float[] tmp = new float[w * h];
            float[] out = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float acc = 0;
                    for (int j = -half; j <= half; j++) {
                        acc += k[j + half] * ch[y * w + Math.min(w - 1, Math.max(0, x + j))];
                    }
                    tmp[y * w + x] = acc;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float acc = 0;
                    for (int j = -half; j <= half; j++) {
                        acc += k[j + half] * tmp[Math.min(h - 1, Math.max(0, y + j)) * w + x];
                    }
                    out[y * w + x] = acc;
                }
            }
            return out;
        }

        /** The index of an originally known pixel at (x, y), or -1. */
        private int at(int x, int y) {
            if (x < 0 || y < 0 || x >= w || y >= h) return -1;
            int i = y * w + x;
            return original[i] ? i : -1;
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
}
