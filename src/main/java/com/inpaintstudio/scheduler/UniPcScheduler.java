package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.HashSet;
import java.util.Set;

/**
 * UniPC (Zhao et al. 2023): the unified predictor UniP-p on the data prediction x0, then at the next step the
 * corrector UniC that reuses the new model output, both with the B(h) coefficient ({@code bh1}: h,
 * {@code bh2}: e^h - 1). diffusers' UniPCMultistepScheduler (predict_x0, no solver_p).
 */
final class UniPcScheduler extends SigmaScheduler {
    private final boolean vPrediction;
    private final boolean bh1;
    private final int solverOrder;
    private final boolean lowerOrderFinal;
    private final boolean finalSigmaZero;
    private final boolean karras;
    private final Set<Integer> disableCorrector = new HashSet<>();
    /** The last data predictions x0, newest last. */
    private final History modelOutputs;
    /** The sample the last predictor started from (what UniC corrects). */
    private final History lastSample;
    private int lowerOrderNums;
    private int thisOrder;

    UniPcScheduler(SchedulerConfig config, NDManager state) {
        super("unipc", Space.VARIANCE_PRESERVING, config, state);
        vPrediction = predictionType().equals("v_prediction");
        rejectUnsupportedSigmaOptions();
        bh1 = config.choice("solver_type", "bh2", "bh1", "bh2", "midpoint", "heun", "logrho").equals("bh1");
        solverOrder = config.integer("solver_order", 2);
        if (solverOrder < 1) {
            throw new IllegalArgumentException("scheduler_config.json: solver_order must be at least 1");
        }
        if (!config.bool("predict_x0", true) || config.bool("thresholding", false)) {
            throw new IllegalArgumentException("scheduler_config.json: unipc is supported with predict_x0=true and "
                    + "thresholding=false");
        }
        lowerOrderFinal = config.bool("lower_order_final", true);
        finalSigmaZero = config.choice("final_sigmas_type", "zero", "zero", "sigma_min").equals("zero");
        karras = config.bool("use_karras_sigmas", false);
        double[] disabled = config.numbers("disable_corrector");
        if (disabled != null) {
            for (double d : disabled) {
                disableCorrector.add((int) d);
            }
        }
        modelOutputs = new History(state, solverOrder);
        lastSample = new History(state, 1);
    }

    @Override
    protected void resetState() {
        modelOutputs.clear();
        lastSample.clear();
        lowerOrderNums = 0;
        thisOrder = 0;
    }

    @Override
    public boolean needsNoise() {
        return false;
    }

    @Override
    protected double[] computeSchedule(int steps) {
        double[] t = multistepSchedule(steps, karras);
        if (!finalSigmaZero) {
            sigmas[t.length] = karras ? sigmas[t.length - 1] : schedule.trainSigmas()[0];
        }
        return t;
    }

    @Override
    public StepResult step(NDArray modelOutput, double t, NDArray sample, NDArray noise) {
        int i = currentIndex(t);
        NDManager m = sample.getManager();
        NDArray x0 = dataPrediction(modelOutput, sample, i, vPrediction);
        boolean useCorrector = i > 0 && !disableCorrector.contains(i - 1) && !lastSample.isEmpty();
        if (useCorrector) {
            sample = correct(x0, sample, i, m);
        }
        modelOutputs.push(x0);
        int order = lowerOrderFinal ? Math.min(solverOrder, allTimesteps.length - i) : solverOrder;
        thisOrder = Math.min(order, lowerOrderNums + 1);
        lastSample.clear();
        lastSample.push(sample);
        NDArray prevSample = predict(sample, i, thisOrder, m);
        if (lowerOrderNums < solverOrder) {
            lowerOrderNums++;
        }
        stepIndex = i + 1;
        return new StepResult(prevSample, x0);
    }

    /** The phi-function coefficients b_1..b_order of UniPC's B(h) variant, and B(h) itself (last entry). */
    private float[] coefficients(float h, int order) {
        float hh = -h;
        float hPhi1 = (float) Math.expm1(hh);
        float hPhiK = hPhi1 / hh - 1;
        float bH = bh1 ? hh : (float) Math.expm1(hh);
        float[] b = new float[order + 1];
        long factorial = 1;
        for (int k = 1; k <= order; k++) {
            b[k - 1] = hPhiK * factorial / bH;
            factorial *= k + 1;
            hPhiK = hPhiK / hh - (float) (1.0 / factorial);
        }
        b[order] = bH;
        return b;
    }

    /** UniP: x_{t_{i+1}} from x_{t_i} and the last {@code order} data predictions. */
    private NDArray predict(NDArray x, int i, int order, NDManager m) {
        float lambdaS0 = lambdaOf(sigmas[i]);
        float h = lambdaOf(sigmas[i + 1]) - lambdaS0;
        NDArray m0 = modelOutputs.get(0, m);
        float[] rks = new float[order];
        NDArray[] d1s = new NDArray[order - 1];
        for (int k = 1; k < order; k++) {
            rks[k - 1] = (lambdaOf(sigmas[i - k]) - lambdaS0) / h;
            d1s[k - 1] = modelOutputs.get(k, m).sub(m0).div(rks[k - 1]);
        }
        rks[order - 1] = 1f;
        float[] b = coefficients(h, order);
        float bH = b[order];
        NDArray base = linearPart(x, m0, i, i + 1, h);
        if (order == 1) {
            return base;
        }
        float[] rhos = order == 2 ? new float[] {0.5f} : solve(rks, b, order - 1);
        NDArray res = weighted(rhos, d1s, order - 1);
        float alphaT = alphaOf(sigmas[i + 1]);
        return base.sub(res.mul(alphaT * bH));
    }

    /** UniC: corrects the sample the last predictor produced, using this step's data prediction {@code modelT}. */
    private NDArray correct(NDArray modelT, NDArray thisSample, int i, NDManager m) {
        int order = thisOrder;
        float lambdaS0 = lambdaOf(sigmas[i - 1]);
        float h = lambdaOf(sigmas[i]) - lambdaS0;
        NDArray m0 = modelOutputs.get(0, m);
        float[] rks = new float[order];
        NDArray[] d1s = new NDArray[order - 1];
        for (int k = 1; k < order; k++) {
            rks[k - 1] = (lambdaOf(sigmas[i - (k + 1)]) - lambdaS0) / h;
            d1s[k - 1] = modelOutputs.get(k, m).sub(m0).div(rks[k - 1]);
        }
        rks[order - 1] = 1f;
        float[] b = coefficients(h, order);
        float bH = b[order];
        float[] rhos = order == 1 ? new float[] {0.5f} : solve(rks, b, order);
        NDArray base = linearPart(lastSample.get(0, m), m0, i - 1, i, h);
        NDArray d1t = modelT.sub(m0);
        NDArray corr = d1t.mul(rhos[order - 1]);
        if (order > 1) {
            corr = weighted(rhos, d1s, order - 1).add(corr);
        }
        float alphaT = alphaOf(sigmas[i]);
        return base.sub(corr.mul(alphaT * bH));
    }

    /** The first-order (DPM-Solver++ 1) part: sigma_t / sigma_s x - alpha_t (e^{-h} - 1) m0. */
    private NDArray linearPart(NDArray x, NDArray m0, int from, int to, float h) {
        float alphaS = alphaOf(sigmas[from]);
        float alphaT = alphaOf(sigmas[to]);
        float ratio = sigmas[to] * alphaT / (sigmas[from] * alphaS);
        float hPhi1 = (float) Math.expm1(-h);
        return x.mul(ratio).sub(m0.mul(alphaT * hPhi1));
    }

    private static NDArray weighted(float[] rhos, NDArray[] ds, int n) {
        NDArray sum = ds[0].mul(rhos[0]);
        for (int k = 1; k < n; k++) {
            sum = sum.add(ds[k].mul(rhos[k]));
        }
        return sum;
    }

    /** Solves R rho = b for the first {@code n} rows/columns, R[p][q] = rks[q]^p (Gaussian elimination, pivoting). */
    private static float[] solve(float[] rks, float[] b, int n) {
        double[][] a = new double[n][n + 1];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                a[p][q] = Math.pow(rks[q], p);
            }
            a[p][n] = b[p];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] tmp = a[c];
            a[c] = a[piv];
            a[piv] = tmp;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int q = c; q <= n; q++) {
                    a[r][q] -= f * a[c][q];
                }
            }
        }
        float[] x = new float[n];
        double[] xd = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = a[r][n];
            for (int q = r + 1; q < n; q++) {
                s -= a[r][q] * xd[q];
            }
            xd[r] = s / a[r][r];
            x[r] = (float) xd[r];
        }
        return x;
    }

    @Override
    public NDArray addNoise(NDArray original, NDArray noise, double t) {
        return addVpNoise(original, noise, t);
    }
}
