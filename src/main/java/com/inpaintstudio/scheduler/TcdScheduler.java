package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Trajectory Consistency Distillation (Zheng et al. 2024), strategic stochastic sampling: from {@code x_t} the model
 * predicts x0 and eps, which give the sample at the intermediate timestep {@code s = floor((1 - gamma) t_next)},
 * {@code x_s = sqrt(a_s) x0 + sqrt(1 - a_s) eps}; for {@code gamma > 0} it is then noised forward to {@code t_next},
 * {@code x_next = sqrt(a_next / a_s) x_s + sqrt(1 - a_next / a_s) z}. {@code gamma} (diffusers' {@code eta}) = 0 is
 * deterministic, 1 is LCM-like; the last step returns {@code x_s} (s = 0). The timesteps are LCM's. diffusers'
 * TCDScheduler (for TCD-LoRA, 4-8 steps at guidance ~1).
 */
final class TcdScheduler extends AlphaBarScheduler {
    /** The TCD authors' default gamma, also diffusers' TCDScheduler.step default. */
    static final double DEFAULT_GAMMA = 0.3;
    private final int originalSteps;
    private final double gamma;

    TcdScheduler(SchedulerConfig config, NDManager state) {
        this(config, state, DEFAULT_GAMMA);
    }

    TcdScheduler(SchedulerConfig config, NDManager state, double gamma) {
        super("tcd", config, state);
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("tcd: gamma must be between 0 and 1, got " + gamma);
        }
        if (config.bool("thresholding", false) || config.bool("clip_sample", false)) {
            throw new IllegalArgumentException("scheduler_config.json: tcd does not clip or threshold; set clip_sample "
                    + "and thresholding to false");
        }
        originalSteps = config.integer("original_inference_steps", 50);
        this.gamma = gamma;
    }

    @Override
    protected double[] computeTimesteps(int steps) {
        return NoiseSchedule.consistencyTimesteps("tcd", schedule.trainSteps, originalSteps, steps);
    }

    @Override
    public boolean needsNoise() {
        return gamma > 0;
    }

    /** Every step but the last draws noise when gamma > 0 (diffusers draws none at the last). */
    @Override
    public boolean needsNoiseAt(double t) {
        return gamma > 0 && indexOf(t) != allTimesteps.length - 1;
    }

    @Override
    public StepResult step(NDArray modelOutput, double t, NDArray sample, NDArray noise) {
        requireSetUp();
        int i = indexOf(t);
        boolean last = i == allTimesteps.length - 1;
        int next = last ? 0 : (int) allTimesteps[i + 1];
        // floor((1 - eta) * prev_timestep) in float32, as torch multiplies the int64 timestep by the Python float
        int s = (int) Math.floor((float) (1.0 - gamma) * (float) next);
        float a = alphaBar(t);
        float aS = schedule.alphasCumprod[s];
        NDArray x0 = predictX0(sample, modelOutput, a);
        NDArray eps = predictEpsilon(sample, modelOutput, a);
        NDArray noised = x0.mul((float) Math.sqrt(aS)).add(eps.mul((float) Math.sqrt(1.0f - aS)));
        if (gamma == 0 || last) {
            return new StepResult(noised, x0);
        }
        if (noise == null) {
            throw new IllegalArgumentException("tcd: step needs the caller's standard normal noise");
        }
        float ratio = alphaBar(next) / aS;
        NDArray prev = noised.mul((float) Math.sqrt(ratio)).add(noise.mul((float) Math.sqrt(1.0f - ratio)));
        return new StepResult(prev, x0);
    }

    /** Position of {@code t} in the full schedule (TCD timesteps are distinct). */
    private int indexOf(double t) {
        for (int i = 0; i < allTimesteps.length; i++) {
            if (allTimesteps[i] == t) {
                return i;
            }
        }
        throw new IllegalArgumentException("tcd: timestep " + t + " is not in the schedule");
    }
}
