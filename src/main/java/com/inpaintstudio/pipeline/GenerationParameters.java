package com.inpaintstudio.pipeline;

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
        StringBuilder sb = new StringBuilder(r.prompt());
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
        if (r.draftDecode()) {
            sb.append(", VAE: TAESD (draft)");
        }
        return sb.toString();
    }

    private static String num(double v) {
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%s", (float) v);
    }
}
