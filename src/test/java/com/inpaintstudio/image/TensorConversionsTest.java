package com.inpaintstudio.image;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.SafetensorsFile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TensorConversionsTest {

    @Test
    void pixelsToMinusOneOneAndBack() {
        RgbImage img = new RgbImage(2, 1, new int[] {0x00ff80, 0x7f0102});
        float[] chw = TensorConversions.toChw(img);
        assertArrayEquals(new float[] {-1f, 2f * (127f / 255f) - 1f, 1f, 2f * (1f / 255f) - 1f,
                2f * (128f / 255f) - 1f, 2f * (2f / 255f) - 1f}, chw);
        assertArrayEquals(img.rgb(), TensorConversions.fromChw(chw, 2, 1).rgb());
        for (int v = 0; v < 256; v++) {
            float f = TensorConversions.toChw(RgbImage.filled(1, 1, v * 0x010101))[0];
            assertEquals(v, TensorConversions.toByte(f));
        }
    }

    @Test
    void outputClampsAndRoundsHalfToEven() {
        assertEquals(0, TensorConversions.toByte(-3f));
        assertEquals(255, TensorConversions.toByte(7f));
        assertEquals(0, TensorConversions.toByte(Float.NaN));
        assertEquals(128, TensorConversions.toByte(0f)); // 127.5 exactly: numpy's round gives 128 (even)
    }

    @Test
    void matchesDiffusersOnTheFixtures() {
        // the VAE case's input image is PNG/255*2-1 of the pipeline test photo
        RgbImage photo = ImageFiles.readImage(Fixtures.root().resolve("images/pndm_image.png"));
        RgbImage ns = ImageFiles.readImage(Fixtures.root().resolve("images/nonsquare_320x192_pndm_image.png"));
        try (SafetensorsFile vae = Fixtures.openCase("vae")) {
            assertArrayEquals(vae.readFloats("image"), TensorConversions.toChw(photo));
            assertArrayEquals(vae.readFloats("ns_image"), TensorConversions.toChw(ns));
        }
        // decoded VAE output -> uint8 exactly as the pipeline's numpy_to_pil
        try (SafetensorsFile p = Fixtures.openCase("pipeline_pndm")) {
            RgbImage out = TensorConversions.fromChw(p.readFloats("decoded_raw"), 256, 256);
            float[] ref = p.readFloats("image_uint8"); // HWC
            int worst = 0;
            for (int i = 0; i < 256 * 256; i++) {
                int px = out.rgb()[i];
                worst = Math.max(worst, Math.abs((px >> 16 & 0xff) - (int) ref[3 * i]));
                worst = Math.max(worst, Math.abs((px >> 8 & 0xff) - (int) ref[3 * i + 1]));
                worst = Math.max(worst, Math.abs((px & 0xff) - (int) ref[3 * i + 2]));
            }
            assertEquals(0, worst);
        }
    }

    @Test
    void maskBinarisesAndResizesToTheLatentAsDiffusers() {
        for (String c : new String[] {"pndm", "nonsquare_320x192_pndm"}) {
            Mask mask = ImageFiles.readMask(Fixtures.root().resolve("images/" + c + "_mask.png"));
            try (SafetensorsFile f = Fixtures.openCase("pipeline_" + c)) {
                float[] cond = f.readFloats("mask_condition");
                float[] bin = TensorConversions.toBinaryFloats(mask);
                assertArrayEquals(cond, bin, c);
                long[] shape = f.info("mask_latent").shape();
                int lh = (int) shape[2];
                int lw = (int) shape[3];
                Mask latent = MaskOps.resizeNearest(MaskOps.binarize(mask), lw, lh);
                assertArrayEquals(f.readFloats("mask_latent"), TensorConversions.toFloats(latent), c);
            }
        }
    }
}
