package com.inpaintstudio.image;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The built-in fill on pictures with known structure: patches stay in their region, boundaries stay where they
 * continue, lines go through the mask, and the fill has no seams beyond the texture's own contrast.
 */
class FillStructureTest {
    static final int SKY = 0x6f9fd8;
    static final int WATER = 0x2c4e6c;
    static final Path OUT = Path.of("target/fill-check");

    /** Sky over water with a horizontal boundary at row {@code boundary}; both regions have grain and shading. */
    static RgbImage skyOverWater(int w, int h, int boundary, long seed) {
        Random rnd = new Random(seed);
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = y < boundary ? SKY : WATER;
                double shade = y < boundary ? 10 * Math.sin(x / 37.0) : 6 * Math.sin(y / 3.0 + x / 50.0);
                int n = (int) Math.round(rnd.nextGaussian() * 4 + shade);
                px[y * w + x] = add(base, n);
            }
        }
        return new RgbImage(w, h, px);
    }

    static int add(int rgb, int d) {
        int r = clamp((rgb >> 16 & 0xff) + d);
        int g = clamp((rgb >> 8 & 0xff) + d);
        int b = clamp((rgb & 0xff) + d);
        return r << 16 | g << 8 | b;
    }

    static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static double dist(int a, int b) {
        int dr = (a >> 16 & 0xff) - (b >> 16 & 0xff);
        int dg = (a >> 8 & 0xff) - (b >> 8 & 0xff);
        int db = (a & 0xff) - (b & 0xff);
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    static RgbImage withObject(RgbImage img, Mask m) {
        int[] px = img.rgb().clone();
        for (int i = 0; i < px.length; i++) {
            if (m.values()[i] >= 0.5f) px[i] = 0xff00ff;
        }
        return new RgbImage(img.width(), img.height(), px);
    }

    /** Mean absolute difference between horizontal/vertical neighbours, over pixel pairs both in (or both out of) m. */
    static double gradientEnergy(RgbImage img, Mask m, boolean inside, int skipRow0, int skipRow1) {
        return gradientEnergy(img, m, inside, skipRow0, skipRow1, new Rect(0, 0, img.width(), img.height()));
    }

    /** The same, within {@code box} only. */
    static double gradientEnergy(RgbImage img, Mask m, boolean inside, int skipRow0, int skipRow1, Rect box) {
        double s = 0;
        int n = 0;
        for (int y = box.y(); y < Math.min(img.height() - 1, box.bottom()); y++) {
            if (y >= skipRow0 && y <= skipRow1) continue;
            for (int x = box.x(); x < Math.min(img.width() - 1, box.right()); x++) {
                boolean a = m.get(x, y) >= 0.5f;
                if (a != inside || (m.get(x + 1, y) >= 0.5f) != inside || (m.get(x, y + 1) >= 0.5f) != inside) continue;
                s += dist(img.get(x, y), img.get(x + 1, y)) + dist(img.get(x, y), img.get(x, y + 1));
                n += 2;
            }
        }
        return s / n;
    }

    @Test
    void skyAndWaterStayApartAndTheBoundaryStaysStraight() {
        int w = 260, h = 200, boundary = 96;
        RgbImage truth = skyOverWater(w, h, boundary, 3);
        // an elliptical mask straddling the boundary, off-centre so more of it lies in the water
        Mask m = new FillPlacements.Placement("two-regions", 130, 104, 48, 36).mask(w, h, 1);
        RgbImage photo = withObject(truth, m);
        RgbImage out = ClassicalFill.fill(photo, m);
        ImageFiles.writePng(FillPlacements.beforeAfter(photo, out, m, new Rect(40, 30, 180, 150), 2),
                OUT.resolve("two-regions.png"));

        int wrongSide = 0;
        int filled = 0;
        int worstRow = 0;
        for (int x = 0; x < w; x++) {
            int switchRow = -1;
            for (int y = 0; y < h; y++) {
                if (m.get(x, y) < 0.5f) continue;
                filled++;
                int p = out.get(x, y);
                boolean skyLike = dist(p, SKY) < dist(p, WATER);
                if (Math.abs(y - boundary) > 3 && skyLike != (y < boundary)) wrongSide++;
                if (!skyLike && switchRow < 0) switchRow = y;
            }
            // columns whose masked run crosses the boundary: where does the fill turn from sky to water?
            boolean crosses = m.get(x, boundary - 6) >= 0.5f && m.get(x, boundary + 6) >= 0.5f;
            if (crosses) worstRow = Math.max(worstRow, Math.abs(switchRow - boundary));
        }
        System.out.printf("two regions: %d of %d filled pixels on the wrong side, boundary off by at most %d px%n",
                wrongSide, filled, worstRow);
        assertEquals(0, wrongSide, "filled pixels of the other region's colour");
        assertTrue(worstRow <= 3, "the boundary bends by " + worstRow + " px inside the fill");

        double inside = gradientEnergy(out, m, true, boundary - 2, boundary + 1);
        double outside = gradientEnergy(out, m, false, boundary - 2, boundary + 1);
        System.out.printf("two regions: neighbour differences %.2f inside the fill vs %.2f in the photo%n",
                inside, outside);
        assertTrue(inside < 1.25 * outside, "seams: " + inside + " inside vs " + outside + " outside");
        assertTrue(inside > 0.6 * outside, "the fill is smeared: " + inside + " inside vs " + outside + " outside");
    }

    @Test
    void aSlantedTexturedStripeContinuesThroughTheMask() {
        int w = 240, h = 180;
        Random rnd = new Random(9);
        int[] px = new int[w * h];
        double slope = 0.35;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = y - (60 + slope * x); // signed vertical distance to the stripe's centre line
                boolean stripe = Math.abs(d) <= 7;
                int base = stripe ? 0xb8a888 : 0x4f7a3a; // a sandy path through grass
                px[y * w + x] = add(base, (int) Math.round(rnd.nextGaussian() * 6));
            }
        }
        RgbImage truth = new RgbImage(w, h, px);
        Mask m = new FillPlacements.Placement("stripe", 120, 102, 34, 34).mask(w, h, 1);
        RgbImage photo = withObject(truth, m);
        RgbImage out = ClassicalFill.fill(photo, m);
        ImageFiles.writePng(FillPlacements.beforeAfter(photo, out, m, new Rect(60, 40, 120, 120), 2),
                OUT.resolve("stripe.png"));
        int wrong = 0;
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (m.get(x, y) < 0.5f) continue;
                double d = y - (60 + slope * x);
                if (Math.abs(Math.abs(d) - 7) <= 2) continue; // the stripe's edges may shift a pixel or two
                n++;
                boolean sandy = dist(out.get(x, y), 0xb8a888) < dist(out.get(x, y), 0x4f7a3a);
                if (sandy != Math.abs(d) <= 7) wrong++;
            }
        }
        System.out.printf("slanted stripe: %d of %d filled pixels on the wrong side of its edges%n", wrong, n);
        assertTrue(wrong < n / 50, "the stripe does not continue: " + wrong + " of " + n + " pixels wrong");
    }
}
