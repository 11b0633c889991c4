package com.inpaintstudio.image;

import com.inpaintstudio.errors.InpaintException;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class ClassicalFillTest {

    static RgbImage stripes(int w, int h, int period) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (x / (period / 2)) % 2 == 0 ? 0x2040a0 : 0xe0c060;
            }
        }
        return new RgbImage(w, h, px);
    }

    static RgbImage gradient(int w, int h) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = x * 255 / (w - 1);
                int g = y * 255 / (h - 1);
                px[y * w + x] = r << 16 | g << 8 | 128;
            }
        }
        return new RgbImage(w, h, px);
    }

    /** A noisy natural-ish texture: smooth colour field plus per-pixel grain. */
    static RgbImage texture(int w, int h, long seed) {
        Random rnd = new Random(seed);
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double base = 110 + 40 * Math.sin(x / 23.0) + 30 * Math.cos(y / 17.0);
                int n = (int) (rnd.nextGaussian() * 8);
                int r = clamp((int) base + n);
                int g = clamp((int) (base * 0.8) + 20 + n);
                int b = clamp((int) (base * 0.5) + n);
                px[y * w + x] = r << 16 | g << 8 | b;
            }
        }
        return new RgbImage(w, h, px);
    }

    static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static Mask square(int w, int h, int x0, int y0, int size) {
        float[] v = new float[w * h];
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                v[y * w + x] = 1f;
            }
        }
        return new Mask(w, h, v);
    }

    /** Mean absolute channel error inside the mask. */
    static double maskedError(RgbImage a, RgbImage b, Mask m) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            if (m.values()[i] < 0.5f) continue;
            int p = a.rgb()[i];
            int q = b.rgb()[i];
            s += Math.abs((p >> 16 & 0xff) - (q >> 16 & 0xff)) + Math.abs((p >> 8 & 0xff) - (q >> 8 & 0xff))
                    + Math.abs((p & 0xff) - (q & 0xff));
            n += 3;
        }
        return s / n;
    }

    /** The error of filling the hole with the mean colour of the known pixels. */
    static double meanColourError(RgbImage truth, Mask m) {
        long r = 0, g = 0, b = 0;
        int n = 0;
        for (int i = 0; i < truth.rgb().length; i++) {
            if (m.values()[i] >= 0.5f) continue;
            int p = truth.rgb()[i];
            r += p >> 16 & 0xff; g += p >> 8 & 0xff; b += p & 0xff; n++;
        }
        int mean = (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n);
        int[] px = truth.rgb().clone();
        for (int i = 0; i < px.length; i++) {
            if (m.values()[i] >= 0.5f) px[i] = mean;
        }
        return maskedError(new RgbImage(truth.width(), truth.height(), px), truth, m);
    }

    static RgbImage hideHole(RgbImage truth, Mask m) {
        int[] px = truth.rgb().clone();
        for (int i = 0; i < px.length; i++) {
            if (m.values()[i] >= 0.5f) px[i] = 0xff00ff; // the "object" to remove
        }
        return new RgbImage(truth.width(), truth.height(), px);
    }

    static void assertUnmaskedUnchanged(RgbImage in, RgbImage out, Mask m) {
        for (int i = 0; i < in.rgb().length; i++) {
            if (m.values()[i] < 0.5f) {
                assertEquals(in.rgb()[i], out.rgb()[i], "unmasked pixel " + i + " changed");
            }
        }
    }

    @Test
    void continuesVerticalStripesThroughASquareHole() {
        RgbImage truth = stripes(160, 120, 16);
        Mask m = square(160, 120, 60, 40, 30);
        RgbImage in = hideHole(truth, m);
        RgbImage out = ClassicalFill.fill(in, m);
        double err = maskedError(out, truth, m);
        double meanErr = meanColourError(truth, m);
        System.out.printf("stripes error %.2f vs mean colour %.2f%n", err, meanErr);
        assertTrue(err < 5, "stripes error " + err);
        assertTrue(err < meanErr / 5, "fill " + err + " vs mean colour " + meanErr);
        assertUnmaskedUnchanged(in, out, m);
    }

    @Test
    void continuesAGradient() {
        RgbImage truth = gradient(200, 150);
        Mask m = square(200, 150, 80, 50, 40);
        RgbImage in = hideHole(truth, m);
        RgbImage out = ClassicalFill.fill(in, m);
        double err = maskedError(out, truth, m);
        double meanErr = meanColourError(truth, m);
        System.out.printf("gradient error %.2f vs mean colour %.2f%n", err, meanErr);
        assertTrue(err < 4, "gradient error " + err);
        assertTrue(err < meanErr / 4, "fill " + err + " vs mean colour " + meanErr);
        assertUnmaskedUnchanged(in, out, m);
    }

    @Test
    void fills512PhotoWith60pxHoleQuickly() {
        RgbImage truth = texture(512, 512, 1);
        Mask m = square(512, 512, 200, 230, 60);
        RgbImage in = hideHole(truth, m);
        ClassicalFill.fill(in, m); // warm-up of the JIT
        // CPU time of this thread: the fill is single-threaded, and wall time on a shared machine says little
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = bean.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        RgbImage out = ClassicalFill.fill(in, m);
        double s = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
        System.out.printf("512x512, 60x60 hole: %.3f s CPU (%.3f s wall)%n", s, (System.nanoTime() - w0) / 1e9);
        double err = maskedError(out, truth, m);
        double meanErr = meanColourError(truth, m);
        System.out.printf("texture error %.2f vs mean colour %.2f%n", err, meanErr);
        assertTrue(err < meanErr / 2, "fill " + err + " vs mean colour " + meanErr);
        assertTrue(s < 2.0, "took " + s + " s");
        assertUnmaskedUnchanged(in, out, m);
    }

    @Test
    void bigPhotoWithSmallMasksStaysLocal() {
        int w = 4000, h = 3000;
        RgbImage truth = gradient(w, h);
        float[] v = new float[w * h];
        for (int y = 1000; y < 1024; y++) for (int x = 3000; x < 3030; x++) v[y * w + x] = 1f;
        for (int y = 2900; y < 2910; y++) for (int x = 10; x < 22; x++) v[y * w + x] = 1f;
        Mask m = new Mask(w, h, v);
        RgbImage in = hideHole(truth, m);
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = bean.getCurrentThreadCpuTime();
        RgbImage out = ClassicalFill.fill(in, m);
        double s = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
        System.out.printf("4000x3000, two small holes: %.3f s CPU%n", s);
        assertTrue(maskedError(out, truth, m) < 6, "error " + maskedError(out, truth, m));
        assertUnmaskedUnchanged(in, out, m);
        assertTrue(s < 10, "took " + s);
    }

    @Test
    void bigHoleIsFilledCoarseToFine() {
        RgbImage truth = gradient(600, 400);
        Mask m = square(600, 400, 200, 100, 150); // 22500 px: filled coarse to fine
        RgbImage in = hideHole(truth, m);
        AtomicInteger reports = new AtomicInteger();
        RgbImage out = ClassicalFill.fill(in, m, (done, total, snap) -> {
            reports.incrementAndGet();
            ClassicalFill.Snapshot s = snap.get();
            assertTrue(new Rect(s.x(), s.y(), s.pixels().width(), s.pixels().height()).fitsIn(600, 400));
            assertTrue(done <= total);
        }, () -> false);
        double err = maskedError(out, truth, m);
        System.out.printf("big hole gradient error %.2f vs mean colour %.2f%n", err, meanColourError(truth, m));
        assertTrue(err < meanColourError(truth, m) / 2, "error " + err);
        assertTrue(reports.get() >= 3, "reports " + reports.get());
        assertUnmaskedUnchanged(in, out, m);
        for (int i = 0; i < out.rgb().length; i++) {
            assertNotEquals(0xff00ff, out.rgb()[i], "hole pixel left unfilled");
        }
    }

    @Test
    void bigHoleKeepsFullResolutionTexture() {
        RgbImage truth = texture(500, 400, 5);
        Mask m = square(500, 400, 180, 120, 130); // 16900 px: filled on a reduced copy
        RgbImage out = ClassicalFill.fill(hideHole(truth, m), m);
        double inside = 0, outside = 0;
        int ni = 0, no = 0;
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 499; x++) {
                int i = y * 500 + x;
                double d = Math.abs((out.rgb()[i] >> 8 & 0xff) - (out.rgb()[i + 1] >> 8 & 0xff));
                if (m.values()[i] >= 0.5f && m.values()[i + 1] >= 0.5f) { inside += d; ni++; }
                else if (m.values()[i] < 0.5f && m.values()[i + 1] < 0.5f) { outside += d; no++; }
            }
        }
        double ratio = (inside / ni) / (outside / no);
        System.out.printf("big hole grain kept: %.2f of the photo's%n", ratio);
        assertTrue(ratio > 0.7, "the fill is blurred: neighbour differences at " + ratio + " of the photo's");
    }

    @Test
    void cancelLeavesUnfinishedHoleAsItWas() {
        RgbImage truth = stripes(160, 120, 16);
        Mask m = square(160, 120, 60, 40, 30);
        RgbImage in = hideHole(truth, m);
        RgbImage out = ClassicalFill.fill(in, m, ClassicalFill.Progress.NONE, () -> true);
        assertArrayEquals(in.rgb(), out.rgb());
    }

    @Test
    void emptyMaskIsACopyAndFullMaskIsRefused() {
        RgbImage img = gradient(50, 40);
        assertArrayEquals(img.rgb(), ClassicalFill.fill(img, Mask.filled(50, 40, 0f)).rgb());
        InpaintException e = assertThrows(InpaintException.class,
                () -> ClassicalFill.fill(img, Mask.filled(50, 40, 1f)));
        assertTrue(e.getMessage().contains("whole photo"));
    }

    @Test
    void tinyPictureWithoutRoomForAPatchStillFills() {
        RgbImage truth = RgbImage.filled(6, 6, 0x336699);
        Mask m = square(6, 6, 2, 2, 2);
        RgbImage out = ClassicalFill.fill(hideHole(truth, m), m);
        assertArrayEquals(truth.rgb(), out.rgb());
    }
}
