package com.inpaintstudio.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scheduler as users and other tools know it: our CLI/UI name, the diffusers class a {@code scheduler_config.json}
 * names, how A1111 (>= 1.9) writes it in an infotext, and the settings it is usually run with. Plain data: the UI reads
 * it without touching the engine.
 *
 * @param name              the CLI/UI name ({@code --scheduler}), e.g. {@code dpmpp-2m-karras}
 * @param diffusersClass    the {@code _class_name} that selects it, or null for a variant of another entry's class
 * @param summary           one line for menus and help
 * @param a1111Sampler      A1111's {@code Sampler} label; for a sampler A1111 lacks, our own label
 * @param a1111ScheduleType A1111's {@code Schedule type} that gives the same picture, or null when A1111 lacks the
 *                          sampler
 * @param infotextExtras    further infotext keys that pin the picture down (A1111 settings keys, or a note), in order
 * @param suggestedSteps    the steps it is usually run with
 * @param suggestedGuidance the guidance scale it is usually run with (1 = the few-step samplers' unguided runs)
 */
public record SchedulerInfo(String name, String diffusersClass, String summary, String a1111Sampler,
                            String a1111ScheduleType, Map<String, String> infotextExtras, int suggestedSteps,
                            double suggestedGuidance) {

    /** The key that says a sampler is not one of A1111's (A1111 would otherwise silently use its default). */
    public static final String NOTE_KEY = "Sampler note";

    public SchedulerInfo {
        infotextExtras = Map.copyOf(infotextExtras);
    }

    /** Whether A1111 has this sampler (then the infotext names it so that A1111 makes the same picture). */
    public boolean inA1111() {
        return a1111ScheduleType != null;
    }

    /**
     * The infotext fields, in the order to write them: {@code Sampler}, then {@code Schedule type} for an A1111
     * sampler or {@link #NOTE_KEY} for one A1111 lacks, then {@link #infotextExtras()}.
     */
    public Map<String, String> infotext() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Sampler", a1111Sampler);
        if (inA1111()) {
            m.put("Schedule type", a1111ScheduleType);
        } else {
            m.put(NOTE_KEY, a1111Sampler + " is not an A1111 sampler (diffusers " + diffusersClass + ")");
        }
        infotextExtras.keySet().stream().sorted().forEach(k -> m.put(k, infotextExtras.get(k)));
        return m;
    }
}
