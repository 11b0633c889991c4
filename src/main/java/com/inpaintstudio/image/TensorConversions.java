package com.inpaintstudio.image;

/**
 * Pixels to and from the float layouts the pipeline feeds DJL, with diffusers' exact float32 arithmetic:
 * in: {@code x / 255} then {@code 2 * x - 1}; out: {@code (x / 2 + 0.5).clamp(0, 1)}, {@code * 255}, rounded half to
 * even (numpy's {@code round}) to uint8.
 */
public final class TensorConversions {
    private TensorConversions() {}

    /** RGB as CHW float32 in [-1, 1]: {@code [3 * H * W]}, plane R then G then B. */
    public static float[] toChw(RgbImage img) {
        int n = img.width() * img.height();
        float[] out = new float[3 * n];
        int[] px = img.rgb();
        for (int i = 0; i < n; i++) {
            int p = px[i];
            out[i] = unit(p >> 16 & 0xff);
            out[n + i] = unit(p >> 8 & 0xff);
            out[2 * n + i] = unit(p & 0xff);
        }
        return out;
    }

    private static float unit(int v) {
        float f = v / 255f;
        return 2f * f - 1f;
    }

    /** CHW float32 in about [-1, 1] ({@code [3 * H * W]}) back to pixels. */
    public static RgbImage fromChw(float[] chw, int width, int height) {
        int n = width * height;
        if (chw.length != 3 * n) {
            throw new IllegalArgumentException("expected 3x" + height + "x" + width + " = " + 3 * n + " floats, got "
                    + chw.length);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = toByte(chw[i]) << 16 | toByte(chw[n + i]) << 8 | toByte(chw[2 * n + i]);
        }
        return new RgbImage(width, height, out);
    }

    /** One [-1, 1] value to 0..255 exactly as diffusers' postprocess + numpy_to_pil. */
    public static int toByte(float x) {
        float v = x / 2f + 0.5f;
        if (!(v > 0f)) { // also NaN -> 0, as clamp+astype would give
            v = 0f;
        } else if (v > 1f) {
            v = 1f;
        }
        return (int) Math.rint(v * 255f);
    }

    /** The mask values as {@code [H * W]} floats (a copy). */
    public static float[] toFloats(Mask m) {
        return m.values().clone();
    }

    /** The binarised mask (0 or 1, threshold 0.5) as {@code [H * W]} floats. */
    public static float[] toBinaryFloats(Mask m) {
        return MaskOps.binarize(m).values();
    }
}
