package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code <lora:NAME:W>} in a prompt becomes a LoRA of the request, found beside the model. */
class PromptLorasTest {
    @TempDir
    Path models;

    @Test
    void aPromptTagIsLookedUpBesideTheModelAndNotAddedTwice() throws Exception {
        Files.createDirectories(models.resolve("loras"));
        Path grain = Files.writeString(models.resolve("loras/grain.safetensors"), "not read here");
        Path model = models.resolve("my-model");
        List<LoraSpec> none = List.of();
        assertSame(none, PromptLoras.with(none, "a plain prompt", model));

        List<LoraSpec> specs = PromptLoras.with(none, "a cat <lora:grain:0.6>", model);
        assertEquals(1, specs.size());
        assertEquals("grain", specs.get(0).name());
        assertEquals(grain, specs.get(0).file());
        assertEquals(0.6, specs.get(0).strength(), 1e-9);

        List<LoraSpec> given = List.of(new LoraSpec("grain", grain, 1.0));
        assertEquals(given, PromptLoras.with(given, "a cat <lora:grain:0.6>", model), "--lora wins over the tag");

        InpaintException e = assertThrows(InpaintException.class,
                () -> PromptLoras.with(none, "a cat <lora:missing:1>", model));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("grain"), e.getMessage());
    }

    @Test
    void thePngPromptNamesTheStrengthThatWasApplied() {
        List<LoraState.Applied> applied = List.of(new LoraState.Applied("grain", 0.75, "0123456789ab", 8),
                new LoraState.Applied("lcm-tiny", 1.0, "ba9876543210", 64));
        // the editor's list (or --lora) said 0.75 where the prompt's tag says 0.5: the record says what was applied
        assertEquals("a cat <lora:grain:0.75>, sunny <lora:lcm-tiny:1>",
                GenerationParameters.promptWithLoraTags("a cat <lora:grain:0.5>, sunny", applied));
        // a tag that matches (also te/unet forms and other case) stays as typed; later duplicates are left alone
        assertEquals("<lora:Grain:1:0.75> x <lora:grain:2> <lora:lcm-tiny:1>",
                GenerationParameters.promptWithLoraTags("<lora:Grain:1:0.75> x <lora:grain:2>", applied));
        assertEquals("<lora:grain:0.75> <lora:lcm-tiny:1>", GenerationParameters.promptWithLoraTags("", applied));
        assertEquals("plain", GenerationParameters.promptWithLoraTags("plain", List.of()));
    }
}
