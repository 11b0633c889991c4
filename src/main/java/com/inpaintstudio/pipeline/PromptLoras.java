package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.lora.LoraLibrary;
import com.inpaintstudio.text.ExtraNetworks;
import com.inpaintstudio.text.LoraTag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A1111's {@code <lora:NAME:W>} prompt tags as LoRAs of the request: each tag's NAME is looked up in the
 * {@code loras/} folder beside the model and in every models folder; a LoRA the request already names (CLI
 * {@code --lora}, the editor's list) is not added twice.
 */
final class PromptLoras {
    private PromptLoras() {}

    static List<LoraSpec> with(List<LoraSpec> given, String prompt, Path modelLocation) {
        List<LoraTag> tags = ExtraNetworks.parse(prompt).loras();
        if (tags.isEmpty()) {
            return given;
        }
        LoraLibrary library = LoraLibrary.forModel(modelLocation);
        List<LoraSpec> all = new ArrayList<>(given);
        for (LoraTag t : tags) {
            boolean named = all.stream().anyMatch(s -> s.name().toLowerCase(Locale.ROOT).equals(t.name().toLowerCase(Locale.ROOT)));
            if (named) {
                continue;
            }
            try {
                all.add(new LoraSpec(t.name(), library.resolve(t.name()), t.unetStrength()));
            } catch (ModelFormatException | IllegalArgumentException e) {
                throw new InpaintException("The prompt's <lora:" + t.name() + "> tag: " + e.getMessage(), e);
            }
        }
        return all;
    }
}
