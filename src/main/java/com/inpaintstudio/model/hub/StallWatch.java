package com.inpaintstudio.model.hub;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response body that has delivered nothing for a while: Java's HTTP client has no read timeout, and a
 * connection that silently dies (Wi-Fi gone, no reset) would otherwise block a download forever.
 */
final class StallWatch implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "download-stall-watch");
        t.setDaemon(true);
        return t;
    });

    private final InputStream body;
    private final long timeoutNanos;
    private final ScheduledFuture<?> task;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;

    StallWatch(InputStream body, Duration timeout) {
        this.body = body;
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(50, timeout.toMillis() / 4);
        this.task = TIMER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    void progressed() {
        lastProgress = System.nanoTime();
    }

    boolean stalled() {
        return stalled;
    }

    private void check() {
        if (!stalled && System.nanoTime() - lastProgress > timeoutNanos) {
            stalled = true;
            try {
                body.close();
            } catch (IOException ignored) {
                // closing is all we want; the reader sees the end of the stream or an error
            }
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
