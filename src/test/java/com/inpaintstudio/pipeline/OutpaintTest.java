package com.inpaintstudio.pipeline;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.image.CanvasExtension.Prefill;
import com.inpaintstudio.image.CanvasExtension.Sides;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.MaskOps;
import com.inpaintstudio.image.Rect;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.DiffusersFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outpainting on the tiny model: sizes, untouched photo pixels, tiles, bounded memory. */
class OutpaintTest {
    private static DiffusionEngine engine;

    @BeforeAll
    static void load() {
        engine = DiffusionEngine.open(DiffusersFolder.open(Fixtures.modelDir()));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static InpaintRequest.Builder request(RgbImage photo) {
        return InpaintRequest.builder().image(photo).prompt("more of the landscape").steps(1).size(64, 64)
                .preview(PreviewMode.NONE).seed(3);
    }

    @Test
    void extendedPictureHasTheNewSizeAndThePhotoIsUnchangedOutsideTheFeather() {
        RgbImage photo = TestModels.photo(160, 96);
        int feather = 24;
        InpaintRequest r = Outpaint.prepare(request(photo).build(), new Sides(48, 0, 40, 16), Prefill.STRETCH, feather);
        for (InpaintEngine eng : List.<InpaintEngine>of(engine, new ClassicalFillEngine())) {
            InpaintResult res = new TilingEngine(eng).generate(r, null, null);
            RgbImage out = res.image();
            assertEquals(160 + 48 + 40, out.width(), eng.name());
            assertEquals(96 + 16, out.height());
            int changedInside = 0;
            for (int y = 0; y < 96; y++) {
                for (int x = 0; x < 160; x++) {
                    boolean far = x >= feather && x < 160 - feather && y < 96 - feather;
                    if (far) {
                        assertEquals(photo.get(x, y), out.get(x + 48, y), eng.name() + ": photo pixel " + x + "," + y);
                    } else if (photo.get(x, y) != out.get(x + 48, y)) {
                        changedInside++;
                    }
                }
            }
            assertTrue(changedInside > 0, eng.name() + ": the seam band is repainted");
            int changedNew = 0;
            for (int y = 0; y < 112; y++) {
                for (int x = 0; x < 48; x++) {
                    changedNew += out.get(x, y) != r.image().get(x, y) ? 1 : 0;
                }
            }
            assertTrue(changedNew > 48 * 112 / 2, eng.name() + ": the new area is painted (" + changedNew + ")");
        }
    }

    @Test
    void aWideExtensionIsGeneratedInOverlappingTilesThatCoverEveryMaskedPixel() {
        RgbImage photo = TestModels.photo(256, 256);
        InpaintRequest r = Outpaint.prepare(request(photo).build(), new Sides(384, 0, 384, 0), Prefill.NOISE, 32);
        TilingEngine tiling = new TilingEngine(engine);
        TilePlan plan = tiling.plan(r);
        assertEquals(192, plan.tile(), "native 256 minus twice the 32 px padding");
        assertEquals(48, plan.overlap());
        // 416 px of mask on each side of the photo -> 3 tiles across each side; 256 px high -> 2 rows; none over
        // the unmasked middle of the photo
        assertEquals(12, plan.tiles().size(), plan.tiles().toString());
        for (int i = 1; i < plan.tiles().size(); i++) {
            Rect a = plan.tiles().get(i - 1);
            Rect b = plan.tiles().get(i);
            if (b.x() < a.right() && b.x() > a.x()) {
                assertTrue(a.right() - b.x() >= 48, "overlap between " + a + " and " + b);
            }
        }
        Mask union = new Mask(r.mask().width(), r.mask().height(), new float[r.mask().values().length]);
        for (int k = 0; k < plan.tiles().size(); k++) {
            Mask mk = plan.maskFor(k, r.mask());
            for (int i = 0; i < mk.values().length; i++) {
                union.values()[i] = Math.max(union.values()[i], mk.values()[i]);
            }
        }
        boolean[] want = MaskOps.inside(r.mask());
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], union.values()[i] >= 0.5f, "pixel " + i + " masked by some tile");
        }
        List<String> phases = new ArrayList<>();
        InpaintResult res = tiling.generate(r, new StepListener() {
            @Override
            public void onStep(StepEvent event) { }

            @Override
            public void onPhase(String phase) {
                if (phase.startsWith("Tile")) {
                    phases.add(phase);
                }
            }
        }, null);
        assertEquals(12, phases.size(), phases.toString());
        assertEquals(12, res.stepsCompleted());
        assertTrue(res.parameters().contains("Tiles: 12"), res.parameters());
        assertFalse(res.cancelled());
    }

    @Test
    void smallMasksNeedNoTiles() {
        RgbImage photo = TestModels.photo(128, 128);
        InpaintRequest r = Outpaint.prepare(request(photo).build(), new Sides(0, 0, 32, 0), Prefill.STRETCH, 16);
        assertNull(new TilingEngine(engine).plan(r));
    }

    @Test
    void aPanorama4096By1024StaysWithinMemoryBounds() {
        RgbImage photo = TestModels.photo(2048, 1024);
        InpaintRequest r = Outpaint.prepare(request(photo).build(), new Sides(0, 0, 2048, 0), Prefill.STRETCH, 32);
        TilingEngine tiling = new TilingEngine(engine);
        int tiles = tiling.plan(r).tiles().size();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        long rssBefore = rssKiB();
        long[] peakHeap = {0};
        InpaintResult res = tiling.generate(r, e -> peakHeap[0] = Math.max(peakHeap[0], rt.totalMemory() - rt.freeMemory()), null);
        assertEquals(4096, res.image().width());
        assertEquals(1024, res.image().height());
        assertEquals(tiles, res.stepsCompleted());
        long heapGrowthMiB = (peakHeap[0] - heapBefore) / (1024 * 1024);
        long rssGrowthMiB = (rssKiB() - rssBefore) / 1024;
        System.out.printf("4096x1024 outpaint: %d tiles, heap peak +%d MiB, RSS +%d MiB%n", tiles, heapGrowthMiB,
                rssGrowthMiB);
        // one native-size tile at a time plus a few copies of the 16 MiB picture, never the whole picture's tensors
        assertTrue(heapGrowthMiB < 1024, "heap grew by " + heapGrowthMiB + " MiB");
        assertTrue(rssGrowthMiB < 1024, "RSS grew by " + rssGrowthMiB + " MiB");
    }

    @Test
    void badExtensionsGetClearMessages() {
        RgbImage photo = TestModels.photo(100, 80);
        InpaintRequest base = request(photo).build();
        String neg = assertThrows(InpaintException.class,
                () -> Outpaint.prepare(base, new Sides(-8, 0, 0, 0), Prefill.STRETCH, 32)).getMessage();
        assertTrue(neg.contains("negative"), neg);
        String big = assertThrows(InpaintException.class,
                () -> Outpaint.prepare(base, new Sides(0, 0, 500, 0), Prefill.STRETCH, 32)).getMessage();
        assertTrue(big.contains("4 times"), big);
        String huge = assertThrows(InpaintException.class,
                () -> Outpaint.check(new Sides(0, 0, 8000, 0), 3000, 3000)).getMessage();
        assertTrue(huge.contains("8192"), huge);
        assertThrows(InpaintException.class, () -> Outpaint.parseSides("10,20"));
        assertThrows(InpaintException.class, () -> Outpaint.parseSides("a,0,0,0"));
        assertEquals(new Sides(1, 2, 3, 4), Outpaint.parseSides("1, 2,3 ,4"));
    }

    private static long rssKiB() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst().orElse(0);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
