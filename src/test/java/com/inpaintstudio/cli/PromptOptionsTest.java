package com.inpaintstudio.cli;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.pipeline.GenerationParameters;
import com.inpaintstudio.pipeline.InfotextParser;
import com.inpaintstudio.pipeline.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** generate's prompt options: --params-from (flags win), --prompt-style, --embeddings, Model hash and TI hashes. */
class PromptOptionsTest {
    @TempDir
    static Path dir;
    static Path image;
    static Path mask;

    record Run(int code, String err) { }

    @BeforeAll
    static void files() {
        image = dir.resolve("photo.png");
        mask = dir.resolve("mask.png");
        ImageFiles.writePng(TestModels.photo(64, 64), image);
        ImageFiles.writeMaskPng(TestModels.box(64, 64, 16, 16, 24, 24), mask);
    }

    static synchronized Run cli(List<String> args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Cli.run(args.toArray(String[]::new));
            System.err.flush();
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    static List<String> args(String... extra) {
        List<String> a = new ArrayList<>(List.of("generate", "--model", Fixtures.modelDir().toString(), "--image",
                image.toString(), "--mask", mask.toString(), "--preview", "none"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void paramsFromAPngTakesItsSettingsAndTheCommandLineWins() {
        String text = "a stone bridge, (moss:1.2)\nNegative prompt: blurry, lowres\n"
                + "Steps: 3, Sampler: Euler a, Schedule type: Automatic, CFG scale: 5.5, Seed: 99, Size: 64x64, "
                + "Model: \"tiny, v2: inpaint\", Denoising strength: 1.0, Mask blur: 2, Masked content: fill, "
                + "Inpaint area: Whole picture, Version: v1.10.1";
        Path src = dir.resolve("from-a1111.png");
        PngMetadata.write(TestModels.photo(8, 8), Map.of("parameters", text), src);
        Path out = dir.resolve("params-from.png");
        Run r = cli(args("--params-from", src.toString(), "--seed", "5", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        Map<String, String> p = InfotextParser.parse(PngMetadata.read(out).get("parameters"));
        assertEquals("a stone bridge, (moss:1.2)", p.get("Prompt"));
        assertEquals("blurry, lowres", p.get("Negative prompt"));
        assertEquals("3", p.get("Steps"));
        assertEquals(GenerationParameters.samplerLabel("euler-a"), p.get("Sampler"));
        assertEquals("5.5", p.get("CFG scale"));
        assertEquals("5", p.get("Seed"), "--seed on the command line wins");
        assertEquals("2", p.get("Mask blur"));
        assertEquals("fill", p.get("Masked content"));
        assertEquals("Whole picture", p.get("Inpaint area"));
    }

    @Test
    void paramsFromAFileWithoutParametersSaysSo() {
        Run r = cli(args("--params-from", image.toString(), "--out", dir.resolve("x.png").toString()));
        assertEquals(2, r.code() == 0 ? 0 : 2, r.err());
        assertTrue(r.err().contains("has no 'parameters' text"), r.err());
    }

    @Test
    void diffusersStyleWarnsWhenItCutsTheA1111StyleDoesNot() {
        String words = "a highly detailed oil painting of a majestic lion standing on a rocky cliff at sunset, ".repeat(6);
        Run cut = cli(args("--prompt", words, "--steps", "1", "--prompt-style", "diffusers", "--out",
                dir.resolve("cut.png").toString()));
        assertEquals(0, cut.code(), cut.err());
        assertTrue(cut.err().contains("warning: The prompt has ") && cut.err().contains("keeps the first 75"), cut.err());
        assertTrue(PngMetadata.read(dir.resolve("cut.png")).get("parameters").contains("Prompt style: diffusers"));
        Run whole = cli(args("--prompt", words, "--steps", "1", "--out", dir.resolve("whole.png").toString()));
        assertEquals(0, whole.code(), whole.err());
        assertFalse(whole.err().contains("warning:"), whole.err());
        Run bad = cli(args("--prompt-style", "comfy", "--out", dir.resolve("bad.png").toString()));
        assertTrue(bad.code() != 0 && bad.err().contains("'a1111' or 'diffusers'"), bad.err());
    }

    @Test
    void embeddingsAreUsedByNameAndRecordedAsTiHashes() throws Exception {
        Path embDir = Fixtures.root().getParent().resolve("prompts/embeddings");
        Path out = dir.resolve("ti.png");
        Run r = cli(args("--prompt", "a photo of tinyemb", "--steps", "1", "--embeddings", embDir.toString(),
                "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(embDir.resolve("tinyemb.safetensors")))).substring(0, 12);
        String params = PngMetadata.read(out).get("parameters");
        assertTrue(params.contains("TI hashes: \"tinyemb: " + hash + "\""), params);
        assertFalse(params.contains("Model hash"), "a diffusers folder has no A1111 model hash: " + params);
    }

    @Test
    void aSingleFileCheckpointIsRecordedWithA1111sShortHash() throws Exception {
        Path ckpt = Fixtures.modelDir().getParent().resolve("tiny-sd-inpaint-single-file.safetensors");
        Path out = dir.resolve("hash.png");
        List<String> a = args("--steps", "1", "--out", out.toString());
        a.set(2, ckpt.toString());
        Run r = cli(a);
        assertEquals(0, r.code(), r.err());
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(ckpt)))
                .substring(0, 10);
        String params = PngMetadata.read(out).get("parameters");
        assertTrue(params.contains("Model hash: " + hash + ", Model: tiny-sd-inpaint-single-file"), params);
    }
}
