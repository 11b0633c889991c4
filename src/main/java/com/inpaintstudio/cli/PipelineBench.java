package com.inpaintstudio.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.Component;
import com.inpaintstudio.model.ModelFiles;
import com.inpaintstudio.model.RandomWeights;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.pipeline.CancelToken;
import com.inpaintstudio.pipeline.DiffusionEngine;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.LoraSpec;
import com.inpaintstudio.pipeline.StableDiffusionModel;
import com.inpaintstudio.pipeline.StepEvent;
import com.inpaintstudio.pipeline.StepListener;
import com.inpaintstudio.scheduler.Schedulers;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The end-to-end figures of {@code bench}: the real pipeline (VAE encode, text encoder, denoising loop with its
 * previews, VAE decode, paste-back; no file IO) on the full-size architecture with random weights. A normal run
 * (25 steps, guidance 7.5, the model's scheduler) against the fast preset (6 steps, guidance 1 so the UNet runs
 * batch 1, the LCM scheduler where present, else DDIM, with a random rank-64 LoRA over every UNet layer merged),
 * and the ratio of an unguided to a guided denoising step.
 */
final class PipelineBench {
    static final int LORA_RANK = 64;

    private final PrintWriter out;
    private final Function<String, JsonObject> configs;
    private final Path tokenizer;
    private final boolean fp16;
    private final int size;
    private final int runs;
    private final com.inpaintstudio.tensor.ComputeOptions compute;

    PipelineBench(PrintWriter out, Function<String, JsonObject> configs, Path tokenizer, boolean fp16, int size, int runs,
                  com.inpaintstudio.tensor.ComputeOptions compute) {
        this.compute = compute;
        this.out = out;
        this.configs = configs;
        this.tokenizer = tokenizer;
        this.fp16 = fp16;
        this.size = size;
        this.runs = runs;
    }

    void run() throws IOException {
        long t0 = System.nanoTime();
        try (DiffusionEngine engine = new DiffusionEngine(StableDiffusionModel.load(new RandomModelFiles()))) {
            out.printf(Locale.ROOT, "e2e model built in %.0f ms%n", ms(t0));
            RgbImage photo = photo(size);
            Mask mask = box(size);
            InpaintRequest base = InpaintRequest.builder().image(photo).mask(mask).prompt("a wooden bench in a park")
                    .size(size, size).seed(1).compute(compute).build();
            // warm-up: one guided step (allocator, threads, first-touch of the weights)
            long w = System.nanoTime();
            engine.generate(base.toBuilder().steps(1).build(), StepListener.NONE, new CancelToken());
            out.printf(Locale.ROOT, "e2e warm-up (1 guided step) %.0f ms%n", ms(w));
            out.flush();

            StepTimes guidedSteps = new StepTimes();
            List<Double> guided = timed(engine, base.toBuilder().steps(25).guidance(7.5).build(), guidedSteps);
            String modelScheduler = engine.model().schedulerConfig().get("_class_name").getAsString();
            BenchCommand.report(out, "e2e-guided", String.format(Locale.ROOT,
                    "25 steps, guidance 7.5 (batch 2), %s, %dx%d px, full pipeline", modelScheduler, size, size), guided);

            Path lora = Files.createTempFile("bench-lora-", ".safetensors");
            try {
                long l = System.nanoTime();
                // like LCM-LoRA: every linear and conv layer of the down, mid and up blocks (kohya's trainers leave
                // conv_in, conv_out and the time embedding alone, and diffusers' name mapping cannot express them)
                java.util.Map<String, long[]> targets = new java.util.LinkedHashMap<>();
                engine.model().unetLoraTargets().forEach((k, v) -> {
                    if (k.startsWith("down_blocks.") || k.startsWith("mid_block.") || k.startsWith("up_blocks.")) {
                        targets.put(k, v);
                    }
                });
                RandomLora.write(lora, targets, LORA_RANK, 7);
                out.printf(Locale.ROOT, "e2e random LoRA: rank %d over %d UNet layers, %.0f MB fp16, written in %.0f ms%n",
                        LORA_RANK, targets.size(), Files.size(lora) / 1e6, ms(l));
                List<LoraSpec> specs = List.of(LoraSpec.of(lora, 1.0));
                long m = System.nanoTime();
                engine.model().applyLoras(specs);
                out.printf(Locale.ROOT, "e2e LoRA merge %.0f ms (once; later runs with the same LoRA reuse it)%n", ms(m));
                boolean lcm = Schedulers.names().contains("lcm");
                String scheduler = lcm ? "lcm" : "ddim";
                StepTimes fastSteps = new StepTimes();
                List<Double> fast = timed(engine, base.toBuilder().steps(6).guidance(1.0).scheduler(scheduler)
                        .loras(specs).build(), fastSteps);
                BenchCommand.report(out, "e2e-fast", String.format(Locale.ROOT,
                        "6 steps, guidance 1 (batch 1), %s%s, LoRA rank %d merged, %dx%d px, full pipeline",
                        scheduler.toUpperCase(Locale.ROOT), lcm ? "" : " (no lcm scheduler in this build)", LORA_RANK,
                        size, size), fast);
                engine.model().applyLoras(List.of());
                double g = guidedSteps.median();
                double u = fastSteps.median();
                out.printf(Locale.ROOT, "step ratio unguided/guided: %.2f (median denoising step %.0f ms vs %.0f ms, "
                        + "previews included)%n", u / g, u, g);
                double one = unetMedian(engine, 1);
                double two = unetMedian(engine, 2);
                out.printf(Locale.ROOT, "UNet-only ratio batch 1 / batch 2: %.2f (%.0f ms vs %.0f ms, median of %d after "
                        + "a warm-up)%n", one / two, one, two, runs);
                out.flush();
            } finally {
                Files.deleteIfExists(lora);
            }
        }
    }

    /** Median time of one UNet call on {@code batch} rows at the bench size (what one step costs without CFG: 1). */
    private double unetMedian(DiffusionEngine engine, int batch) {
        com.inpaintstudio.nn.UNet2DConditionModel unet = engine.model().unet();
        int lat = size / 8;
        try (NDManager m = com.inpaintstudio.tensor.DjlRuntime.newManager()) {
            ai.djl.ndarray.NDArray sample = m.randomNormal(new ai.djl.ndarray.types.Shape(batch, unet.inChannels(), lat, lat));
            ai.djl.ndarray.NDArray text = m.randomNormal(new ai.djl.ndarray.types.Shape(batch, 77, unet.crossAttentionDim()));
            unet.forward(sample, 500, text).close();
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                unet.forward(sample, 500, text).close();
                times.add(ms(t));
            }
            times.sort(null);
            return times.get(times.size() / 2);
        }
    }

    private List<Double> timed(DiffusionEngine engine, InpaintRequest r, StepTimes steps) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            engine.generate(r, steps, new CancelToken());
            times.add(ms(t));
        }
        return times;
    }

    /** Durations of the denoising steps (from the listener's elapsed times), previews included. */
    private static final class StepTimes implements StepListener {
        private final List<Double> steps = new ArrayList<>();
        private double last;

        @Override
        public void onStep(StepEvent e) {
            double now = e.elapsed().toNanos() / 1e6;
            if (e.step() == 1) {
                last = 0;
            }
            steps.add(now - last);
            last = now;
        }

        double median() {
            List<Double> s = new ArrayList<>(steps);
            s.sort(null);
            return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
        }
    }

    private static RgbImage photo(int size) {
        int[] px = new int[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                px[y * size + x] = (x * 255 / size) << 16 | (y * 255 / size) << 8 | ((x + y) * 127 / size);
            }
        }
        return new RgbImage(size, size, px);
    }

    private static Mask box(int size) {
        float[] v = new float[size * size];
        for (int y = size / 4; y < 3 * size / 4; y++) {
            for (int x = size / 4; x < 3 * size / 4; x++) {
                v[y * size + x] = 1f;
            }
        }
        return new Mask(size, size, v);
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The bench's configs with random weights (fp16 or fp32) and the bundled tokenizer: no files. */
    private final class RandomModelFiles implements ModelFiles {
        @Override
        public String name() {
            return "random-weights";
        }

        @Override
        public Path location() {
            return tokenizer;
        }

        @Override
        public JsonObject config(Component component) {
            return configs.apply(component.folder());
        }

        @Override
        public Weights weights(Component component, NDManager manager) {
            return new RandomWeights(manager, fp16);
        }

        @Override
        public Path tokenizerDir() {
            return tokenizer;
        }
    }
}
