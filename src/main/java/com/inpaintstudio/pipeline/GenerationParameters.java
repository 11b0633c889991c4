package com.inpaintstudio.pipeline;

import com.inpaintstudio.scheduler.SchedulerCatalog;

import java.util.Locale;

/**
 * The A1111-style {@code parameters} text that other Stable Diffusion tools read from a PNG:
 * prompt, {@code Negative prompt:}, then one line of {@code Key: value} pairs.
 */
public final class GenerationParameters {
    private GenerationParameters() {}

    /** The {@code Sampler} label A1111 writes for one of our scheduler names (from the scheduler registry). */
    public static String samplerLabel(String schedulerName) {
        return SchedulerCatalog.infotext(schedulerName).get("Sampler");
    }

    /** The text for a run of {@code request} at {@code width x height} with the given scheduler and model. */
    public static String format(InpaintRequest r, String schedulerName, int width, int height, String modelName) {
        StringBuilder sb = new StringBuilder(r.prompt());
        if (!r.negativePrompt().isEmpty()) {
            sb.append("\nNegative prompt: ").append(r.negativePrompt());
        }
        sb.append("\nSteps: ").append(r.steps())
                .append(samplerFields(schedulerName))
                .append(", CFG scale: ").append(num(r.guidance()))
                .append(", Seed: ").append(r.initNoise() != null ? "custom noise" : Long.toString(r.seed()))
                .append(", Size: ").append(width).append('x').append(height)
                .append(", Model: ").append(modelName)
                .append(", Denoising strength: ").append(num(r.strength()))
                .append(", Mask blur: ").append(r.maskBlur());
        if (r.onlyMasked()) {
            sb.append(", Inpaint area: Only masked, Masked area padding: ").append(r.padding());
        }
        return sb.toString();
    }

    /** ", Sampler: X, Schedule type: Y[, ...]": the registry's infotext fields of the scheduler, as A1111 >= 1.9. */
    private static String samplerFields(String schedulerName) {
        StringBuilder sb = new StringBuilder();
        SchedulerCatalog.infotext(schedulerName).forEach((k, v) -> sb.append(", ").append(k).append(": ").append(v));
        return sb.toString();
    }

    private static String num(double v) {
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%s", (float) v);
    }
}
