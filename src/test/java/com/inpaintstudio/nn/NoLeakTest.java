package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Many forwards leave the caller's and the weights' managers exactly as they were: nothing leaks. */
class NoLeakTest {
    @Test
    void twentyUnetForwardsLeaveEveryManagerAsItWas() {
        List<SafetensorsFile> files = new ArrayList<>();
        try (NDManager weights = DjlRuntime.newManager(); NDManager caller = DjlRuntime.newManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.build(NnFixtures.config("unet"),
                    NnFixtures.weights("unet", weights, files));
            DjlRuntime.seed(7);
            NDArray ehs = caller.randomNormal(new Shape(2, 77, 32));
            // 16x16 (even all the way down) and 13x11 (odd sizes: explicit upsampling sizes)
            NDArray even = caller.randomNormal(new Shape(2, 9, 16, 16));
            NDArray odd = caller.randomNormal(new Shape(2, 9, 13, 11));
            unet.forward(even, 999, ehs).close(); // first call: weights are loaded lazily by nothing else
            int weightArrays = weights.getManagedArrays().size();
            int callerArrays = caller.getManagedArrays().size();
            float[] first = null;
            for (int i = 0; i < 20; i++) {
                NDArray x = i % 2 == 0 ? even : odd;
                NDArray out = unet.forward(x, new double[] {900 - 40 * i, 10 + i}, ehs);
                assertEquals(x.getShape().get(2), out.getShape().get(2));
                assertEquals(x.getShape().get(3), out.getShape().get(3));
                assertEquals(4, out.getShape().get(1));
                assertEquals(callerArrays + 1, caller.getManagedArrays().size(), "only the result is added");
                if (i == 0) {
                    first = out.toFloatArray();
                }
                out.close();
                assertEquals(callerArrays, caller.getManagedArrays().size(), "forward " + i);
                assertEquals(weightArrays, weights.getManagedArrays().size(), "weights after forward " + i);
            }
            // the inputs were only borrowed: still usable, same result for the same call
            float[] again = unet.forward(even, new double[] {900, 10}, ehs).toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(first, again, 0f);
        } finally {
            files.forEach(SafetensorsFile::close);
        }
    }

    @Test
    void vaeEncodeAndDecodeLeaveEveryManagerAsItWas() {
        List<SafetensorsFile> files = new ArrayList<>();
        try (NDManager weights = DjlRuntime.newManager(); NDManager caller = DjlRuntime.newManager()) {
            AutoencoderKL vae = AutoencoderKL.build(NnFixtures.config("vae"), NnFixtures.weights("vae", weights, files));
            NDArray image = caller.randomUniform(-1f, 1f, new Shape(1, 3, 64, 48));
            NDArray latents = caller.randomNormal(new Shape(2, 4, 8, 6));
            vae.decode(latents).close();
            vae.encodeMean(image).close();
            int weightArrays = weights.getManagedArrays().size();
            int callerArrays = caller.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                NDArray mean = vae.encodeMean(image);
                assertEquals(new Shape(1, 4, 8, 6), mean.getShape());
                NDArray[] ml = vae.encodeMeanLogVar(image);
                NDArray pixels = vae.decode(latents);
                assertEquals(new Shape(2, 3, 64, 48), pixels.getShape());
                assertEquals(callerArrays + 4, caller.getManagedArrays().size());
                mean.close();
                ml[0].close();
                ml[1].close();
                pixels.close();
                assertEquals(callerArrays, caller.getManagedArrays().size(), "round " + i);
                assertEquals(weightArrays, weights.getManagedArrays().size(), "weights after round " + i);
            }
        } finally {
            files.forEach(SafetensorsFile::close);
        }
    }
}
