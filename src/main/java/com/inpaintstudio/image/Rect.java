package com.inpaintstudio.image;

/** An axis-aligned pixel rectangle: columns {@code x .. x+width-1}, rows {@code y .. y+height-1}. */
public record Rect(int x, int y, int width, int height) {
    public Rect {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("rectangle size must be positive, got " + width + "x" + height);
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
}
