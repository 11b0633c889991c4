package com.inpaintstudio.pipeline;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.model.DiffusersFolder;
import com.inpaintstudio.model.SafetensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole StableDiffusionInpaintPipeline runs against diffusers' recorded runs: the latents after every step (within
 * the manifest's atol 1e-3 + rtol 1e-3: the runs reach |x| ~ 60, where float32 itself differs from float64 by 1e-4)
 * and the final 8-bit image (at most 1 level off).
 */
class PipelineParityTest {
    private static DiffusionEngine engine;
    private static JsonObject manifestCases;

    @BeforeAll
    static void load() throws Exception {
        engine = DiffusionEngine.open(DiffusersFolder.open(Fixtures.modelDir()));
        JsonObject manifest = JsonParser.parseString(Files.readString(Fixtures.root().resolve("manifest.json"))).getAsJsonObject();
        manifestCases = new JsonObject();
        manifest.getAsJsonArray("cases").forEach(c -> manifestCases.add(c.getAsJsonObject().get("name").getAsString(), c));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipeline_pndm", "pipeline_ddim", "pipeline_euler", "pipeline_nonsquare_320x192_pndm",
        "pipeline_strength0p75_pndm"})
    void matchesDiffusersStepByStep(String name) {
        JsonObject inputs = manifestCases.getAsJsonObject(name).getAsJsonObject("inputs");
        try (SafetensorsFile ref = Fixtures.openCase(name)) {
            float[] noise = ref.contains("initial_latents") ? ref.readFloats("initial_latents")
                    : ref.readFloats("prepare_latents_noise");
            InpaintRequest request = InpaintRequest.builder()
                    .image(ImageFiles.readImage(Fixtures.root().resolve(inputs.get("image_png").getAsString())))
                    .mask(ImageFiles.readMask(Fixtures.root().resolve(inputs.get("mask_png").getAsString())))
                    .prompt(inputs.get("prompt").getAsString())
                    .negativePrompt(inputs.get("negative_prompt").getAsString())
                    .steps(inputs.get("num_inference_steps").getAsInt())
                    .guidance(inputs.get("guidance_scale").getAsDouble())
                    .strength(inputs.get("strength").getAsDouble())
                    .scheduler(inputs.get("scheduler").getAsString())
                    .initNoise(noise)
                    .size(inputs.get("width").getAsInt(), inputs.get("height").getAsInt())
                    .pasteBack(false).preview(PreviewMode.NONE).build();
            List<float[]> steps = new ArrayList<>();
            engine.setTrace((i, t, latents, x0, guided) -> steps.add(latents.toFloatArray()));
            InpaintResult result;
            try {
                result = engine.generate(request, StepListener.NONE, new CancelToken());
            } finally {
                engine.setTrace(null);
            }
            float[] expected = ref.readFloats("latents_after_step");
            int per = expected.length / steps.size();
            assertEquals(ref.info("latents_after_step").shape()[0], steps.size(), "number of steps");
            double worst = 0;
            for (int s = 0; s < steps.size(); s++) {
                float[] got = steps.get(s);
                for (int k = 0; k < per; k++) {
                    float e = expected[s * per + k];
                    double err = Math.abs(got[k] - e);
                    worst = Math.max(worst, err);
                    assertTrue(err <= 1e-3 + 1e-3 * Math.abs(e),
                            name + ": step " + s + " element " + k + " got " + got[k] + " expected " + e);
                }
            }
            float[] img = ref.readFloats("image_uint8");
            int w = inputs.get("width").getAsInt();
            int h = inputs.get("height").getAsInt();
            assertEquals(w, result.image().width());
            assertEquals(h, result.image().height());
            int maxDiff = 0;
            for (int i = 0; i < w * h; i++) {
                int p = result.image().rgb()[i];
                int[] rgb = {p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff};
                for (int c = 0; c < 3; c++) {
                    maxDiff = Math.max(maxDiff, Math.abs(rgb[c] - (int) img[i * 3 + c]));
                }
            }
            assertTrue(maxDiff <= 1, name + ": final image differs by " + maxDiff + " levels");
            System.out.printf("%s: worst latent error %.3g over %d steps, image max diff %d%n", name, worst, steps.size(), maxDiff);
        }
    }
}
