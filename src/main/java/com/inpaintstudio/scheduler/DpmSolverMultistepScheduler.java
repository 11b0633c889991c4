package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * DPM-Solver++(2M) (Lu et al. 2022): the exponential integrator in log-SNR {@code lambda = log(alpha / sigma)} on the
 * data prediction x0, first order at the first (and final) step, second-order multistep (midpoint or Heun) in between.
 * diffusers' DPMSolverMultistepScheduler with algorithm_type dpmsolver++, solver_order 1 or 2; with
 * {@code use_karras_sigmas} the sigmas follow Karras et al. (dpmpp-2m-karras).
 */
final class DpmSolverMultistepScheduler extends SigmaScheduler {
    private final boolean vPrediction;
    private final boolean heun;
    private final boolean karras;
    private final int solverOrder;
    private final boolean lowerOrderFinal;
    private final boolean eulerAtFinal;
    private final boolean finalSigmaZero;
    /** The last data predictions x0, newest last. */
    private final History modelOutputs;
    private int lowerOrderNums;

    DpmSolverMultistepScheduler(String name, SchedulerConfig config, NDManager state) {
        super(name, Space.VARIANCE_PRESERVING, config, state);
        vPrediction = predictionType().equals("v_prediction");
        rejectUnsupportedSigmaOptions();
        config.choice("algorithm_type", "dpmsolver++", "dpmsolver++");
        heun = config.choice("solver_type", "midpoint", "midpoint", "heun").equals("heun");
        solverOrder = config.integer("solver_order", 2);
        if (solverOrder < 1 || solverOrder > 2) {
            throw new IllegalArgumentException("scheduler_config.json: " + name + " supports solver_order 1 or 2, got "
                    + solverOrder);
        }
        if (config.bool("thresholding", false)) {
            throw new IllegalArgumentException("scheduler_config.json: thresholding=true is not supported; set it to false");
        }
        karras = config.bool("use_karras_sigmas", false);
        lowerOrderFinal = config.bool("lower_order_final", true);
        eulerAtFinal = config.bool("euler_at_final", false);
        finalSigmaZero = config.choice("final_sigmas_type", "zero", "zero", "sigma_min").equals("zero");
        modelOutputs = new History(state, solverOrder);
    }

    @Override
    protected void resetState() {
        modelOutputs.clear();
        lowerOrderNums = 0;
    }

    @Override
    public boolean needsNoise() {
        return false;
    }

    @Override
    protected double[] computeSchedule(int steps) {
        double[] t = multistepSchedule(steps, karras);
        if (!finalSigmaZero) {
            sigmas[t.length] = schedule.trainSigmas()[0];
        }
        return t;
    }

    @Override
    public StepResult step(NDArray modelOutput, double t, NDArray sample, NDArray noise) {
        int i = currentIndex(t);
        NDManager m = sample.getManager();
        int n = allTimesteps.length;
        boolean lowerFinal = i == n - 1 && (eulerAtFinal || (lowerOrderFinal && n < 15) || finalSigmaZero);

        NDArray x0 = dataPrediction(modelOutput, sample, i, vPrediction);
        boolean secondOrder = solverOrder == 2 && lowerOrderNums >= 1 && !lowerFinal;
        NDArray m1 = secondOrder ? modelOutputs.get(0, m) : null;
        modelOutputs.push(x0);

        float sigmaS = sigmas[i] * alphaOf(sigmas[i]);
        float alphaT = alphaOf(sigmas[i + 1]);
        float sigmaT = sigmas[i + 1] * alphaT;
        float h = lambdaOf(sigmas[i + 1]) - lambdaOf(sigmas[i]);
        float expm = (float) Math.exp(-h) - 1.0f;
        // DPM-Solver++(1): x_t = sigma_t / sigma_s x_s - alpha_t (e^{-h} - 1) x0
        NDArray prevSample = sample.mul(sigmaT / sigmaS).sub(x0.mul(alphaT * expm));
        if (secondOrder) {
            // + the multistep correction with D1 = (x0 - x0_prev) / r0, r0 = h_prev / h
            float r0 = (lambdaOf(sigmas[i]) - lambdaOf(sigmas[i - 1])) / h;
            NDArray d1 = x0.sub(m1).mul(1.0f / r0);
            prevSample = heun ? prevSample.add(d1.mul(alphaT * (expm / h + 1.0f)))
                    : prevSample.sub(d1.mul(0.5f * (alphaT * expm)));
        }
        if (lowerOrderNums < solverOrder) {
            lowerOrderNums++;
        }
        stepIndex = i + 1;
        return new StepResult(prevSample, x0);
    }

    @Override
    public NDArray addNoise(NDArray original, NDArray noise, double t) {
        return addVpNoise(original, noise, t);
    }
}
