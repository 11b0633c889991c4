package com.inpaintstudio.app;

import com.inpaintstudio.pipeline.InpaintResult;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One truth for a run's step count: the steps that actually ran ({@code total} is the scheduler's timesteps, strength
 * and the scheduler's extra steps included, as the status bar's "Step n/N" shows them). The result tile and the PNG's
 * parameters say the same N; a cancelled run says "stopped at step n of N".
 *
 * @param done  steps finished
 * @param total steps the run was going to make
 * @param fill  the built-in fill made it (no seed, no scheduler)
 */
record RunSteps(int done, int total, boolean fill) {
    private static final Pattern SIZE = Pattern.compile("Size: (\\d+)x(\\d+)");

    /** {@code totalSeen}: the total of the run's step events (0 when none came). */
    static RunSteps of(InpaintResult r, int totalSeen, boolean fill) {
        int total = Math.max(totalSeen, r.stepsCompleted());
        return new RunSteps(r.cancelled() ? r.stepsCompleted() : total, total, fill);
    }

    /** "stopped at step 12 of 26" or "26 steps". */
    String text(boolean cancelled) {
        return cancelled ? "stopped at step " + done + " of " + total : total + (total == 1 ? " step" : " steps");
    }

    /** The line under a result's thumbnail. */
    String caption(InpaintResult r) {
        String who = fill ? "built-in fill" : "seed " + r.request().seed();
        String steps = fill && !r.cancelled() ? "" : " · " + text(r.cancelled());
        String size = generatedSize(r);
        return who + steps + (size == null ? "" : " · made at " + size);
    }

    /** The result with the steps that ran added to its parameters ({@code Steps:} stays the requested count). */
    InpaintResult annotate(InpaintResult r) {
        if (fill || r.parameters() == null || total <= 0) {
            return r;
        }
        String extra = r.cancelled() ? ", Stopped at step: " + done + " of " + total : ", Steps run: " + total;
        return new InpaintResult(r.image(), r.request(), r.modelName(), r.samplerName(), r.cancelled(),
                r.stepsCompleted(), r.elapsed(), r.parameters() + extra);
    }

    /** "512x384" when the parameters record a generation size other than the picture's, else null. */
    static String generatedSize(InpaintResult r) {
        if (r.parameters() == null || r.image() == null) {
            return null;
        }
        Matcher m = SIZE.matcher(r.parameters());
        if (!m.find()) {
            return null;
        }
        int w = Integer.parseInt(m.group(1)), h = Integer.parseInt(m.group(2));
        return w == r.image().width() && h == r.image().height() ? null : w + "x" + h;
    }
}
