package com.inpaintstudio.image;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.errors.InpaintException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Colour: CMYK JPEGs and pictures with an embedded Adobe RGB / Display P3 profile come out as the right sRGB
 * (references: src/test/reference/make_colour_images.py, littlecms). Damage: truncated files are refused, not shown
 * half grey; oversized pictures are refused before decoding.
 */
class ColourAndDamageTest {
    private static final Path DIR = Path.of("src/test/resources/colour");
    @TempDir
    Path tmp;

    private static JsonObject expected() throws Exception {
        return JsonParser.parseString(Files.readString(DIR.resolve("expected.json"))).getAsJsonObject();
    }

    private static int[][] centres(RgbImage img) {
        int[][] out = new int[4][];
        for (int i = 0; i < 4; i++) {
            int p = img.rgb()[8 * img.width() + i * 16 + 8];
            out[i] = new int[] {p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff};
        }
        return out;
    }

    private static void assertPatches(String file, JsonArray want, int tol) {
        int[][] got = centres(ImageFiles.readImage(DIR.resolve(file)));
        for (int i = 0; i < 4; i++) {
            JsonArray w = want.get(i).getAsJsonArray();
            for (int c = 0; c < 3; c++) {
                int d = Math.abs(got[i][c] - w.get(c).getAsInt());
                assertTrue(d <= tol, file + " patch " + i + ": got " + Arrays.toString(got[i]) + ", want " + w);
            }
        }
    }

    @Test
    void cmykJpegGivesTheOriginalColours() throws Exception {
        // Java's own decoder gave (36,36,226) for (5,5,195): a wrong built-in CMYK conversion
        assertPatches("cmyk.jpg", expected().getAsJsonArray("cmyk.jpg"), 3);
    }

    @Test
    void embeddedAdobeRgbAndDisplayP3ProfilesAreConvertedToSrgb() throws Exception {
        JsonObject e = expected();
        for (String f : new String[] {"adobergb.jpg", "adobergb.png", "displayp3.jpg", "displayp3.png"}) {
            assertPatches(f, e.getAsJsonArray(f), 2);
        }
        // and that is a real difference: read untagged, Adobe RGB's orange (200,100,50) would be (177,100,56)
        JsonArray untagged = e.getAsJsonArray("adobergb (wide values, untagged reading)");
        assertTrue(Math.abs(untagged.get(1).getAsJsonArray().get(0).getAsInt() - 200) > 15);
    }

    private Path jpeg(int w, int h) throws Exception {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bi.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(bi, "jpg", out);
        Path f = tmp.resolve("photo.jpg");
        Files.write(f, out.toByteArray());
        return f;
    }

    @Test
    void truncatedJpegAndPngAreRefusedWithAClearMessage() throws Exception {
        Path full = jpeg(320, 240);
        assertEquals(320, ImageFiles.readImage(full).width());
        byte[] b = Files.readAllBytes(full);
        for (int cut : new int[] {b.length / 2, b.length - 200}) {
            Path half = Files.write(tmp.resolve("cut-" + cut + ".jpg"), Arrays.copyOf(b, cut)); // head -c
            String msg = assertThrows(InpaintException.class, () -> ImageFiles.readImage(half)).getMessage();
            assertTrue(msg.contains("incomplete or damaged") && msg.contains("cut-" + cut + ".jpg"), msg);
            assertThrows(InpaintException.class, () -> ImageFiles.readMask(half));
        }
        Path png = tmp.resolve("p.png");
        ImageFiles.writePng(ImageFiles.readImage(full), png);
        byte[] p = Files.readAllBytes(png);
        Path cutPng = Files.write(tmp.resolve("cut.png"), Arrays.copyOf(p, p.length / 2));
        String msg = assertThrows(InpaintException.class, () -> ImageFiles.readImage(cutPng)).getMessage();
        assertTrue(msg.contains("incomplete or damaged"), msg);
    }

    @Test
    void hugePicturesAreRefusedFromTheirHeaderWithAdvice() throws Exception {
        // a PNG header declaring 20000x20000: refused before any pixel is decoded
        Path png = tmp.resolve("huge.png");
        ImageFiles.writePng(new RgbImage(8, 8, new int[64]), png);
        byte[] b = Files.readAllBytes(png);
        byte[] ihdr = java.nio.ByteBuffer.allocate(8).putInt(20000).putInt(20000).array();
        System.arraycopy(ihdr, 0, b, 16, 8);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 12, 17); // "IHDR" + 13 bytes: a consistent header that just declares a huge picture
        java.nio.ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
        Files.write(png, b);
        String msg = assertThrows(InpaintException.class, () -> ImageFiles.readImage(png)).getMessage();
        assertTrue(msg.contains("20000x20000") && msg.contains("40 MP") && msg.contains("only-masked"), msg);
        assertThrows(InpaintException.class, () -> ImageFiles.checkSize("x", 16385, 100));
        assertThrows(InpaintException.class, () -> ImageFiles.checkSize("x", 8000, 6000));
        ImageFiles.checkSize("x", 7000, 5000); // 35 MP: fine
    }

    @Test
    void damagedCriticalChunkIsRefused() throws Exception {
        Path png = tmp.resolve("flip.png");
        ImageFiles.writePng(new RgbImage(8, 8, new int[64]), png);
        byte[] b = Files.readAllBytes(png);
        b[b.length - 20] ^= 1; // inside IDAT
        Files.write(png, b);
        String msg = assertThrows(InpaintException.class, () -> ImageFiles.readImage(png)).getMessage();
        assertTrue(msg.contains("flip.png") && msg.contains("damaged"), msg);
    }

    @Test
    void damagedColourProfileIsOneClearLine() throws Exception {
        byte[] b = Files.readAllBytes(DIR.resolve("adobergb.png"));
        int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("iCCP");
        for (int i = at + 30; i < at + 60; i++) {
            b[i] ^= 0x5a; // scramble the compressed profile
        }
        Path f = Files.write(tmp.resolve("badprofile.png"), b);
        String msg = assertThrows(InpaintException.class, () -> ImageFiles.readImage(f)).getMessage();
        assertTrue(msg.contains("badprofile.png") && msg.contains("profile"), msg);
    }
}
