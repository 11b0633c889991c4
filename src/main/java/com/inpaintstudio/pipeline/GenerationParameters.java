package com.inpaintstudio.pipeline;

import com.inpaintstudio.scheduler.SchedulerCatalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /** The key A1111 writes the checkpoint's short SHA-256 under. */
    public static final String MODEL_HASH = "Model hash";

    /** The text for a run of {@code request} at {@code width x height} with the given scheduler and model. */
    public static String format(InpaintRequest r, String schedulerName, int width, int height, String modelName) {
        return format(r, schedulerName, width, height, modelName, Map.of());
    }

    /**
     * As A1111's {@code create_infotext}: the prompt, {@code Negative prompt:}, then {@code Key: value} pairs joined
     * with ", ", each value quoted as A1111's {@code quote()} does. {@code extra} holds {@link #MODEL_HASH} (written
     * before {@code Model}) and keys appended at the end ({@code TI hashes}, {@code Lora hashes}, ...).
     * Text-to-image (no photo) writes no {@code Denoising strength} and no inpainting keys.
     */
    public static String format(InpaintRequest r, String schedulerName, int width, int height, String modelName,
                                Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Steps", Integer.toString(r.steps()));
        p.putAll(SchedulerCatalog.infotext(schedulerName)); // Sampler, Schedule type (A1111 >= 1.9) or a note
        p.put("CFG scale", num(r.guidance()));
        p.put("Seed", r.initNoise() != null ? "custom noise" : Long.toString(r.seed()));
        p.put("Size", width + "x" + height);
        if (extra.containsKey(MODEL_HASH)) {
            p.put(MODEL_HASH, extra.get(MODEL_HASH));
        }
        p.put("Model", modelName);
        if (r.image() != null) {
            p.put("Denoising strength", num(r.strength()));
            p.put("Mask blur", Integer.toString(r.maskBlur()));
            p.put("Masked content", r.maskedContent() == MaskedContent.FILL ? "fill" : "original");
            p.put("Inpaint area", r.onlyMasked() ? "Only masked" : "Whole picture");
            if (r.onlyMasked()) {
                p.put("Masked area padding", Integer.toString(r.padding()));
            }
        }
        if (r.draftDecode()) {
            p.put("VAE", "TAESD (draft)");
        }
        if (r.promptStyle() == PromptStyle.DIFFUSERS) {
            p.put("Prompt style", "diffusers");
        }
        extra.forEach((k, v) -> {
            if (!k.equals(MODEL_HASH)) {
                p.put(k, v);
            }
        });
        return format(r.prompt(), r.negativePrompt(), p);
    }

    /** The prompt, the negative prompt line when there is one, and the quoted parameters line. */
    public static String format(String prompt, String negativePrompt, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(prompt);
        if (!negativePrompt.isEmpty()) {
            sb.append("\nNegative prompt: ").append(negativePrompt);
        }
        StringBuilder line = new StringBuilder();
        params.forEach((k, v) -> {
            if (v == null) {
                return;
            }
            if (line.length() > 0) {
                line.append(", ");
            }
            line.append(k.equals(v) ? k : k + ": " + quote(v));
        });
        sb.append('\n').append(line);
        return sb.toString().strip();
    }

    /** A1111's {@code quote()}: a value with a comma, colon or newline becomes a JSON string (non-ASCII kept). */
    public static String quote(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('\n') < 0 && text.indexOf(':') < 0) {
            return text;
        }
        return Json.quote(text);
    }

    private static final java.util.regex.Pattern LORA_TAG = java.util.regex.Pattern.compile("<lora:([^:>]+)(:[^>]*)?>");

    /**
     * The prompt as A1111 records a run with LoRAs: each as {@code <lora:NAME:W>}. A LoRA the prompt has no tag for
     * gets one at the end; a tag whose strength is not the one applied (the CLI's {@code --lora} or the editor's list
     * gave another) is rewritten to the applied strength, so A1111 reading the PNG makes the same picture.
     */
    static String promptWithLoraTags(String prompt, List<LoraState.Applied> loras) {
        java.util.Set<String> tagged = new java.util.HashSet<>();
        java.util.regex.Matcher m = LORA_TAG.matcher(prompt);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String key = m.group(1).toLowerCase(Locale.ROOT);
            LoraState.Applied a = loras.stream().filter(x -> x.name().toLowerCase(Locale.ROOT).equals(key)).findFirst()
                    .orElse(null);
            String text = m.group();
            if (a != null && tagged.add(key) && tagStrength(text) != a.strength()) {
                text = "<lora:" + m.group(1) + ":" + strength(a.strength()) + ">";
            }
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(text));
        }
        m.appendTail(sb);
        for (LoraState.Applied a : loras) {
            if (!tagged.contains(a.name().toLowerCase(Locale.ROOT))) {
                sb.append(sb.length() == 0 ? "" : " ").append("<lora:").append(a.name()).append(':')
                        .append(strength(a.strength())).append('>');
            }
        }
        return sb.toString();
    }

    /** The UNet strength a {@code <lora:...>} tag asks for (NaN when it is no number). */
    private static double tagStrength(String tag) {
        try {
            List<com.inpaintstudio.text.LoraTag> t = com.inpaintstudio.text.ExtraNetworks.parse(tag).loras();
            return t.isEmpty() ? Double.NaN : t.get(0).unetStrength();
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
    }

    /** A1111's {@code Lora hashes} value: {@code NAME: HASH12, ...}. */
    static String loraHashes(List<LoraState.Applied> loras) {
        return String.join(", ", loras.stream().map(a -> a.name() + ": " + a.shortHash()).toList());
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
