package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.MaskOps;
import com.inpaintstudio.image.Rect;
import com.inpaintstudio.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ClassicalFillEngineTest {

    static RgbImage stripes(int w, int h) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (x / 8) % 2 == 0 ? 0x2040a0 : 0xe0c060;
            }
        }
        return new RgbImage(w, h, px);
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

    static RgbImage withObject(RgbImage truth, Mask m) {
        int[] px = truth.rgb().clone();
        for (int i = 0; i < px.length; i++) {
            if (m.values()[i] >= 0.5f) px[i] = 0xff00ff;
        }
        return new RgbImage(truth.width(), truth.height(), px);
    }

    @Test
    void removesAnObjectReportsStepsAndKeepsTheRestBitIdentical() {
        int w = 200, h = 150;
        RgbImage truth = stripes(w, h);
        Mask m = square(w, h, 80, 50, 30);
        RgbImage photo = withObject(truth, m);
        List<StepEvent> events = new ArrayList<>();
        InpaintRequest req = InpaintRequest.builder().image(photo).mask(m).prompt("remove the box").maskBlur(4).build();
        InpaintResult r;
        try (ClassicalFillEngine engine = new ClassicalFillEngine()) {
            assertEquals("Built-in fill", engine.name());
            r = engine.generate(req, events::add, new CancelToken());
        }
        assertFalse(r.cancelled());
        assertEquals("Built-in fill", r.modelName());
        assertEquals("remove the box\nSteps: 0, Sampler: Built-in fill, Size: 200x150, Mask blur: 4, Model: Built-in fill",
                r.parameters());
        assertTrue(events.size() >= 3, "events " + events.size());
        StepEvent last = events.get(events.size() - 1);
        assertEquals(last.totalSteps(), last.step());
        for (StepEvent e : events) {
            assertNotNull(e.preview());
            assertTrue(new Rect(e.regionX(), e.regionY(), e.preview().width(), e.preview().height()).fitsIn(w, h));
            // the frame's alpha: opaque on the painted square, clear beyond the mask grown by the blur
            int[] argb = e.previewArgb();
            Mask grownByBlur = MaskOps.grow(m, 4);
            for (int y = 0; y < e.preview().height(); y++) {
                for (int x = 0; x < e.preview().width(); x++) {
                    float v = grownByBlur.get(e.regionX() + x, e.regionY() + y);
                    assertEquals(v > 0f ? 255 : 0, argb[y * e.preview().width() + x] >>> 24, "alpha at " + x + "," + y);
                }
            }
        }
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i).step() > events.get(i - 1).step());
        }
        // beyond the painted square grown by the blur radius: bit-identical
        Mask grown = MaskOps.grow(m, 4);
        int objectLeft = 0;
        for (int i = 0; i < photo.rgb().length; i++) {
            if (grown.values()[i] < 0.5f) {
                assertEquals(photo.rgb()[i], r.image().rgb()[i], "pixel " + i);
            }
            if (r.image().rgb()[i] == 0xff00ff) objectLeft++;
        }
        assertEquals(0, objectLeft, "pixels of the removed object still visible");
        double err = 0;
        int n = 0;
        for (int i = 0; i < photo.rgb().length; i++) {
            if (m.values()[i] >= 0.5f) {
                int p = r.image().rgb()[i], q = truth.rgb()[i];
                err += Math.abs((p >> 16 & 255) - (q >> 16 & 255)) + Math.abs((p >> 8 & 255) - (q >> 8 & 255))
                        + Math.abs((p & 255) - (q & 255));
                n += 3;
            }
        }
        assertTrue(err / n < 5, "error " + err / n);
    }

    @Test
    void removesTheSignpostFromTheSamplePhoto() {
        RgbImage photo = com.inpaintstudio.image.SamplePhoto.load();
        Mask mask = com.inpaintstudio.image.SamplePhoto.signpostMask();
        for (boolean onlyMasked : new boolean[] {false, true}) {
            long t0 = System.nanoTime();
            InpaintResult r = new ClassicalFillEngine().generate(InpaintRequest.builder().image(photo).mask(mask)
                    .onlyMasked(onlyMasked).padding(32).maskBlur(4).build(), StepListener.NONE, new CancelToken());
            System.out.printf("sample signpost, onlyMasked=%s: %.2f s%n", onlyMasked, (System.nanoTime() - t0) / 1e9);
            int woody = 0;
            for (int y = 402; y < 468; y++) {
                for (int x = 446; x < 458; x++) {
                    int p = r.image().get(x, y);
                    if ((p >> 16 & 0xff) > (p >> 8 & 0xff)) woody++;
                }
            }
            assertTrue(woody < 40, "wood-coloured pixels left: " + woody);
            Mask grown = MaskOps.grow(mask, 4);
            for (int i = 0; i < photo.rgb().length; i++) {
                if (grown.values()[i] < 0.5f) assertEquals(photo.rgb()[i], r.image().rgb()[i]);
            }
        }
    }

    @Test
    void onlyMaskedWorksInThePaddedBoxOnABigPhoto() {
        int w = 2000, h = 1500;
        RgbImage truth = stripes(w, h);
        Mask m = square(w, h, 1500, 300, 24);
        RgbImage photo = withObject(truth, m);
        List<StepEvent> events = new ArrayList<>();
        InpaintRequest req = InpaintRequest.builder().image(photo).mask(m).onlyMasked(true).padding(40).maskBlur(2)
                .build();
        InpaintResult r = new ClassicalFillEngine().generate(req, events::add, null);
        assertEquals(w, r.image().width());
        for (StepEvent e : events) {
            // previews cover only the padded box, in photo coordinates
            assertTrue(e.regionX() >= 1500 - 42 - 1 && e.regionY() >= 300 - 42 - 1, e.regionX() + "," + e.regionY());
            assertTrue(e.preview().width() <= 24 + 2 * 42 + 2);
        }
        for (int i = 0; i < photo.rgb().length; i++) {
            assertNotEquals(0xff00ff, r.image().rgb()[i]);
        }
    }

    @Test
    void noPaintedPixelsOrNoPhotoAreExplained() {
        ClassicalFillEngine engine = new ClassicalFillEngine();
        RgbImage photo = stripes(64, 64);
        InpaintException empty = assertThrows(InpaintException.class, () -> engine.generate(
                InpaintRequest.builder().image(photo).mask(Mask.filled(64, 64, 0.2f)).build(), null, null));
        assertEquals("the mask is empty: paint over what should change", empty.getMessage());
        InpaintException noPhoto = assertThrows(InpaintException.class, () -> engine.generate(
                InpaintRequest.builder().mask(Mask.filled(64, 64, 1f)).build(), null, null));
        assertTrue(noPhoto.getMessage().contains("needs a photo"), noPhoto.getMessage());
        InpaintException all = assertThrows(InpaintException.class, () -> engine.generate(
                InpaintRequest.builder().image(photo).build(), null, null));
        assertTrue(all.getMessage().contains("whole photo"), all.getMessage());
    }

    @Test
    void aMaskOfAnotherSizeIsResizedAndSaidSo() {
        RgbImage photo = stripes(128, 96);
        Mask small = square(64, 48, 20, 20, 8);
        List<String> phases = new ArrayList<>();
        InpaintResult r = new ClassicalFillEngine().generate(InpaintRequest.builder().image(photo).mask(small).build(),
                new StepListener() {
                    @Override public void onStep(StepEvent event) { }
                    @Override public void onPhase(String phase) { phases.add(phase); }
                }, null);
        assertEquals(128, r.image().width());
        assertTrue(phases.stream().anyMatch(p -> p.contains("resized")), phases.toString());
    }

    @Test
    void cancelReturnsThePhotoMarkedCancelled() {
        RgbImage truth = stripes(120, 90);
        Mask m = square(120, 90, 40, 30, 20);
        RgbImage photo = withObject(truth, m);
        CancelToken token = new CancelToken();
        token.cancel();
        InpaintResult r = new ClassicalFillEngine().generate(
                InpaintRequest.builder().image(photo).mask(m).maskBlur(0).build(), StepListener.NONE, token);
        assertTrue(r.cancelled());
        assertTrue(r.stepsCompleted() < ClassicalFillEngine.STEPS);
        assertArrayEquals(photo.rgb(), r.image().rgb());
    }

    @Test
    void cancelDuringTheFillStopsEarly() {
        RgbImage truth = stripes(300, 200);
        Mask m = square(300, 200, 100, 60, 60);
        RgbImage photo = withObject(truth, m);
        CancelToken token = new CancelToken();
        InpaintResult r = new ClassicalFillEngine().generate(InpaintRequest.builder().image(photo).mask(m).build(),
                e -> { if (e.step() >= 2) token.cancel(); }, token);
        assertTrue(r.cancelled());
        assertTrue(r.stepsCompleted() >= 2 && r.stepsCompleted() < ClassicalFillEngine.STEPS, "" + r.stepsCompleted());
    }
}
