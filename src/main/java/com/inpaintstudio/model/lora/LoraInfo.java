package com.inpaintstudio.model.lora;

import com.inpaintstudio.model.ModelFamily;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a list of LoRAs shows about one file, from its header alone (no weights are read): name, base family, rank,
 * layer count and whether it is a few-step LoRA; or why it cannot be used.
 *
 * @param problem one line saying why the file is no usable LoRA, or null
 */
public record LoraInfo(String name, Path file, ModelFamily family, int rank, int modules, FastLora fast,
                       String problem) {

    /** Reads the header of {@code file}; a broken file gives an entry with its {@link #problem()}. Never throws. */
    public static LoraInfo read(Path file) {
        String name = LoraLibrary.nameOf(file);
        try (LoraFile lora = LoraFile.open(file)) {
            return new LoraInfo(name, file, lora.family(), lora.rank(), lora.modules().size(),
                    FastLora.detect(name, lora.metadata()).orElse(null), null);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new LoraInfo(name, file, ModelFamily.UNKNOWN, 0, 0, FastLora.detect(name, null).orElse(null), why);
        }
    }

    public boolean usable() {
        return problem == null;
    }

    public Optional<FastLora> fastKind() {
        return Optional.ofNullable(fast);
    }

    /** "SD-1.x · rank 64 · 278 layers", or "not usable: ..." */
    public String summary() {
        if (!usable()) {
            return "not usable: " + problem;
        }
        return family.label() + " · rank " + rank + " · " + modules + (modules == 1 ? " layer" : " layers")
                + (fast == null ? "" : " · " + fast.label() + " (few steps)");
    }
}
