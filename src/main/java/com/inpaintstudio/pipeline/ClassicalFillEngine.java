package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.image.ClassicalFill;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.MaskOps;
import com.inpaintstudio.image.PasteBack;
import com.inpaintstudio.image.Rect;
import com.inpaintstudio.image.Regions;
import com.inpaintstudio.image.Resize;
import com.inpaintstudio.image.RgbImage;

import java.time.Duration;

/**
 * The engine that needs no model: {@link ClassicalFill} behind {@link InpaintEngine}. Prompt, steps, guidance, seed
 * and scheduler do not apply and are ignored (the prompt is kept in the parameters text).
 *
 * <p>Mask handling: the painted area (mask >= 0.5) is grown by {@code maskBlur} pixels and filled; with paste-back
 * the fill is blended in through a feather that lies <em>outside</em> the painted area (1 inside, falling to 0 over
 * {@code maskBlur} pixels), so the seam is soft but nothing of the removed object shows through — a Gaussian blur
 * of the mask, as the diffusion pipeline uses, would blend the object back in at the mask's edge. Pixels beyond the
 * grown area are bit-identical to the photo. {@code onlyMasked} restricts both the fill and its sources to the
 * mask's bounding box plus {@code padding}.
 */
public final class ClassicalFillEngine implements InpaintEngine {
    public static final String NAME = "Built-in fill";
    /** Progress events reported over one fill. */
    static final int STEPS = 10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public InpaintResult generate(InpaintRequest request, StepListener listener, CancelToken cancel) {
        long t0 = System.nanoTime();
        StepListener events = listener == null ? StepListener.NONE : listener;
        CancelToken token = cancel == null ? new CancelToken() : cancel;
        RgbImage photo = request.image();
        if (photo == null) {
            throw new InpaintException("The built-in fill needs a photo: it repaints the masked part from the rest"
                    + " of the picture and cannot make a picture from a prompt. Open a photo, or choose a Stable"
                    + " Diffusion model for text-to-image.");
        }
        Mask mask = request.mask() == null ? Mask.filled(photo.width(), photo.height(), 1f) : request.mask();
        if (mask.width() != photo.width() || mask.height() != photo.height()) {
            events.onPhase("The mask is " + mask.width() + "x" + mask.height() + " but the photo is " + photo.width()
                    + "x" + photo.height() + ": the mask was resized to the photo.");
            mask = Resize.lanczos(mask, photo.width(), photo.height());
        }
        if (mask.isEmpty()) {
            throw new InpaintException("the mask is empty: paint over what should change");
        }
        int blur = Math.max(0, request.maskBlur());
        Mask painted = MaskOps.binarize(mask);
        Mask fillMask = MaskOps.grow(painted, blur);

        Rect work = new Rect(0, 0, photo.width(), photo.height());
        if (request.onlyMasked()) {
            Rect box = MaskOps.boundingBox(fillMask);
            work = MaskOps.expandBox(box, Math.max(0, request.padding()), photo.width(), photo.height(), 0, 1);
        }
        RgbImage workPhoto = Regions.crop(photo, work);
        Mask workFill = MaskOps.crop(fillMask, work);
        boolean[] known = MaskOps.inside(MaskOps.invert(workFill));
        boolean anyKnown = false;
        for (boolean k : known) {
            if (k) {
                anyKnown = true;
                break;
            }
        }
        if (!anyKnown) {
            throw new InpaintException(request.onlyMasked()
                    ? "The mask covers the whole area around it: raise the padding or paint a smaller area, so the"
                    + " built-in fill has unmasked pixels to copy from."
                    : "The mask covers the whole photo: the built-in fill copies from the unmasked part, so leave"
                    + " some of the photo unpainted.");
        }

        events.onPhase("Filling");
        final Rect area = work;
        int[] lastStep = {0};
        ClassicalFill.Progress progress = (done, total, snapshot) -> {
            int step = Math.min(STEPS - 1, (int) ((long) done * STEPS / Math.max(1, total)));
            if (step <= lastStep[0]) {
                return;
            }
            lastStep[0] = step;
            Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
            Duration eta = Duration.ofNanos((long) (elapsed.toNanos() * (total - done) / (double) Math.max(1, done)));
            RgbImage preview = null;
            int px = 0;
            int py = 0;
            if (request.preview() != PreviewMode.NONE) {
                ClassicalFill.Snapshot s = snapshot.get();
                preview = s.pixels();
                px = area.x() + s.x();
                py = area.y() + s.y();
            }
            events.onStep(new StepEvent(step, STEPS, 0, elapsed, eta, preview, px, py,
                    preview == null ? 0 : preview.width(), preview == null ? 0 : preview.height(), true,
                    preview == null ? null : frameAlpha(fillMask, px, py, preview.width(), preview.height())));
        };
        RgbImage filled = ClassicalFill.fill(workPhoto, workFill, progress, token::isCancelled);
        boolean cancelled = token.isCancelled();

        RgbImage out;
        if (request.pasteBack()) {
            // every painted pixel lies inside the work area, so feathering the crop is exact
            Mask alpha = MaskOps.featherOutward(MaskOps.crop(painted, work), blur);
            out = PasteBack.blendAt(photo, filled, work.x(), work.y(), alpha);
        } else {
            out = Regions.paste(photo, filled, work.x(), work.y());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        int stepsDone = cancelled ? lastStep[0] : STEPS;
        if (!cancelled) {
            RgbImage preview = request.preview() == PreviewMode.NONE ? null : Regions.crop(out, work);
            events.onStep(new StepEvent(STEPS, STEPS, 0, elapsed, Duration.ZERO, preview, work.x(), work.y(),
                    work.width(), work.height(), true,
                    preview == null ? null : frameAlpha(fillMask, work.x(), work.y(), work.width(), work.height())));
        }
        return new InpaintResult(out, request, NAME, NAME, cancelled, stepsDone, elapsed,
                parameters(request.prompt(), photo.width(), photo.height(), blur));
    }

    /** A preview's alpha: 255 where the fill may change the photo (the grown mask), 0 elsewhere. */
    private static byte[] frameAlpha(Mask fill, int x0, int y0, int w, int h) {
        byte[] a = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                a[y * w + x] = (byte) (fill.get(x0 + x, y0 + y) > 0f ? 255 : 0);
            }
        }
        return a;
    }

    /** The A1111-style parameters text of a fill. */
    static String parameters(String prompt, int width, int height, int maskBlur) {
        return (prompt == null ? "" : prompt) + "\nSteps: 0, Sampler: " + NAME + ", Size: " + width + "x" + height
                + ", Mask blur: " + maskBlur + ", Model: " + NAME;
    }
}
