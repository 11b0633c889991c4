package com.inpaintstudio.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.inpaintstudio.model.Half;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TorchOps#toBf16} of float16 weights (taken through float32 for speed) rounds each value to nearest even. */
class Bf16CastTest {
    @Test
    void everyFloat16RoundsToTheNearestEvenBfloat16() {
        // all 63488 finite float16 values: normals, subnormals, zeros, both signs; many are not bf16-exact
        float[] values = new float[65536 - 2 * 1024];
        int n = 0;
        for (int bits = 0; bits < 65536; bits++) {
            if ((bits & 0x7c00) != 0x7c00) {
                values[n++] = Half.toFloat((short) bits);
            }
        }
        assertEquals(values.length, n);
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray f16 = m.create(values).toType(DataType.FLOAT16, false);
            float[] got = TorchOps.toF32(TorchOps.toBf16(f16)).toFloatArray();
            int rounded = 0;
            for (int i = 0; i < n; i++) {
                float want = bfloat16(values[i]);
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]),
                        "float16 " + values[i] + ": got " + got[i] + ", want " + want);
                if (want != values[i]) {
                    rounded++;
                }
            }
            // the cast really rounds (bf16 has 3 mantissa bits fewer than float16)
            assertTrue(rounded > 40000, rounded + " of " + n + " values changed");
        }
    }

    /** {@code f} rounded to bfloat16, to nearest even, as a float (f finite). */
    private static float bfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(rounded & 0xffff0000);
    }
}
