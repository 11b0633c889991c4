package com.inpaintstudio.image;

/**
 * A grayscale mask in [0, 1], row-major; 1 (white) = repaint. Soft brushes paint values in between.
 */
public record Mask(int width, int height, float[] values) {
    public Mask {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("mask size must be positive, got " + width + "x" + height);
        }
        if (values.length != width * height) {
            throw new IllegalArgumentException("mask array has " + values.length + " entries for " + width + "x" + height);
        }
    }

    public static Mask filled(int width, int height, float v) {
        float[] a = new float[width * height];
        java.util.Arrays.fill(a, v);
        return new Mask(width, height, a);
    }

    public float get(int x, int y) {
        return values[y * width + x];
    }

    /** True when no pixel reaches the 0.5 binarisation threshold: nothing would be repainted. */
    public boolean isEmpty() {
        for (float v : values) {
            if (v >= 0.5f) {
                return false;
            }
        }
        return true;
    }
}
