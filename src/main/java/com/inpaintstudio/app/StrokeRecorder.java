package com.inpaintstudio.app;

import com.inpaintstudio.image.Rect;
import java.util.function.Consumer;

/**
 * Turns mask changes into {@link MaskEdit}s holding only the changed rectangle. It keeps a copy of the mask as of the
 * last recorded edit; when a change ends, the "before" values of its bounding rectangle come from that copy.
 */
public final class StrokeRecorder {
    private final MaskModel mask;
    private final MaskModel committed;
    private final Consumer<Rect> onChange;
    private Rect pending = Rect.EMPTY;

    public StrokeRecorder(MaskModel mask, Consumer<Rect> onChange) {
        this.mask = mask;
        this.onChange = onChange;
        this.committed = new MaskModel(mask.width(), mask.height());
        committed.pasteRect(mask.bounds(), mask.copyRect(mask.bounds()));
    }

    /** Notes that {@code r} changed in the live mask (while a stroke is in progress). */
    public void touched(Rect r) {
        pending = pending.union(r);
    }

    /** Ends the current change; returns its edit, or null when nothing changed. */
    public MaskEdit finish(String label) {
        Rect r = pending;
        pending = Rect.EMPTY;
        if (r.isEmpty()) {
            return null;
        }
        byte[] before = committed.copyRect(r);
        byte[] after = mask.copyRect(r);
        if (java.util.Arrays.equals(before, after)) {
            return null;
        }
        committed.pasteRect(r, after);
        return new MaskEdit(mask, r, before, after, label, rect -> {
            committed.pasteRect(rect, mask.copyRect(rect));
            onChange.accept(rect);
        });
    }
}
