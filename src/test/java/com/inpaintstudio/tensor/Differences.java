package com.inpaintstudio.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How far one computation's output is from a reference's, for tests of approximate kernels. */
public final class Differences {
    private Differences() {}

    /** The largest |reference - other| over the largest |reference|; the arrays must be the same length. */
    public static double relative(float[] reference, float[] other) {
        assertEquals(reference.length, other.length, "same number of values");
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < reference.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(reference[i] - other[i]));
            maxAbs = Math.max(maxAbs, Math.abs(reference[i]));
        }
        return maxDiff / maxAbs;
    }

    /** The largest |value|. */
    public static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
