package com.inpaintstudio.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.SafetensorsFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Same seed -> same noise as diffusers with a CPU generator (torch.manual_seed + randn), bit for bit. */
class SeedNoiseParityTest {
    @ParameterizedTest
    @CsvSource({"0,1x4x64x64", "42,1x4x64x64", "1234,1x4x64x64", "0,1x4x32x32", "42,1x4x24x40", "1234,3", "0,15",
            "42,16", "1234,17", "0,2x77x32"})
    void randnEqualsTorch(long seed, String shape) {
        long[] dims = java.util.Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).toArray();
        try (SafetensorsFile ref = Fixtures.openCase("rng"); NDManager m = DjlRuntime.newManager()) {
            float[] expected = ref.readFloats("manual_seed_" + seed + "_randn_" + shape);
            DjlRuntime.seed(seed);
            NDArray noise = m.randomNormal(new Shape(dims));
            assertArrayEquals(expected, noise.toFloatArray(), 0f, "seed " + seed + " shape " + shape);
        }
    }
}
