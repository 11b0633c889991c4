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
}
