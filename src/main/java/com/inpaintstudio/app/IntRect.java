package com.inpaintstudio.app;

/** An axis-aligned pixel rectangle; {@code w} or {@code h} of 0 means empty. */
public record IntRect(int x, int y, int w, int h) {
    public static final IntRect EMPTY = new IntRect(0, 0, 0, 0);

    public boolean isEmpty() {
        return w <= 0 || h <= 0;
    }

    public int right() {
        return x + w;
    }

    public int bottom() {
        return y + h;
    }

    public IntRect union(IntRect o) {
        if (isEmpty()) {
            return o;
        }
        if (o.isEmpty()) {
            return this;
        }
        int x0 = Math.min(x, o.x), y0 = Math.min(y, o.y);
        return new IntRect(x0, y0, Math.max(right(), o.right()) - x0, Math.max(bottom(), o.bottom()) - y0);
    }

    public IntRect intersect(IntRect o) {
        int x0 = Math.max(x, o.x), y0 = Math.max(y, o.y);
        int x1 = Math.min(right(), o.right()), y1 = Math.min(bottom(), o.bottom());
        return x1 <= x0 || y1 <= y0 ? EMPTY : new IntRect(x0, y0, x1 - x0, y1 - y0);
    }

    public IntRect grow(int d) {
        return new IntRect(x - d, y - d, w + 2 * d, h + 2 * d);
    }
}
