package com.inpaintstudio.pipeline;

/** Cooperative cancel: the pipeline checks it between steps and returns the partial result. */
public final class CancelToken {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
