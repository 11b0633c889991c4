package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Linear multistep (k-diffusion's sample_lms): the ODE derivative {@code (x - x0) / sigma} of up to the last 4 steps,
 * weighted by the integrals over [sigma_i, sigma_{i+1}] of their Lagrange basis polynomials. diffusers'
 * LMSDiscreteScheduler (order 4), whose scipy quadrature is replaced by Gauss-Legendre, exact for these polynomials.
 */
final class LmsDiscreteScheduler extends SigmaScheduler {
    private static final int ORDER = 4;
    /** 5-point Gauss-Legendre nodes and weights on [-1, 1] (exact up to degree 9). */
    private static final double[] NODES = {0.0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640,
            0.9061798459386640};
    private static final double[] WEIGHTS = {0.5688888888888889, 0.4786286704993665, 0.4786286704993665,
            0.2369268850561891, 0.2369268850561891};

    private final boolean vPrediction;
    private final History derivatives;

    LmsDiscreteScheduler(SchedulerConfig config, NDManager state) {
        super("lms", Space.VARIANCE_EXPLODING, config, state);
        vPrediction = predictionType().equals("v_prediction");
        rejectUnsupportedSigmaOptions();
        derivatives = new History(state, ORDER);
    }

    @Override
    protected void resetState() {
        derivatives.clear();
    }

    @Override
    protected double[] computeSchedule(int steps) {
        return interpolatedSchedule(steps, true, false);
    }

    @Override
    public boolean needsNoise() {
        return false;
    }

    @Override
    public StepResult step(NDArray modelOutput, double t, NDArray sample, NDArray noise) {
        int i = currentIndex(t);
        NDManager m = sample.getManager();
        float sigma = sigmas[i];
        NDArray x0 = denoised(modelOutput, sample, sigma, vPrediction);
        NDArray derivative = sample.sub(x0).div(sigma);
        derivatives.push(derivative);
        // As diffusers: the polynomial degree follows the step index, the sum the derivatives actually held (fewer
        // right after a strength cut entered the schedule mid-way).
        int order = Math.min(i + 1, ORDER);
        NDArray sum = null;
        for (int k = 0; k < Math.min(order, derivatives.size()); k++) {
            NDArray d = k == 0 ? derivative : derivatives.get(k, m);
            NDArray term = d.mul((float) lagrangeIntegral(order, i, k));
            sum = sum == null ? term : sum.add(term);
        }
        stepIndex = i + 1;
        return new StepResult(sample.add(sum), x0);
    }

    /**
     * {@code integral over [sigma_i, sigma_{i+1}]} of the Lagrange basis polynomial that is 1 at sigma_{i-k} and 0 at
     * the other {@code order - 1} recent sigmas (diffusers' get_lms_coefficient).
     */
    private double lagrangeIntegral(int order, int i, int k) {
        double a = sigmas[i];
        double b = sigmas[i + 1];
        double half = (b - a) / 2;
        double mid = (a + b) / 2;
        double sum = 0;
        for (int q = 0; q < NODES.length; q++) {
            double tau = mid + half * NODES[q];
            double prod = 1.0;
            for (int j = 0; j < order; j++) {
                if (j != k) {
                    prod *= (tau - sigmas[i - j]) / ((double) sigmas[i - k] - sigmas[i - j]);
                }
            }
            sum += WEIGHTS[q] * prod;
        }
        return sum * half;
    }

    @Override
    public NDArray addNoise(NDArray original, NDArray noise, double t) {
        return addSigmaNoise(original, noise, noiseSigma(t));
    }
}
