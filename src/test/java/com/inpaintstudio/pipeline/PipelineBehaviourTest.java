package com.inpaintstudio.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.MaskOps;
import com.inpaintstudio.image.PasteBack;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.image.TensorConversions;
import com.inpaintstudio.model.DiffusersFolder;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the pipeline promises beyond parity, on the tiny model at small sizes and few steps. */
class PipelineBehaviourTest {
    private static DiffusionEngine engine;

    @BeforeAll
    static void load() {
        engine = DiffusionEngine.open(DiffusersFolder.open(Fixtures.modelDir()));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static InpaintRequest.Builder small() {
        return InpaintRequest.builder().image(TestModels.photo(64, 64)).mask(TestModels.box(64, 64, 16, 16, 24, 24))
                .prompt("a cat with a hat").steps(2).size(64, 64).preview(PreviewMode.NONE);
    }

    @Test
    void manyRunsLeaveNoArraysBehind() {
        // every step's tensors die with the step's manager, the run's with the run's; nothing lands in the weights
        InpaintRequest r = small().preview(PreviewMode.VAE).scheduler("dpmpp-2m").build();
        engine.generate(r, null, null);
        int weights = engine.model().liveWeightArrays();
        long rssBefore = rssKiB();
        for (int i = 0; i < 6; i++) {
            engine.generate(r.toBuilder().seed(i).build(), null, null);
        }
        assertEquals(weights, engine.model().liveWeightArrays(), "arrays added to the weights manager");
        long grownMiB = (rssKiB() - rssBefore) / 1024;
        assertTrue(grownMiB < 64, "resident memory grew by " + grownMiB + " MiB over 6 runs");
    }

    private static long rssKiB() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst().orElse(0);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void sameSeedSamePixelsOtherSeedOtherPixels() {
        int[] a = engine.generate(small().seed(7).build(), null, null).image().rgb();
        int[] b = engine.generate(small().seed(7).build(), null, null).image().rgb();
        int[] c = engine.generate(small().seed(8).build(), null, null).image().rgb();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void seedNoiseIsTorchManualSeedRandn() {
        // --seed 42 must run exactly as the explicit noise torch.manual_seed(42); torch.randn(1,4,32,32) (256x256)
        float[] torchNoise;
        try (SafetensorsFile rng = Fixtures.openCase("rng")) {
            torchNoise = rng.readFloats("manual_seed_42_randn_1x4x32x32");
        }
        InpaintRequest.Builder b = InpaintRequest.builder().image(TestModels.photo(256, 256))
                .mask(TestModels.box(256, 256, 64, 64, 96, 96)).prompt("a cat").steps(1)
                .preview(PreviewMode.NONE).pasteBack(false);
        int[] seeded = engine.generate(b.seed(42).build(), null, null).image().rgb();
        int[] explicit = engine.generate(b.initNoise(torchNoise).build(), null, null).image().rgb();
        assertArrayEquals(explicit, seeded);
    }

    @Test
    void cancelMidRunReturnsPartialImage() {
        CancelToken cancel = new CancelToken();
        List<Integer> seen = new ArrayList<>();
        InpaintResult r = engine.generate(small().steps(4).build(), e -> {
            seen.add(e.step());
            if (e.step() == 2) {
                cancel.cancel();
            }
        }, cancel);
        assertTrue(r.cancelled());
        assertEquals(2, r.stepsCompleted());
        assertEquals(List.of(1, 2), seen);
        assertNotNull(r.image());
        assertEquals(64, r.image().width());
        assertEquals(64, r.image().height());
    }

    @Test
    void pasteBackKeepsUnmaskedPixelsBitIdentical() {
        RgbImage photo = TestModels.photo(64, 64);
        Mask mask = TestModels.box(64, 64, 24, 20, 16, 16);
        InpaintResult r = engine.generate(small().image(photo).mask(mask).maskBlur(4).build(), null, null);
        float[] alpha = PasteBack.alpha(MaskOps.binarize(mask), 4).values();
        int outside = 0;
        int changedInside = 0;
        for (int i = 0; i < alpha.length; i++) {
            if (alpha[i] == 0f) {
                assertEquals(photo.rgb()[i], r.image().rgb()[i], "pixel " + i + " outside the feathered mask");
                outside++;
            } else if (r.image().rgb()[i] != photo.rgb()[i]) {
                changedInside++;
            }
        }
        assertTrue(outside > 2000, "most of the picture is outside the mask: " + outside);
        assertTrue(changedInside > 100, "the masked part was repainted: " + changedInside);
    }

    @Test
    void onlyMaskedOnABigPhotoGeneratesAtModelSizeAndKeepsTheRest() {
        RgbImage photo = TestModels.photo(2000, 1500);
        Mask mask = TestModels.box(2000, 1500, 1400, 900, 40, 40);
        List<StepEvent> events = new ArrayList<>();
        Runtime rt = Runtime.getRuntime();
        long t0 = System.nanoTime();
        InpaintResult r = engine.generate(small().image(photo).mask(mask).size(0, 0).onlyMasked(true).padding(32)
                .preview(PreviewMode.LINEAR).build(), events::add, null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long usedMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        assertEquals(2000, r.image().width());
        assertEquals(1500, r.image().height());
        StepEvent e = events.get(0);
        assertEquals(model().nativeSize(), e.preview().width(), "generated at the model's native size");
        assertEquals(model().nativeSize(), e.preview().height());
        assertTrue(e.regionX() <= 1400 && e.regionX() + e.regionWidth() >= 1440, "region holds the mask");
        assertTrue(e.regionWidth() < 200, "only the mask's box plus padding: " + e.regionWidth());
        int changed = 0;
        for (int y = 0; y < 1500; y++) {
            for (int x = 0; x < 2000; x++) {
                boolean far = x < e.regionX() || y < e.regionY() || x >= e.regionX() + e.regionWidth()
                        || y >= e.regionY() + e.regionHeight() || x < 1390 || x >= 1450 || y < 890 || y >= 950;
                int i = y * 2000 + x;
                if (far) {
                    assertEquals(photo.rgb()[i], r.image().rgb()[i], "pixel " + x + "," + y);
                } else if (photo.rgb()[i] != r.image().rgb()[i]) {
                    changed++;
                }
            }
        }
        assertTrue(changed > 500, "the masked part was repainted: " + changed);
        System.out.printf("only masked 2000x1500: region %dx%d, %.1f s, heap in use %d MB%n",
                e.regionWidth(), e.regionHeight(), seconds, usedMb);
        assertTrue(seconds < 60, "took " + seconds + " s");
    }

    @Test
    void textToImageWithoutImageAndWithWhiteImage() {
        InpaintResult none = engine.generate(InpaintRequest.builder().prompt("a red barn").steps(2).size(64, 48)
                .preview(PreviewMode.NONE).build(), null, null);
        assertEquals(64, none.image().width());
        assertEquals(48, none.image().height());
        assertTrue(Arrays.stream(none.image().rgb()).distinct().count() > 10, "a picture, not a blank canvas");
        InpaintResult white = engine.generate(InpaintRequest.builder().image(RgbImage.filled(72, 56, 0xffffff))
                .mask(Mask.filled(72, 56, 1f)).prompt("a red barn").steps(2).size(72, 56)
                .preview(PreviewMode.NONE).build(), null, null);
        assertEquals(72, white.image().width());
        assertEquals(56, white.image().height());
        assertTrue(Arrays.stream(white.image().rgb()).distinct().count() > 10);
    }

    @Test
    void previewModes() {
        for (PreviewMode mode : PreviewMode.values()) {
            if (mode == PreviewMode.TAESD) {
                continue; // needs a TAESD: TaesdPreviewTest
            }
            List<StepEvent> events = new ArrayList<>();
            engine.generate(small().steps(3).preview(mode).build(), events::add, null);
            assertEquals(events.get(0).totalSteps(), events.size(), mode.name());
            for (StepEvent e : events) {
                switch (mode) {
                    case VAE -> assertTrue(e.preview() != null && e.previewDecoded(), "VAE step " + e.step());
                    case LINEAR -> assertTrue(e.preview() != null && !e.previewDecoded(), "LINEAR step " + e.step());
                    case NONE -> assertNull(e.preview(), "NONE step " + e.step());
                    case AUTO -> assertNotNull(e.preview(), "AUTO step " + e.step());
                }
                if (e.preview() != null) {
                    assertEquals(64, e.preview().width());
                    // one alpha with the frame: opaque on the (blurred) mask, clear where the photo shows unchanged
                    int[] argb = e.previewArgb();
                    long opaque = java.util.Arrays.stream(argb).filter(p -> p >>> 24 == 255).count();
                    assertTrue(opaque > 0 && opaque < argb.length, mode + " opaque pixels " + opaque);
                }
            }
        }
    }

    @Test
    void wholePictureLargerThanTheModelRecordsTheSizeItWasGeneratedAt() {
        int n = engine.nativeSize();
        int w = n * 2, h = n * 3 / 2;
        InpaintResult r = engine.generate(InpaintRequest.builder().image(TestModels.photo(w, h))
                .mask(TestModels.box(w, h, w / 4, h / 4, w / 3, h / 3)).prompt("x").steps(1)
                .preview(PreviewMode.NONE).build(), null, null);
        int[] gen = WorkArea.nativeArea(w, h, n);
        assertEquals(w, r.image().width(), "the result is the photo's size");
        assertTrue(r.parameters().contains("Size: " + gen[0] + "x" + gen[1]), "records the generated size: " + r.parameters());
        assertFalse(r.parameters().contains("Size: " + w + "x" + h), r.parameters());
    }

    @Test
    void parametersTextHasA1111Keys() {
        InpaintResult r = engine.generate(small().negativePrompt("blurry").seed(5).build(), null, null);
        String p = r.parameters();
        assertTrue(p.startsWith("a cat with a hat\n"), p);
        for (String key : List.of("Negative prompt: blurry", "Steps: 2", "Sampler: ", "CFG scale: 7.5", "Seed: 5",
                "Size: 64x64", "Denoising strength: 1.0", "Mask blur: 4", "Model: ")) {
            assertTrue(p.contains(key), "missing '" + key + "' in: " + p);
        }
    }

    @Test
    void fourChannelModelBlendsKnownLatentsAndDoesImg2Img(@TempDir Path dir) throws Exception {
        try (DiffusionEngine four = DiffusionEngine.open(DiffusersFolder.open(TestModels.fourChannelTinyModel(dir)))) {
            assertFalse(four.model().isInpainting());
            RgbImage photo = TestModels.photo(64, 64);
            Mask mask = TestModels.box(64, 64, 0, 0, 32, 32);
            InpaintRequest.Builder b = InpaintRequest.builder().image(photo).mask(mask).prompt("a cat").steps(3)
                    .size(64, 64).preview(PreviewMode.NONE).pasteBack(false);
            List<float[]> steps = new ArrayList<>();
            four.setTrace((i, t, latents, x0, guided) -> steps.add(latents.toFloatArray()));
            RgbImage out;
            try {
                out = four.generate(b.build(), null, null).image();
            } finally {
                four.setTrace(null);
            }
            // after the last step the latents outside the mask are the photo's own (clean) latents
            float[] known = imageLatents(four, photo);
            float[] last = steps.get(steps.size() - 1);
            double worstOutside = 0;
            double worstInside = 0;
            for (int c = 0; c < 4; c++) {
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int k = c * 64 + y * 8 + x;
                        double d = Math.abs(last[k] - known[k]);
                        if (x >= 4 || y >= 4) {
                            worstOutside = Math.max(worstOutside, d);
                        } else {
                            worstInside = Math.max(worstInside, d);
                        }
                    }
                }
            }
            assertTrue(worstOutside < 1e-4, "unmasked latents follow the photo: " + worstOutside);
            assertTrue(worstInside > 0.1, "the masked latents were generated: " + worstInside);
            assertEquals(64, out.width());
            InpaintResult img2img = four.generate(b.strength(0.5).steps(4).scheduler("ddim").build(), null, null);
            assertEquals(2, img2img.stepsCompleted(), "strength 0.5 runs half the steps");
            assertEquals(64, img2img.image().width());
        }
    }

    /** The photo's scaled VAE mean latents, as the engine computes them. */
    private static float[] imageLatents(DiffusionEngine e, RgbImage photo) {
        var vae = e.model().vae();
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray img = m.create(TensorConversions.toChw(photo), new Shape(1, 3, photo.height(), photo.width()));
            return vae.encodeMean(img).mul(vae.scalingFactor()).toFloatArray();
        }
    }

    private static StableDiffusionModel model() {
        return engine.model();
    }
}
