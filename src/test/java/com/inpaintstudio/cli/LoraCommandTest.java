package com.inpaintstudio.cli;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.model.lora.LoraTestFiles;
import com.inpaintstudio.pipeline.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --lora} on the command line, names from models/loras, the PNG parameters, and {@code models} listing LoRAs. */
class LoraCommandTest {
    @TempDir
    static Path dir;
    static Path models;
    static Path image;
    static Path mask;

    record Run(int code, String out, String err) { }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Cli());
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void folders() throws IOException {
        models = Files.createDirectories(dir.resolve("models"));
        Files.createSymbolicLink(models.resolve("tiny"), Fixtures.modelDir().toAbsolutePath());
        Files.createDirectories(models.resolve("loras"));
        Files.copy(LoraTestFiles.root().resolve("lora_a_kohya.safetensors"), models.resolve("loras/style.safetensors"));
        image = dir.resolve("photo.png");
        mask = dir.resolve("mask.png");
        ImageFiles.writePng(TestModels.photo(64, 64), image);
        ImageFiles.writeMaskPng(TestModels.box(64, 64, 16, 16, 24, 24), mask);
    }

    private static Run generate(String lora, Path out) {
        return run("generate", "--model", models.resolve("tiny").toString(), "--image", image.toString(),
                "--mask", mask.toString(), "--prompt", "a cat", "--steps", "2", "--guidance", "1", "--preview", "none",
                "-q", "--lora", lora, "--out", out.toString());
    }

    @Test
    void aBareNameComesFromModelsLorasAndThePngNamesIt() {
        Path out = dir.resolve("styled.png");
        Run r = generate("style:0.8", out);
        assertEquals(0, r.code(), r.err());
        String p = PngMetadata.read(out).get(PngMetadata.PARAMETERS);
        assertTrue(p.startsWith("a cat <lora:style:0.8>\n"), p);
        assertTrue(p.contains("CFG scale: 1.0") && p.endsWith("Lora hashes: \"style: be0a2f0f9782\""), p);
    }

    @Test
    void unknownNameListsTheLorasThereAre() {
        Run r = generate("detail:0.5", dir.resolve("x.png"));
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("No LoRA 'detail'") && r.err().contains("available: style"), r.err());
    }

    @Test
    void pickleAndOutOfRangeStrengthAreRefused() throws IOException {
        Path pt = Files.write(dir.resolve("style.pt"), new byte[] {1, 2, 3});
        Run r = generate(pt + ":1", dir.resolve("y.png"));
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("pickle"), r.err());
        Run far = generate("style:5", dir.resolve("z.png"));
        assertNotEquals(0, far.code());
        assertTrue(far.err().contains("outside -4..4"), far.err());
    }

    @Test
    void modelsListsLorasWithRank() {
        Run r = run("models", "--dir", models.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("LoRAs") && r.out().contains("style") && r.out().contains("rank 4")
                && r.out().contains("unet"), r.out());
        assertTrue(r.out().contains("tiny"), r.out());
        assertTrue(!r.out().contains("not usable"), "the loras folder is not scanned as models: " + r.out());
    }
}
