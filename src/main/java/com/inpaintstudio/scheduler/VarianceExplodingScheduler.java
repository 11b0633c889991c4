package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;

/**
 * The k-diffusion samplers (Euler, Euler ancestral, LMS): they work on {@code x = x0 + sigma * noise}, so the start
 * noise is scaled by the largest sigma and the UNet input by {@code 1 / sqrt(sigma^2 + 1)}.
 */
abstract class VarianceExplodingScheduler extends SigmaScheduler {
    VarianceExplodingScheduler(String name, SchedulerConfig config, ai.djl.ndarray.NDManager state) {
        super(name, config, state);
    }

    @Override
    public double initNoiseSigma() {
        return veInitNoiseSigma();
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, double t) {
        return scaleBySigma(sample, t);
    }
}
