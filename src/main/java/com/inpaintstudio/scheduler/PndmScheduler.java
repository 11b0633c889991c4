package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Pseudo Numerical methods for Diffusion Models (Liu et al. 2022), the pseudo linear multistep (PLMS) variant
 * without the Runge-Kutta warm-up ({@code skip_prk_steps}): a 4th-order Adams-Bashforth combination of the last noise
 * predictions fed to the transfer formula (9) of the paper. diffusers' PNDMScheduler, including its second model call
 * at the first timestep.
 */
final class PndmScheduler extends AlphaBarScheduler {
    private final float finalAlphaBar;
    /** The last noise predictions (diffusers' ets), newest last. */
    private final History ets;
    /** The sample of the first step, reused by the second (diffusers' cur_sample). */
    private final History firstSample;
    private int counter;

    PndmScheduler(SchedulerConfig config, NDManager state) {
        super("pndm", config, state);
        if (!config.bool("skip_prk_steps", false)) {
            throw new IllegalArgumentException("scheduler_config.json: pndm is supported with skip_prk_steps=true "
                    + "(the Stable Diffusion setting); set it to true or choose another scheduler");
        }
        finalAlphaBar = config.bool("set_alpha_to_one", false) ? 1.0f : schedule.alphasCumprod[0];
        ets = new History(state, 4);
        firstSample = new History(state, 1);
    }

    @Override
    protected double[] computeTimesteps(int steps) {
        ets.clear();
        firstSample.clear();
        counter = 0;
        double[] desc = NoiseSchedule.spacedTimesteps(NoiseSchedule.spacing(config, "leading"), schedule.trainSteps,
                steps, config.integer("steps_offset", 0), true);
        // PLMS order: the first timestep twice, the rest once (diffusers: [t_n, t_{n-1}, t_{n-1}, ..., t_1]).
        if (steps == 1) {
            return desc;
        }
        double[] t = new double[steps + 1];
        t[0] = desc[0];
        System.arraycopy(desc, 1, t, 2, steps - 1);
        t[1] = desc[1];
        return t;
    }

    @Override
    public boolean needsNoise() {
        return false;
    }

    @Override
    public StepResult step(NDArray modelOutput, double t, NDArray sample, NDArray noise) {
        requireSetUp();
        NDManager m = sample.getManager();
        int ratio = schedule.trainSteps / numInferenceSteps;
        int timestep = (int) t;
        int prev = timestep - ratio;
        NDArray x0 = predictX0(sample, modelOutput, alphaBar(t));
        if (counter != 1) {
            ets.push(modelOutput);
        } else {
            prev = timestep;
            timestep += ratio;
        }
        NDArray eps;
        NDArray from = sample;
        if (ets.size() == 1 && counter == 0) {
            eps = modelOutput;
            firstSample.clear();
            firstSample.push(sample);
        } else if (ets.size() == 1 && counter == 1) {
            eps = modelOutput.add(ets.get(0, m)).div(2f);
            from = firstSample.get(0, m);
            firstSample.clear();
        } else if (ets.size() == 2) {
            eps = ets.get(0, m).mul(3f).sub(ets.get(1, m)).div(2f);
        } else if (ets.size() == 3) {
            eps = ets.get(0, m).mul(23f).sub(ets.get(1, m).mul(16f)).add(ets.get(2, m).mul(5f)).div(12f);
        } else {
            eps = ets.get(0, m).mul(55f).sub(ets.get(1, m).mul(59f)).add(ets.get(2, m).mul(37f))
                    .sub(ets.get(3, m).mul(9f)).mul((float) (1.0 / 24));
        }
        NDArray prevSample = transfer(from, timestep, prev, eps);
        counter++;
        return new StepResult(prevSample, x0);
    }

    /** Formula (9): x_{t-delta} from x_t and the combined noise estimate. */
    private NDArray transfer(NDArray sample, int t, int prev, NDArray eps) {
        float a = schedule.alphasCumprod[t];
        float aPrev = prev >= 0 ? schedule.alphasCumprod[prev] : finalAlphaBar;
        float b = 1.0f - a;
        float bPrev = 1.0f - aPrev;
        if (vPrediction) {
            eps = eps.mul((float) Math.sqrt(a)).add(sample.mul((float) Math.sqrt(b)));
        }
        float sampleCoeff = (float) Math.sqrt(aPrev / a);
        float denom = a * (float) Math.sqrt(bPrev) + (float) Math.sqrt(a * b * aPrev);
        return sample.mul(sampleCoeff).sub(eps.mul(aPrev - a).div(denom));
    }
}
