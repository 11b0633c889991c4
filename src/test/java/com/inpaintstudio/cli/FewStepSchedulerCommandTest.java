package com.inpaintstudio.cli;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --scheduler lcm|tcd} through the whole pipeline on the tiny model: the in-step noise comes from the seeded
 * stream (same seed, same picture; another seed, another picture), the infotext names them as the registry says, and
 * too many steps get one clear line. The scheduler math itself is checked against diffusers in
 * {@code FewStepSchedulerParityTest}.
 */
class FewStepSchedulerCommandTest {
    @TempDir
    static Path dir;
    static Path image;
    static Path mask;

    @BeforeAll
    static void files() {
        image = dir.resolve("photo.png");
        mask = dir.resolve("mask.png");
        ImageFiles.writePng(TestModels.photo(64, 64), image);
        ImageFiles.writeMaskPng(TestModels.box(64, 64, 16, 16, 24, 24), mask);
    }

    private static String[] args(String scheduler, String steps, String seed, Path out) {
        List<String> a = new ArrayList<>(List.of("generate", "--model", Fixtures.modelDir().toString(), "--image",
                image.toString(), "--mask", mask.toString(), "--prompt", "a cat", "--scheduler", scheduler, "--steps",
                steps, "--guidance", "1", "--seed", seed, "--preview", "none", "-q", "--out", out.toString()));
        return a.toArray(String[]::new);
    }

    private static String run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Cli.run(args);
            String err = buf.toString(StandardCharsets.UTF_8);
            return code + "|" + err;
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void lcmAndTcdRunSeededAndAreNamedInTheParameters() {
        for (String s : new String[] {"lcm", "tcd"}) {
            Path a = dir.resolve(s + "-a.png");
            Path b = dir.resolve(s + "-b.png");
            Path c = dir.resolve(s + "-c.png");
            assertTrue(run(args(s, "4", "5", a)).startsWith("0|"), s);
            assertTrue(run(args(s, "4", "5", b)).startsWith("0|"), s);
            assertTrue(run(args(s, "4", "6", c)).startsWith("0|"), s);
            RgbImage ia = ImageFiles.readImage(a);
            assertArrayEquals(pixels(ia), pixels(ImageFiles.readImage(b)), s + ": same seed, same picture");
            assertFalse(Arrays.equals(pixels(ia), pixels(ImageFiles.readImage(c))), s + ": another seed differs");
            String params = PngMetadata.read(a).get("parameters");
            if (s.equals("lcm")) {
                assertTrue(params.contains("Steps: 4, Sampler: LCM, Schedule type: SGM Uniform, CFG scale: 1.0"),
                        params);
            } else {
                assertTrue(params.contains("Sampler: TCD, Sampler note: TCD is not an A1111 sampler"), params);
                assertTrue(params.contains("TCD gamma: 0.3"), params);
            }
        }
    }

    @Test
    void tooManyStepsIsOneClearLine() {
        String r = run(args("lcm", "60", "1", dir.resolve("many.png")));
        assertNotEquals('0', r.charAt(0), r);
        String err = r.substring(r.indexOf('|') + 1).strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("at most 50 steps"), err);
    }

    private static int[] pixels(RgbImage img) {
        return img.rgb();
    }
}
