package com.inpaintstudio.app;

import com.inpaintstudio.pipeline.StepEvent;
import javafx.animation.AnimationTimer;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands the engine's step events (each with its preview frame and alpha) from the engine thread to the FX thread
 * without queueing: the engine overwrites one slot, each
 * animation pulse draws whatever is newest. Steps that arrive faster than the screen refreshes are skipped, never
 * queued.
 */
public final class PreviewPump {
    private final AtomicReference<StepEvent> latest = new AtomicReference<>();
    private final Consumer<StepEvent> drawer;
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            drain();
        }
    };
    private volatile int lastDrawnStep;
    private final java.util.concurrent.atomic.AtomicInteger offered = new java.util.concurrent.atomic.AtomicInteger();

    /** {@code drawer} runs on the FX thread. */
    public PreviewPump(Consumer<StepEvent> drawer) {
        this.drawer = drawer;
    }

    /** Any thread: replaces the pending frame. */
    public void offer(StepEvent f) {
        latest.set(f);
        offered.incrementAndGet();
    }

    /** Frames handed in since {@link #start()} (one per engine step; some may be skipped when drawing). */
    public int offeredCount() {
        return offered.get();
    }

    public void start() {
        lastDrawnStep = 0;
        offered.set(0);
        timer.start();
    }

    /** FX thread: draws what is pending and stops. */
    public void stop() {
        timer.stop();
        drain();
        latest.set(null);
    }

    /** FX thread: draws the pending frame, if any. */
    public void drain() {
        StepEvent f = latest.getAndSet(null);
        if (f != null) {
            drawer.accept(f);
            lastDrawnStep = f.step();
        }
    }

    /** The step number of the last frame drawn (readable from any thread). */
    public int lastDrawnStep() {
        return lastDrawnStep;
    }
}
