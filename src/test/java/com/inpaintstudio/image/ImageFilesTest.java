package com.inpaintstudio.image;

import com.inpaintstudio.errors.InpaintException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ImageFilesTest {
    @TempDir
    Path dir;

    static RgbImage sample(int w, int h) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (x * 7 & 0xff) << 16 | (y * 5 & 0xff) << 8 | (x + y) & 0xff;
            }
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void pngRoundTripIsExact() {
        RgbImage img = sample(37, 23);
        Path f = dir.resolve("a.png");
        ImageFiles.writePng(img, f);
        RgbImage back = ImageFiles.readImage(f);
        assertEquals(37, back.width());
        assertArrayEquals(img.rgb(), back.rgb());
    }

    @Test
    void bmpAndGifAreRead() throws IOException {
        RgbImage img = sample(16, 9);
        BufferedImage bi = ImageFiles.toBufferedImage(img);
        Path bmp = dir.resolve("a.bmp");
        assertTrue(ImageIO.write(bi, "bmp", bmp.toFile()));
        assertArrayEquals(img.rgb(), ImageFiles.readImage(bmp).rgb());
        RgbImage flat = RgbImage.filled(10, 8, 0x336699);
        Path gif = dir.resolve("a.gif");
        assertTrue(ImageIO.write(ImageFiles.toBufferedImage(flat), "gif", gif.toFile()));
        assertArrayEquals(flat.rgb(), ImageFiles.readImage(gif).rgb());
    }

    @Test
    void alphaIsFlattenedOntoWhite() throws IOException {
        BufferedImage bi = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        bi.setRGB(0, 0, 0x00000000); // fully transparent black -> white
        bi.setRGB(1, 0, 0xff102030); // opaque
        bi.setRGB(2, 0, 0x80000000); // half-transparent black -> mid gray
        Path f = dir.resolve("alpha.png");
        ImageIO.write(bi, "png", f.toFile());
        RgbImage img = ImageFiles.readImage(f);
        assertEquals(0xffffff, img.get(0, 0));
        assertEquals(0x102030, img.get(1, 0));
        int g = img.get(2, 0) & 0xff;
        assertTrue(Math.abs(g - 127) <= 1, "gray " + g);
    }

    @Test
    void grayscalePngKeepsItsLevels() throws IOException {
        BufferedImage bi = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        int[] levels = {0, 64, 128, 255};
        for (int i = 0; i < 4; i++) bi.getRaster().setSample(i, 0, 0, levels[i]);
        Path f = dir.resolve("gray.png");
        ImageIO.write(bi, "png", f.toFile());
        RgbImage img = ImageFiles.readImage(f);
        Mask m = ImageFiles.readMask(f);
        for (int i = 0; i < 4; i++) {
            assertEquals(levels[i] * 0x010101, img.get(i, 0));
            assertEquals(levels[i] / 255f, m.get(i, 0), 1e-6);
        }
    }

    @Test
    void maskFromRgbUsesPilLuminanceAndFromAlphaUsesAlpha() throws IOException {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xffffff);
        rgb.setRGB(1, 0, 0xff0000);
        Path f = dir.resolve("m.png");
        ImageIO.write(rgb, "png", f.toFile());
        Mask m = ImageFiles.readMask(f);
        assertEquals(1f, m.get(0, 0));
        assertEquals(76 / 255f, m.get(1, 0), 1e-6); // PIL: (255*19595 + 0x8000) >> 16 = 76

        BufferedImage layer = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        layer.setRGB(0, 0, 0x00000000);
        layer.setRGB(1, 0, 0xff000000); // an opaque black stroke on a transparent layer still means "repaint"
        Path g = dir.resolve("layer.png");
        ImageIO.write(layer, "png", g.toFile());
        Mask a = ImageFiles.readMask(g);
        assertEquals(0f, a.get(0, 0));
        assertEquals(1f, a.get(1, 0));
    }

    @Test
    void maskPngRoundTrip() {
        Mask m = new Mask(3, 2, new float[] {0f, 0.5f, 1f, 0.25f, 0.75f, 1f});
        Path f = dir.resolve("mask.png");
        ImageFiles.writeMaskPng(m, f);
        Mask back = ImageFiles.readMask(f);
        for (int i = 0; i < 6; i++) {
            assertEquals(Math.round(m.values()[i] * 255) / 255f, back.values()[i], 1e-6);
        }
    }

    /** A JPEG whose stored pixels are landscape (left red, right blue) with EXIF orientation 6 (rotate 90 CW). */
    static byte[] jpegWithOrientation(int orientation, boolean littleEndian) throws IOException {
        BufferedImage bi = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                bi.setRGB(x, y, x < 20 ? 0xff0000 : 0x0000ff);
            }
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(bi, "jpeg", plain));
        byte[] jpg = plain.toByteArray();
        // APP1: "Exif\0\0" + TIFF header + IFD0 with one entry (0x0112 SHORT 1 = orientation) + next-IFD 0
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        if (littleEndian) {
            tiff.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
                    (byte) orientation, 0, 0, 0, 0, 0, 0, 0});
        } else {
            tiff.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1,
                    0, (byte) orientation, 0, 0, 0, 0, 0, 0});
        }
        byte[] body = tiff.toByteArray();
        int len = 2 + 6 + body.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpg, 0, 2); // SOI
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len, 'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(body);
        out.write(jpg, 2, jpg.length - 2);
        return out.toByteArray();
    }

    @Test
    void jpegExifOrientation6IsRotatedClockwise() throws IOException {
        for (boolean little : new boolean[] {true, false}) {
            byte[] jpg = jpegWithOrientation(6, little);
            assertEquals(6, ExifOrientation.read(jpg));
            Path f = dir.resolve("o6-" + little + ".jpg");
            Files.write(f, jpg);
            RgbImage img = ImageFiles.readImage(f);
            assertEquals(20, img.width());
            assertEquals(40, img.height());
            // the stored left (red) half is now the top
            int top = img.get(10, 5);
            int bottom = img.get(10, 35);
            assertTrue((top >> 16 & 0xff) > 200 && (top & 0xff) < 60, Integer.toHexString(top));
            assertTrue((bottom & 0xff) > 200 && (bottom >> 16 & 0xff) < 60, Integer.toHexString(bottom));
        }
    }

    @Test
    void everyOrientationMapsCornersRight() {
        // 3x2 picture with distinct pixels: a b c / d e f
        RgbImage img = new RgbImage(3, 2, new int[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, ExifOrientation.apply(img, 1).rgb());
        assertArrayEquals(new int[] {3, 2, 1, 6, 5, 4}, ExifOrientation.apply(img, 2).rgb());
        assertArrayEquals(new int[] {6, 5, 4, 3, 2, 1}, ExifOrientation.apply(img, 3).rgb());
        assertArrayEquals(new int[] {4, 5, 6, 1, 2, 3}, ExifOrientation.apply(img, 4).rgb());
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, ExifOrientation.apply(img, 5).rgb());
        assertArrayEquals(new int[] {4, 1, 5, 2, 6, 3}, ExifOrientation.apply(img, 6).rgb());
        assertArrayEquals(new int[] {6, 3, 5, 2, 4, 1}, ExifOrientation.apply(img, 7).rgb());
        assertArrayEquals(new int[] {3, 6, 2, 5, 1, 4}, ExifOrientation.apply(img, 8).rgb());
    }

    @Test
    void plainJpegHasNoOrientation() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(ImageFiles.toBufferedImage(sample(8, 8)), "jpeg", b);
        assertEquals(1, ExifOrientation.read(b.toByteArray()));
        assertEquals(1, ExifOrientation.read(new byte[] {1, 2, 3}));
    }

    @Test
    void nonImagesAndMissingFilesGetClearMessages() throws IOException {
        Path txt = dir.resolve("notes.txt");
        Files.writeString(txt, "hello");
        InpaintException e = assertThrows(InpaintException.class, () -> ImageFiles.readImage(txt));
        assertEquals("'notes.txt' is not an image Inpaint Studio can read (PNG, JPEG, BMP or GIF)", e.getMessage());
        InpaintException m = assertThrows(InpaintException.class, () -> ImageFiles.readMask(txt));
        assertTrue(m.getMessage().contains("not an image"));
        InpaintException missing = assertThrows(InpaintException.class,
                () -> ImageFiles.readImage(dir.resolve("nope.png")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        InpaintException folder = assertThrows(InpaintException.class, () -> ImageFiles.readImage(dir));
        assertTrue(folder.getMessage().contains("folder"), folder.getMessage());
        Path broken = dir.resolve("broken.png");
        byte[] png = PngMetadata.encode(sample(20, 20), java.util.Map.of());
        Files.write(broken, java.util.Arrays.copyOf(png, 40));
        InpaintException be = assertThrows(InpaintException.class, () -> ImageFiles.readImage(broken));
        assertTrue(be.getMessage().contains("broken.png"), be.getMessage());
    }
}
