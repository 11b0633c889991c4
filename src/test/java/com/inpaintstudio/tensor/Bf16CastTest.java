package com.inpaintstudio.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.inpaintstudio.model.Half;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link TorchOps#toBf16} of float16 weights (taken through float32 for speed) rounds exactly as libtorch's cast. */
class Bf16CastTest {
    @Test
    void everyFloat16BecomesTheBfloat16OfItsFloat32Value() {
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
            NDArray f32 = m.create(values);
            NDArray f16 = f32.toType(DataType.FLOAT16, false);
            float[] fromHalf = TorchOps.toF32(TorchOps.toBf16(f16)).toFloatArray();
            float[] fromFloat = TorchOps.toF32(TorchOps.toBf16(f32)).toFloatArray();
            int rounded = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(fromFloat[i]), Float.floatToRawIntBits(fromHalf[i]),
                        "float16 " + values[i] + ": " + fromHalf[i] + " vs " + fromFloat[i]);
                if (fromHalf[i] != values[i]) {
                    rounded++;
                }
            }
            // the cast really rounds (bf16 has 3 mantissa bits fewer than float16)
            assertEquals(true, rounded > 40000, rounded + " of " + n + " values changed");
        }
    }
}
