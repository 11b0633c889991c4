package com.inpaintstudio.scheduler;

/**
 * The training noise schedule (betas, cumulative alphas, sigmas) and the timestep/sigma arithmetic every scheduler
 * shares, done with the same dtypes and operation order as diffusers (float32 torch for betas/alphas, float64 numpy
 * for timestep spacing and interpolation) so the results agree to the last bits that matter.
 */
final class NoiseSchedule {
    final int trainSteps;
    /** beta_t, float32 as torch makes them. */
    final float[] betas;
    /** prod(1 - beta), float32 (torch's CPU cumprod accumulates in double and rounds each element). */
    final float[] alphasCumprod;

    NoiseSchedule(SchedulerConfig cfg) {
        trainSteps = cfg.integer("num_train_timesteps", 1000);
        if (cfg.bool("rescale_betas_zero_snr", false)) {
            throw new IllegalArgumentException("scheduler_config.json: rescale_betas_zero_snr=true is not supported; "
                    + "remove it or set it to false");
        }
        double[] trained = cfg.numbers("trained_betas");
        if (trained != null) {
            betas = new float[trained.length];
            for (int i = 0; i < trained.length; i++) {
                betas[i] = (float) trained[i];
            }
        } else {
            double start = cfg.number("beta_start", 0.0001);
            double end = cfg.number("beta_end", 0.02);
            String kind = cfg.choice("beta_schedule", "linear", "linear", "scaled_linear", "squaredcos_cap_v2");
            betas = switch (kind) {
                case "linear" -> torchLinspace(start, end, trainSteps);
                case "scaled_linear" -> square(torchLinspace(Math.sqrt(start), Math.sqrt(end), trainSteps));
                default -> cosineBetas(trainSteps);
            };
        }
        alphasCumprod = new float[betas.length];
        double acc = 1.0;
        for (int i = 0; i < betas.length; i++) {
            acc *= (1.0f - betas[i]);
            alphasCumprod[i] = (float) acc;
        }
    }

    /** ((1 - a) / a) ** 0.5 over the whole training schedule, float32, index = training timestep. */
    float[] trainSigmas() {
        float[] s = new float[alphasCumprod.length];
        for (int i = 0; i < s.length; i++) {
            float a = alphasCumprod[i];
            s[i] = (float) Math.sqrt((1.0f - a) / a);
        }
        return s;
    }

    // ---- torch / numpy arithmetic, reproduced ----

    /**
     * torch.linspace(start, end, n, dtype=float32) on CPU: float step, the first half counted up from start and the
     * second half down from end, in 8-wide vector chunks whose base is fused-multiply-added.
     */
    static float[] torchLinspace(double startD, double endD, int n) {
        float start = (float) startD;
        float end = (float) endD;
        float[] out = new float[n];
        if (n == 1) {
            out[0] = start;
            return out;
        }
        float step = (end - start) / (float) (n - 1);
        int half = n / 2;
        int width = 8;
        int i = 0;
        for (; i <= n - 2 * width; i += width) {
            float base = i < half ? Math.fma(step, (float) i, start) : Math.fma(-step, (float) (n - i - 1), end);
            for (int k = 0; k < width; k++) {
                out[i + k] = base + (float) k * step;
            }
        }
        for (; i < n; i++) {
            out[i] = i < half ? Math.fma(step, (float) i, start) : Math.fma(-step, (float) (n - i - 1), end);
        }
        return out;
    }

    private static float[] square(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * x[i];
        }
        return y;
    }

    /** Glide's cosine schedule (betas_for_alpha_bar, max_beta 0.999). */
    private static float[] cosineBetas(int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            b[i] = (float) Math.min(1 - alphaBarCos(t2) / alphaBarCos(t1), 0.999);
        }
        return b;
    }

    private static double alphaBarCos(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** numpy.linspace(start, stop, num) in float64. */
    static double[] npLinspace(double start, double stop, int num) {
        double[] y = new double[num];
        if (num == 1) {
            y[0] = start;
            return y;
        }
        int div = num - 1;
        double step = (stop - start) / div;
        for (int i = 0; i < num; i++) {
            y[i] = i * step + start;
        }
        y[num - 1] = stop;
        return y;
    }

    /** numpy.arange(start, stop, step) in float64 (numpy fills start + i * ((start + step) - start)). */
    static double[] npArange(double start, double stop, double step) {
        int len = (int) Math.ceil((stop - start) / step);
        double[] y = new double[Math.max(len, 0)];
        double delta = (start + step) - start;
        for (int i = 0; i < y.length; i++) {
            y[i] = i == 0 ? start : i == 1 ? start + step : start + i * delta;
        }
        return y;
    }

    /** numpy.interp(x, arange(len(fp)), fp) in float64. */
    static double interp(double x, float[] fp) {
        int last = fp.length - 1;
        if (x >= last) {
            return fp[last];
        }
        if (x < 0) {
            return fp[0];
        }
        int j = (int) Math.floor(x);
        double slope = ((double) fp[j + 1] - fp[j]) / 1.0;
        return slope * (x - j) + fp[j];
    }

    /** Karras et al. (2022) sigmas, rho = 7, in float64. */
    static double[] karras(double sigmaMin, double sigmaMax, int n) {
        double rho = 7.0;
        double[] ramp = npLinspace(0, 1, n);
        double minInv = Math.pow(sigmaMin, 1 / rho);
        double maxInv = Math.pow(sigmaMax, 1 / rho);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.pow(maxInv + ramp[i] * (minInv - maxInv), rho);
        }
        return s;
    }

    /** log of the training sigmas as numpy computes it on a float32 array (float32 result). */
    static float[] logOf(float[] sigmas) {
        float[] l = new float[sigmas.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) Math.log(sigmas[i]);
        }
        return l;
    }

    /** The fractional training timestep whose sigma is {@code sigma} (log-linear interpolation), diffusers' _sigma_to_t. */
    static double sigmaToT(double sigma, float[] logSigmas) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int low = 0;
        for (int i = 0; i < logSigmas.length; i++) {
            if (logSigma - logSigmas[i] >= 0) {
                low = i;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        double lo = logSigmas[low];
        double hi = logSigmas[low + 1];
        double w = (lo - logSigma) / (lo - hi);
        w = Math.max(0, Math.min(1, w));
        return (1 - w) * low + w * (low + 1);
    }

    // ---- timestep spacings (Table 2 of "Common Diffusion Noise Schedules and Sample Steps are Flawed") ----

    /**
     * {@code steps} training timesteps, highest first, as DDIM/DDPM (integer) and Euler/LMS (float32) space them.
     * {@code round}: linspace values rounded to integers (DDIM, DDPM, PNDM) instead of cast to float32 (Euler, LMS).
     */
    static double[] spacedTimesteps(String spacing, int train, int steps, int offset, boolean round) {
        double[] t = new double[steps];
        switch (spacing) {
            case "linspace" -> {
                double[] l = npLinspace(0, train - 1, steps);
                for (int i = 0; i < steps; i++) {
                    double v = l[steps - 1 - i];
                    t[i] = round ? Math.rint(v) : (float) v;
                }
            }
            case "leading" -> {
                int ratio = train / steps;
                for (int i = 0; i < steps; i++) {
                    t[i] = (double) (steps - 1 - i) * ratio + offset;
                }
            }
            case "trailing" -> {
                double[] a = npArange(train, 0, -((double) train / steps));
                t = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    t[i] = Math.rint(a[i]) - 1;
                }
            }
            default -> throw new IllegalArgumentException(spacing);
        }
        return t;
    }

    /** Timesteps of the DPM-Solver / UniPC family: {@code steps + 1} points spaced, the last (0) dropped, integers. */
    static double[] multistepTimesteps(String spacing, int train, int steps, int offset) {
        double[] t = new double[steps];
        switch (spacing) {
            case "linspace" -> {
                double[] l = npLinspace(0, train - 1, steps + 1);
                for (int i = 0; i < steps; i++) {
                    t[i] = Math.rint(l[steps - i]);
                }
            }
            case "leading" -> {
                int ratio = train / (steps + 1);
                for (int i = 0; i < steps; i++) {
                    t[i] = (double) (steps - i) * ratio + offset;
                }
            }
            case "trailing" -> {
                double[] a = npArange(train, 0, -((double) train / steps));
                t = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    t[i] = Math.rint(a[i]) - 1;
                }
            }
            default -> throw new IllegalArgumentException(spacing);
        }
        return t;
    }

    /**
     * The consistency-model schedule of LCM and TCD: the {@code original} distillation timesteps
     * {@code k, 2k, ..., original k} minus 1 ({@code k = train / original}), highest first, and from them {@code steps}
     * picked at the indices {@code floor(i * original / steps)} (numpy linspace without endpoint, float64).
     */
    static double[] consistencyTimesteps(String who, int train, int original, int steps) {
        if (original < 1 || original > train) {
            throw new IllegalArgumentException("scheduler_config.json: original_inference_steps must be between 1 and "
                    + train + ", got " + original);
        }
        if (steps > original) {
            throw new IllegalArgumentException(who + " runs at most " + original + " steps (original_inference_steps of "
                    + "its distillation schedule), got " + steps + "; use fewer steps (4-8 is usual)");
        }
        int k = train / original;
        double[] origin = new double[original];
        for (int i = 0; i < original; i++) {
            origin[i] = (double) (original - i) * k - 1; // reversed: highest first
        }
        double step = (double) original / steps;
        double[] t = new double[steps];
        for (int i = 0; i < steps; i++) {
            t[i] = origin[(int) Math.floor(i * step)];
        }
        return t;
    }

    /** Reads and validates {@code timestep_spacing}. */
    static String spacing(SchedulerConfig cfg, String def) {
        return cfg.choice("timestep_spacing", def, "leading", "trailing", "linspace");
    }
}
