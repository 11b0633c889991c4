package com.inpaintstudio.pipeline;

import java.nio.file.Path;
import java.util.Locale;

/**
 * One LoRA of a request: its name (as {@code <lora:NAME:w>} and {@code Lora hashes} write it), the resolved
 * {@code .safetensors} file and its strength, -4..4 (A1111's range; 1 = as trained, negative = the opposite).
 * Build the file from a bare name with {@code model.lora.LoraLibrary#resolve}.
 */
public record LoraSpec(String name, Path file, double strength) {
    public static final double MAX_STRENGTH = 4.0;

    public LoraSpec {
        if (file == null) {
            throw new IllegalArgumentException("A LoRA needs a file");
        }
        if (name == null || name.isBlank()) {
            String n = file.getFileName().toString();
            name = n.toLowerCase(Locale.ROOT).endsWith(".safetensors") ? n.substring(0, n.length() - 12) : n;
        }
        if (!(Math.abs(strength) <= MAX_STRENGTH)) {
            throw new IllegalArgumentException("LoRA '" + name + "' strength " + strength + " is outside -4..4; use e.g. "
                    + "0.8 (1 = as trained, 0 = off, negative = the opposite effect).");
        }
    }

    /** A LoRA named after its file. */
    public static LoraSpec of(Path file, double strength) {
        return new LoraSpec(null, file, strength);
    }
}
