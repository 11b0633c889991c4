package com.inpaintstudio.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.inpaintstudio.nn.UNet2DConditionModel;
import com.inpaintstudio.scheduler.Scheduler;
import com.inpaintstudio.scheduler.StepResult;

/**
 * The denoising loop of diffusers' StableDiffusionInpaintPipeline, on prepared latents. Each step runs in its own
 * NDManager, closed at the end of the step; only the new latents (and the preview's x0) survive it.
 */
final class Denoiser {

    /**
     * What the loop needs, all in the run's manager.
     *
     * @param mask               (1,1,h,w) binarised mask at latent size (1 = repaint)
     * @param maskedImageLatents (1,4,h,w) scaled latents of {@code image * (mask < 0.5)}; 9-channel models only
     * @param imageLatents       (1,4,h,w) scaled latents of the photo; 4-channel models and strength < 1
     * @param embeddings         (2,77,D): [uncond, cond]; only cond is used when guidance <= 1
     * @param noise              (1,4,h,w) standard normal: the initial noise
     */
    record Inputs(NDArray mask, NDArray maskedImageLatents, NDArray imageLatents, NDArray embeddings, NDArray noise) {
    }

    /** Sees every step's state inside the step's scope (arrays are freed when it returns). */
    interface StepObserver {
        void afterStep(int index, double timestep, NDArray latents, NDArray predictedX0, NDArray guidedNoise);
    }

    /** Final latents to decode; when cancelled, the last predicted x0 (or the start latents if no step ran). */
    record Outcome(NDArray latents, int stepsDone, boolean cancelled) {
    }

    private final UNet2DConditionModel unet;

    Denoiser(UNet2DConditionModel unet) {
        this.unet = unet;
    }

    Outcome run(Scheduler scheduler, Inputs in, double guidance, double strength, CancelToken cancel,
                StepObserver observer, NDManager run) {
        double[] timesteps = scheduler.timesteps();
        boolean nineChannel = unet.inChannels() == 9;
        boolean fullStrength = strength >= 1.0;
        NDArray latents;
        if (fullStrength) {
            latents = in.noise().mul((float) scheduler.initNoiseSigma());
        } else {
            latents = scheduler.addNoise(in.imageLatents(), in.noise(), timesteps[0]);
        }
        latents.attach(run);
        NDArray lastX0 = null;
        // diffusers: classifier-free guidance only when guidance_scale > 1; otherwise the UNet runs on batch 1 with the
        // prompt's embedding alone (half the work of a guided step)
        boolean guided = guidance > 1.0;
        NDArray embeddings = guided ? in.embeddings() : in.embeddings().get("1:2");
        if (!guided) {
            embeddings.attach(run);
        }
        NDArray maskBatch = !nineChannel ? null
                : guided ? NDArrays.concat(new NDList(in.mask(), in.mask()), 0) : in.mask();
        NDArray maskedBatch = !nineChannel ? null
                : guided ? NDArrays.concat(new NDList(in.maskedImageLatents(), in.maskedImageLatents()), 0)
                : in.maskedImageLatents();
        int done = 0;
        for (int i = 0; i < timesteps.length; i++) {
            if (cancel.isCancelled()) {
                return new Outcome(lastX0 != null ? lastX0 : latents, done, true);
            }
            double t = timesteps[i];
            try (NDManager step = run.newSubManager()) {
                latents.attach(step);
                // run-scoped inputs join the step while it lasts, so results of ops on them die with the step
                java.util.Set<NDArray> joined = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                for (NDArray a : new NDArray[] {in.mask(), in.maskedImageLatents(), in.imageLatents(), in.noise(),
                        in.embeddings(), embeddings, maskBatch, maskedBatch}) {
                    if (a != null && joined.add(a)) { // each once: a second tempAttach would lose its way home
                        a.tempAttach(step);
                    }
                }
                NDArray batch = guided ? NDArrays.concat(new NDList(latents, latents), 0) : latents;
                NDArray modelInput = scheduler.scaleModelInput(batch, t);
                if (nineChannel) {
                    modelInput = NDArrays.concat(new NDList(modelInput, maskBatch, maskedBatch), 1);
                }
                NDArray noisePred = unet.forward(modelInput, t, embeddings);
                NDArray eps = noisePred;
                if (guided) {
                    NDList halves = noisePred.split(2, 0);
                    NDArray uncond = halves.get(0);
                    NDArray cond = halves.get(1);
                    eps = uncond.add(cond.sub(uncond).mul((float) guidance));
                }
                NDArray stepNoise = scheduler.needsNoiseAt(t) ? step.randomNormal(latents.getShape()) : null;
                StepResult r = scheduler.step(eps, t, latents, stepNoise);
                NDArray next = r.prevSample();
                NDArray x0 = r.predOriginalSample();
                if (!nineChannel) {
                    NDArray known = in.imageLatents();
                    if (i < timesteps.length - 1) {
                        known = scheduler.addNoise(known, in.noise(), timesteps[i + 1]);
                    }
                    NDArray keep = in.mask().neg().add(1f);
                    next = known.mul(keep).add(next.mul(in.mask()));
                    if (x0 != null) {
                        x0 = in.imageLatents().mul(keep).add(x0.mul(in.mask()));
                    }
                }
                done = i + 1;
                if (observer != null) {
                    observer.afterStep(i, t, next, x0, eps);
                }
                if (lastX0 != null) {
                    lastX0.close();
                }
                lastX0 = x0 == null ? null : x0.duplicate();
                if (lastX0 != null) {
                    lastX0.attach(run);
                }
                next.attach(run);
                latents = next;
            }
        }
        if (lastX0 != null) {
            lastX0.close();
        }
        return new Outcome(latents, done, false);
    }
}
