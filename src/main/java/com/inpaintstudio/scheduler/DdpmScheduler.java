package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Denoising Diffusion Probabilistic Models (Ho et al. 2020): the posterior mean
 * {@code mu = c0 x0 + ct x_t} plus {@code sigma_t z}, z the caller's standard normal noise. diffusers' DDPMScheduler
 * (variance_type fixed_small or fixed_large).
 */
final class DdpmScheduler extends AlphaBarScheduler {
    private final boolean fixedLarge;

    DdpmScheduler(SchedulerConfig config, NDManager state) {
        super("ddpm", config, state);
        fixedLarge = config.choice("variance_type", "fixed_small", "fixed_small", "fixed_large").equals("fixed_large");
    }

    @Override
    protected double[] computeTimesteps(int steps) {
        return NoiseSchedule.spacedTimesteps(NoiseSchedule.spacing(config, "leading"), schedule.trainSteps, steps,
                config.integer("steps_offset", 0), true);
    }

    @Override
    public boolean needsNoise() {
        return true;
    }

    @Override
    public boolean needsNoiseAt(double t) {
        return t > 0;
    }

    /** The timestep after {@code t} in the schedule, -1 after the last. */
    private int previousTimestep(double t) {
        for (int i = 0; i < allTimesteps.length; i++) {
            if (allTimesteps[i] == t) {
                return i + 1 < allTimesteps.length ? (int) allTimesteps[i + 1] : -1;
            }
        }
        throw new IllegalArgumentException("ddpm: timestep " + t + " is not in the schedule");
    }

    @Override
    public StepResult step(NDArray modelOutput, double t, NDArray sample, NDArray noise) {
        requireSetUp();
        int prev = previousTimestep(t);
        float a = alphaBar(t);
        float aPrev = prev >= 0 ? schedule.alphasCumprod[prev] : 1.0f;
        float b = 1.0f - a;
        float bPrev = 1.0f - aPrev;
        float alphaT = a / aPrev;
        float betaT = 1.0f - alphaT;
        NDArray x0 = clip(predictX0(sample, modelOutput, a), true);
        float x0Coeff = ((float) Math.sqrt(aPrev) * betaT) / b;
        float sampleCoeff = (float) Math.sqrt(alphaT) * bPrev / b;
        NDArray prevSample = x0.mul(x0Coeff).add(sample.mul(sampleCoeff));
        if (t > 0) {
            if (noise == null) {
                throw new IllegalArgumentException("ddpm: step needs the caller's standard normal noise");
            }
            float variance = fixedLarge ? betaT : Math.max((1.0f - aPrev) / (1.0f - a) * betaT, 1e-20f);
            prevSample = prevSample.add(noise.mul((float) Math.sqrt(variance)));
        }
        return new StepResult(prevSample, x0);
    }
}
