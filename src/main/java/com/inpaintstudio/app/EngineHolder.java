package com.inpaintstudio.app;

import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.errors.InpaintException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Loads the engine of the chosen model in the background (one at a time) and keeps it open. A generation asks for it
 * on its worker thread and waits there if loading is still going on; the FX thread never waits.
 */
public final class EngineHolder implements AutoCloseable {
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "engine-loader");
        t.setDaemon(true);
        return t;
    });
    private final EngineProvider provider;
    private ModelChoice choice;
    private CompletableFuture<InpaintEngine> engine;

    public EngineHolder(EngineProvider provider) {
        this.provider = provider;
    }

    /** Starts loading {@code c} (unless it is already loaded or loading); closes the previous engine once loaded. */
    public synchronized CompletableFuture<InpaintEngine> load(ModelChoice c) {
        if (c.equals(choice) && engine != null && !engine.isCompletedExceptionally()) {
            return engine;
        }
        CompletableFuture<InpaintEngine> previous = engine;
        choice = c;
        engine = CompletableFuture.supplyAsync(() -> {
            if (previous != null) {
                previous.thenAccept(InpaintEngine::close);
            }
            return provider.open(c);
        }, loader);
        return engine;
    }

    /**
     * The side the chosen engine generates best at: the loaded engine's {@link InpaintEngine#nativeSize()}; while a
     * Stable Diffusion model is still loading, 512 (SD 1.5); 0 for the built-in fill (any size).
     */
    public synchronized int nativeSize() {
        InpaintEngine e = engine == null || !engine.isDone() || engine.isCompletedExceptionally() ? null : engine.getNow(null);
        if (e != null) {
            return e.nativeSize();
        }
        return choice == null || choice.kind() == ModelChoice.Kind.BUILT_IN_FILL ? 0 : 512;
    }

    /** True when generating uses the built-in fill (no seed, no VAE): the loaded engine says so, else the choice. */
    public synchronized boolean isBuiltInFill() {
        InpaintEngine e = engine == null || !engine.isDone() || engine.isCompletedExceptionally() ? null : engine.getNow(null);
        if (e != null) {
            return com.inpaintstudio.pipeline.ClassicalFillEngine.NAME.equals(e.name());
        }
        return choice != null && choice.kind() == ModelChoice.Kind.BUILT_IN_FILL;
    }

    public synchronized ModelChoice choice() {
        return choice;
    }

    /** Worker thread: the loaded engine, waiting for it if needed. Load failures come back as InpaintException. */
    public InpaintEngine await() throws InterruptedException {
        CompletableFuture<InpaintEngine> f;
        synchronized (this) {
            f = engine;
        }
        if (f == null) {
            throw new InpaintException("No model is selected. Choose one in the model picker.");
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw asUserError(e.getCause());
        }
    }

    /** A failure while loading, as the message the user should see. */
    public static RuntimeException asUserError(Throwable t) {
        if (t instanceof InpaintException ie) {
            return ie;
        }
        if (t instanceof OutOfMemoryError) {
            return InpaintException.outOfMemory("loading the model", t);
        }
        return new InpaintException("The model could not be loaded: " + t, t);
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.thenAccept(InpaintEngine::close);
        }
        loader.shutdown();
    }
}
