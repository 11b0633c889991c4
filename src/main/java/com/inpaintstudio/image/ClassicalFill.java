package com.inpaintstudio.image;

import com.inpaintstudio.errors.InpaintException;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Content-aware fill without any model: the masked pixels are repainted from the rest of the picture.
 *
 * <p>Each connected hole is filled on its own, from its neighbourhood (the hole's bounding box grown by its own size,
 * at least {@value #MIN_MARGIN} px), so a blemish on a 4000x3000 photo costs what it costs on a small one. The fill
 * itself ({@link MultiScaleFill}) works coarse to fine: exemplar inpainting after Criminisi, P&eacute;rez &amp; Toyama
 * (2004) lays out the structure on a reduced copy, then PatchMatch search and patch voting (Wexler et al. 2007) refine
 * it level by level up to full resolution, preferring sources that lie along the picture's edges, and the seams are
 * blended in the gradient domain.
 *
 * <p>This class is the driver: holes, neighbourhoods, progress and cancellation.
 */
public final class ClassicalFill {
    static final int MIN_MARGIN = 40;

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
        int margin = Math.max(MIN_MARGIN, Math.max(box.width(), box.height()));
        int rx0 = Math.max(0, box.x() - margin);
        int ry0 = Math.max(0, box.y() - margin);
        int rx1 = Math.min(w, box.right() + margin);
        int ry1 = Math.min(h, box.bottom() + margin);
        Rect region = new Rect(rx0, ry0, rx1 - rx0, ry1 - ry0);
        RgbImage regionPixels = Regions.crop(new RgbImage(w, h, out), region);
        int rw = region.width();
        int rh = region.height();
        boolean[] unknown = new boolean[rw * rh];  // to fill: this component
        boolean[] excluded = new boolean[rw * rh]; // never copied from: any hole pixel (filled or not)
        for (int y = 0; y < rh; y++) {
            for (int x = 0; x < rw; x++) {
                int fi = (region.y() + y) * w + region.x() + x;
                excluded[y * rw + x] = hole[fi];
                unknown[y * rw + x] = label[fi] == id;
            }
        }
        int startDone = done[0];
        int[] lastReport = {startDone};
        int reportEvery = Math.max(64, holePixels / 12);
        MultiScaleFill.Listener listener = (fraction, current) -> {
            int now = startDone + (int) Math.min(holePixels, Math.round(fraction * holePixels));
            if (now - lastReport[0] < reportEvery || now >= startDone + holePixels) {
                return;
            }
            lastReport[0] = now;
            done[0] = now;
            progress.onProgress(now, total, () -> new Snapshot(compose(regionPixels, current.get(), unknown),
                    region.x(), region.y()));
        };
        RgbImage result = MultiScaleFill.fill(regionPixels, unknown, excluded, listener, cancelled);
        if (result == null) {
            return; // cancelled: this hole keeps its original pixels
        }
        int[] rp = result.rgb();
        for (int y = 0; y < rh; y++) {
            for (int x = 0; x < rw; x++) {
                if (unknown[y * rw + x]) {
                    out[(region.y() + y) * w + region.x() + x] = rp[y * rw + x];
                }
            }
        }
        done[0] = startDone + holePixels;
        progress.onProgress(done[0], total, () -> new Snapshot(Regions.crop(new RgbImage(w, h, out), region),
                region.x(), region.y()));
    }

    /** The region with this hole's pixels taken from the current estimate. */
    private static RgbImage compose(RgbImage regionPixels, RgbImage current, boolean[] hole) {
        int[] px = regionPixels.rgb().clone();
        for (int i = 0; i < px.length; i++) {
            if (hole[i]) px[i] = current.rgb()[i];
        }
        return new RgbImage(regionPixels.width(), regionPixels.height(), px);
    }
}
