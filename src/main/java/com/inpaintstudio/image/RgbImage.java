package com.inpaintstudio.image;

/**
 * An 8-bit RGB picture as packed {@code 0xRRGGBB} ints, row-major. Plain Java, shared by engine and UI.
 * The pixel array is owned by the image; treat it as immutable once handed on.
 */
public record RgbImage(int width, int height, int[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("pixel array has " + rgb.length + " entries for " + width + "x" + height);
        }
    }

    public static RgbImage filled(int width, int height, int rgb) {
        int[] px = new int[width * height];
        java.util.Arrays.fill(px, rgb & 0xffffff);
        return new RgbImage(width, height, px);
    }

    public int get(int x, int y) {
        return rgb[y * width + x];
    }
}
