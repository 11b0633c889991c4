package com.inpaintstudio.cli;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.pipeline.TestModels;
import com.inpaintstudio.tensor.CpuFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --precision} and {@code --fused-ops} of generate and bench: they reach the run, bad values get one line. */
class PrecisionOptionsTest {
    @TempDir
    Path dir;

    private List<String> generate(String... extra) {
        Path image = dir.resolve("photo.png");
        Path mask = dir.resolve("mask.png");
        ImageFiles.writePng(TestModels.photo(64, 64), image);
        ImageFiles.writeMaskPng(TestModels.box(64, 64, 16, 16, 24, 24), mask);
        List<String> a = new ArrayList<>(List.of("generate", "--model", Fixtures.modelDir().toString(), "--image",
                image.toString(), "--mask", mask.toString(), "--prompt", "a cat", "--steps", "2", "--preview", "none"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void generateRunsInBf16WithFusedOpsOffAndSaysSo() {
        Path out = dir.resolve("bf16.png");
        GenerateCommandTest.Run r = GenerateCommandTest.cli(generate("--precision", "bf16", "--fused-ops", "off",
                "--out", out.toString()).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        String params = PngMetadata.read(out).get("parameters");
        assertTrue(params.contains("Precision: bf16"), params);
        if (!CpuFeatures.host().nativeBf16()) {
            assertTrue(r.err().contains("no native bf16"), "warns that bf16 is emulated here: " + r.err());
        }
        Path auto = dir.resolve("auto.png");
        GenerateCommandTest.Run a = GenerateCommandTest.cli(generate("-q", "--out", auto.toString())
                .toArray(String[]::new));
        assertEquals(0, a.code(), a.err());
        if (!CpuFeatures.host().nativeBf16()) {
            assertFalse(PngMetadata.read(auto).get("parameters").contains("Precision"), "auto is fp32 on this CPU");
        }
    }

    @Test
    void paramsFromTakesPrecisionBackWhereThisCpuComputesBf16() {
        Path src = dir.resolve("made-in-bf16.txt");
        try {
            java.nio.file.Files.writeString(src, "a red barn\nSteps: 2, Sampler: Euler, CFG scale: 7.0, Seed: 3, "
                    + "Precision: bf16, Version: Inpaint Studio");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path out = dir.resolve("again.png");
        GenerateCommandTest.Run r = GenerateCommandTest.cli(generate("--params-from", src.toString(), "--out",
                out.toString()).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        String params = PngMetadata.read(out).get("parameters");
        if (CpuFeatures.host().nativeBf16()) {
            assertTrue(params.contains("Precision: bf16"), "made again in bf16: " + params);
        } else {
            assertFalse(params.contains("Precision"), "kept auto (fp32) where bf16 is emulated: " + params);
            assertTrue(r.err().contains("was made in bf16") && r.err().contains("--precision bf16"), r.err());
        }
        Path forced = dir.resolve("forced.png");
        GenerateCommandTest.Run f = GenerateCommandTest.cli(generate("--params-from", src.toString(), "--precision",
                "fp32", "--out", forced.toString()).toArray(String[]::new));
        assertEquals(0, f.code(), f.err());
        assertFalse(PngMetadata.read(forced).get("parameters").contains("Precision"), "--precision fp32 wins");
    }

    @Test
    void badValuesGetOneClearLine() {
        for (String[] bad : new String[][] {{"--precision", "fp8"}, {"--fused-ops", "maybe"}}) {
            List<String> a = generate(bad);
            a.addAll(List.of("-q", "--out", dir.resolve("x.png").toString()));
            GenerateCommandTest.Run r = GenerateCommandTest.cli(a.toArray(String[]::new));
            assertNotEquals(0, r.code());
            String[] lines = r.err().strip().split("\\R");
            assertEquals(1, lines.length, r.err());
            assertTrue(lines[0].startsWith("error: ") && lines[0].contains(bad[0]) && lines[0].contains(bad[1]), lines[0]);
        }
    }

    @Test
    void benchMeasuresInTheChosenPrecision() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new Cli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        int code = cl.execute("bench", "--configs", Fixtures.modelDir().toString(), "--size", "32", "--runs", "1",
                "--only", "unet512,vae-decode", "--precision", "bf16", "--malloc", "default");
        String text = out.toString();
        assertEquals(0, code, text + err);
        assertTrue(text.contains("precision: bf16 (asked bf16;"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("unet32 ") && l.contains("median")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("vae-decode") && l.contains("median")), text);

        StringWriter bad = new StringWriter();
        cl.setErr(new PrintWriter(bad));
        assertEquals(2, cl.execute("bench", "--precision", "fp8", "--malloc", "default"));
        assertTrue(bad.toString().contains("Unknown precision 'fp8'"), bad.toString());
    }
}
