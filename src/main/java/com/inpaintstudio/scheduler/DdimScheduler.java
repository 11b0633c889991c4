package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Denoising Diffusion Implicit Models (Song et al. 2020), deterministic (eta = 0):
 * {@code x_{t-1} = sqrt(a_{t-1}) x0 + sqrt(1 - a_{t-1}) eps}, x0 predicted from {@code x_t}. diffusers' DDIMScheduler.
 */
final class DdimScheduler extends AlphaBarScheduler {
    private final float finalAlphaBar;

    DdimScheduler(SchedulerConfig config, NDManager state) {
        super("ddim", config, state);
        finalAlphaBar = config.bool("set_alpha_to_one", true) ? 1.0f : schedule.alphasCumprod[0];
    }

    @Override
    protected double[] computeTimesteps(int steps) {
        return NoiseSchedule.spacedTimesteps(NoiseSchedule.spacing(config, "leading"), schedule.trainSteps, steps,
                config.integer("steps_offset", 0), true);
    }

    @Override
    public boolean needsNoise() {
        return false;
    }

    @Override
    public StepResult step(NDArray modelOutput, double t, NDArray sample, NDArray noise) {
        requireSetUp();
        int prev = (int) t - schedule.trainSteps / numInferenceSteps;
        float a = alphaBar(t);
        float aPrev = prev >= 0 ? schedule.alphasCumprod[prev] : finalAlphaBar;
        NDArray x0 = clip(predictX0(sample, modelOutput, a), false);
        NDArray eps = predictEpsilon(sample, modelOutput, a);
        NDArray direction = eps.mul((float) Math.sqrt(1.0f - aPrev));
        NDArray prevSample = x0.mul((float) Math.sqrt(aPrev)).add(direction);
        return new StepResult(prevSample, x0);
    }
}
