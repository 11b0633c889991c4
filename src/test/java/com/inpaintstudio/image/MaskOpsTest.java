package com.inpaintstudio.image;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class MaskOpsTest {

    static Mask random(int w, int h, double density, long seed) {
        Random r = new Random(seed);
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() < density ? 1f : 0f;
        }
        return new Mask(w, h, v);
    }

    @Test
    void binarizeAtHalfAsDiffusers() {
        Mask m = new Mask(4, 1, new float[] {0.49f, 0.5f, 0.51f, 0f});
        assertArrayEquals(new float[] {0f, 1f, 1f, 0f}, MaskOps.binarize(m).values());
        assertArrayEquals(new float[] {0.51f, 0.5f, 0.49f, 1f}, MaskOps.invert(m).values(), 1e-6f);
    }

    @Test
    void distanceTransformIsExact() {
        Mask m = random(37, 29, 0.03, 1);
        boolean[] on = MaskOps.inside(m);
        float[] d = DistanceTransform.squared(on, 37, 29);
        for (int y = 0; y < 29; y++) {
            for (int x = 0; x < 37; x++) {
                long best = Long.MAX_VALUE;
                for (int j = 0; j < on.length; j++) {
                    if (on[j]) {
                        long dx = j % 37 - x;
                        long dy = j / 37 - y;
                        best = Math.min(best, dx * dx + dy * dy);
                    }
                }
                assertEquals(best, d[y * 37 + x], 1e-3, "at " + x + "," + y);
            }
        }
    }

    @Test
    void growAndShrinkUseADisc() {
        Mask m = random(40, 30, 0.05, 2);
        int r = 3;
        Mask g = MaskOps.grow(m, r);
        Mask s = MaskOps.shrink(MaskOps.invert(m), r);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                boolean near = false;
                for (int yy = 0; yy < 30; yy++) {
                    for (int xx = 0; xx < 40; xx++) {
                        if (m.get(xx, yy) >= 0.5f && (xx - x) * (xx - x) + (yy - y) * (yy - y) <= r * r) near = true;
                    }
                }
                assertEquals(near ? 1f : 0f, g.get(x, y), "grow at " + x + "," + y);
                // shrinking the inverse is the inverse of growing
                assertEquals(near ? 0f : 1f, s.get(x, y), "shrink at " + x + "," + y);
            }
        }
        assertArrayEquals(m.values(), MaskOps.grow(m, 0).values());
    }

    @Test
    void growIsFastOnAPhotoSizedMask() {
        Mask m = random(4000, 3000, 0.0001, 3);
        long t0 = System.nanoTime();
        Mask g = MaskOps.grow(m, 25);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("grow 4000x3000 by 25 px: %.3f s%n", s);
        assertTrue(s < 10, "took " + s);
        assertEquals(1f, g.get(m.width() / 2, m.height() / 2) >= 0f ? 1f : 0f);
    }

    @Test
    void blurFeathersSymmetricallyAndStaysZeroFarAway() {
        Mask m = new Mask(41, 41, new float[41 * 41]);
        m.values()[20 * 41 + 20] = 1f;
        Mask b = MaskOps.blur(m, 4);
        double sum = 0;
        for (float v : b.values()) sum += v;
        assertEquals(1.0, sum, 1e-4);
        assertEquals(b.get(16, 20), b.get(24, 20), 1e-7);
        assertEquals(b.get(20, 16), b.get(16, 20), 1e-7);
        int half = (int) (2.5 * 4 + 0.5);
        assertEquals(0f, b.get(20 + half + 1, 20));
        assertTrue(b.get(20 + half, 20) > 0f);
        // a gaussian of sigma 4: centre weight (1/(sqrt(2 pi) 4))^2 after normalisation over the kernel
        assertEquals(1 / (2 * Math.PI * 16), b.get(20, 20), 2e-4);
        assertArrayEquals(m.values(), MaskOps.blur(m, 0).values());
    }

    @Test
    void featherOutwardKeepsTheInsideAtOne() {
        Mask m = new Mask(20, 1, new float[20]);
        for (int x = 0; x < 5; x++) m.values()[x] = 1f;
        Mask f = MaskOps.featherOutward(m, 4);
        for (int x = 0; x < 5; x++) assertEquals(1f, f.get(x, 0));
        for (int x = 5; x < 9; x++) assertTrue(f.get(x, 0) > 0f && f.get(x, 0) < f.get(x - 1, 0));
        for (int x = 9; x < 20; x++) assertEquals(0f, f.get(x, 0));
    }

    @Test
    void boundingBoxAndCrop() {
        Mask m = new Mask(10, 8, new float[80]);
        assertNull(MaskOps.boundingBox(m));
        m.values()[2 * 10 + 3] = 0.7f;
        m.values()[5 * 10 + 6] = 1f;
        m.values()[7 * 10 + 9] = 0.3f; // below the threshold
        Rect r = MaskOps.boundingBox(m);
        assertEquals(new Rect(3, 2, 4, 4), r);
        Mask c = MaskOps.crop(m, r);
        assertEquals(0.7f, c.get(0, 0));
        assertEquals(1f, c.get(3, 3));
        assertThrows(IllegalArgumentException.class, () -> MaskOps.crop(m, new Rect(8, 0, 4, 4)));
    }

    @Test
    void nearestResizeMatchesTorch() {
        // torch: F.interpolate(arange(5).view(1,1,1,5), size=(1,3)) -> [0,1,3]; size 8 -> [0,0,1,1,2,3,3,4]
        Mask row = new Mask(5, 1, new float[] {0, 1, 2, 3, 4});
        assertArrayEquals(new float[] {0, 1, 3}, MaskOps.resizeNearest(row, 3, 1).values());
        assertArrayEquals(new float[] {0, 0, 1, 1, 2, 3, 3, 4}, MaskOps.resizeNearest(row, 8, 1).values());
        Mask col = new Mask(1, 3, new float[] {0, 1, 2});
        assertArrayEquals(new float[] {0, 0, 1, 1, 2}, MaskOps.resizeNearest(col, 1, 5).values());
    }

    @Test
    void expandBoxPadsFitsAspectAndMultiple() {
        Rect box = new Rect(100, 100, 30, 10);
        Rect e = MaskOps.expandBox(box, 16, 1000, 800, 1.0, 8);
        assertTrue(e.contains(box));
        assertTrue(e.contains(new Rect(84, 84, 62, 42)));
        assertEquals(e.width(), e.height());
        assertEquals(0, e.width() % 8);
        assertTrue(e.fitsIn(1000, 800));

        // near the corner: shifted inside, not clipped
        Rect corner = MaskOps.expandBox(new Rect(0, 0, 10, 10), 20, 500, 400, 1.0, 8);
        assertEquals(0, corner.x());
        assertEquals(0, corner.y());
        assertEquals(32, corner.width());
        assertEquals(32, corner.height());

        // wider than the picture allows: clipped to the picture, still holding the box
        Rect tall = MaskOps.expandBox(new Rect(5, 0, 10, 60), 0, 100, 60, 2.0, 8);
        assertTrue(tall.fitsIn(100, 60));
        assertTrue(tall.contains(new Rect(5, 0, 10, 60)));
        assertEquals(60, tall.height());
        assertEquals(0, tall.width() % 8);

        // an odd-sized picture: the mask's full width is kept even if no multiple of 8 fits
        Rect odd = MaskOps.expandBox(new Rect(0, 0, 13, 5), 0, 13, 13, 0, 8);
        assertEquals(13, odd.width());
        assertEquals(8, odd.height());
    }
}
