package com.inpaintstudio.image;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PasteBackTest {

    static RgbImage noise(int w, int h, long seed) {
        Random r = new Random(seed);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) px[i] = r.nextInt(1 << 24);
        return new RgbImage(w, h, px);
    }

    @Test
    void pixelsWithZeroAlphaAreBitIdentical() {
        RgbImage original = noise(64, 48, 1);
        RgbImage generated = noise(64, 48, 2);
        float[] v = new float[64 * 48];
        for (int y = 20; y < 30; y++) for (int x = 20; x < 40; x++) v[y * 64 + x] = 1f;
        Mask alpha = PasteBack.alpha(new Mask(64, 48, v), 3);
        RgbImage out = PasteBack.blend(original, generated, alpha);
        int blended = 0;
        for (int i = 0; i < v.length; i++) {
            float a = alpha.values()[i];
            if (a == 0f) {
                assertEquals(original.rgb()[i], out.rgb()[i]);
            } else if (a == 1f) {
                assertEquals(generated.rgb()[i], out.rgb()[i]);
            } else {
                blended++;
                int o = original.rgb()[i] >> 8 & 0xff;
                int g = generated.rgb()[i] >> 8 & 0xff;
                assertEquals(Math.round(o * (1 - a) + g * a), out.rgb()[i] >> 8 & 0xff);
            }
        }
        assertTrue(blended > 0);
        // the feather reaches past the mask but not beyond the kernel
        assertTrue(alpha.get(19, 25) > 0f);
        assertEquals(0f, alpha.get(20 - 9, 25));
    }

    @Test
    void blendAtUncropsIntoTheFullPhoto() {
        RgbImage original = noise(300, 200, 3);
        RgbImage patch = RgbImage.filled(40, 30, 0x123456);
        Mask alpha = Mask.filled(40, 30, 1f);
        alpha.values()[0] = 0f;
        RgbImage out = PasteBack.blendAt(original, patch, 100, 50, alpha);
        assertEquals(original.get(100, 50), out.get(100, 50));
        assertEquals(0x123456, out.get(101, 50));
        assertEquals(0x123456, out.get(139, 79));
        assertEquals(original.get(140, 79), out.get(140, 79));
        assertEquals(original.get(99, 60), out.get(99, 60));
        assertThrows(IllegalArgumentException.class, () -> PasteBack.blendAt(original, patch, 280, 0, alpha));
    }

    @Test
    void cropAndPasteAreInverse() {
        RgbImage img = noise(50, 40, 4);
        Rect r = new Rect(7, 5, 20, 11);
        RgbImage c = Regions.crop(img, r);
        assertEquals(img.get(7, 5), c.get(0, 0));
        assertEquals(img.get(26, 15), c.get(19, 10));
        RgbImage blank = RgbImage.filled(50, 40, 0);
        RgbImage back = Regions.paste(blank, c, 7, 5);
        assertEquals(img.get(10, 10), back.get(10, 10));
        assertEquals(0, back.get(6, 5));
        // partly outside: clipped
        RgbImage clipped = Regions.paste(blank, c, 40, 35);
        assertEquals(c.get(0, 0), clipped.get(40, 35));
        assertEquals(c.get(9, 4), clipped.get(49, 39));
        assertThrows(IllegalArgumentException.class, () -> Regions.crop(img, new Rect(40, 0, 20, 5)));
    }
}
