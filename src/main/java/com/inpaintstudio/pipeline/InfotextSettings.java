package com.inpaintstudio.pipeline;

import com.inpaintstudio.scheduler.Schedulers;
import com.inpaintstudio.tensor.Precision;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings an A1111 infotext holds that a request can take, each null when the text lacks it (Inpaint Studio's
 * own {@code Precision: bf16}, written for bfloat16 runs, among them), plus notes on
 * what could not be taken over (an A1111 sampler we lack, a "Masked content" we do not have).
 */
public record InfotextSettings(String prompt, String negativePrompt, Integer steps, String scheduler, Double guidance,
                               Long seed, Integer width, Integer height, Double strength, Integer maskBlur,
                               Boolean onlyMasked, Integer padding, MaskedContent maskedContent,
                               PromptStyle promptStyle, String model, String modelHash, Precision precision,
                               List<String> notes) {

    public static InfotextSettings from(Map<String, String> p) {
        List<String> notes = new ArrayList<>();
        Integer steps = integer(p, "Steps", notes);
        Double cfg = real(p, "CFG scale", notes);
        Long seed = null;
        if (p.containsKey("Seed")) {
            try {
                seed = Long.parseLong(p.get("Seed").trim());
            } catch (NumberFormatException e) {
                notes.add("Seed '" + p.get("Seed") + "' is not a number; the seed was not taken over.");
            }
        }
        Integer w = integer(p, "Size-1", notes);
        Integer h = integer(p, "Size-2", notes);
        Double strength = real(p, "Denoising strength", notes);
        Integer blur = integer(p, "Mask blur", notes);
        Boolean onlyMasked = null;
        if (p.containsKey("Inpaint area")) {
            String a = p.get("Inpaint area").trim();
            if (a.equalsIgnoreCase("Only masked")) {
                onlyMasked = true;
            } else if (a.equalsIgnoreCase("Whole picture")) {
                onlyMasked = false;
            } else {
                notes.add("Inpaint area '" + a + "' is unknown; use 'Whole picture' or 'Only masked'.");
            }
        }
        Integer padding = integer(p, "Masked area padding", notes);
        MaskedContent content = null;
        if (p.containsKey("Masked content")) {
            String c = p.get("Masked content").trim().toLowerCase(Locale.ROOT);
            switch (c) {
                case "original" -> content = MaskedContent.ORIGINAL;
                case "fill" -> content = MaskedContent.FILL;
                default -> notes.add("Masked content '" + p.get("Masked content") + "' has no equivalent here"
                        + " (only 'original' and 'fill'); the default 'original' is kept.");
            }
        }
        PromptStyle style = null;
        if (p.containsKey("Prompt style")) {
            try {
                style = PromptStyle.parse(p.get("Prompt style"));
            } catch (IllegalArgumentException e) {
                notes.add(e.getMessage());
            }
        }
        Precision precision = null;
        if (p.containsKey("Precision")) {
            try {
                precision = Precision.parse(p.get("Precision"));
            } catch (IllegalArgumentException e) {
                notes.add("Precision: " + e.getMessage());
            }
        }
        String scheduler = scheduler(p.get("Sampler"), p.get("Schedule type"), notes);
        return new InfotextSettings(p.getOrDefault("Prompt", ""), p.getOrDefault("Negative prompt", ""), steps,
                scheduler, cfg, seed, w, h, strength, blur, onlyMasked, padding, content, style, p.get("Model"),
                p.get("Model hash"), precision, List.copyOf(notes));
    }

    /**
     * Our scheduler for an A1111 sampler and schedule type. As A1111 >= 1.9: an old-style name with the schedule
     * in it ({@code DPM++ 2M Karras}) is split; a missing or {@code Automatic} schedule type is the sampler's own
     * default (Karras for DPM++ 2M). Our own scheduler names are accepted too. Null (the model's own scheduler,
     * with a note) when nothing here matches.
     */
    static String scheduler(String sampler, String scheduleType, List<String> notes) {
        if (sampler == null || sampler.isBlank()) {
            return null;
        }
        String name = sampler.trim();
        String schedule = scheduleType == null ? "Automatic" : scheduleType.trim();
        for (String s : List.of("Karras", "Exponential", "SGM Uniform", "Uniform", "Polyexponential")) {
            if (name.endsWith(" " + s) && scheduleType == null) {
                schedule = s;
                name = name.substring(0, name.length() - s.length() - 1);
                break;
            }
        }
        String base = switch (name) {
            case "Euler a" -> "euler-a";
            case "Euler" -> "euler";
            case "LMS" -> "lms";
            case "DDIM" -> "ddim";
            case "PLMS" -> "pndm";
            case "UniPC" -> "unipc";
            case "DPM++ 2M" -> "dpmpp-2m";
            default -> null;
        };
        String ours = name.toLowerCase(Locale.ROOT);
        if (base == null && Schedulers.names().contains(ours)) {
            return ours; // written with our own name (a scheduler A1111 lacks)
        }
        if (base == null) {
            notes.add("The sampler '" + sampler + "' has no equivalent here; the model's own scheduler is used"
                    + " (choose one with --scheduler: " + String.join(", ", Schedulers.names()) + ").");
            return null;
        }
        boolean automatic = schedule.equalsIgnoreCase("Automatic");
        if (base.equals("dpmpp-2m")) {
            if (automatic || schedule.equalsIgnoreCase("Karras")) {
                return "dpmpp-2m-karras";
            }
            if (schedule.equalsIgnoreCase("Uniform") || schedule.equalsIgnoreCase("SGM Uniform")) {
                return "dpmpp-2m";
            }
        } else if (automatic || schedule.equalsIgnoreCase(
                com.inpaintstudio.scheduler.SchedulerCatalog.require(base).a1111ScheduleType())) {
            return base; // Automatic, or the schedule type the registry writes for it (Uniform for Euler)
        }
        notes.add("The sampler '" + name + "' with schedule type '" + schedule + "' has no exact equivalent here;"
                + " using " + base + " with its own schedule.");
        return base;
    }

    private static Integer integer(Map<String, String> p, String key, List<String> notes) {
        String v = p.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(v.trim());
                if (d == Math.rint(d)) {
                    return (int) d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            notes.add(key + " '" + v + "' is not a whole number; it was not taken over.");
            return null;
        }
    }

    private static Double real(Map<String, String> p, String key, List<String> notes) {
        String v = p.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            notes.add(key + " '" + v + "' is not a number; it was not taken over.");
            return null;
        }
    }

    /** This text's settings over {@code b} (every setting the text has replaces the builder's). */
    public InpaintRequest.Builder applyTo(InpaintRequest.Builder b) {
        b.prompt(prompt).negativePrompt(negativePrompt);
        if (steps != null) b.steps(steps);
        if (scheduler != null) b.scheduler(scheduler);
        if (guidance != null) b.guidance(guidance);
        if (seed != null) b.seed(seed);
        if (strength != null) b.strength(strength);
        if (maskBlur != null) b.maskBlur(maskBlur);
        if (onlyMasked != null) b.onlyMasked(onlyMasked);
        if (padding != null) b.padding(padding);
        if (maskedContent != null) b.maskedContent(maskedContent);
        if (promptStyle != null) b.promptStyle(promptStyle);
        return b;
    }
}
