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

    /**
     * The side, in pixels, this engine generates best at (a Stable Diffusion model's native size); 0 = any size
     * (the built-in fill), so pictures larger than it need no tiles.
     */
    default int nativeSize() {
        return 0;
    }

    @Override
    default void close() { }
}
