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
 * {@code previewKind} says how it was made: a TAESD or VAE decode, or the linear latent->RGB map ({@code NONE}
 * without a preview).
 */
public record StepEvent(int step, int totalSteps, double timestep, Duration elapsed, Duration eta,
                        RgbImage preview, int regionX, int regionY, int regionWidth, int regionHeight,
                        PreviewKind previewKind) {
    public StepEvent {
        previewKind = preview == null ? PreviewKind.NONE : previewKind == null ? PreviewKind.LINEAR : previewKind;
    }

    /** With {@code previewDecoded} true = a VAE decode, false = the linear map (engines without TAESD). */
    public StepEvent(int step, int totalSteps, double timestep, Duration elapsed, Duration eta, RgbImage preview,
                     int regionX, int regionY, int regionWidth, int regionHeight, boolean previewDecoded) {
        this(step, totalSteps, timestep, elapsed, eta, preview, regionX, regionY, regionWidth, regionHeight,
                previewDecoded ? PreviewKind.VAE : PreviewKind.LINEAR);
    }

    /** Whether the preview came from a real decode (VAE or TAESD) rather than the linear latent->RGB map. */
    public boolean previewDecoded() {
        return previewKind.decoded();
    }

    /** Steps per second so far. */
    public double itPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : step / s;
    }
}
