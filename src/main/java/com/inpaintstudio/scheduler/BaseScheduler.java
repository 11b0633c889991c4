package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDManager;

import java.util.Arrays;

/**
 * What every scheduler shares: the training noise schedule, the state manager, and the img2img/inpaint strength cut
 * of the timesteps (diffusers' pipeline {@code get_timesteps} + {@code set_begin_index}).
 */
abstract class BaseScheduler implements Scheduler {
    private final String name;
    protected final SchedulerConfig config;
    protected final NoiseSchedule schedule;
    protected final NDManager state;
    /** The steps asked for in the last {@code setTimesteps}. */
    protected int numInferenceSteps;
    /** The full schedule of the last {@code setTimesteps}. */
    protected double[] allTimesteps = new double[0];
    /** Index into {@link #allTimesteps} of the first step after a strength cut; null without a cut. */
    protected Integer beginIndex;

    BaseScheduler(String name, SchedulerConfig config, NDManager state) {
        this.name = name;
        this.config = config;
        this.schedule = new NoiseSchedule(config);
        this.state = state;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void setTimesteps(int steps) {
        if (steps < 1 || steps > schedule.trainSteps) {
            throw new IllegalArgumentException("steps must be between 1 and " + schedule.trainSteps + ", got " + steps);
        }
        numInferenceSteps = steps;
        beginIndex = null;
        allTimesteps = computeTimesteps(steps);
    }

    @Override
    public final void setTimesteps(int steps, double strength) {
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], got " + strength);
        }
        int init = Math.min((int) (steps * strength), steps);
        if (init < 1) {
            throw new IllegalArgumentException("strength " + strength + " with " + steps + " steps leaves no step to run; "
                    + "raise the strength or the number of steps (steps x strength must be at least 1)");
        }
        setTimesteps(steps);
        int tStart = Math.max(steps - init, 0);
        beginIndex = tStart * order();
    }

    @Override
    public final double[] timesteps() {
        int from = beginIndex == null ? 0 : beginIndex;
        return Arrays.copyOfRange(allTimesteps, from, allTimesteps.length);
    }

    @Override
    public int order() {
        return 1;
    }

    /** Builds the full schedule for {@code steps} and forgets all per-run state. */
    protected abstract double[] computeTimesteps(int steps);

    /** {@code prediction_type}, validated. */
    protected String predictionType() {
        return config.choice("prediction_type", "epsilon", "epsilon", "v_prediction");
    }

    protected void requireSetUp() {
        if (allTimesteps.length == 0) {
            throw new IllegalStateException(name + ": call setTimesteps before stepping");
        }
    }
}
