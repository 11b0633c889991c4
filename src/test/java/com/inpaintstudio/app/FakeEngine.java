package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.CancelToken;
import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.InpaintResult;
import com.inpaintstudio.pipeline.StepEvent;
import com.inpaintstudio.pipeline.StepListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A test engine: each step paints the mask's bounding box a colour that moves from dark to bright green, emits it as a
 * preview, then optionally waits (for the UI to draw it, or a fixed time). The result is the photo with the final
 * colour where the mask is >= 0.5. Cancel returns the partial image.
 */
final class FakeEngine implements InpaintEngine {
    final List<Integer> stepsEmitted = Collections.synchronizedList(new ArrayList<>());
    volatile long stepMillis;
    volatile IntPredicate waitAfterStep = s -> true; // return when true
    volatile int nativeSize;
    /** Steps run beyond the requested ones (as PNDM runs steps + 1). */
    volatile int extraSteps;
    final List<Integer> generatedWidths = Collections.synchronizedList(new ArrayList<>());
    /** Every request this engine was given, in order. */
    final List<InpaintRequest> requests = Collections.synchronizedList(new ArrayList<>());

    @Override
    public int nativeSize() {
        return nativeSize;
    }

    @Override
    public String name() {
        return "fake";
    }

    static int colourOf(int step, int total) {
        int g = 40 + 215 * step / total;
        return g << 8 | 0x20;
    }

    @Override
    public InpaintResult generate(InpaintRequest r, StepListener listener, CancelToken cancel) {
        long t0 = System.nanoTime();
        requests.add(r);
        RgbImage photo = r.image();
        int w = photo.width(), h = photo.height();
        generatedWidths.add(w);
        int minX = w, minY = h, maxX = -1, maxY = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (r.mask().get(x, y) >= 0.5f) {
                    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
                }
            }
        }
        listener.onPhase("Encoding");
        int done = 0;
        int colour = 0;
        int total = r.steps() + extraSteps;
        for (int s = 1; s <= total; s++) {
            if (cancel.isCancelled()) {
                break;
            }
            colour = colourOf(s, total);
            RgbImage preview = RgbImage.filled(maxX - minX + 1, maxY - minY + 1, colour);
            byte[] alpha = new byte[preview.width() * preview.height()];
            for (int i = 0; i < alpha.length; i++) { // like the real engines: opaque where the mask repaints
                alpha[i] = (byte) (r.mask().get(minX + i % preview.width(), minY + i / preview.width()) >= 0.5f ? 255 : 0);
            }
            Duration el = Duration.ofNanos(System.nanoTime() - t0);
            listener.onStep(new StepEvent(s, total, 1000 - s, el, el.dividedBy(s).multipliedBy(total - s),
                    preview, minX, minY, preview.width(), preview.height(), s % 4 == 0, alpha));
            stepsEmitted.add(s);
            done = s;
            long deadline = System.currentTimeMillis() + 10_000;
            while (!waitAfterStep.test(s) && System.currentTimeMillis() < deadline) {
                sleep(2);
            }
            if (stepMillis > 0) {
                sleep(stepMillis);
            }
        }
        int[] px = photo.rgb().clone();
        for (int i = 0; i < px.length; i++) {
            if (r.mask().values()[i] >= 0.5f && done > 0) {
                px[i] = colour;
            }
        }
        String params = r.prompt() + "\nNegative prompt: " + r.negativePrompt() + "\nSteps: " + r.steps()
                + ", Sampler: " + (r.scheduler() == null ? "PNDM" : r.scheduler()) + ", CFG scale: " + r.guidance()
                + ", Seed: " + r.seed() + ", Size: " + w + "x" + h + ", Model: fake";
        return new InpaintResult(new RgbImage(w, h, px), r, name(), r.scheduler(), done < total, done,
                Duration.ofNanos(System.nanoTime() - t0), params);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
