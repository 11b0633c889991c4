package com.inpaintstudio.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.*;

class PngMetadataTest {
    @TempDir
    Path dir;

    @Test
    void parametersRoundTripAndTheFileStaysAValidPng() throws Exception {
        RgbImage img = ImageFilesTest.sample(30, 20);
        String params = "a red barn, golden hour\nNegative prompt: blurry\nSteps: 25, Sampler: PNDM, CFG scale: 7.5,"
                + " Seed: 42, Size: 512x512, Model: sd-v1-5-inpainting";
        Map<String, String> text = new LinkedHashMap<>();
        text.put(PngMetadata.PARAMETERS, params);
        text.put("Software", "Inpaint Studio");
        Path f = dir.resolve("out.png");
        PngMetadata.write(img, text, f);
        assertEquals(text, PngMetadata.read(f));
        BufferedImage bi = ImageIO.read(f.toFile());
        assertNotNull(bi);
        assertArrayEquals(img.rgb(), ImageFiles.readImage(f).rgb());
        // the chunk is a real tEXt chunk, as A1111 and PIL write it
        String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertTrue(raw.indexOf("tEXtparameters\0a red barn") > 0);
        assertTrue(raw.indexOf("tEXt") < raw.indexOf("IDAT"));
        // no temporary file left behind
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void nonLatinTextGoesToITxt() throws Exception {
        RgbImage img = RgbImage.filled(4, 4, 0x808080);
        String prompt = "一只猫 in a café ✨";
        byte[] png = PngMetadata.encode(img, Map.of(PngMetadata.PARAMETERS, prompt));
        assertEquals(prompt, PngMetadata.readText(png).get(PngMetadata.PARAMETERS));
        assertTrue(new String(png, StandardCharsets.ISO_8859_1).contains("iTXtparameters"));
        assertNotNull(ImageIO.read(new java.io.ByteArrayInputStream(png)));
    }

    @Test
    void compressedTextWrittenByOtherToolsIsRead() {
        byte[] png = PngMetadata.encode(RgbImage.filled(2, 2, 0), Map.of());
        byte[] value = "Steps: 20".getBytes(StandardCharsets.ISO_8859_1);
        Deflater d = new Deflater();
        d.setInput(value);
        d.finish();
        byte[] buf = new byte[256];
        int n = d.deflate(buf);
        d.end();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("comment".getBytes(StandardCharsets.ISO_8859_1));
        body.write(0);
        body.write(0);
        body.write(buf, 0, n);
        byte[] withZ = insertChunk(png, "zTXt", body.toByteArray());
        assertEquals("Steps: 20", PngMetadata.readText(withZ).get("comment"));
    }

    @Test
    void notAPngGivesNoText() {
        assertTrue(PngMetadata.readText("hello".getBytes()).isEmpty());
    }

    static byte[] insertChunk(byte[] png, String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        int len = data.length;
        out.writeBytes(new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
        out.writeBytes(t);
        out.writeBytes(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        long c = crc.getValue();
        out.writeBytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }
}
