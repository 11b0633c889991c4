package com.inpaintstudio.pipeline;

import java.util.Arrays;
import java.util.Locale;

/** How each step's preview of the predicted x0 is made. */
public enum PreviewMode {
    /**
     * With a TAESD: a TAESD decode every step (within a ~10 % time budget, which a TAESD fits on any machine measured
     * so far). Without one: real VAE decodes within a ~10 % time budget, the linear latent->RGB map on the steps
     * between.
     */
    AUTO,
    /** A TAESD (tiny preview decoder) decode of x0 every step; needs a TAESD (see {@code PreviewDecoder}). */
    TAESD,
    /** Real VAE decode of x0 every step. */
    VAE,
    /** The 4x3 linear latent->RGB map only (nearly free). */
    LINEAR,
    /** No previews. */
    NONE;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PreviewMode parse(String s) {
        for (PreviewMode m : values()) {
            if (m.cliName().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown preview mode '" + s + "'; use one of "
                + Arrays.stream(values()).map(PreviewMode::cliName).toList());
    }
}
