package com.inpaintstudio.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.PasteBack;
import com.inpaintstudio.model.DiffusersFolder;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures what each preview mode costs per step against {@link PreviewMode#NONE} on the tiny model at its native
 * 256 px (mask a quarter of the picture), and prints the figures. A whole-run difference drowns in the noise of a
 * loaded machine, so the preview work itself is timed (median of a few calls) against the median step of a run
 * without previews; AUTO's share comes from how many steps of a 10-step run it decoded.
 */
@org.junit.jupiter.api.Tag("bench") // timing: runs with -Pbench only
class PreviewOverheadTest {
    private static final int SIZE = 256;

    @Test
    void overheadOfEachPreviewModeAgainstNone() {
        try (DiffusionEngine engine = DiffusionEngine.open(DiffusersFolder.open(Fixtures.modelDir()))) {
            Mask mask = TestModels.box(SIZE, SIZE, 96, 96, 64, 64);
            InpaintRequest.Builder b = InpaintRequest.builder().image(TestModels.photo(SIZE, SIZE)).mask(mask)
                    .prompt("a cat").steps(10).scheduler("ddim");
            double step = medianStepMs(engine, b.preview(PreviewMode.NONE).build(), new int[1]);
            int[] autoDecodes = {0};
            double autoStep = medianStepMs(engine, b.preview(PreviewMode.AUTO).build(), autoDecodes);

            Mask alpha = PasteBack.alpha(mask, 4);
            PreviewMaker crop = new PreviewMaker(PreviewMode.VAE, engine.model().vae(), SIZE, SIZE,
                    TestModels.photo(SIZE, SIZE).rgb(), alpha.values());
            PreviewMaker whole = new PreviewMaker(PreviewMode.VAE, engine.model().vae(), SIZE, SIZE,
                    TestModels.photo(SIZE, SIZE).rgb(), Mask.filled(SIZE, SIZE, 1f).values());
            double linear;
            double vaeCrop;
            double vaeWhole;
            try (NDManager m = DjlRuntime.newManager()) {
                DjlRuntime.seed(1);
                NDArray x0 = m.randomNormal(new Shape(1, 4, SIZE / 8, SIZE / 8));
                linear = median(() -> crop.preview(x0, false));
                vaeCrop = median(() -> crop.preview(x0, true));
                vaeWhole = median(() -> whole.preview(x0, true));
            }
            double auto = (autoDecodes[0] * vaeCrop + (10 - autoDecodes[0]) * linear) / 10;
            String report = String.format("preview overhead at %dx%d (mask 64x64), one guided DDIM step %.0f ms: "
                    + "linear +%.1f ms/step (%.1f%%), vae +%.0f ms/step (%.0f%%; whole-picture decode %.0f ms), "
                    + "auto +%.1f ms/step (%.1f%%: %d of 10 steps decoded; measured AUTO step %.0f ms), none +0",
                    SIZE, SIZE, step, linear, 100 * linear / step, vaeCrop, 100 * vaeCrop / step, vaeWhole,
                    auto, 100 * auto / step, autoDecodes[0], autoStep);
            System.out.println(report);
            assertTrue(linear < vaeCrop, report);
            assertTrue(vaeCrop <= vaeWhole * 1.2, "the crop decode is not dearer than the whole: " + report);
        }
    }

    /**
     * TAESD against NONE, measured the same way: the tiny random TAESD's preview on the tiny model (one per step), and
     * the full-size TAESD (madebyollin/taesd's config, random weights) decoding the whole 256 px latent, the figure
     * that carries over to a real model.
     */
    @Test
    void overheadOfTaesdAgainstNone() throws java.io.IOException {
        try (DiffusionEngine engine = DiffusionEngine.open(DiffusersFolder.open(Fixtures.modelDir()))) {
            engine.usePreviewDecoder(PreviewDecoder.load(Fixtures.taesdDir(), engine.model()));
            Mask mask = TestModels.box(SIZE, SIZE, 96, 96, 64, 64);
            InpaintRequest.Builder b = InpaintRequest.builder().image(TestModels.photo(SIZE, SIZE)).mask(mask)
                    .prompt("a cat").steps(10).scheduler("ddim");
            double step = medianStepMs(engine, b.preview(PreviewMode.NONE).build(), new int[1]);
            int[] decodes = {0};
            double taesdStep = medianStepMs(engine, b.preview(PreviewMode.TAESD).build(), decodes);

            Mask alpha = PasteBack.alpha(mask, 4);
            PreviewMaker crop = new PreviewMaker(PreviewMode.TAESD, engine.model().vae(),
                    engine.previewDecoder().taesd(), SIZE, SIZE, TestModels.photo(SIZE, SIZE).rgb(), alpha.values());
            double tinyCrop;
            double fullWhole;
            try (NDManager m = DjlRuntime.newManager(); NDManager w = DjlRuntime.newManager()) {
                DjlRuntime.seed(1);
                NDArray x0 = m.randomNormal(new Shape(1, 4, SIZE / 8, SIZE / 8));
                tinyCrop = median(() -> crop.preview(x0, PreviewKind.TAESD));
                com.google.gson.JsonObject cfg;
                try (java.io.InputStream in = getClass().getResourceAsStream("/com/inpaintstudio/configs/taesd/config.json")) {
                    cfg = com.google.gson.JsonParser.parseString(new String(in.readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8)).getAsJsonObject();
                }
                com.inpaintstudio.nn.AutoencoderTiny full = com.inpaintstudio.nn.AutoencoderTiny.build(cfg,
                        new com.inpaintstudio.model.RandomWeights(w), true);
                fullWhole = median(() -> full.decode(x0).close());
            }
            String report = String.format("TAESD preview overhead at %dx%d (mask 64x64), one guided DDIM step %.0f ms: "
                    + "tiny TAESD +%.1f ms/step (%.1f%%; measured TAESD-mode step %.0f ms, %d of 10 steps decoded); "
                    + "full-size TAESD (random weights) decoding the whole %d px latent %.0f ms, none +0",
                    SIZE, SIZE, step, tinyCrop, 100 * tinyCrop / step, taesdStep, decodes[0], SIZE, fullWhole);
            System.out.println(report);
            assertTrue(decodes[0] == 10, "one TAESD preview per step: " + report);
        }
    }

    private static double medianStepMs(DiffusionEngine engine, InpaintRequest r, int[] decodes) {
        List<Long> ends = new ArrayList<>();
        engine.generate(r, e -> {
            ends.add(e.elapsed().toNanos());
            decodes[0] += e.previewDecoded() ? 1 : 0;
        }, null);
        double[] gaps = new double[ends.size() - 1];
        for (int i = 1; i < ends.size(); i++) {
            gaps[i - 1] = (ends.get(i) - ends.get(i - 1)) / 1e6;
        }
        Arrays.sort(gaps);
        return gaps[gaps.length / 2];
    }

    private static double median(Runnable r) {
        r.run(); // warm-up
        double[] t = new double[3];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[1];
    }
}
