package com.inpaintstudio.cli;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.pipeline.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code generate} command's contract: parity through --init-noise, batches, previews, and bad input. */
class GenerateCommandTest {
    @TempDir
    static Path dir;
    static Path image;
    static Path mask;
    static String model;

    record Run(int code, String err) { }

    @BeforeAll
    static void files() {
        image = dir.resolve("photo.png");
        mask = dir.resolve("mask.png");
        ImageFiles.writePng(TestModels.photo(64, 64), image);
        ImageFiles.writeMaskPng(TestModels.box(64, 64, 16, 16, 24, 24), mask);
        model = Fixtures.modelDir().toString();
    }

    static synchronized Run cli(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Cli.run(args);
            System.err.flush();
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    static List<String> args(String... extra) {
        List<String> a = new ArrayList<>(List.of("generate", "--model", model, "--image", image.toString(),
                "--mask", mask.toString(), "--prompt", "a cat"));
        a.addAll(List.of(extra));
        if (!a.contains("--steps")) {
            a.addAll(List.of("--steps", "2"));
        }
        if (!a.contains("--preview")) {
            a.addAll(List.of("--preview", "none"));
        }
        return a;
    }

    @Test
    void pndmThroughTheCommandLineMatchesDiffusers() throws IOException {
        Path noise = dir.resolve("latents.safetensors");
        float[] expected;
        try (SafetensorsFile ref = Fixtures.openCase("pipeline_pndm")) {
            TestModels.writeSafetensors(noise, Map.of("latents",
                    new TestModels.Tensor(new long[] {1, 4, 32, 32}, ref.readFloats("initial_latents"))));
            expected = ref.readFloats("image_uint8");
        }
        Path out = dir.resolve("pndm.png");
        Run r = cli("generate", "--model", model, "--image", Fixtures.root().resolve("images/pndm_image.png").toString(),
                "--mask", Fixtures.root().resolve("images/pndm_mask.png").toString(), "--prompt", "a cat with a hat",
                "--steps", "20", "--scheduler", "pndm", "--init-noise", noise.toString(), "--no-paste-back",
                "--precision", "fp32", // diffusers' arithmetic: auto is bf16 on a CPU with native bf16
                "--width", "256", "--height", "256", "--preview", "none", "-q", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        RgbImage img = ImageFiles.readImage(out);
        int maxDiff = 0;
        for (int i = 0; i < 256 * 256; i++) {
            int p = img.rgb()[i];
            int[] rgb = {p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff};
            for (int c = 0; c < 3; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(rgb[c] - (int) expected[i * 3 + c]));
            }
        }
        assertTrue(maxDiff <= 1, "CLI output differs from diffusers by " + maxDiff + " levels");
    }

    @Test
    void batchWritesNumberedFilesWithSuccessiveSeedsAndEveryStepPreview() {
        Path out = dir.resolve("batch/cat.png");
        Path previews = dir.resolve("batch/previews");
        out.getParent().toFile().mkdirs();
        Run r = cli("generate", "--model", model, "--prompt", "a cat", "--width", "64", "--height", "64",
                "--steps", "2", "--seed", "10", "--batch", "2", "--preview", "linear",
                "--previews-dir", previews.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (int n = 1; n <= 2; n++) {
            Path f = dir.resolve("batch/cat-" + n + ".png");
            String params = PngMetadata.read(f).get("parameters");
            assertTrue(params.contains("Seed: " + (9 + n)), params);
            assertEquals(64, ImageFiles.readImage(f).width());
            for (int s = 1; s <= 2; s++) {
                Path p = previews.resolve("image-" + n + "-step-00" + s + ".png");
                assertTrue(Files.isRegularFile(p), p + " in " + previews.toFile().list().length + " files");
            }
        }
        assertTrue(Files.notExists(out), "with --batch the plain name is not written");
    }

    @Test
    void previewsDirWritesOneFilePerStep() {
        Path previews = dir.resolve("single-previews");
        Path out = dir.resolve("single.png");
        Run r = cli(args("--preview", "linear", "--steps", "3", "--previews-dir", previews.toString(),
                "--negative-prompt", "blurry", "--out", out.toString()).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        for (int s = 1; s <= 3; s++) {
            assertTrue(Files.isRegularFile(previews.resolve("step-00" + s + ".png")));
        }
        String params = PngMetadata.read(out).get("parameters");
        // Size: what the model generated at (the 64 px photo is upscaled to the tiny model's native 256 px)
        for (String key : List.of("a cat\n", "Negative prompt: blurry", "Steps: 3", "Sampler: ", "CFG scale: ",
                "Seed: 0", "Size: 256x256", "Denoising strength: ", "Mask blur: ", "Model: ")) {
            assertTrue(params.contains(key), "missing '" + key + "' in " + params);
        }
    }

    @Test
    void taesdPreviewsThroughPreviewModel() {
        Path previews = dir.resolve("taesd-previews");
        Run r = cli(args("--preview", "taesd", "--preview-model", Fixtures.taesdDir().toString(), "--steps", "3",
                "--scheduler", "ddim", "--previews-dir", previews.toString(), "--out", dir.resolve("taesd.png").toString())
                .toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("previews: TAESD " + Fixtures.taesdDir()), r.err());
        assertEquals(3, r.err().lines().filter(l -> l.startsWith("step ") && l.endsWith("(TAESD preview)")).count(), r.err());
        for (int s = 1; s <= 3; s++) {
            assertTrue(Files.isRegularFile(previews.resolve("step-00" + s + ".png")));
        }
        // a folder that is not a TAESD: one clear line
        Run bad = cli(args("--preview", "taesd", "--preview-model", model, "--out", dir.resolve("x.png").toString())
                .toArray(String[]::new));
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("is not a TAESD folder"), bad.err());
    }

    @Test
    void draftFinalDecodeThroughTaesdIsMarkedInThePng() throws IOException {
        Path out = dir.resolve("draft.png");
        Run r = cli(args("--preview", "none", "--preview-model", Fixtures.taesdDir().toString(), "--final-decode", "taesd",
                "--steps", "2", "--scheduler", "ddim", "--out", out.toString()).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals(64, ImageFiles.readImage(out).width());
        assertTrue(PngMetadata.read(out).get("parameters").contains("VAE: TAESD (draft)"), PngMetadata.read(out).toString());
        Path plain = dir.resolve("final.png");
        assertEquals(0, cli(args("--preview", "none", "--preview-model", Fixtures.taesdDir().toString(), "--steps", "2",
                "--scheduler", "ddim", "--out", plain.toString()).toArray(String[]::new)).code());
        assertFalse(PngMetadata.read(plain).get("parameters").contains("TAESD"), "a VAE decode is not marked");
        Run bad = cli(args("--final-decode", "fast", "--out", dir.resolve("x.png").toString()).toArray(String[]::new));
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("--final-decode must be 'vae' or 'taesd'"), bad.err());
    }

    @Test
    void maskOfAnotherSizeIsResizedWithANote() {
        Path small = dir.resolve("small-mask.png");
        ImageFiles.writeMaskPng(TestModels.box(32, 32, 8, 8, 12, 12), small);
        Path out = dir.resolve("resized.png");
        List<String> a = args("--out", out.toString());
        a.set(a.indexOf(mask.toString()), small.toString());
        Run r = cli(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("note: the mask is 32x32 but the photo is 64x64"), r.err());
        assertEquals(64, ImageFiles.readImage(out).width());
    }

    @Test
    void everyBadInputGetsOneErrorLine() throws IOException {
        String out = dir.resolve("bad.png").toString();
        Path notImage = Files.writeString(dir.resolve("notes.png"), "hello, not a picture");
        Path empty = dir.resolve("empty-mask.png");
        ImageFiles.writeMaskPng(Mask.filled(64, 64, 0f), empty);
        Path broken = TestModels.copyTinyModel(Files.createDirectories(dir.resolve("no-vae")), "vae");
        Path badNoise = TestModels.writeSafetensors(dir.resolve("bad-noise.safetensors"),
                Map.of("latents", new TestModels.Tensor(new long[] {1, 4, 4, 4}, new float[64])));

        expectError("not an image", "generate", "--model", model, "--image", notImage.toString(),
                "--mask", mask.toString(), "-q", "--out", out);
        expectError("does not exist", "generate", "--model", model, "--image", dir.resolve("nope.png").toString(),
                "--mask", mask.toString(), "-q", "--out", out);
        expectError("nothing to repaint", "generate", "--model", model, "--image", image.toString(),
                "--mask", empty.toString(), "-q", "--out", out);
        expectError("vae", "generate", "--model", broken.toString(), "--image", image.toString(),
                "--mask", mask.toString(), "-q", "--out", out);
        String sched = expectError("Unknown scheduler", args("--scheduler", "warp", "-q", "--out", out));
        assertTrue(sched.contains("ddim") && sched.contains("euler"), "lists the valid names: " + sched);
        expectError("multiples of 8", args("--width", "100", "--height", "64", "-q", "--out", out));
        expectError("(1, 4, 8, 8)", args("--init-noise", badNoise.toString(), "--width", "64", "--height", "64", "-q",
                "--out", out));
        expectError("--batch", args("--batch", "0", "-q", "--out", out));
        expectError("every picture would be the same", args("--batch", "2", "--init-noise", badNoise.toString(), "-q",
                "--out", out));
        expectError("--steps", args("--steps", "many", "-q", "--out", out));
    }

    private static String expectError(String fragment, List<String> a) {
        return expectError(fragment, a.toArray(String[]::new));
    }

    private static String expectError(String fragment, String... a) {
        Run r = cli(a);
        String[] lines = r.err().strip().split("\\R");
        assertNotEquals(0, r.code(), "exit code for " + String.join(" ", a));
        assertEquals(1, lines.length, "one line on stderr, got:\n" + r.err());
        assertTrue(lines[0].startsWith("error: "), lines[0]);
        assertTrue(lines[0].toLowerCase().contains(fragment.toLowerCase()), "'" + fragment + "' in: " + lines[0]);
        return lines[0];
    }
}
