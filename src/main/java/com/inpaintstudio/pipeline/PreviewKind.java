package com.inpaintstudio.pipeline;

/** How one step's preview was actually made (a {@link PreviewMode} may mix kinds across a run). */
public enum PreviewKind {
    /** No preview this step. */
    NONE(""),
    /** The 4x3 linear latent->RGB map of x0. */
    LINEAR("fast preview"),
    /** A real decode of x0 through the model's VAE. */
    VAE("VAE preview"),
    /** A real decode of x0 through TAESD, the tiny preview decoder. */
    TAESD("TAESD preview");

    private final String label;

    PreviewKind(String label) {
        this.label = label;
    }

    /** For status lines: "TAESD preview", "VAE preview", "fast preview", or "" for none. */
    public String label() {
        return label;
    }

    /** Whether a network decoded it (VAE or TAESD), as opposed to the linear map. */
    public boolean decoded() {
        return this == VAE || this == TAESD;
    }
}
