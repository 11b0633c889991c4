package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs N variations of a request, seeds seed, seed+1, ...; stops early (keeping what is done) on cancel. The CLI and
 * the editor both generate through it.
 */
public final class BatchRunner {
    private BatchRunner() {}

    /** Follows a batch: a step listener per image, and each result as soon as it exists. */
    public interface Listener {
        /** The listener for the steps of image {@code index} (0-based) of {@code count}. */
        StepListener image(int index, int count);

        /** Image {@code index} is done (cancelled ones too); called on the generating thread. */
        default void result(int index, InpaintResult result) {
        }
    }

    /** Every image reports to the same step listener. */
    public static List<InpaintResult> run(InpaintEngine engine, InpaintRequest request, int count, StepListener listener,
                                          CancelToken cancel) {
        return run(engine, request, count, (index, n) -> listener, cancel);
    }

    public static List<InpaintResult> run(InpaintEngine engine, InpaintRequest request, int count, Listener listener,
                                          CancelToken cancel) {
        List<InpaintResult> results = new ArrayList<>();
        for (int i = 0; i < count && !cancel.isCancelled(); i++) {
            InpaintRequest r = i == 0 ? request : request.toBuilder().seed(request.seed() + i).build();
            InpaintResult res;
            try {
                res = engine.generate(r, listener.image(i, count), cancel);
            } catch (OutOfMemoryError e) {
                throw InpaintException.outOfMemory("generating", e);
            }
            results.add(res);
            listener.result(i, res);
            if (res.cancelled() || cancel.isCancelled()) {
                break;
            }
        }
        return results;
    }
}
