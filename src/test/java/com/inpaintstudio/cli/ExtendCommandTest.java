package com.inpaintstudio.cli;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code generate --extend}: outpainting from the command line. */
class ExtendCommandTest {
    @TempDir
    Path dir;

    @Test
    void extendsThePhotoWithTheModelAndRecordsItInTheMetadata() {
        Path photo = dir.resolve("photo.png");
        ImageFiles.writePng(TestModels.photo(96, 64), photo);
        Path out = dir.resolve("wide.png");
        GenerateCommandTest.Run run = GenerateCommandTest.cli("generate", "--model", Fixtures.modelDir().toString(),
                "--image", photo.toString(), "--prompt", "a wider view", "--steps", "1", "--preview", "none",
                "--width", "64", "--height", "64", "--extend", "32,0,40,8", "--extend-fill", "noise",
                "--extend-feather", "16", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        RgbImage img = ImageFiles.readImage(out);
        assertEquals(96 + 72, img.width());
        assertEquals(72, img.height());
        String params = PngMetadata.read(out).get("parameters");
        assertTrue(params.contains("Outpaint: 32 0 40 8, Outpaint fill: noise, Outpaint feather: 16"), params);
    }

    @Test
    void badExtensionsAreOneLineBeforeAnyModelLoads() {
        Path photo = dir.resolve("photo.png");
        ImageFiles.writePng(TestModels.photo(64, 64), photo);
        for (String[] bad : new String[][] {{"--extend", "10,10"}, {"--extend", "-8,0,0,0"},
            {"--extend", "0,0,9000,0"}, {"--extend", "8,0,0,0", "--extend-fill", "mirror"}}) {
            String[] a = new String[8 + bad.length];
            String[] head = {"generate", "--model", dir.resolve("no-such-model").toString(), "--image", photo.toString(),
                "--out", dir.resolve("x.png").toString(), "-q"};
            System.arraycopy(head, 0, a, 0, 8);
            System.arraycopy(bad, 0, a, 8, bad.length);
            GenerateCommandTest.Run run = GenerateCommandTest.cli(a);
            assertEquals(2, run.code(), String.join(" ", bad) + ": " + run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertTrue(run.err().startsWith("error:"), run.err());
            assertFalse(Files.exists(dir.resolve("x.png")));
        }
    }
}
