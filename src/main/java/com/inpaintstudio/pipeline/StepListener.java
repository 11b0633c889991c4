package com.inpaintstudio.pipeline;

/** Receives progress from a running generation, on the engine's thread. Keep it cheap. */
public interface StepListener {
    StepListener NONE = e -> { };

    void onStep(StepEvent event);

    /** Called when the engine starts a phase that is not a denoising step (loading, encoding, decoding). */
    default void onPhase(String phase) { }

    /** A warning the user should see (a prompt cut short, tags that were ignored); by default shown as a phase. */
    default void onNotice(String message) {
        onPhase(message);
    }
}
