package com.inpaintstudio.image;

/**
 * An axis-aligned pixel rectangle: columns {@code x .. x+width-1}, rows {@code y .. y+height-1}; a width or height
 * of 0 is the empty rectangle (the editor's dirty regions start empty and grow by {@link #union}).
 */
public record Rect(int x, int y, int width, int height) {
    public static final Rect EMPTY = new Rect(0, 0, 0, 0);

    public Rect {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("rectangle size must not be negative, got " + width + "x" + height);
        }
    }

    /** The rectangle spanning the inclusive corners. */
    public static Rect ofCorners(int x0, int y0, int x1Inclusive, int y1Inclusive) {
        return new Rect(x0, y0, x1Inclusive - x0 + 1, y1Inclusive - y0 + 1);
    }

    /** One past the last column. */
    public int right() {
        return x + width;
    }

    /** One past the last row. */
    public int bottom() {
        return y + height;
    }

    public boolean contains(Rect o) {
        return o.x >= x && o.y >= y && o.right() <= right() && o.bottom() <= bottom();
    }

    /** True when the rectangle lies inside a {@code w x h} picture. */
    public boolean fitsIn(int w, int h) {
        return x >= 0 && y >= 0 && right() <= w && bottom() <= h;
    }

    public boolean isEmpty() {
        return width == 0 || height == 0;
    }

    /** The smallest rectangle holding both (an empty one adds nothing). */
    public Rect union(Rect o) {
        if (isEmpty()) {
            return o;
        }
        if (o.isEmpty()) {
            return this;
        }
        int x0 = Math.min(x, o.x), y0 = Math.min(y, o.y);
        return new Rect(x0, y0, Math.max(right(), o.right()) - x0, Math.max(bottom(), o.bottom()) - y0);
    }

    /** The common part, or {@link #EMPTY}. */
    public Rect intersect(Rect o) {
        int x0 = Math.max(x, o.x), y0 = Math.max(y, o.y);
        int x1 = Math.min(right(), o.right()), y1 = Math.min(bottom(), o.bottom());
        return x1 <= x0 || y1 <= y0 ? EMPTY : new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    /** {@code d} pixels more on every side. */
    public Rect grow(int d) {
        return new Rect(x - d, y - d, width + 2 * d, height + 2 * d);
    }
}
