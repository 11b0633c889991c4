package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Base of the schedulers that walk a sigma schedule ({@code sigma = sqrt((1 - a) / a)}, one more sigma than
 * timesteps): the step counter, the timestep -> index rule and the begin index of a strength cut, as diffusers keep
 * them.
 */
abstract class SigmaScheduler extends BaseScheduler {
    /** sigmas[i] belongs to allTimesteps[i]; the last one is where the final step lands. float32 values. */
    protected float[] sigmas = new float[0];
    /** Index of the next step into allTimesteps/sigmas; null until the first scaleModelInput/step. */
    protected Integer stepIndex;

    /** The sample space a sampler walks in, which fixes its start-noise scale and its UNet input scaling. */
    enum Space {
        /** k-diffusion samplers: {@code x = x0 + sigma noise}; start noise times the largest sigma, input / sqrt(sigma^2+1). */
        VARIANCE_EXPLODING,
        /** multistep solvers: variance-preserving samples; start noise and UNet input used as they are. */
        VARIANCE_PRESERVING
    }

    private final Space space;

    SigmaScheduler(String name, Space space, SchedulerConfig config, NDManager state) {
        super(name, config, state);
        this.space = space;
    }

    @Override
    public final double initNoiseSigma() {
        return space == Space.VARIANCE_EXPLODING ? veInitNoiseSigma() : 1.0;
    }

    @Override
    public final NDArray scaleModelInput(NDArray sample, double t) {
        return space == Space.VARIANCE_EXPLODING ? scaleBySigma(sample, t) : sample;
    }

    @Override
    protected final double[] computeTimesteps(int steps) {
        stepIndex = null;
        resetState();
        return computeSchedule(steps);
    }

    /** Computes timesteps (returned) and {@link #sigmas}. */
    protected abstract double[] computeSchedule(int steps);

    /** Forgets multistep history. */
    protected void resetState() { }

    /**
     * diffusers' index_for_timestep: the position of {@code t} in the schedule; where it occurs twice, the second
     * (so a schedule entered mid-way never skips a sigma); where absent, the last.
     */
    protected int indexForTimestep(double t) {
        int first = -1;
        for (int i = 0; i < allTimesteps.length; i++) {
            if (Math.abs(allTimesteps[i] - t) < 1e-3) {
                if (first >= 0) {
                    return i;
                }
                first = i;
            }
        }
        return first >= 0 ? first : allTimesteps.length - 1;
    }

    /** Sets the step counter on the first call of a run. */
    protected int currentIndex(double t) {
        requireSetUp();
        if (stepIndex == null) {
            stepIndex = beginIndex != null ? beginIndex : indexForTimestep(t);
        }
        return stepIndex;
    }

    /** The sigma add_noise uses: by timestep before a strength cut exists, else the step counter or begin index. */
    protected float noiseSigma(double t) {
        requireSetUp();
        int i = beginIndex == null ? indexForTimestep(t) : stepIndex != null ? stepIndex : beginIndex;
        return sigmas[i];
    }

    /** sample / sqrt(sigma^2 + 1): the input scaling of the variance-exploding (k-diffusion) samplers. */
    private NDArray scaleBySigma(NDArray sample, double t) {
        float s = sigmas[currentIndex(t)];
        return sample.div((float) Math.sqrt(s * s + 1.0f));
    }

    /** x0 of the k-diffusion parameterisation: {@code x - sigma eps}, or the v-prediction c_skip/c_out form. */
    protected static NDArray denoised(NDArray modelOutput, NDArray sample, float sigma, boolean vPrediction) {
        if (vPrediction) {
            float s2p1 = sigma * sigma + 1.0f;
            return modelOutput.mul(-sigma / (float) Math.sqrt(s2p1)).add(sample.div(s2p1));
        }
        return sample.sub(modelOutput.mul(sigma));
    }

    /** {@code x0 + sigma * noise}: add_noise of the variance-exploding samplers. */
    protected static NDArray addSigmaNoise(NDArray original, NDArray noise, float sigma) {
        return original.add(noise.mul(sigma));
    }

    /**
     * The k-diffusion schedule (Euler, Euler ancestral, LMS): timesteps spaced as configured, sigmas interpolated
     * linearly in t, optionally ({@code karrasAllowed}) re-spaced after Karras et al.; {@code honourFinalSigmaType}: read
     * {@code final_sigmas_type}, {@code sigma_min}, {@code sigma_max} (Euler) instead of always ending at sigma 0.
     */
    protected double[] interpolatedSchedule(int steps, boolean karrasAllowed, boolean honourFinalSigmaType) {
        String spacing = NoiseSchedule.spacing(config, "linspace");
        int offset = config.integer("steps_offset", 0);
        double[] t = NoiseSchedule.spacedTimesteps(spacing, schedule.trainSteps, steps, offset, false);
        float[] train = schedule.trainSigmas();
        double[] s = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            s[i] = NoiseSchedule.interp(t[i], train);
        }
        if (karrasAllowed && config.bool("use_karras_sigmas", false)) {
            float[] logSigmas = NoiseSchedule.logOf(train);
            double sigmaMin = honourFinalSigmaType ? config.number("sigma_min", s[s.length - 1]) : s[s.length - 1];
            double sigmaMax = honourFinalSigmaType ? config.number("sigma_max", s[0]) : s[0];
            s = NoiseSchedule.karras(sigmaMin, sigmaMax, steps);
            for (int i = 0; i < s.length; i++) {
                t[i] = (float) NoiseSchedule.sigmaToT(s[i], logSigmas);
            }
        }
        sigmas = new float[s.length + 1];
        for (int i = 0; i < s.length; i++) {
            sigmas[i] = (float) s[i];
        }
        boolean sigmaMin = honourFinalSigmaType
                && config.choice("final_sigmas_type", "zero", "zero", "sigma_min").equals("sigma_min");
        sigmas[s.length] = sigmaMin ? train[0] : 0f;
        return t;
    }

    /**
     * The DPM-Solver / UniPC schedule: integer timesteps ({@code steps + 1} spaced points, the last dropped), sigmas
     * interpolated at them or, with {@code karras}, Karras sigmas over the whole training range mapped back to rounded
     * timesteps. The final sigma is 0; a subclass may overwrite it.
     */
    protected double[] multistepSchedule(int steps, boolean karras) {
        double[] t = NoiseSchedule.multistepTimesteps(NoiseSchedule.spacing(config, "linspace"), schedule.trainSteps,
                steps, config.integer("steps_offset", 0));
        float[] train = schedule.trainSigmas();
        double[] s = new double[t.length];
        if (karras) {
            float[] logSigmas = NoiseSchedule.logOf(train);
            s = NoiseSchedule.karras(train[0], train[train.length - 1], steps);
            for (int i = 0; i < s.length; i++) {
                t[i] = Math.rint(NoiseSchedule.sigmaToT(s[i], logSigmas));
            }
        } else {
            for (int i = 0; i < t.length; i++) {
                s[i] = NoiseSchedule.interp(t[i], train);
            }
        }
        sigmas = new float[s.length + 1];
        for (int i = 0; i < s.length; i++) {
            sigmas[i] = (float) s[i];
        }
        return t;
    }

    /** alpha_t = 1 / sqrt(sigma^2 + 1): the variance-preserving scale of VE sigma {@code sigma}. */
    static float alphaOf(float sigma) {
        return 1.0f / (float) Math.sqrt(sigma * sigma + 1.0f);
    }

    /** Half log-SNR lambda = log(alpha_t) - log(sigma_t), sigma_t = sigma alpha_t. */
    static float lambdaOf(float sigma) {
        float alpha = alphaOf(sigma);
        return (float) Math.log(alpha) - (float) Math.log(sigma * alpha);
    }

    /** The data prediction x0 of the VP sample {@code sample} at sigma index {@code i} (epsilon or v prediction). */
    protected NDArray dataPrediction(NDArray modelOutput, NDArray sample, int i, boolean vPrediction) {
        float alpha = alphaOf(sigmas[i]);
        float sigmaT = sigmas[i] * alpha;
        return vPrediction ? sample.mul(alpha).sub(modelOutput.mul(sigmaT))
                : sample.sub(modelOutput.mul(sigmaT)).div(alpha);
    }

    /** {@code alpha_t x0 + sigma_t noise}: add_noise of the variance-preserving multistep solvers. */
    protected NDArray addVpNoise(NDArray original, NDArray noise, double t) {
        float sigma = noiseSigma(t);
        float alpha = alphaOf(sigma);
        return original.mul(alpha).add(noise.mul(sigma * alpha));
    }

    /** Refuses the sigma re-spacings diffusers offers that are not implemented here, rather than ignoring them. */
    protected void rejectUnsupportedSigmaOptions() {
        for (String key : new String[] {"use_exponential_sigmas", "use_beta_sigmas", "use_lu_lambdas", "use_flow_sigmas"}) {
            if (config.bool(key, false)) {
                throw new IllegalArgumentException("scheduler_config.json: " + key + "=true is not supported by "
                        + name() + "; set it to false");
            }
        }
    }

    /** init_noise_sigma of the variance-exploding samplers: max sigma, or sqrt(max^2 + 1) for leading spacing. */
    private double veInitNoiseSigma() {
        float max = 0f;
        for (float s : sigmas) {
            max = Math.max(max, s);
        }
        String spacing = NoiseSchedule.spacing(config, "linspace");
        return spacing.equals("leading") ? (float) Math.sqrt(max * max + 1.0f) : max;
    }
}
