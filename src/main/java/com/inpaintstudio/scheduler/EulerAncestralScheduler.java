package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Ancestral Euler (k-diffusion's sample_euler_ancestral): an Euler step down to {@code sigma_down}, then fresh noise
 * of size {@code sigma_up} so the marginal at {@code sigma_next} is right. The noise is the caller's, one standard
 * normal draw per step. diffusers' EulerAncestralDiscreteScheduler.
 */
final class EulerAncestralScheduler extends SigmaScheduler {
    private final boolean vPrediction;

    EulerAncestralScheduler(SchedulerConfig config, NDManager state) {
        super("euler-a", Space.VARIANCE_EXPLODING, config, state);
        vPrediction = predictionType().equals("v_prediction");
    }

    @Override
    protected double[] computeSchedule(int steps) {
        return interpolatedSchedule(steps, false, false);
    }

    @Override
    public boolean needsNoise() {
        return true;
    }

    @Override
    public StepResult step(NDArray modelOutput, double t, NDArray sample, NDArray noise) {
        if (noise == null) {
            throw new IllegalArgumentException("euler-a: step needs the caller's standard normal noise");
        }
        int i = currentIndex(t);
        float sigma = sigmas[i];
        float sigmaTo = sigmas[i + 1];
        NDArray x0 = denoised(modelOutput, sample, sigma, vPrediction);
        float sigmaUp = (float) Math.sqrt(sigmaTo * sigmaTo * (sigma * sigma - sigmaTo * sigmaTo) / (sigma * sigma));
        float sigmaDown = (float) Math.sqrt(sigmaTo * sigmaTo - sigmaUp * sigmaUp);
        NDArray derivative = sample.sub(x0).div(sigma);
        NDArray prevSample = sample.add(derivative.mul(sigmaDown - sigma)).add(noise.mul(sigmaUp));
        stepIndex = i + 1;
        return new StepResult(prevSample, x0);
    }

    @Override
    public NDArray addNoise(NDArray original, NDArray noise, double t) {
        return addSigmaNoise(original, noise, noiseSigma(t));
    }
}
