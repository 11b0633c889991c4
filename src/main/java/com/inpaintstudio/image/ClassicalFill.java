package com.inpaintstudio.image;

import com.inpaintstudio.errors.InpaintException;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Content-aware fill without any model: exemplar-based inpainting after Criminisi, Pérez &amp; Toyama (2004). The fill
 * front is walked in priority order (confidence x strength of the isophotes flowing into the hole, so lines and
 * edges are continued first); each step copies the unknown pixels of the best-matching fully known patch (sum of
 * squared RGB differences over the known pixels; ties go to the nearest patch). A copied patch is shifted by its
 * mean colour mismatch on the known pixels when that mismatch is statistically real (beyond 2.5 standard errors,
 * at most {@value Exemplar#MAX_BIAS} levels), so smooth shading such as a sky or a wall continues across the hole while
 * texture is copied as it is.
 *
 * <p>Speed: each connected hole is filled on its own, searching only its neighbourhood (the hole's bounding box grown
 * by its own size, at least {@value #MIN_MARGIN} px), so a blemish on a 4000x3000 photo costs what it costs on a small
 * one. Above {@value Exemplar#COARSE_SEARCH_ABOVE} candidate patches the search scans every other row and column and then
 * refines around the winner. A hole larger than {@value #MAX_WORK_PIXELS} pixels is filled on a Lanczos-reduced
 * copy of its neighbourhood; each photo pixel then copies the full-resolution pixel at the place the reduced fill
 * copied from (same offset, same colour shift), so texture and grain stay sharp.
 *
 * <p>This class is the driver (holes, neighbourhoods, reduction, progress); the patch search and copy live in
 * {@link Exemplar}.
 */
public final class ClassicalFill {
    /** Half the patch side: patches are 9x9. */
    public static final int PATCH_RADIUS = 4;
    static final int MIN_MARGIN = 40;
    static final int MAX_WORK_PIXELS = 8192;

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
        RgbImage result = fScale == 1.0 ? ex.image() : Resize.lanczos(ex.image(), region.width(), region.height());
        int[] rp = result.rgb();
        int[] orig = regionPixels.rgb();
        int rw = region.width();
        for (int y = 0; y < region.height(); y++) {
            for (int x = 0; x < rw; x++) {
                int fi = (region.y() + y) * w + region.x() + x;
                if (label[fi] != id) {
                    continue;
                }
                int v = rp[y * rw + x];
                if (fScale != 1.0) {
                    // full-resolution texture: copy from where the reduced fill copied, at photo scale, with the
                    // same colour shift; the scaled-up fill is only the fallback
                    int wx = Math.min(ww - 1, (int) (x / sx));
                    int wy = Math.min(wh - 1, (int) (y / sy));
                    int wi = wy * ww + wx;
                    int j = ex.from[wi];
                    if (j >= 0) {
                        int fx = x + (int) Math.round((j % ww - wx) * sx);
                        int fy = y + (int) Math.round((j / ww - wy) * sy);
                        if (fx >= 0 && fy >= 0 && fx < rw && fy < region.height()
                                && !hole[(region.y() + fy) * w + region.x() + fx]) {
                            v = shifted(orig[fy * rw + fx], ex.shift[wi]);
                        }
                    }
                }
                out[fi] = v;
            }
        }
        done[0] = startDone + holePixels;
        progress.onProgress(done[0], total, () -> new Snapshot(Regions.crop(new RgbImage(w, h, out), region),
                region.x(), region.y()));
    }

    private static int shifted(int rgb, int packedShift) {
        int r = Math.max(0, Math.min(255, (rgb >> 16 & 0xff) + (packedShift >> 18 & 0x1ff) - 256));
        int g = Math.max(0, Math.min(255, (rgb >> 8 & 0xff) + (packedShift >> 9 & 0x1ff) - 256));
        int b = Math.max(0, Math.min(255, (rgb & 0xff) + (packedShift & 0x1ff) - 256));
        return r << 16 | g << 8 | b;
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
}
