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
 * without a preview). {@code previewAlpha} (one byte per preview pixel, or null for "all of it") is the frame's
 * alpha: 255 where the frame shows generated (blended) pixels, 0 where it only repeats the photo; a viewer draws the
 * frame with it over the photo and needs nothing else.
 */
public record StepEvent(int step, int totalSteps, double timestep, Duration elapsed, Duration eta,
                        RgbImage preview, int regionX, int regionY, int regionWidth, int regionHeight,
                        PreviewKind previewKind, byte[] previewAlpha) {
    public StepEvent {
        previewKind = preview == null ? PreviewKind.NONE : previewKind == null ? PreviewKind.LINEAR : previewKind;
    }

    /** A step whose preview (if any) is opaque. */
    public StepEvent(int step, int totalSteps, double timestep, Duration elapsed, Duration eta, RgbImage preview,
                     int regionX, int regionY, int regionWidth, int regionHeight, PreviewKind previewKind) {
        this(step, totalSteps, timestep, elapsed, eta, preview, regionX, regionY, regionWidth, regionHeight,
                previewKind, null);
    }

    /** With {@code previewDecoded} true = a VAE decode, false = the linear map (engines without TAESD). */
    public StepEvent(int step, int totalSteps, double timestep, Duration elapsed, Duration eta, RgbImage preview,
                     int regionX, int regionY, int regionWidth, int regionHeight, boolean previewDecoded,
                     byte[] previewAlpha) {
        this(step, totalSteps, timestep, elapsed, eta, preview, regionX, regionY, regionWidth, regionHeight,
                previewDecoded ? PreviewKind.VAE : PreviewKind.LINEAR, previewAlpha);
    }

    /** As above, opaque. */
    public StepEvent(int step, int totalSteps, double timestep, Duration elapsed, Duration eta, RgbImage preview,
                     int regionX, int regionY, int regionWidth, int regionHeight, boolean previewDecoded) {
        this(step, totalSteps, timestep, elapsed, eta, preview, regionX, regionY, regionWidth, regionHeight,
                previewDecoded, null);
    }

    /** Whether the preview came from a real decode (VAE or TAESD) rather than the linear latent->RGB map. */
    public boolean previewDecoded() {
        return previewKind.decoded();
    }

    /** The preview as ARGB pixels (its alpha applied), ready for a viewer; null without a preview. */
    public int[] previewArgb() {
        if (preview == null) {
            return null;
        }
        int[] rgb = preview.rgb();
        int[] argb = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            argb[i] = (previewAlpha == null ? 0xff : previewAlpha[i] & 0xff) << 24 | (rgb[i] & 0xffffff);
        }
        return argb;
    }

    /** Steps per second so far. */
    public double itPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : step / s;
    }
}
