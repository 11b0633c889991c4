package com.inpaintstudio.app;

import com.inpaintstudio.image.Rect;
import java.util.function.Consumer;

/** A change of the mask inside one rectangle: only that rectangle's before/after values are kept. */
public final class MaskEdit implements Edit {
    private final MaskModel mask;
    private final Rect rect;
    private final byte[] before;
    private final byte[] after;
    private final String label;
    private final Consumer<Rect> onChange;

    public MaskEdit(MaskModel mask, Rect rect, byte[] before, byte[] after, String label, Consumer<Rect> onChange) {
        this.mask = mask;
        this.rect = rect;
        this.before = before;
        this.after = after;
        this.label = label;
        this.onChange = onChange;
    }

    public Rect rect() {
        return rect;
    }

    /** Bytes held by this edit (both copies). */
    public long storedBytes() {
        return (long) before.length + after.length;
    }

    @Override
    public void undo() {
        mask.pasteRect(rect, before);
        onChange.accept(rect);
    }

    @Override
    public void redo() {
        mask.pasteRect(rect, after);
        onChange.accept(rect);
    }

    @Override
    public String label() {
        return label;
    }
}
