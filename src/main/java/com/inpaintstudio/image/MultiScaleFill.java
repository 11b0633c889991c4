package com.inpaintstudio.image;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Fills one hole coarse to fine. The picture is halved until the hole is small; there the exemplar fill
 * ({@link Exemplar}: fill front in priority order, confidence x isophote strength, so lines such as a shoreline or a
 * ridge are continued first) lays out the structure. Each level then refines it with a few rounds of patch search
 * ({@link PatchField}: PatchMatch, preferring sources displaced along the direction the edges around the hole run,
 * {@link StructureDirection}) and blending ({@link PatchVote}), and hands its field of matches to the next finer level,
 * so the full-resolution result copies texture and grain pixel for pixel from a band of the picture that fits the
 * structure (the last step copies each pixel exactly from its patch's source instead of averaging). Last, the colour
 * steps at the mask's edge ({@link SeamBlend}) and between sources ({@link GradientBlend}) are smoothed away.
 * Deterministic: the random search is seeded.
 */
final class MultiScaleFill {
    /** Patches are 7x7 at every level. */
    static final int PATCH_RADIUS = 3;
    /** The picture is halved while the hole's side is at least this: the coarsest hole is 24..47 px across. */
    static final int HALVE_FROM = 48;
    /** A hole halved at least 3 times (192 px or more across) is large: {@link PatchField#largeHole}. */
    static final int LARGE_LEVELS = 4;
    /** Half-patch of the structure pass at the coarsest level. */
    static final int STRUCTURE_RADIUS = 3;

    /** Receives the share of the work done (0..1) and, on demand, the current estimate at level-0 size. */
    interface Listener {
        void onProgress(double fraction, Supplier<RgbImage> current);
    }

    private MultiScaleFill() {}

    /**
     * The picture with its {@code hole} pixels filled from pixels that are not {@code excluded}; null when cancelled.
     */
    static RgbImage fill(RgbImage picture, boolean[] hole, boolean[] excluded, Listener listener,
                         BooleanSupplier cancelled) {
        List<FillLevel> levels = new ArrayList<>();
        levels.add(FillLevel.of(picture, hole, excluded));
        while (true) {
            FillLevel top = levels.get(levels.size() - 1);
            int side = holeSide(top);
            if (side < HALVE_FROM || Math.min(top.w, top.h) < 8 * (2 * PATCH_RADIUS + 1)) break;
            levels.add(top.half());
        }
        double[] share = new double[levels.size()];
        double all = 0;
        for (int i = 0; i < levels.size(); i++) {
            share[i] = levels.get(i).holeCount() * (i == levels.size() - 1 ? 12.0 : 4.0);
            all += share[i];
        }
        double done = 0;
        FillLevel top = levels.get(levels.size() - 1);
        StructureDirection dir = StructureDirection.around(top, Math.max(4, holeSide(top) / 2));
        PatchField coarser = null;
        int[] structureFrom = null;
        FillLevel coarserLevel = null;
        for (int li = levels.size() - 1; li >= 0; li--) {
            FillLevel lv = levels.get(li);
            boolean coarsest = li == levels.size() - 1;
            double base = done / all;
            double part = share[li] / all;
            Supplier<RgbImage> current = () -> Resize.lanczos(lv.image(), picture.width(), picture.height());
            if (coarserLevel != null) {
                lv.setHoleFromCoarse(coarserLevel);
            } else {
                structureFrom = structure(lv);
                listener.onProgress(base + part * 0.3, current);
            }
            if (cancelled.getAsBoolean()) return null;
            PatchField field = new PatchField(lv, PATCH_RADIUS, 0x5eed + li);
            // the cost is per photo pixel of displacement (one level-li pixel is 2^li of them), capped per pixel of
            // the coarsest level (one of them is 2^(top - li) level-li pixels)
            field.direction(dir, Math.min(PatchField.ACROSS_COST * (1L << (2 * li)),
                    PatchField.ACROSS_COST_COARSEST / (1L << (2 * (levels.size() - 1 - li)))));
            if (levels.size() >= LARGE_LEVELS) field.largeHole();
            if (!field.hasSources()) {
                // too small a picture for any whole patch: keep the estimate (the structure pass or the coarser one)
                if (!coarsest && coarser == null) structure(lv);
                coarser = null;
                coarserLevel = lv;
                done += share[li];
                continue;
            }
            int emRounds;
            if (coarser == null) {
                // start from where the structure pass copied each pixel, so the refinement keeps its layout
                if (structureFrom != null) {
                    field.initFromCopies(structureFrom);
                } else {
                    field.initRandom();
                }
                if (!field.improve(6, cancelled)) return null;
                emRounds = 4;
            } else {
                field.initFrom(coarser);
                if (!field.improve(2, cancelled)) return null;
                emRounds = li == 0 ? 2 : 3;
            }
            for (int em = 0; em < emRounds; em++) {
                PatchVote.vote(field);
                if (em < emRounds - 1) {
                    field.refreshDistances();
                    if (!field.improve(1, cancelled)) return null;
                }
                listener.onProgress(base + part * (coarsest ? 0.3 + 0.7 * (em + 1) / emRounds : (em + 1.0) / emRounds),
                        current);
            }
            coarser = field;
            coarserLevel = lv;
            done += share[li];
        }
        if (coarser != null && coarserLevel == levels.get(0)) {
            PatchVote.copyCentres(coarser);
            SeamBlend.apply(coarserLevel);
            GradientBlend.apply(coarser);
        }
        return levels.get(0).image();
    }

    /**
     * The exemplar fill of a level's hole, in priority order: the structure the finer levels refine. Returns where
     * each filled pixel was copied from (-1 elsewhere).
     */
    private static int[] structure(FillLevel lv) {
        Exemplar ex = new Exemplar(lv.image(), lv.hole, lv.excluded, STRUCTURE_RADIUS);
        while (ex.remaining > 0) {
            ex.step();
        }
        lv.setHoleFrom(ex.image());
        return ex.from;
    }

    /** The larger side of the hole's bounding box. */
    private static int holeSide(FillLevel lv) {
        int x0 = lv.w, y0 = lv.h, x1 = -1, y1 = -1;
        for (int y = 0; y < lv.h; y++) {
            for (int x = 0; x < lv.w; x++) {
                if (lv.hole[y * lv.w + x]) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? 0 : Math.max(x1 - x0 + 1, y1 - y0 + 1);
    }
}
