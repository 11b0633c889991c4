package com.inpaintstudio.pipeline;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.model.DiffusersFolder;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.lora.LoraTestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole pipeline runs at guidance 1 (diffusers then runs the UNet on batch 1, no CFG) with and without a LoRA merged,
 * against diffusers' recorded runs (fixtures/lora/pipeline_*.safetensors): every step's latents within
 * 1e-3 + 1e-3 |x|, the 8-bit image within one level; and the PNG parameters as A1111 writes them.
 */
class LoraPipelineParityTest {
    private static DiffusionEngine engine;

    @BeforeAll
    static void load() {
        engine = DiffusionEngine.open(DiffusersFolder.open(Fixtures.modelDir()));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static InpaintResult run(String name, List<LoraSpec> loras, String prompt) {
        Path root = LoraTestFiles.root();
        try (SafetensorsFile ref = SafetensorsFile.open(root.resolve("pipeline_" + name + ".safetensors"))) {
            InpaintRequest request = InpaintRequest.builder()
                    .image(ImageFiles.readImage(root.resolve("images/" + name + "_image.png")))
                    .mask(ImageFiles.readMask(root.resolve("images/" + name + "_mask.png")))
                    .prompt(prompt).negativePrompt("").steps(4).guidance(1.0).scheduler("ddim")
                    .initNoise(ref.readFloats("initial_latents")).size(128, 128)
                    .pasteBack(false).preview(PreviewMode.NONE).loras(loras).build();
            List<float[]> steps = new ArrayList<>();
            List<long[]> epsShapes = new ArrayList<>();
            engine.setTrace((i, t, latents, x0, eps) -> {
                steps.add(latents.toFloatArray());
                epsShapes.add(eps.getShape().getShape());
            });
            InpaintResult result;
            try {
                result = engine.generate(request, StepListener.NONE, new CancelToken());
            } finally {
                engine.setTrace(null);
            }
            float[] expected = ref.readFloats("latents_after_step");
            assertEquals(4, steps.size());
            int per = expected.length / 4;
            double worst = 0;
            for (int s = 0; s < 4; s++) {
                assertEquals(1, epsShapes.get(s)[0], "batch 1 noise prediction");
                for (int k = 0; k < per; k++) {
                    float e = expected[s * per + k];
                    double err = Math.abs(steps.get(s)[k] - e);
                    worst = Math.max(worst, err);
                    assertTrue(err <= 1e-3 + 1e-3 * Math.abs(e), name + ": step " + s + " element " + k);
                }
            }
            float[] img = ref.readFloats("image_uint8");
            int maxDiff = 0;
            for (int i = 0; i < 128 * 128; i++) {
                int p = result.image().rgb()[i];
                int[] rgb = {p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff};
                for (int c = 0; c < 3; c++) {
                    maxDiff = Math.max(maxDiff, Math.abs(rgb[c] - (int) img[i * 3 + c]));
                }
            }
            assertTrue(maxDiff <= 1, name + ": image differs by " + maxDiff + " levels");
            System.out.printf("pipeline %s: worst latent error %.3g, image max diff %d%n", name, worst, maxDiff);
            return result;
        }
    }

    @Test
    void guidanceOneRunsBatchOneAsDiffusers() {
        InpaintResult r = run("plain_g1", List.of(), "a cat with a hat");
        assertTrue(!r.parameters().contains("Lora hashes"), r.parameters());
    }

    @Test
    void loraMergedPipelineMatchesAndTheParametersNameIt() {
        Path lora = LoraTestFiles.root().resolve("lora_a_kohya.safetensors");
        InpaintResult r = run("lora_g1", List.of(LoraSpec.of(lora, 0.8)), "a cat with a hat");
        String p = r.parameters();
        assertTrue(p.startsWith("a cat with a hat <lora:lora_a_kohya:0.8>\n"), p);
        // A1111's LoRA hash: sha256 of the bytes after the safetensors header, first 12 hex digits
        assertTrue(p.endsWith(", Lora hashes: \"lora_a_kohya: be0a2f0f9782\""), p);
        // the next request without it runs on the original weights again
        run("plain_g1", List.of(), "a cat with a hat");
    }
}
