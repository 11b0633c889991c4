package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;

import com.inpaintstudio.image.Rect;
import java.util.Arrays;

/**
 * The painted mask at photo resolution, one byte per pixel (0 = keep, 255 = repaint; soft brushes leave values
 * between). Every operation returns the rectangle it changed so the view redraws only that.
 * Not thread-safe: touch it from the FX thread only.
 */
public final class MaskModel {
    private final int width;
    private final int height;
    private final byte[] values;

    public MaskModel(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("mask size must be positive, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.values = new byte[width * height];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public Rect bounds() {
        return new Rect(0, 0, width, height);
    }

    /** Mask value at a pixel, 0..255. */
    public int get(int x, int y) {
        return values[y * width + x] & 0xff;
    }

    /** The backing array (row-major); read-only use by the overlay renderer. */
    byte[] raw() {
        return values;
    }

    /**
     * One round dab centred at {@code (cx, cy)} (photo pixels, pixel centres at +0.5). A pixel whose centre lies within
     * {@code radius * hardness} gets full coverage; coverage falls smoothly to 0 at {@code radius}. The brush raises
     * values to the coverage, the eraser lowers them to 255 minus the coverage, so repeated dabs never accumulate.
     */
    public Rect dab(double cx, double cy, double radius, double hardness, boolean erase) {
        radius = Math.max(0.5, radius);
        hardness = Math.max(0, Math.min(1, hardness));
        Rect r = new Rect((int) Math.floor(cx - radius), (int) Math.floor(cy - radius),
                (int) Math.ceil(cx + radius) - (int) Math.floor(cx - radius) + 1,
                (int) Math.ceil(cy + radius) - (int) Math.floor(cy - radius) + 1).intersect(bounds());
        if (r.isEmpty()) {
            return Rect.EMPTY;
        }
        double inner = radius * hardness;
        double r2 = radius * radius;
        double falloff = radius - inner;
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        for (int y = r.y(); y < r.bottom(); y++) {
            double dy = y + 0.5 - cy;
            double dy2 = dy * dy;
            if (dy2 > r2) {
                continue;
            }
            int row = y * width;
            for (int x = r.x(); x < r.right(); x++) {
                double dx = x + 0.5 - cx;
                double d2 = dx * dx + dy2;
                if (d2 > r2) {
                    continue;
                }
                int cov;
                if (falloff <= 1e-9) {
                    cov = 255;
                } else {
                    double d = Math.sqrt(d2);
                    if (d <= inner) {
                        cov = 255;
                    } else {
                        double t = 1 - (d - inner) / falloff;
                        cov = (int) Math.round(255 * t * t * (3 - 2 * t));
                    }
                }
                if (cov == 0) {
                    continue;
                }
                int old = values[row + x] & 0xff;
                int nv = erase ? erased(old, cov) : Math.max(old, cov);
                if (nv != old) {
                    values[row + x] = (byte) nv;
                }
                if (x < minX) minX = x;
                if (x > maxX) maxX = x;
                if (y < minY) minY = y;
                if (y > maxY) maxY = y;
            }
        }
        return maxX < 0 ? Rect.EMPTY : new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /**
     * Erasing lowers a value to 255 minus the coverage; what would stay below half is cleared. Generation repaints
     * only pixels at half or more, so those leftovers (where a soft eraser's edge passes over a soft stroke's edge)
     * would only show as a faint ghost outline in the overlay without changing anything.
     */
    static int erased(int old, int cov) {
        int nv = Math.min(old, 255 - cov);
        return nv < ERASE_CLEARS_BELOW ? 0 : nv;
    }

    /** Values the eraser leaves below this are cleared (the generation's 0.5 threshold). */
    static final int ERASE_CLEARS_BELOW = 128;

    /**
     * A stroke segment: every pixel gets the coverage a dab would give it at the segment's nearest point, i.e. the
     * union of dabs placed continuously from {@code (x0,y0)} to {@code (x1,y1)}. Works row by row over the capsule
     * only, so a long fast flick costs its area, not (number of dabs x dab area). {@code skipStart} is accepted for
     * symmetry with dab-based callers; the union is the same either way.
     */
    public Rect line(double x0, double y0, double x1, double y1, double radius, double hardness, boolean erase,
                        boolean skipStart) {
        radius = Math.max(0.5, radius);
        hardness = Math.max(0, Math.min(1, hardness));
        double dx = x1 - x0, dy = y1 - y0;
        double len2 = dx * dx + dy * dy;
        if (len2 < 1e-12) {
            return dab(x0, y0, radius, hardness, erase);
        }
        int yStart = Math.max(0, (int) Math.floor(Math.min(y0, y1) - radius));
        int yEnd = Math.min(height - 1, (int) Math.ceil(Math.max(y0, y1) + radius));
        double inner = radius * hardness, falloff = radius - inner, r2 = radius * radius;
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        for (int y = yStart; y <= yEnd; y++) {
            double py = y + 0.5;
            // x-span of the capsule on this row: segment points within radius vertically, widened by the radius
            double ta, tb;
            if (Math.abs(dy) < 1e-12) {
                ta = 0;
                tb = 1;
            } else {
                ta = (py - radius - y0) / dy;
                tb = (py + radius - y0) / dy;
                if (ta > tb) {
                    double t = ta; ta = tb; tb = t;
                }
                ta = Math.max(0, ta);
                tb = Math.min(1, tb);
                if (ta > tb) {
                    continue;
                }
            }
            double xa = x0 + dx * ta, xb = x0 + dx * tb;
            int xs = Math.max(0, (int) Math.floor(Math.min(xa, xb) - radius));
            int xe = Math.min(width - 1, (int) Math.ceil(Math.max(xa, xb) + radius));
            int row = y * width;
            for (int x = xs; x <= xe; x++) {
                double px = x + 0.5;
                double t = ((px - x0) * dx + (py - y0) * dy) / len2;
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                double ex = px - x0 - t * dx, ey = py - y0 - t * dy;
                double d2 = ex * ex + ey * ey;
                if (d2 > r2) {
                    continue;
                }
                int old = values[row + x] & 0xff;
                if (erase ? old == 0 : old == 255) {
                    continue;
                }
                int cov = coverage(d2, inner, falloff);
                if (cov == 0) {
                    continue;
                }
                int nv = erase ? erased(old, cov) : Math.max(old, cov);
                if (nv != old) {
                    values[row + x] = (byte) nv;
                    if (x < minX) minX = x;
                    if (x > maxX) maxX = x;
                    if (y < minY) minY = y;
                    if (y > maxY) maxY = y;
                }
            }
        }
        return maxX < 0 ? Rect.EMPTY : new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    private static int coverage(double d2, double inner, double falloff) {
        if (falloff <= 1e-9) {
            return 255;
        }
        double d = Math.sqrt(d2);
        if (d <= inner) {
            return 255;
        }
        double t = 1 - (d - inner) / falloff;
        return (int) Math.round(255 * t * t * (3 - 2 * t));
    }

    /** A copy of the values inside {@code r} (for undo). */
    public byte[] copyRect(Rect r) {
        byte[] out = new byte[r.width() * r.height()];
        for (int y = 0; y < r.height(); y++) {
            System.arraycopy(values, (r.y() + y) * width + r.x(), out, y * r.width(), r.width());
        }
        return out;
    }

    /** Writes back values taken by {@link #copyRect}. */
    public void pasteRect(Rect r, byte[] data) {
        for (int y = 0; y < r.height(); y++) {
            System.arraycopy(data, y * r.width(), values, (r.y() + y) * width + r.x(), r.width());
        }
    }

    public Rect clear() {
        Arrays.fill(values, (byte) 0);
        return bounds();
    }

    public Rect fill() {
        Arrays.fill(values, (byte) 255);
        return bounds();
    }

    public Rect invert() {
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) (255 - (values[i] & 0xff));
        }
        return bounds();
    }

    /** Bounding box of the pixels at or above {@code threshold} (0..255), or EMPTY. */
    public Rect boundingBox(int threshold) {
        int minX = width, minY = height, maxX = -1, maxY = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                if ((values[row + x] & 0xff) >= threshold) {
                    if (x < minX) minX = x;
                    if (x > maxX) maxX = x;
                    if (y < minY) minY = y;
                    maxY = y;
                }
            }
        }
        return maxX < 0 ? Rect.EMPTY : new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    public boolean isEmpty() {
        for (byte v : values) {
            if ((v & 0xff) >= 128) {
                return false;
            }
        }
        return true;
    }

    /** Replaces the whole mask with {@code m} (resized by nearest neighbour when the sizes differ). */
    public Rect set(Mask m) {
        for (int y = 0; y < height; y++) {
            int sy = (int) ((long) y * m.height() / height);
            for (int x = 0; x < width; x++) {
                int sx = (int) ((long) x * m.width() / width);
                float v = m.values()[sy * m.width() + sx];
                values[y * width + x] = (byte) Math.round(Math.max(0, Math.min(1, v)) * 255);
            }
        }
        return bounds();
    }

    /** The mask as the pipeline wants it: floats in [0, 1]. */
    public Mask toMask() {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (values[i] & 0xff) / 255f;
        }
        return new Mask(width, height, f);
    }

    /** The rectangle {@link #morph(int)} may change: the painted area's bounding box plus the radius. */
    public Rect morphRegion(int radius) {
        Rect painted = boundingBox(128);
        return painted.isEmpty() ? Rect.EMPTY : painted.grow(Math.abs(radius) + 1).intersect(bounds());
    }

    /**
     * Grows (positive) or shrinks (negative) the painted area by {@code radius} pixels (round structuring element,
     * exact Euclidean distance). Soft edges away from the new border keep their values.
     */
    public Rect morph(int radius) {
        if (radius == 0) {
            return Rect.EMPTY;
        }
        boolean grow = radius > 0;
        int r = Math.abs(radius);
        Rect painted = boundingBox(128);
        if (painted.isEmpty()) {
            return Rect.EMPTY;
        }
        // only pixels near the painted area can change: work in its bounding box plus the radius (plus 1 for shrink,
        // so the unpainted ring around it is seen)
        Rect region = painted.grow(grow ? r : 1).intersect(bounds());
        int rw = region.width(), rh = region.height();
        // squared distance from every pixel to the nearest "source": painted pixels for grow, unpainted ones for shrink
        boolean[] source = new boolean[rw * rh];
        for (int i = 0; i < source.length; i++) {
            int v = values[(region.y() + i / rw) * width + region.x() + i % rw] & 0xff;
            source[i] = grow == (v >= 128);
        }
        boolean[] near = com.inpaintstudio.image.MaskOps.near(source, rw, rh, r);
        int nv = grow ? 255 : 0;
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        for (int y = 0; y < rh; y++) {
            for (int x = 0; x < rw; x++) {
                if (near[y * rw + x] && !source[y * rw + x]) {
                    int i = (region.y() + y) * width + region.x() + x;
                    if ((values[i] & 0xff) != nv) {
                        values[i] = (byte) nv;
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                    }
                }
            }
        }
        return maxX < 0 ? Rect.EMPTY
                : new Rect(region.x() + minX, region.y() + minY, maxX - minX + 1, maxY - minY + 1);
    }
}
