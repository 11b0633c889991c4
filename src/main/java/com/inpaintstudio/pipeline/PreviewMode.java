package com.inpaintstudio.pipeline;

import java.util.Arrays;
import java.util.Locale;

/** How each step's preview of the predicted x0 is made. */
public enum PreviewMode {
    /** Real VAE decodes within a ~10 % time budget, the linear latent->RGB map on the steps between. */
    AUTO,
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
