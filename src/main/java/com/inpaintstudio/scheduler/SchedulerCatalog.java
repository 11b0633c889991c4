package com.inpaintstudio.scheduler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one list of schedulers: names, diffusers classes, A1111 labels and usual settings. The side panel, the CLI
 * ({@code --scheduler} help and completion), {@link Schedulers} and the PNG infotext all read it.
 *
 * <p>A1111 labels are those of A1111 >= 1.9 ({@code modules/sd_samplers_*.py}, {@code modules/sd_schedulers.py}),
 * which writes {@code Sampler} and {@code Schedule type} separately and reads a missing schedule type as
 * {@code Automatic}, the sampler's own default (Karras for DPM++ 2M). Each schedule type below is the one whose
 * sigmas match the diffusers scheduler with the Stable Diffusion configs:
 * <ul>
 * <li>Euler, Euler a, LMS: diffusers' {@code linspace} spacing (n timesteps from 999 to 0) is A1111's {@code Uniform}
 * ({@code get_sigmas(n)}), also what {@code Automatic} means for them; written explicitly.</li>
 * <li>DPM++ 2M (no Karras): diffusers' DPM-Solver takes n of n+1 points from 999 to 0, dropping 0: A1111's
 * {@code SGM Uniform} ({@code linspace(t_max, t_min, n + 1)[:-1]}); {@code Automatic} would be Karras.</li>
 * <li>DPM++ 2M Karras: {@code Karras} (rho 7 between the model's sigma_min and sigma_max, as diffusers).</li>
 * <li>DDIM, PLMS, UniPC: A1111's timestep samplers ignore the schedule type; {@code Automatic}. UniPC also writes
 * A1111's {@code UniPC variant}/{@code UniPC order} settings, which differ from diffusers' (bh2, order 2).</li>
 * <li>LCM: A1111's {@code LCM}; its {@code Automatic} spaces the 50 distillation timesteps down to the lowest, while
 * diffusers takes every (50/n)-th from the top, which {@code SGM Uniform} matches within one distillation step.</li>
 * <li>DDPM, TCD: not in A1111: written under our label with a {@link SchedulerInfo#NOTE_KEY}, never mapped to
 * another sampler.</li>
 * </ul>
 */
public final class SchedulerCatalog {
    private static final List<SchedulerInfo> ALL = List.of(
            classic("pndm", "PNDMScheduler", "PLMS (pseudo linear multistep)", "PLMS", "Automatic", Map.of()),
            classic("ddim", "DDIMScheduler", "DDIM, deterministic", "DDIM", "Automatic", Map.of()),
            classic("euler", "EulerDiscreteScheduler", "Euler", "Euler", "Uniform", Map.of()),
            classic("euler-a", "EulerAncestralDiscreteScheduler", "Euler ancestral (adds noise each step)", "Euler a",
                    "Uniform", Map.of()),
            classic("dpmpp-2m", "DPMSolverMultistepScheduler", "DPM-Solver++(2M)", "DPM++ 2M", "SGM Uniform",
                    Map.of()),
            classic("dpmpp-2m-karras", null, "DPM-Solver++(2M), Karras sigmas", "DPM++ 2M", "Karras", Map.of()),
            classic("lms", "LMSDiscreteScheduler", "linear multistep", "LMS", "Uniform", Map.of()),
            classic("unipc", "UniPCMultistepScheduler", "UniPC predictor-corrector", "UniPC", "Automatic",
                    Map.of("UniPC variant", "bh2", "UniPC order", "2")),
            classic("ddpm", "DDPMScheduler", "DDPM (adds noise each step; needs many steps)", "DDPM", null, Map.of()),
            new SchedulerInfo("lcm", "LCMScheduler", "LCM, for LCM-LoRA / LCM models (4-8 steps, guidance 1)", "LCM",
                    "SGM Uniform", Map.of(), 6, 1.0),
            new SchedulerInfo("tcd", "TCDScheduler", "TCD, for TCD-LoRA (4-8 steps, guidance 1)", "TCD", null,
                    Map.of("TCD gamma", Double.toString(TcdScheduler.DEFAULT_GAMMA)), 6, 1.0));

    /** What A1111's {@code Automatic} means per sampler, where the schedule type matters (k-diffusion samplers). */
    private static final Map<String, String> A1111_AUTOMATIC = Map.of("DPM++ 2M", "Karras", "Euler", "Uniform",
            "Euler a", "Uniform", "LMS", "Uniform", "LCM", "Automatic");
    /** A1111's schedule type labels (and names) that may end an old-style sampler name such as "DPM++ 2M Karras". */
    private static final List<String> A1111_SCHEDULES = List.of("Uniform", "Karras", "Exponential", "Polyexponential",
            "SGM Uniform", "KL Optimal", "Align Your Steps", "Simple", "Normal", "DDIM", "Beta", "karras", "exponential",
            "polyexponential", "sgm_uniform", "SGMUniform");

    private SchedulerCatalog() {}

    private static SchedulerInfo classic(String name, String cls, String summary, String sampler, String schedule,
                                         Map<String, String> extras) {
        return new SchedulerInfo(name, cls, summary, sampler, schedule, extras, 25, 7.5);
    }

    /** Every scheduler, in menu order. */
    public static List<SchedulerInfo> all() {
        return ALL;
    }

    /** The CLI/UI names, in menu order. */
    public static List<String> names() {
        return ALL.stream().map(SchedulerInfo::name).toList();
    }

    /** The entry for a name (case and surrounding spaces ignored), or null. */
    public static SchedulerInfo find(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        return ALL.stream().filter(i -> i.name().equals(n)).findFirst().orElse(null);
    }

    /** The entry for a name. @throws IllegalArgumentException listing the valid names */
    public static SchedulerInfo require(String name) {
        SchedulerInfo i = find(name);
        if (i == null) {
            throw new IllegalArgumentException("Unknown scheduler \"" + name + "\"; valid names: "
                    + String.join(", ", names()));
        }
        return i;
    }

    /** The entry a diffusers class selects, e.g. DDIMScheduler -> ddim. @throws IllegalArgumentException if none */
    public static SchedulerInfo forDiffusersClass(String diffusersClassName) {
        return ALL.stream().filter(i -> diffusersClassName.equals(i.diffusersClass())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Scheduler class " + diffusersClassName
                        + " is not supported; choose one of " + String.join(", ", names())));
    }

    /** The infotext fields ({@code Sampler}, {@code Schedule type} or a note, extras) for a scheduler name. */
    public static Map<String, String> infotext(String name) {
        SchedulerInfo i = find(name);
        if (i == null) { // a name from outside the list (e.g. the built-in fill): written as it is
            Map<String, String> m = new LinkedHashMap<>();
            m.put("Sampler", name);
            return m;
        }
        return i.infotext();
    }

    /**
     * Our scheduler for an A1111 {@code Sampler} and {@code Schedule type} (null = missing), read as A1111 >= 1.9
     * reads them: a schedule label ending the sampler name ({@code DPM++ 2M Karras}) is split off and wins; a missing
     * schedule type is {@code Automatic}, the sampler's own default. Our own labels (DDPM, TCD) and names are accepted.
     *
     * @return the match, or null when no scheduler here has that sampler
     */
    public static A1111Match fromA1111(String sampler, String scheduleType) {
        if (sampler == null || sampler.isBlank()) {
            return null;
        }
        String name = sampler.trim();
        String schedule = scheduleType == null || scheduleType.isBlank() ? "Automatic" : scheduleType.trim();
        for (String s : A1111_SCHEDULES) {
            if (name.endsWith(" " + s)) {
                schedule = s;
                name = name.substring(0, name.length() - s.length() - 1);
                break;
            }
        }
        final String label = name;
        List<SchedulerInfo> same = ALL.stream().filter(i -> i.a1111Sampler().equalsIgnoreCase(label)).toList();
        if (same.isEmpty()) {
            SchedulerInfo own = find(sampler);
            return own == null ? null : new A1111Match(own, true);
        }
        String a1111 = same.get(0).a1111Sampler();
        String wanted = normalise(schedule.equalsIgnoreCase("Automatic")
                ? A1111_AUTOMATIC.getOrDefault(a1111, "Automatic") : schedule);
        if (!A1111_AUTOMATIC.containsKey(a1111) || !same.get(0).inA1111()) {
            return new A1111Match(same.get(0), true); // the schedule type does not change these samplers
        }
        for (SchedulerInfo i : same) {
            String ours = i.a1111ScheduleType().equals("Automatic") ? A1111_AUTOMATIC.get(a1111) : i.a1111ScheduleType();
            if (normalise(ours).equals(wanted)) {
                return new A1111Match(i, true);
            }
        }
        return new A1111Match(same.get(0), false);
    }

    private static String normalise(String schedule) {
        return schedule.toLowerCase(Locale.ROOT).replace("_", " ").replace("sgmuniform", "sgm uniform");
    }

    /**
     * A scheduler found for an A1111 sampler; {@code exact} is false when A1111's schedule type has no counterpart
     * here (the scheduler then runs with its own schedule, a different picture).
     */
    public record A1111Match(SchedulerInfo scheduler, boolean exact) {}
}
