package com.inpaintstudio.pipeline;

/** Receives progress from a running generation, on the engine's thread. Keep it cheap. */
public interface StepListener {
    StepListener NONE = e -> { };

    void onStep(StepEvent event);

    /** Called when the engine starts a phase that is not a denoising step (loading, encoding, decoding). */
    default void onPhase(String phase) { }
}
