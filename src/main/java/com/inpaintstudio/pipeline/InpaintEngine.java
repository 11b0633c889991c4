package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;

/**
 * Something that repaints the masked part of a photo: the Stable Diffusion pipeline or the built-in classical fill.
 * The editor and the CLI talk only to this interface.
 */
public interface InpaintEngine extends AutoCloseable {
    /** What the user sees in the model picker and in PNG metadata. */
    String name();

    /** Runs one generation on the calling thread. Bad input throws {@link InpaintException}; cancel returns a partial result. */
    InpaintResult generate(InpaintRequest request, StepListener listener, CancelToken cancel);

    @Override
    default void close() { }
}
