package com.inpaintstudio.pipeline;

import java.util.Locale;

/** How a prompt becomes text embeddings. */
public enum PromptStyle {
    /** A1111: emphasis {@code (a:1.2)}, BREAK, 75-token chunks joined, nothing cut (the default). */
    A1111,
    /** diffusers: the text as written, cut after 75 tokens (with a warning). */
    DIFFUSERS;

    public static PromptStyle parse(String s) {
        return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
            case "a1111", "auto1111", "webui" -> A1111;
            case "diffusers" -> DIFFUSERS;
            default -> throw new IllegalArgumentException("Unknown prompt style '" + s + "'; use 'a1111' or 'diffusers'.");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
