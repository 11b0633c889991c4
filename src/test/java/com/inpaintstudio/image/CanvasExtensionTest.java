package com.inpaintstudio.image;

import com.inpaintstudio.image.CanvasExtension.Prefill;
import com.inpaintstudio.image.CanvasExtension.Sides;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanvasExtensionTest {
    private static RgbImage photo(int w, int h) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (x * 255 / (w - 1)) << 16 | (y * 255 / (h - 1)) << 8 | 90;
            }
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void photoSitsUnchangedInsideTheBiggerCanvasAndTheMaskReachesTheFeatherBand() {
        RgbImage p = photo(40, 30);
        for (Prefill fill : Prefill.values()) {
            CanvasExtension.Extended e = CanvasExtension.extend(p, null, new Sides(10, 0, 20, 6), fill, 5, 1);
            assertEquals(70, e.image().width(), fill.id());
            assertEquals(36, e.image().height());
            assertEquals(new Rect(10, 0, 40, 30), e.photo());
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 40; x++) {
                    assertEquals(p.get(x, y), e.image().get(x + 10, y), fill + " photo pixel " + x + "," + y);
                    boolean farFromEdge = x >= 5 && x < 35 && y < 25;
                    boolean nearEdge = x < 4 || x >= 36 || y >= 26;
                    if (farFromEdge) {
                        assertEquals(0f, e.mask().get(x + 10, y), "unmasked far inside " + x + "," + y);
                    } else if (nearEdge) {
                        assertEquals(1f, e.mask().get(x + 10, y), "seam band masked " + x + "," + y);
                    }
                }
            }
            assertEquals(1f, e.mask().get(0, 0));
            assertEquals(1f, e.mask().get(69, 35));
        }
    }

    @Test
    void stretchContinuesTheEdgeColoursAndNoiseIsGrey() {
        RgbImage p = photo(40, 30);
        CanvasExtension.Extended s = CanvasExtension.extend(p, null, new Sides(0, 0, 30, 0), Prefill.STRETCH, 4, 1);
        int edge = p.get(39, 15);
        int far = s.image().get(69, 15);
        assertTrue(Math.abs((edge >> 16 & 0xff) - (far >> 16 & 0xff)) < 40, "red continues from the right edge");
        CanvasExtension.Extended n = CanvasExtension.extend(p, null, new Sides(0, 0, 30, 0), Prefill.NOISE, 4, 1);
        long sum = 0;
        for (int y = 0; y < 30; y++) {
            for (int x = 40; x < 70; x++) {
                sum += n.image().get(x, y) >> 8 & 0xff;
            }
        }
        assertEquals(128, sum / (30 * 30), 6, "mid-grey on average");
        assertNotEquals(n.image().get(50, 3), n.image().get(51, 3), "noise, not flat");
    }

    @Test
    void aMaskPaintedOnThePhotoIsKept() {
        RgbImage p = photo(40, 30);
        float[] v = new float[40 * 30];
        v[15 * 40 + 20] = 1f;
        CanvasExtension.Extended e = CanvasExtension.extend(p, new Mask(40, 30, v), new Sides(8, 8, 0, 0),
                Prefill.NOISE, 2, 3);
        assertEquals(1f, e.mask().get(28, 23));
        assertEquals(0f, e.mask().get(29, 23));
        assertThrows(IllegalArgumentException.class, () -> Prefill.parse("mirror"));
    }
}
