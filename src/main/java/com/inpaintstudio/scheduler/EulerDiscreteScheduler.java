package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Euler's method on the probability-flow ODE in sigma (Karras et al. 2022, Algorithm 2 without churn):
 * {@code d = (x - x0) / sigma}, {@code x_next = x + d (sigma_next - sigma)}. diffusers' EulerDiscreteScheduler.
 */
final class EulerDiscreteScheduler extends SigmaScheduler {
    private final boolean vPrediction;

    EulerDiscreteScheduler(SchedulerConfig config, NDManager state) {
        super("euler", Space.VARIANCE_EXPLODING, config, state);
        vPrediction = predictionType().equals("v_prediction");
        rejectUnsupportedSigmaOptions();
        config.choice("interpolation_type", "linear", "linear");
        config.choice("timestep_type", "discrete", "discrete");
    }

    @Override
    protected double[] computeSchedule(int steps) {
        return interpolatedSchedule(steps, true, true);
    }

    @Override
    public boolean needsNoise() {
        return false;
    }

    @Override
    public StepResult step(NDArray modelOutput, double t, NDArray sample, NDArray noise) {
        int i = currentIndex(t);
        float sigma = sigmas[i];
        NDArray x0 = denoised(modelOutput, sample, sigma, vPrediction);
        NDArray derivative = sample.sub(x0).div(sigma);
        float dt = sigmas[i + 1] - sigma;
        NDArray prevSample = sample.add(derivative.mul(dt));
        stepIndex = i + 1;
        return new StepResult(prevSample, x0);
    }

    @Override
    public NDArray addNoise(NDArray original, NDArray noise, double t) {
        return addSigmaNoise(original, noise, noiseSigma(t));
    }
}
