package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The deterministic multistep ODE solvers (DPM-Solver++, UniPC): they work on variance-preserving samples, so the
 * start noise and the UNet input are used as they are, and no step draws noise.
 */
abstract class MultistepSolverScheduler extends SigmaScheduler {
    MultistepSolverScheduler(String name, SchedulerConfig config, NDManager state) {
        super(name, config, state);
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
    public boolean needsNoise() {
        return false;
    }
}
