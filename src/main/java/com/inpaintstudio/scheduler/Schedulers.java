package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import java.util.List;

/**
 * Builds schedulers by their user-facing name or by the diffusers class a {@code scheduler_config.json} names. The
 * names, classes and labels live in {@link SchedulerCatalog}; this class only maps a name to its constructor.
 */
public final class Schedulers {
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
        SchedulerInfo info;
        if (nameOrNull == null) {
            String cls = config.className();
            if (cls == null) {
                throw new IllegalArgumentException("scheduler_config.json has no _class_name; choose a scheduler: "
                        + String.join(", ", names()));
            }
            info = SchedulerCatalog.forDiffusersClass(cls);
            if (info.name().equals("dpmpp-2m") && config.bool("use_karras_sigmas", false)) {
                info = SchedulerCatalog.require("dpmpp-2m-karras");
            }
        } else {
            info = SchedulerCatalog.require(nameOrNull);
        }
        return build(info.name(), config, stateManager);
    }

    private static Scheduler build(String name, SchedulerConfig c, NDManager s) {
        return switch (name) {
            case "pndm" -> new PndmScheduler(c, s);
            case "ddim" -> new DdimScheduler(c, s);
            case "euler" -> new EulerDiscreteScheduler(c, s);
            case "euler-a" -> new EulerAncestralScheduler(c, s);
            case "dpmpp-2m" -> new DpmSolverMultistepScheduler(name, c, s);
            case "dpmpp-2m-karras" -> new DpmSolverMultistepScheduler(name, c.with("use_karras_sigmas", true), s);
            case "lms" -> new LmsDiscreteScheduler(c, s);
            case "unipc" -> new UniPcScheduler(c, s);
            case "ddpm" -> new DdpmScheduler(c, s);
            case "lcm" -> new LcmScheduler(c, s);
            case "tcd" -> new TcdScheduler(c, s);
            default -> throw new IllegalStateException("SchedulerCatalog lists " + name + " but nothing builds it");
        };
    }

    /** The user-facing names, in menu order. */
    public static List<String> names() {
        return SchedulerCatalog.names();
    }

    /** The user-facing name of a diffusers scheduler class, e.g. DDIMScheduler -> ddim. */
    public static String nameOf(String diffusersClassName) {
        return SchedulerCatalog.forDiffusersClass(diffusersClassName).name();
    }
}
