package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwtImageIoTest {
    private final AwtImageIo io = new AwtImageIo();

    @Test
    void pngKeepsPixelsAndTextChunksIncludingNonLatinText(@TempDir Path dir) throws IOException {
        RgbImage img = new RgbImage(3, 2, new int[] {0xff0000, 0x00ff00, 0x0000ff, 0x123456, 0xffffff, 0});
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("parameters", "a fox\nNegative prompt: blur\nSteps: 20, Seed: 42");
        meta.put("Comment", "猫 and café");
        Path p = dir.resolve("out.png");
        io.writePng(p, img, meta);
        assertArrayEquals(img.rgb(), io.read(p).rgb());
        assertEquals(meta, AwtImageIo.readPngText(p));
        assertTrue(Files.list(dir).noneMatch(f -> f.toString().endsWith(".part")), "no temporary file left");
    }

    @Test
    void maskFromLuminanceOrAlpha(@TempDir Path dir) throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        grey.setRGB(0, 0, 0xffffff);
        grey.setRGB(1, 0, 0x000000);
        Path g = dir.resolve("g.png");
        ImageIO.write(grey, "png", g.toFile());
        Mask m = io.readMask(g);
        assertEquals(1f, m.get(0, 0), 1e-3);
        assertEquals(0f, m.get(1, 0), 1e-3);

        BufferedImage alpha = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        alpha.setRGB(0, 0, 0x00ffffff);
        alpha.setRGB(1, 0, 0xff000000);
        Path a = dir.resolve("a.png");
        ImageIO.write(alpha, "png", a.toFile());
        Mask ma = io.readMask(a);
        assertEquals(0f, ma.get(0, 0), 1e-3);
        assertEquals(1f, ma.get(1, 0), 1e-3);
    }

    @Test
    void notAnImageGivesAMessageNotAStackTrace(@TempDir Path dir) throws IOException {
        Path t = dir.resolve("notes.jpg");
        Files.writeString(t, "hello");
        IOException e = assertThrows(IOException.class, () -> io.read(t));
        assertTrue(e.getMessage().contains("not an image"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> io.read(dir.resolve("nope.png")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    /** A 16x8 JPEG, left half red, right half blue, with an Exif APP1 segment holding the orientation. */
    private static byte[] jpegWithOrientation(int orientation) throws IOException {
        BufferedImage b = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                b.setRGB(x, y, x < 8 ? 0xff0000 : 0x0000ff);
            }
        }
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        ImageIO.write(b, "jpg", jpg);
        byte[] j = jpg.toByteArray();
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
                0, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(j, 0, 2); // SOI
        int len = 2 + 6 + tiff.length;
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len, 'E', 'x', 'i', 'f', 0, 0});
        out.write(tiff);
        out.write(j, 2, j.length - 2);
        return out.toByteArray();
    }

    private static boolean reddish(int p) {
        return (p >> 16 & 0xff) > 180 && (p & 0xff) < 80;
    }

    private static boolean bluish(int p) {
        return (p & 0xff) > 180 && (p >> 16 & 0xff) < 80;
    }

    @Test
    void jpegExifOrientationIsApplied(@TempDir Path dir) throws IOException {
        Path p1 = dir.resolve("o1.jpg");
        Files.write(p1, jpegWithOrientation(1));
        RgbImage plain = io.read(p1);
        assertEquals(16, plain.width());
        assertTrue(reddish(plain.get(2, 4)) && bluish(plain.get(13, 4)));

        Path p6 = dir.resolve("o6.jpg");
        Files.write(p6, jpegWithOrientation(6)); // rotate 90 degrees clockwise to view: left half goes to the top
        RgbImage r6 = io.read(p6);
        assertEquals(8, r6.width());
        assertEquals(16, r6.height());
        assertTrue(reddish(r6.get(4, 2)) && bluish(r6.get(4, 13)));

        Path p8 = dir.resolve("o8.jpg");
        Files.write(p8, jpegWithOrientation(8)); // counter-clockwise: left half goes to the bottom
        RgbImage r8 = io.read(p8);
        assertEquals(8, r8.width());
        assertTrue(bluish(r8.get(4, 2)) && reddish(r8.get(4, 13)));

        Path p3 = dir.resolve("o3.jpg");
        Files.write(p3, jpegWithOrientation(3));
        RgbImage r3 = io.read(p3);
        assertEquals(16, r3.width());
        assertTrue(bluish(r3.get(2, 4)) && reddish(r3.get(13, 4)));
    }
}
