package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Base of the schedulers that work on the discrete alpha-bar schedule directly (DDPM, DDIM, PNDM): unscaled model
 * input, unit initial noise, {@code x_t = sqrt(a_t) x0 + sqrt(1 - a_t) noise}.
 */
abstract class AlphaBarScheduler extends BaseScheduler {
    protected final boolean vPrediction;

    AlphaBarScheduler(String name, SchedulerConfig config, NDManager state) {
        super(name, config, state);
        vPrediction = predictionType().equals("v_prediction");
    }

    @Override
    public double initNoiseSigma() {
        return 1.0;
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, double t) {
        return sample;
    }

    @Override
    public NDArray addNoise(NDArray original, NDArray noise, double t) {
        float a = alphaBar(t);
        float sqrtA = (float) Math.sqrt(a);
        float sqrtOneMinusA = (float) Math.sqrt(1.0f - a);
        return original.mul(sqrtA).add(noise.mul(sqrtOneMinusA));
    }

    /** alpha-bar at training timestep {@code t}. */
    protected float alphaBar(double t) {
        int i = (int) Math.rint(t);
        if (i < 0 || i >= schedule.alphasCumprod.length || i != t) {
            throw new IllegalArgumentException(name() + ": timestep " + t + " is not a training timestep");
        }
        return schedule.alphasCumprod[i];
    }

    /** Predicted x0 from the model output at alpha-bar {@code a} (epsilon or v prediction). */
    protected NDArray predictX0(NDArray sample, NDArray modelOutput, float a) {
        float sqrtA = (float) Math.sqrt(a);
        float sqrtB = (float) Math.sqrt(1.0f - a);
        if (vPrediction) {
            return sample.mul(sqrtA).sub(modelOutput.mul(sqrtB));
        }
        return sample.sub(modelOutput.mul(sqrtB)).div(sqrtA);
    }

    /** Predicted noise from the model output at alpha-bar {@code a}. */
    protected NDArray predictEpsilon(NDArray sample, NDArray modelOutput, float a) {
        if (!vPrediction) {
            return modelOutput;
        }
        float sqrtA = (float) Math.sqrt(a);
        float sqrtB = (float) Math.sqrt(1.0f - a);
        return modelOutput.mul(sqrtA).add(sample.mul(sqrtB));
    }

    /** {@code clip_sample}: clamps x0 to +-clip_sample_range (the default of DDPM and DDIM is to clip). */
    protected NDArray clip(NDArray x0, boolean clipDefault) {
        if (config.bool("thresholding", false)) {
            throw new IllegalArgumentException("scheduler_config.json: thresholding=true is not supported; set it to false");
        }
        if (!config.bool("clip_sample", clipDefault)) {
            return x0;
        }
        float r = (float) config.number("clip_sample_range", 1.0);
        return x0.clip(-r, r);
    }
}
