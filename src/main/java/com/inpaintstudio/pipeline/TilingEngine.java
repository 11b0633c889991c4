package com.inpaintstudio.pipeline;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.MaskOps;
import com.inpaintstudio.image.Rect;
import com.inpaintstudio.image.Regions;
import com.inpaintstudio.image.Resize;
import com.inpaintstudio.image.RgbImage;

import java.time.Duration;

/**
 * Generation at any size: a masked area larger than the model's native size is generated tile by tile through
 * "only masked" crops at the model's resolution (so memory stays that of one native-size run), each tile seeing the
 * results of the tiles before it. Small masked areas go through one ordinary "only masked" run. Engines without a
 * native size (the built-in fill) get the request as it is.
 */
public final class TilingEngine implements InpaintEngine {
    /** A padded mask box up to this factor over the native size is generated in one crop (slightly downscaled). */
    static final double ONE_CROP_SLACK = 1.25;

    private final InpaintEngine inner;

    public TilingEngine(InpaintEngine inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int nativeSize() {
        return inner.nativeSize();
    }

    /** The tiles a request would be generated in; one tile = one ordinary run. */
    public TilePlan plan(InpaintRequest request) {
        int nat = inner.nativeSize();
        if (nat <= 0 || request.image() == null || request.mask() == null) {
            return null;
        }
        int pad = Math.max(0, request.padding());
        Rect box = MaskOps.boundingBox(MaskOps.binarize(request.mask()));
        if (box == null || (box.width() + 2 * pad <= nat * ONE_CROP_SLACK && box.height() + 2 * pad <= nat * ONE_CROP_SLACK)) {
            return null;
        }
        int tile = Math.max(nat / 2, nat - 2 * pad);
        return TilePlan.plan(request.mask(), tile, tile / 4);
    }

    @Override
    public InpaintResult generate(InpaintRequest request, StepListener listener, CancelToken cancel) {
        StepListener l = listener == null ? StepListener.NONE : listener;
        CancelToken c = cancel == null ? new CancelToken() : cancel;
        if (inner.nativeSize() <= 0 || request.image() == null) {
            return inner.generate(request, l, c);
        }
        TilePlan plan = plan(request);
        InpaintRequest base = request.toBuilder().onlyMasked(true).build();
        if (plan == null) {
            return inner.generate(base, l, c);
        }
        long start = System.nanoTime();
        RgbImage photo = request.image();
        Mask mask = request.mask().width() == photo.width() && request.mask().height() == photo.height()
                ? request.mask() : Resize.lanczos(request.mask(), photo.width(), photo.height());
        int[] current = photo.rgb().clone(); // tiles are written into it in place, each on top of the ones before
        RgbImage currentImage = new RgbImage(photo.width(), photo.height(), current);
        Rect bounds = new Rect(0, 0, photo.width(), photo.height());
        int margin = Math.max(0, request.padding()) + WorkArea.MULTIPLE;
        InpaintResult first = null;
        InpaintResult last = null;
        int steps = 0;
        int n = plan.tiles().size();
        for (int k = 0; k < n; k++) {
            // each tile works on a window around it (the tile plus its context), so a tile costs the same on a
            // 4096 px panorama as on a 512 px photo
            Rect window = plan.tiles().get(k).grow(margin).intersect(bounds);
            Mask tileMask = plan.maskFor(k, mask, window);
            if (MaskOps.boundingBox(MaskOps.binarize(tileMask)) == null) {
                continue;
            }
            l.onPhase("Tile " + (k + 1) + " of " + n);
            InpaintRequest r = base.toBuilder().image(Regions.crop(currentImage, window)).mask(tileMask)
                    .seed(request.seed() + k).build();
            last = inner.generate(r, new Offset(l, window.x(), window.y()), c);
            first = first == null ? last : first;
            int[] out = last.image().rgb();
            for (int y = 0; y < window.height(); y++) {
                System.arraycopy(out, y * window.width(), current, (window.y() + y) * photo.width() + window.x(),
                        window.width());
            }
            steps += last.stepsCompleted();
            if (last.cancelled() || c.isCancelled()) {
                break;
            }
        }
        if (last == null) {
            return inner.generate(base, l, c);
        }
        String params = first.parameters() + ", Tiles: " + n + " x " + plan.tile() + " px (overlap " + plan.overlap()
                + ")";
        return new InpaintResult(currentImage, request, last.modelName(), last.samplerName(), last.cancelled(), steps,
                Duration.ofNanos(System.nanoTime() - start), params);
    }

    /** Step events of a tile's window, moved to picture coordinates. */
    private record Offset(StepListener inner, int dx, int dy) implements StepListener {
        @Override
        public void onStep(StepEvent e) {
            inner.onStep(new StepEvent(e.step(), e.totalSteps(), e.timestep(), e.elapsed(), e.eta(), e.preview(),
                    e.regionX() + dx, e.regionY() + dy, e.regionWidth(), e.regionHeight(), e.previewKind(), e.previewAlpha()));
        }

        @Override
        public void onPhase(String phase) {
            inner.onPhase(phase);
        }

        @Override
        public void onNotice(String message) {
            inner.onNotice(message);
        }
    }

    @Override
    public void close() {
        inner.close();
    }
}
