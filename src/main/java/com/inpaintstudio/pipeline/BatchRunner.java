package com.inpaintstudio.pipeline;

import java.util.ArrayList;
import java.util.List;

/** Runs N variations of a request, seeds seed, seed+1, ...; stops early (keeping what is done) on cancel. */
public final class BatchRunner {
    private BatchRunner() {}

    public static List<InpaintResult> run(InpaintEngine engine, InpaintRequest request, int count, StepListener listener,
                                          CancelToken cancel) {
        List<InpaintResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            InpaintRequest r = i == 0 ? request : request.toBuilder().seed(request.seed() + i).build();
            InpaintResult res = engine.generate(r, listener, cancel);
            results.add(res);
            if (res.cancelled() || cancel.isCancelled()) {
                break;
            }
        }
        return results;
    }
}
