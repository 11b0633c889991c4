package com.inpaintstudio.image;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The built-in fill on the sample photo at mask placements that touch its structure. Writes a before/after picture of
 * each into target/fill-check/ and checks that on each side of the boundary the placement straddles (shoreline,
 * horizon, ridge) each row of the fill has the colour of the photo beside it on that same side.
 */
class SamplePhotoFillTest {
    static final Path OUT = Path.of("target/fill-check");

    /** A placement, the boundary it straddles (row at column x), and the largest mean row difference allowed. */
    record Case(FillPlacements.Placement placement, DoubleUnaryOperator boundary, double limit) {
        Case(FillPlacements.Placement placement, DoubleUnaryOperator boundary) {
            this(placement, boundary, 12);
        }
    }

    static FillPlacements.Placement placement(String name) {
        return FillPlacements.PLACEMENTS.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void eachSideOfTheBoundaryIsFilledWithItsOwnColours() {
        RgbImage photo = SamplePhoto.load();
        Case[] cases = {
                new Case(placement("shore"), SampleLandscapeGenerator::shoreLine),
                // these two also cover the hills' ragged tree line and the lower edge of their reflection, second
                // boundaries that vary column by column and so differ row by row between fill and surroundings
                new Case(placement("horizon"), x -> SampleLandscapeGenerator.HORIZON, 16),
                new Case(placement("ridge"), SampleLandscapeGenerator::farRidge),
                new Case(placement("water"), x -> 0),
                new Case(placement("edge"), x -> SampleLandscapeGenerator.HORIZON, 16),
                // a third of the lake's width: the lake's reflections and the light band by the shore come from
                // different places along the lake, so rows differ more than on the small placements (upper side 20.6
                // before the shore was continued at its own height, 13.2 after)
                new Case(placement("large"), SampleLandscapeGenerator::shoreLine, 16),
                new Case(placement("signpost"), x -> 0),
        };
        StringBuilder failures = new StringBuilder();
        for (Case c : cases) {
            FillPlacements.Placement p = c.placement();
            Mask m = p.mask(photo.width(), photo.height(), 1);
            RgbImage out = ClassicalFill.fill(photo, m);
            ImageFiles.writePng(FillPlacements.beforeAfter(photo, out, m, p.box(photo.width(), photo.height(), 50), 2),
                    OUT.resolve(p.name() + ".png"));
            for (int side = 0; side < 2; side++) {
                // row by row (the landscape's regions are horizontal bands): the fill's mean colour against the mean
                // of the unmasked pixels on the same side of the boundary within 25 px left and right of the mask
                double sum = 0;
                int weight = 0;
                for (int y = 0; y < photo.height(); y++) {
                    double[] fill = new double[4];
                    double[] around = new double[4];
                    int x0 = (int) Math.max(0, p.cx() - p.rx() - 25);
                    int x1 = (int) Math.min(photo.width(), p.cx() + p.rx() + 25);
                    for (int x = x0; x < x1; x++) {
                        double b = c.boundary().applyAsDouble(x + 0.5);
                        if (Math.abs(y + 0.5 - b) < 5 || (y + 0.5 < b) != (side == 0)) continue;
                        boolean in = m.get(x, y) >= 0.5f;
                        accumulate(in ? fill : around, in ? out.get(x, y) : photo.get(x, y));
                    }
                    if (fill[3] < 5 || around[3] < 5) continue;
                    double diff = 0;
                    for (int ch = 0; ch < 3; ch++) {
                        diff = Math.max(diff, Math.abs(fill[ch] / fill[3] - around[ch] / around[3]));
                    }
                    sum += diff * fill[3];
                    weight += (int) fill[3];
                }
                if (weight < 100) continue;
                double diff = sum / weight;
                System.out.printf("sample %-9s %s side: mean colour of the fill differs from around by %.1f levels%n",
                        p.name(), side == 0 ? "upper" : "lower", diff);
                if (diff > c.limit()) {
                    failures.append(p.name()).append(side == 0 ? " upper" : " lower").append(": ")
                            .append(String.format("%.1f", diff)).append("; ");
                }
            }
            // the signpost: no wood left
            if (p.name().equals("signpost")) {
                int woody = 0;
                for (int y = 402; y < 468; y++) {
                    for (int x = 446; x < 458; x++) {
                        int q = out.get(x, y);
                        if ((q >> 16 & 0xff) > (q >> 8 & 0xff)) woody++;
                    }
                }
                assertTrue(woody < 20, "wood-coloured pixels left: " + woody);
            }
        }
        assertEquals("", failures.toString(), "fill colour differs from its side's surroundings");
    }

    private static void accumulate(double[] acc, int rgb) {
        acc[0] += rgb >> 16 & 0xff;
        acc[1] += rgb >> 8 & 0xff;
        acc[2] += rgb & 0xff;
        acc[3]++;
    }
}
