package com.inpaintstudio.model.lora;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * LoRAs distilled for few-step sampling, and the scheduler each is made for: LCM-LoRA ({@code lcm}) and TCD-LoRA
 * ({@code tcd}), both run at 4-8 steps and guidance 1. Detected from the file name, then from the title the trainer
 * wrote into the safetensors metadata ({@code modelspec.title}, {@code ss_output_name}): a word of the name that
 * starts with {@code lcm} or {@code tcd} ({@code lcm-lora-sdv1-5}, {@code LCM_LoRA_Weights_SD15}, {@code TCD-SD15},
 * {@code lcmlora}); the letters inside another word do not count ({@code dlcm_style}). A file saved under a generic
 * name with no title (diffusers' {@code pytorch_lora_weights}) is not recognised: rename it.
 */
public enum FastLora {
    LCM("lcm", "LCM"), TCD("tcd", "TCD");

    /** Metadata keys that name the LoRA (kohya's trainers and the Stability model spec). */
    static final List<String> TITLE_KEYS = List.of("modelspec.title", "ss_output_name");

    private final String scheduler;
    private final String label;

    FastLora(String scheduler, String label) {
        this.scheduler = scheduler;
        this.label = label;
    }

    /** The scheduler name it needs ({@code SchedulerCatalog}), e.g. {@code lcm}. */
    public String scheduler() {
        return scheduler;
    }

    /** How users call it: {@code LCM}, {@code TCD}. */
    public String label() {
        return label;
    }

    /** The kind of a LoRA by its name, then by the titles in {@code metadata} (may be null); empty for other LoRAs. */
    public static Optional<FastLora> detect(String name, Map<String, String> metadata) {
        Optional<FastLora> byName = fromText(name);
        if (byName.isPresent() || metadata == null) {
            return byName;
        }
        for (String key : TITLE_KEYS) {
            Optional<FastLora> k = fromText(metadata.get(key));
            if (k.isPresent()) {
                return k;
            }
        }
        return Optional.empty();
    }

    /** The first word (letters and digits) of {@code text} that starts with {@code lcm} or {@code tcd}. */
    static Optional<FastLora> fromText(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            for (FastLora k : values()) {
                if (word.startsWith(k.scheduler)) {
                    return Optional.of(k);
                }
            }
        }
        return Optional.empty();
    }
}
