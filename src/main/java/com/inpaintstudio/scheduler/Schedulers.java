package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Builds schedulers by their user-facing name or by the diffusers class a {@code scheduler_config.json} names. */
public final class Schedulers {
    private record Entry(String diffusersClass, BiFunction<SchedulerConfig, NDManager, Scheduler> factory) {}

    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("pndm", new Entry("PNDMScheduler", PndmScheduler::new));
        BY_NAME.put("ddim", new Entry("DDIMScheduler", DdimScheduler::new));
        BY_NAME.put("euler", new Entry("EulerDiscreteScheduler", EulerDiscreteScheduler::new));
        BY_NAME.put("euler-a", new Entry("EulerAncestralDiscreteScheduler", EulerAncestralScheduler::new));
        BY_NAME.put("dpmpp-2m", new Entry("DPMSolverMultistepScheduler",
                (c, s) -> new DpmSolverMultistepScheduler("dpmpp-2m", c, s)));
        BY_NAME.put("dpmpp-2m-karras", new Entry(null,
                (c, s) -> new DpmSolverMultistepScheduler("dpmpp-2m-karras", c.with("use_karras_sigmas", true), s)));
        BY_NAME.put("lms", new Entry("LMSDiscreteScheduler", LmsDiscreteScheduler::new));
        BY_NAME.put("unipc", new Entry("UniPCMultistepScheduler", UniPcScheduler::new));
        BY_NAME.put("ddpm", new Entry("DDPMScheduler", DdpmScheduler::new));
        BY_NAME.put("lcm", new Entry("LCMScheduler", LcmScheduler::new));
        BY_NAME.put("tcd", new Entry("TCDScheduler", TcdScheduler::new));
    }

    private Schedulers() {}

    /**
     * A scheduler built from {@code schedulerConfig} ({@code scheduler_config.json}). {@code nameOrNull}: one of
     * {@link #names()}, or null for the class the config names ({@code _class_name}). Keys the config lacks take the
     * chosen scheduler's own defaults, as diffusers' {@code from_config} does. Arrays kept between steps live in
     * {@code stateManager}.
     *
     * @throws IllegalArgumentException for an unknown name or class, or a config value that is not supported
     */
    public static Scheduler create(String nameOrNull, JsonObject schedulerConfig, NDManager stateManager) {
        SchedulerConfig config = new SchedulerConfig(schedulerConfig);
        String name = nameOrNull;
        if (name == null) {
            String cls = config.className();
            if (cls == null) {
                throw new IllegalArgumentException("scheduler_config.json has no _class_name; choose a scheduler: "
                        + String.join(", ", names()));
            }
            name = nameOf(cls);
            if (name.equals("dpmpp-2m") && config.bool("use_karras_sigmas", false)) {
                name = "dpmpp-2m-karras";
            }
        }
        Entry e = BY_NAME.get(name.trim().toLowerCase(java.util.Locale.ROOT));
        if (e == null) {
            throw new IllegalArgumentException("Unknown scheduler \"" + nameOrNull + "\"; valid names: "
                    + String.join(", ", names()));
        }
        return e.factory.apply(config, stateManager);
    }

    /** The user-facing names, in menu order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The user-facing name of a diffusers scheduler class, e.g. DDIMScheduler -> ddim. */
    public static String nameOf(String diffusersClassName) {
        for (Map.Entry<String, Entry> e : BY_NAME.entrySet()) {
            if (diffusersClassName.equals(e.getValue().diffusersClass)) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("Scheduler class " + diffusersClassName + " is not supported; choose one of "
                + String.join(", ", names()));
    }
}
