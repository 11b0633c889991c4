package com.inpaintstudio.pipeline;

/** What the masked area holds before it is encoded (only matters for strength < 1 and 4-channel models). */
public enum MaskedContent {
    /** The original pixels. */
    ORIGINAL,
    /** Pre-filled by the built-in classical fill, as other tools offer. */
    FILL
}
