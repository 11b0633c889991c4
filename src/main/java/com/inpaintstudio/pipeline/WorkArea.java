package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.MaskOps;
import com.inpaintstudio.image.Rect;
import com.inpaintstudio.image.RgbImage;

/**
 * Where a request generates: the rectangle of the photo that is repainted ({@code region}: the whole photo, or with
 * "only masked" the mask's bounding box plus padding) and the size it is generated at (multiples of 8, near the
 * model's native area unless the request fixes the size).
 */
record WorkArea(RgbImage photo, Mask mask, Rect region, int genWidth, int genHeight) {

    static final int MULTIPLE = InpaintRequest.SIZE_MULTIPLE;

    /** Validates the request and plans the work. Every refusal is an {@link InpaintException} for the user. */
    static WorkArea plan(InpaintRequest r, int nativeSize) {
        if (r.steps() < 1 || r.steps() > 1000) {
            throw new InpaintException("Steps must be between 1 and 1000 (got " + r.steps() + ").");
        }
        if (!(r.strength() > 0 && r.strength() <= 1)) {
            throw new InpaintException("Strength must be above 0 and at most 1 (got " + r.strength()
                    + "): 1 repaints the masked area from scratch, lower values keep more of the photo.");
        }
        if (!(r.guidance() >= 0 && r.guidance() <= 100)) {
            throw new InpaintException("Guidance (CFG scale) must be between 0 and 100 (got " + r.guidance() + ").");
        }
        boolean fixedSize = r.width() > 0 || r.height() > 0;
        if (fixedSize) {
            InpaintRequest.checkSize(r.width(), r.height());
        }
        RgbImage photo = r.image();
        if (photo == null) {
            int w = fixedSize ? r.width() : nativeSize;
            int h = fixedSize ? r.height() : nativeSize;
            photo = RgbImage.filled(w, h, 0xffffff);
        }
        Mask mask = r.mask();
        if (mask == null) {
            mask = Mask.filled(photo.width(), photo.height(), 1f);
        } else if (mask.width() != photo.width() || mask.height() != photo.height()) {
            mask = com.inpaintstudio.image.Resize.lanczos(mask, photo.width(), photo.height());
        }
        Rect box = MaskOps.boundingBox(MaskOps.binarize(mask));
        if (box == null) {
            throw new InpaintException("The mask is empty: nothing to repaint. Paint over what should change "
                    + "(white = repaint) and try again.");
        }
        Rect region;
        if (r.onlyMasked()) {
            double aspect = fixedSize ? (double) r.width() / r.height() : 0;
            region = MaskOps.expandBox(box, Math.max(0, r.padding()), photo.width(), photo.height(), aspect, MULTIPLE);
        } else {
            region = new Rect(0, 0, photo.width(), photo.height());
        }
        int gw;
        int gh;
        if (fixedSize) {
            gw = r.width();
            gh = r.height();
        } else if (r.image() == null) {
            gw = photo.width();
            gh = photo.height();
        } else {
            int[] s = nativeArea(region.width(), region.height(), nativeSize);
            gw = s[0];
            gh = s[1];
        }
        return new WorkArea(photo, mask, region, gw, gh);
    }

    /** A size with about {@code nativeSize^2} pixels and the aspect of {@code w x h}, sides multiples of 8. */
    static int[] nativeArea(int w, int h, int nativeSize) {
        double scale = Math.sqrt((double) nativeSize * nativeSize / ((double) w * h));
        int gw = Math.max(MULTIPLE, (int) Math.round(w * scale / MULTIPLE) * MULTIPLE);
        int gh = Math.max(MULTIPLE, (int) Math.round(h * scale / MULTIPLE) * MULTIPLE);
        return new int[] {gw, gh};
    }

    boolean resized() {
        return genWidth != region.width() || genHeight != region.height();
    }
}
