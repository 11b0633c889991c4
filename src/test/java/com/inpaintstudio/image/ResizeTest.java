package com.inpaintstudio.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ResizeTest {

    @Test
    void flatColourStaysFlat() {
        RgbImage img = RgbImage.filled(97, 61, 0x40a0c8);
        for (int[] s : new int[][] {{32, 20}, {200, 150}, {97, 61}, {1, 1}}) {
            RgbImage r = Resize.lanczos(img, s[0], s[1]);
            assertEquals(s[0], r.width());
            for (int p : r.rgb()) assertEquals(0x40a0c8, p);
        }
    }

    @Test
    void downscaleAveragesFineDetailInsteadOfAliasing() {
        // one-pixel black/white checkerboard: every output pixel of an antialiased 4x shrink is mid gray;
        // point sampling would give pure black or white
        int w = 400, h = 300;
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) px[y * w + x] = ((x + y) & 1) == 0 ? 0xffffff : 0;
        RgbImage r = Resize.lanczos(new RgbImage(w, h, px), 100, 75);
        for (int y = 2; y < 73; y++) {
            for (int x = 2; x < 98; x++) {
                int g = r.get(x, y) & 0xff;
                assertTrue(Math.abs(g - 128) <= 2, "gray " + g + " at " + x + "," + y);
            }
        }
    }

    @Test
    void upscaleOfARampStaysARampAndMatchesPilCoefficients() {
        int[] px = new int[8];
        for (int x = 0; x < 8; x++) px[x] = (x * 30) * 0x010101;
        RgbImage r = Resize.lanczos(new RgbImage(8, 1, px), 16, 1);
        // interior samples sit between their neighbours: centre of output 7 is input x=3.75 -> 97.5
        int v = r.get(7, 0) & 0xff;
        assertTrue(Math.abs(v - 97.5) <= 1.0, "got " + v);
        for (int x = 3; x < 13; x++) assertTrue((r.get(x + 1, 0) & 0xff) >= (r.get(x, 0) & 0xff));
    }

    @Test
    void bigPhotoShrinksQuickly() {
        int w = 4000, h = 3000;
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) px[i] = (i * 2654435761L >>> 8 & 0xffffff) == 0 ? 0 : (int) (i * 31L) & 0xffffff;
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = bean.getCurrentThreadCpuTime();
        RgbImage r = Resize.lanczos(new RgbImage(w, h, px), 512, 384);
        double s = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
        System.out.printf("Lanczos 4000x3000 -> 512x384: %.2f s CPU%n", s);
        assertEquals(384, r.height());
        assertTrue(s < 20, "took " + s);
    }

    @Test
    void maskResizeStaysInRange() {
        Mask m = new Mask(4, 4, new float[] {0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1});
        Mask r = Resize.lanczos(m, 13, 9);
        for (float v : r.values()) assertTrue(v >= 0f && v <= 1f);
        // Lanczos rings a little next to a hard edge (the clamp removes the overshoot past 0 and 1)
        assertEquals(0f, r.get(0, 4), 0.06f);
        assertEquals(1f, r.get(12, 4), 0.06f);
    }

    @Test
    void fitInsideKeepsAspectAndMultiples() {
        assertArrayEquals(new int[] {512, 384}, Resize.fitInside(4000, 3000, 512, 512, 8));
        assertArrayEquals(new int[] {384, 512}, Resize.fitInside(3000, 4000, 512, 512, 8));
        int[] s = Resize.fitInside(1000, 333, 512, 512, 8);
        assertEquals(512, s[0]);
        assertEquals(0, s[1] % 8);
    }
}
