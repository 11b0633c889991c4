package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchRunnerTest {
    /** Records the seeds it is asked for; cancels itself during image {@code cancelAt}; may run out of memory. */
    private static final class SeedEngine implements InpaintEngine {
        final List<Long> seeds = new ArrayList<>();
        int cancelAt = -1;
        boolean oom;

        @Override
        public String name() {
            return "seeds";
        }

        @Override
        public InpaintResult generate(InpaintRequest r, StepListener listener, CancelToken cancel) {
            if (oom) {
                throw new OutOfMemoryError("Java heap space");
            }
            seeds.add(r.seed());
            listener.onPhase("image " + seeds.size());
            boolean cancelled = seeds.size() - 1 == cancelAt;
            if (cancelled) {
                cancel.cancel();
            }
            return new InpaintResult(RgbImage.filled(8, 8, 0), r, "seeds", "none", cancelled, 1, Duration.ZERO, "");
        }
    }

    private static final InpaintRequest REQUEST = InpaintRequest.builder().seed(100).steps(1).build();

    @Test
    void runsSeedAfterSeedWithOneListenerPerImageAndEachResultAsItComes() {
        SeedEngine engine = new SeedEngine();
        List<String> seen = new ArrayList<>();
        List<InpaintResult> results = BatchRunner.run(engine, REQUEST, 3, new BatchRunner.Listener() {
            @Override
            public StepListener image(int index, int count) {
                return new StepListener() {
                    @Override
                    public void onStep(StepEvent event) {
                    }

                    @Override
                    public void onPhase(String phase) {
                        seen.add(index + "/" + count + ": " + phase);
                    }
                };
            }

            @Override
            public void result(int index, InpaintResult result) {
                seen.add("result " + index + " seed " + result.request().seed());
            }
        }, new CancelToken());
        assertEquals(List.of(100L, 101L, 102L), engine.seeds);
        assertEquals(3, results.size());
        assertEquals(List.of("0/3: image 1", "result 0 seed 100", "1/3: image 2", "result 1 seed 101",
                "2/3: image 3", "result 2 seed 102"), seen);
    }

    @Test
    void cancelKeepsThePartialImageAndStopsTheBatch() {
        SeedEngine engine = new SeedEngine();
        engine.cancelAt = 1;
        List<InpaintResult> results = BatchRunner.run(engine, REQUEST, 5, e -> { }, new CancelToken());
        assertEquals(2, results.size());
        assertTrue(results.get(1).cancelled());
    }

    @Test
    void outOfMemoryBecomesTheOneMessage() {
        SeedEngine engine = new SeedEngine();
        engine.oom = true;
        InpaintException e = assertThrows(InpaintException.class,
                () -> BatchRunner.run(engine, REQUEST, 2, ev -> { }, new CancelToken()));
        assertTrue(e.getMessage().startsWith("Out of memory while generating. Try 'Only masked'"), e.getMessage());
        assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
    }
}
