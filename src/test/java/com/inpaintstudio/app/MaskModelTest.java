package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.Rect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskModelTest {

    private static boolean inside(int x, int y, double cx, double cy, double r) {
        double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
        return dx * dx + dy * dy <= r * r;
    }

    @Test
    void hardDabSetsExactlyThePixelsWhoseCentreIsInsideTheCircle() {
        MaskModel m = new MaskModel(64, 48);
        Rect dirty = m.dab(20.3, 17.8, 6.5, 1.0, false);
        int minX = 99, maxX = -1, minY = 99, maxY = -1;
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                boolean in = inside(x, y, 20.3, 17.8, 6.5);
                assertEquals(in ? 255 : 0, m.get(x, y), "pixel " + x + "," + y);
                if (in) {
                    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
                }
            }
        }
        assertEquals(new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1), dirty);
    }

    @Test
    void softDabPaintsGreyEdgesAndFullCentre() {
        MaskModel m = new MaskModel(100, 100);
        m.dab(50, 50, 20, 0.5, false);
        assertEquals(255, m.get(50, 50));
        assertEquals(255, m.get(50 + 9, 50)); // inside radius*hardness = 10
        int edge = m.get(50 + 15, 50);
        assertTrue(edge > 0 && edge < 255, "soft edge value " + edge);
        assertTrue(m.get(50 + 17, 50) < edge, "falls off outward");
        assertEquals(0, m.get(50 + 21, 50));
        // painting again does not accumulate above the coverage
        m.dab(50, 50, 20, 0.5, false);
        assertEquals(edge, m.get(50 + 15, 50));
    }

    @Test
    void eraserClearsInsideAndLeavesTheRest() {
        MaskModel m = new MaskModel(40, 40);
        m.fill();
        m.dab(10, 10, 4, 1.0, true);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                assertEquals(inside(x, y, 10, 10, 4) ? 0 : 255, m.get(x, y));
            }
        }
    }

    @Test
    void lineCoversTheCapsuleBetweenItsEnds() {
        MaskModel m = new MaskModel(200, 100);
        m.line(20, 50, 180, 50, 10, 1.0, false, false);
        for (int x = 20; x <= 180; x++) {
            assertEquals(255, m.get(x, 50));
            assertEquals(255, m.get(x, 58));
            assertEquals(0, m.get(x, 61));
        }
        assertEquals(0, m.get(5, 50));
        assertEquals(0, m.get(195, 50));
    }

    @Test
    void invertAndClear() {
        MaskModel m = new MaskModel(10, 10);
        m.dab(5, 5, 3, 0.3, false);
        byte[] before = m.copyRect(m.bounds());
        m.invert();
        for (int i = 0; i < before.length; i++) {
            assertEquals(255 - (before[i] & 0xff), m.get(i % 10, i / 10));
        }
        m.clear();
        assertTrue(m.isEmpty());
    }

    @Test
    void growAndShrinkUseARoundStructuringElement() {
        MaskModel m = new MaskModel(80, 80);
        m.dab(40, 40, 10, 1.0, false);
        byte[] original = m.copyRect(m.bounds());
        m.morph(5);
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 80; x++) {
                // brute force: within 5 px of a painted pixel
                boolean expect = false;
                for (int yy = Math.max(0, y - 5); yy <= Math.min(79, y + 5) && !expect; yy++) {
                    for (int xx = Math.max(0, x - 5); xx <= Math.min(79, x + 5); xx++) {
                        if ((original[yy * 80 + xx] & 0xff) >= 128 && (xx - x) * (xx - x) + (yy - y) * (yy - y) <= 25) {
                            expect = true;
                            break;
                        }
                    }
                }
                assertEquals(expect ? 255 : 0, m.get(x, y), x + "," + y);
            }
        }
        m.morph(-5);
        // closing a disc gives the disc back
        assertArrayEquals(original, m.copyRect(m.bounds()));
        m.morph(-20);
        assertTrue(m.isEmpty());
    }

    @Test
    void setAndToMaskRoundTrip() {
        float[] v = new float[6 * 4];
        v[7] = 1f;
        v[8] = 0.5f;
        MaskModel m = new MaskModel(6, 4);
        m.set(new Mask(6, 4, v));
        assertEquals(255, m.get(1, 1));
        assertEquals(128, m.get(2, 1));
        Mask back = m.toMask();
        assertEquals(1f, back.get(1, 1));
        assertEquals(0f, back.get(0, 0));
        assertFalse(back.isEmpty());
    }

    @Test
    void undoStoresOnlyTheStrokesBoundingRectangle() {
        MaskModel m = new MaskModel(1000, 800);
        EditHistory h = new EditHistory();
        StrokeRecorder rec = new StrokeRecorder(m, r -> { });
        rec.touched(m.line(100, 100, 300, 120, 8, 1.0, false, false));
        rec.touched(m.line(300, 120, 320, 200, 8, 1.0, false, true));
        MaskEdit edit = rec.finish("stroke");
        assertNotNull(edit);
        Rect r = edit.rect();
        assertEquals(new Rect(92, 92, 236, 116), r);
        assertEquals(2L * r.width() * r.height(), edit.storedBytes());
        assertTrue(edit.storedBytes() < 1000 * 800 / 10);
        h.push(edit);
        byte[] afterStroke = m.copyRect(m.bounds());

        rec.touched(m.line(310, 150, 600, 600, 20, 1.0, true, false)); // eraser across the stroke
        h.push(rec.finish("erase"));
        byte[] afterErase = m.copyRect(m.bounds());

        assertTrue(h.undo());
        assertArrayEquals(afterStroke, m.copyRect(m.bounds()));
        assertTrue(h.undo());
        assertTrue(m.isEmpty());
        assertFalse(h.undo());
        assertTrue(h.redo());
        assertArrayEquals(afterStroke, m.copyRect(m.bounds()));
        assertTrue(h.redo());
        assertArrayEquals(afterErase, m.copyRect(m.bounds()));
        // an edit recorded after undo sees the undone state as its "before"
        h.undo();
        rec.touched(m.dab(900, 700, 5, 1, false));
        MaskEdit next = rec.finish("dab");
        h.push(next);
        h.undo();
        assertArrayEquals(afterStroke, m.copyRect(m.bounds()));
        assertNull(rec.finish("nothing"));
    }
}
