package com.inpaintstudio.pipeline;

import com.inpaintstudio.image.RgbImage;

import java.time.Duration;

/**
 * One finished denoising step. {@code preview} (may be null) is the predicted x0 as pixels covering
 * {@code previewX, previewY} of the full output photo at the photo's scale; {@code previewDecoded} says whether it
 * came from a real VAE decode (true) or the linear latent map (false).
 */
public record StepEvent(int step, int totalSteps, int timestep, Duration elapsed, Duration eta,
                        RgbImage preview, int previewX, int previewY, boolean previewDecoded) {
    /** Steps per second so far. */
    public double itPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : step / s;
    }
}
