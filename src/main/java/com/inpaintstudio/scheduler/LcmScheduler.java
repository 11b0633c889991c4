package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Latent Consistency Models (Luo et al. 2023), multistep consistency sampling: at each timestep the consistency
 * function {@code f(x_t, t) = c_skip(t) x_t + c_out(t) x0(x_t, eps)} (boundary-condition scalings with
 * {@code sigma_data = 0.5} and {@code timestep_scaling}) gives the clean sample, which is noised afresh to the next
 * timestep, {@code x_next = sqrt(a_next) f + sqrt(1 - a_next) z}; the last step returns {@code f}. The timesteps are
 * picked from the {@code original_inference_steps}-step distillation schedule. diffusers' LCMScheduler (for LCM-LoRA
 * and LCM-distilled models, 2-8 steps at guidance ~1).
 */
final class LcmScheduler extends AlphaBarScheduler {
    private static final float SIGMA_DATA = 0.5f;
    private final int originalSteps;
    private final float timestepScaling;

    LcmScheduler(SchedulerConfig config, NDManager state) {
        super("lcm", config, state);
        originalSteps = config.integer("original_inference_steps", 50);
        timestepScaling = (float) config.number("timestep_scaling", 10.0);
        if (config.bool("thresholding", false)) {
            throw new IllegalArgumentException("scheduler_config.json: thresholding=true is not supported; set it to false");
        }
    }

    @Override
    protected double[] computeTimesteps(int steps) {
        return NoiseSchedule.consistencyTimesteps("lcm", schedule.trainSteps, originalSteps, steps);
    }

    @Override
    public boolean needsNoise() {
        return true;
    }

    /** Every step but the last re-noises the consistency output (diffusers draws no noise at the last). */
    @Override
    public boolean needsNoiseAt(double t) {
        return indexOf(t) != allTimesteps.length - 1;
    }

    @Override
    public StepResult step(NDArray modelOutput, double t, NDArray sample, NDArray noise) {
        requireSetUp();
        int i = indexOf(t);
        boolean last = i == allTimesteps.length - 1;
        float a = alphaBar(t);
        // c_skip and c_out in float32 as torch computes them from the int64 timestep times timestep_scaling
        float scaled = (float) t * timestepScaling;
        float scaled2 = scaled * scaled;
        float cSkip = SIGMA_DATA * SIGMA_DATA / (scaled2 + SIGMA_DATA * SIGMA_DATA);
        float cOut = scaled / (float) Math.sqrt(scaled2 + SIGMA_DATA * SIGMA_DATA);
        NDArray x0 = clip(predictX0(sample, modelOutput, a), false);
        NDArray denoised = x0.mul(cOut).add(sample.mul(cSkip));
        if (last) {
            return new StepResult(denoised, denoised);
        }
        if (noise == null) {
            throw new IllegalArgumentException("lcm: step needs the caller's standard normal noise");
        }
        float aPrev = alphaBar(allTimesteps[i + 1]);
        NDArray prev = denoised.mul((float) Math.sqrt(aPrev)).add(noise.mul((float) Math.sqrt(1.0f - aPrev)));
        return new StepResult(prev, denoised);
    }

    /** Position of {@code t} in the full schedule (LCM timesteps are distinct). */
    private int indexOf(double t) {
        for (int i = 0; i < allTimesteps.length; i++) {
            if (allTimesteps[i] == t) {
                return i;
            }
        }
        throw new IllegalArgumentException("lcm: timestep " + t + " is not in the schedule");
    }
}
