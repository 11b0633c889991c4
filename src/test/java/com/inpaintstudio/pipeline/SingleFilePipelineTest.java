package com.inpaintstudio.pipeline;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.model.Models;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tiny model converted to a single original-layout file by diffusers' own converter gives the same pipeline
 * run as its diffusers folder: the same latents after every step and the same picture.
 */
class SingleFilePipelineTest {
    private static final String CASE = "pipeline_pndm";

    record Run(List<float[]> latents, int[] rgb) { }

    static Run run(Path model) throws Exception {
        JsonObject manifest = JsonParser.parseString(Files.readString(Fixtures.root().resolve("manifest.json"))).getAsJsonObject();
        JsonObject inputs = null;
        for (var c : manifest.getAsJsonArray("cases")) {
            if (c.getAsJsonObject().get("name").getAsString().equals(CASE)) {
                inputs = c.getAsJsonObject().getAsJsonObject("inputs");
            }
        }
        try (DiffusionEngine engine = DiffusionEngine.open(Models.open(model))) {
            InpaintRequest request = InpaintRequest.builder()
                    .image(ImageFiles.readImage(Fixtures.root().resolve(inputs.get("image_png").getAsString())))
                    .mask(ImageFiles.readMask(Fixtures.root().resolve(inputs.get("mask_png").getAsString())))
                    .prompt(inputs.get("prompt").getAsString())
                    .negativePrompt(inputs.get("negative_prompt").getAsString())
                    .steps(3)
                    .guidance(inputs.get("guidance_scale").getAsDouble())
                    .strength(inputs.get("strength").getAsDouble())
                    .scheduler(inputs.get("scheduler").getAsString())
                    .seed(7)
                    .size(64, 64) // small and few steps: the point is equality, not the reference run
                    .pasteBack(false).preview(PreviewMode.NONE).build();
            List<float[]> steps = new ArrayList<>();
            engine.setTrace((i, t, latents, x0, guided) -> steps.add(latents.toFloatArray()));
            InpaintResult result = engine.generate(request, StepListener.NONE, new CancelToken());
            return new Run(steps, result.image().rgb());
        }
    }

    @Test
    void singleFileRunEqualsFolderRun() throws Exception {
        Run folder = run(Fixtures.modelDir());
        Run single = run(Fixtures.root().resolve("model/tiny-sd-inpaint-single-file.safetensors"));
        assertEquals(4, folder.latents().size(), "PNDM (skip_prk_steps) runs 3 steps as 4 model calls, as diffusers");
        assertEquals(folder.latents().size(), single.latents().size());
        for (int s = 0; s < folder.latents().size(); s++) {
            assertArrayEquals(folder.latents().get(s), single.latents().get(s), 1e-6f, "latents after step " + s);
        }
        assertArrayEquals(folder.rgb(), single.rgb(), "final picture");
    }
}
