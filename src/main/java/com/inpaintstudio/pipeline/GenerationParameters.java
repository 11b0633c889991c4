package com.inpaintstudio.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The A1111-style {@code parameters} text that other Stable Diffusion tools read from a PNG:
 * prompt, {@code Negative prompt:}, then one line of {@code Key: value} pairs.
 */
public final class GenerationParameters {
    /** Sampler names as A1111/InvokeAI users know them, keyed by our scheduler names. */
    private static final Map<String, String> SAMPLER_LABELS = Map.of(
            "pndm", "PLMS", "ddim", "DDIM", "euler", "Euler", "euler-a", "Euler a", "dpmpp-2m", "DPM++ 2M",
            "dpmpp-2m-karras", "DPM++ 2M Karras", "lms", "LMS", "unipc", "UniPC", "ddpm", "DDPM");

    private GenerationParameters() {}

    public static String samplerLabel(String schedulerName) {
        return SAMPLER_LABELS.getOrDefault(schedulerName, schedulerName);
    }

    /** The text for a run of {@code request} at {@code width x height} with the given scheduler and model. */
    public static String format(InpaintRequest r, String schedulerName, int width, int height, String modelName) {
        return format(r, schedulerName, width, height, modelName, List.of());
    }

    /**
     * As A1111 writes a run with LoRAs: each as {@code <lora:NAME:W>} in the prompt (added where the prompt lacks
     * it) and {@code Lora hashes: "NAME: HASH12, ..."} at the end.
     */
    static String format(InpaintRequest r, String schedulerName, int width, int height, String modelName,
                         List<LoraState.Applied> loras) {
        StringBuilder sb = new StringBuilder(r.prompt());
        for (LoraState.Applied a : loras) {
            if (!r.prompt().contains("<lora:" + a.name() + ":")) {
                sb.append(sb.length() == 0 ? "" : " ").append("<lora:").append(a.name()).append(':')
                        .append(strength(a.strength())).append('>');
            }
        }
        if (!r.negativePrompt().isEmpty()) {
            sb.append("\nNegative prompt: ").append(r.negativePrompt());
        }
        sb.append("\nSteps: ").append(r.steps())
                .append(", Sampler: ").append(samplerLabel(schedulerName))
                .append(", CFG scale: ").append(num(r.guidance()))
                .append(", Seed: ").append(r.initNoise() != null ? "custom noise" : Long.toString(r.seed()))
                .append(", Size: ").append(width).append('x').append(height)
                .append(", Model: ").append(modelName)
                .append(", Denoising strength: ").append(num(r.strength()))
                .append(", Mask blur: ").append(r.maskBlur());
        if (r.onlyMasked()) {
            sb.append(", Inpaint area: Only masked, Masked area padding: ").append(r.padding());
        }
        if (!loras.isEmpty()) {
            sb.append(", Lora hashes: \"").append(String.join(", ",
                    loras.stream().map(a -> a.name() + ": " + a.shortHash()).toList())).append('"');
        }
        return sb.toString();
    }

    /** A1111 writes LoRA weights as typed: 1, 0.8, -0.5. */
    private static String strength(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Float.toString((float) v);
    }

    private static String num(double v) {
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%s", (float) v);
    }
}
