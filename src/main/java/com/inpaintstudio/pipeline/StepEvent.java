package com.inpaintstudio.pipeline;

import com.inpaintstudio.image.RgbImage;

import java.time.Duration;

/**
 * One finished denoising step.
 *
 * <p>{@code preview} (null when none was asked for) shows the predicted final picture (x0) of the region being
 * generated, already composed with the original pixels outside the mask. It covers the rectangle
 * {@code regionX, regionY, regionWidth, regionHeight} of the photo, in photo pixels; the preview itself may be
 * smaller (it is made at generation resolution): draw it scaled into that rectangle.
 * {@code previewDecoded} says whether it came from a real VAE decode (true) or the linear latent->RGB map (false).
 */
public record StepEvent(int step, int totalSteps, double timestep, Duration elapsed, Duration eta,
                        RgbImage preview, int regionX, int regionY, int regionWidth, int regionHeight,
                        boolean previewDecoded) {
    /** Steps per second so far. */
    public double itPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : step / s;
    }
}
