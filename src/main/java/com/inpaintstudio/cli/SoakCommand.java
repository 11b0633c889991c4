package com.inpaintstudio.cli;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.CancelToken;
import com.inpaintstudio.pipeline.DiffusionEngine;
import com.inpaintstudio.pipeline.Engines;
import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.PreviewMode;
import com.inpaintstudio.pipeline.StepListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code soak}: many generations in one process, printing resident memory and the weights manager's array count
 * every few runs, to show that nothing accumulates over a long editing session. Bench-style (a command, not a timed
 * test); exits 1 when RSS grew by {@code --limit-mb} or more over an earlier report, or the weight arrays changed.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run many generations in one process and print RSS and the weights' array count as it goes.",
            "RSS must not grow by --limit-mb (default 50) or more over any earlier report."})
public final class SoakCommand implements Callable<Integer> {
    static final String TINY = "src/test/resources/fixtures/sd15-tiny-inpaint/model/tiny-sd-inpaint";

    @Option(names = "--model", paramLabel = "DIR", description = "Model to run (default: the tiny test model of a checkout, " + TINY + ").")
    Path model;
    @Option(names = "--runs", defaultValue = "100", description = "Generations. Default: ${DEFAULT-VALUE}.")
    int runs;
    @Option(names = "--every", defaultValue = "10", description = "Report every N runs. Default: ${DEFAULT-VALUE}.")
    int every;
    @Option(names = "--size", paramLabel = "PX", defaultValue = "64", description = "Photo size (multiple of 8). Default: ${DEFAULT-VALUE}.")
    int size;
    @Option(names = "--steps", defaultValue = "4", description = "Steps per generation. Default: ${DEFAULT-VALUE}.")
    int steps;
    @Option(names = "--limit-mb", defaultValue = "50", description = "Allowed RSS growth after the first report, MB. Default: ${DEFAULT-VALUE}.")
    double limitMb;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Path m = model != null ? model : Path.of(TINY);
        if (!Files.exists(m)) {
            throw new InpaintException("No model at " + m + ": give --model DIR (the tiny test model lives in a "
                    + "checkout under " + TINY + ").");
        }
        if (runs < 1 || every < 1 || size < 8 || size % 8 != 0) {
            throw new InpaintException("--runs and --every must be >= 1 and --size a multiple of 8.");
        }
        RgbImage photo = photo(size);
        Mask mask = mask(size);
        String[] prompts = {"a red door", "a cat wearing a hat, oil painting", "", "mountains at dawn BREAK fog"};
        try (InpaintEngine eng = Engines.open(m)) {
            long baseKiB = -1;
            int baseArrays = -1;
            double maxGrowthMb = 0;
            boolean arraysChanged = false;
            out.printf(Locale.ROOT, "soak: %d generations of %s, %dx%d, %d steps, report every %d%n", runs,
                    m.getFileName(), size, size, steps, every);
            long t0 = System.nanoTime();
            for (int i = 1; i <= runs; i++) {
                InpaintRequest req = InpaintRequest.builder().image(photo).mask(mask).prompt(prompts[i % prompts.length])
                        .negativePrompt(i % 2 == 0 ? "blurry" : "").steps(steps).seed(i).preview(i % 3 == 0
                                ? PreviewMode.AUTO : PreviewMode.NONE).build();
                eng.generate(req, StepListener.NONE, new CancelToken());
                if (i % every == 0 || i == runs) {
                    System.gc();
                    long rss = rssKiB();
                    int arrays = eng instanceof DiffusionEngine d ? d.model().liveWeightArrays() : -1;
                    String growth = "";
                    if (baseKiB < 0) {
                        baseKiB = rss;
                        baseArrays = arrays;
                    } else {
                        // against the lowest report so far: the first one can still hold start-up garbage
                        double g = (rss - baseKiB) / 1024.0;
                        maxGrowthMb = Math.max(maxGrowthMb, g);
                        arraysChanged |= arrays != baseArrays;
                        growth = String.format(Locale.ROOT, "  (%+.1f MB over the lowest report)", g);
                        baseKiB = Math.min(baseKiB, rss);
                    }
                    out.printf(Locale.ROOT, "run %3d/%d  RSS %7.1f MB  weight arrays %d  %.2f s/run%s%n", i, runs,
                            rss / 1024.0, arrays, (System.nanoTime() - t0) / 1e9 / i, growth);
                }
            }
            boolean ok = maxGrowthMb < limitMb && !arraysChanged;
            out.printf(Locale.ROOT, "%s: RSS grew at most %.1f MB over an earlier report (limit %.0f MB); weight arrays %s%n",
                    ok ? "ok" : "FAILED", maxGrowthMb, limitMb, arraysChanged ? "CHANGED" : "constant");
            return ok ? 0 : 1;
        }
    }

    private static RgbImage photo(int s) {
        int[] px = new int[s * s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                px[y * s + x] = (x * 255 / (s - 1)) << 16 | (y * 255 / (s - 1)) << 8 | ((x + y) % 64) * 4;
            }
        }
        return new RgbImage(s, s, px);
    }

    private static Mask mask(int s) {
        float[] v = new float[s * s];
        for (int y = s / 4; y < s * 3 / 4; y++) {
            for (int x = s / 4; x < s * 3 / 4; x++) {
                v[y * s + x] = 1f;
            }
        }
        return new Mask(s, s, v);
    }

    private static long rssKiB() {
        return BenchCommand.vmRssKiB();
    }
}
