package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;

/**
 * A diffusion sampler: the timestep schedule plus the update rule that turns the model's output at {@code x_t} into
 * {@code x_{t-1}}. Every implementation reproduces the diffusers scheduler of the same name (within 1e-5).
 *
 * <p>Use: {@link #setTimesteps(int, double)}, then for each {@code t} of {@link #timesteps()}:
 * {@code model(scaleModelInput(x, t), t)} -> {@link #step}. Arrays returned by {@link #scaleModelInput},
 * {@link #step} and {@link #addNoise} belong to the manager of their first array argument; whatever the scheduler
 * keeps between steps lives in the state manager it was built with.
 */
public interface Scheduler {
    /** The CLI/UI name: pndm, ddim, euler, euler-a, dpmpp-2m, dpmpp-2m-karras, lms, unipc, ddpm. */
    String name();

    /** Full schedule of {@code steps} denoising steps; forgets any multistep history. */
    void setTimesteps(int steps);

    /**
     * The img2img/inpaint schedule as diffusers' pipelines cut it: {@code init = min((int)(steps*strength), steps)},
     * {@code tStart = max(steps - init, 0)}, timesteps from {@code tStart * order()} on.
     */
    void setTimesteps(int steps, double strength);

    /** The timesteps the UNet is called with, in order (a copy). */
    double[] timesteps();

    /** Standard deviation of the initial noise (multiply the standard normal start latents by it). */
    double initNoiseSigma();

    /** The UNet input for {@code sample} at timestep {@code t}; may be {@code sample} itself. */
    NDArray scaleModelInput(NDArray sample, double t);

    /**
     * One update. {@code noise}: standard normal, the shape of {@code sample}, used only when {@link #needsNoise()}
     * (may be null otherwise).
     */
    StepResult step(NDArray modelOutput, double t, NDArray sample, NDArray noise);

    /** True for the stochastic samplers (Euler ancestral, DDPM) that consume {@code noise} in {@link #step}. */
    boolean needsNoise();

    /** Whether the step at {@code t} consumes noise (DDPM's last step at t = 0 draws none, as in diffusers). */
    default boolean needsNoiseAt(double t) {
        return needsNoise();
    }

    /** Forward diffusion of a clean sample to timestep {@code t} (a value of {@link #timesteps()}). */
    NDArray addNoise(NDArray original, NDArray noise, double t);

    /** Model calls per step (diffusers' {@code scheduler.order}); 1 for every scheduler here. */
    int order();
}
