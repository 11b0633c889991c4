package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Measures FxImages' hand-written conversions against javafx-swing's SwingFXUtils on a 4000x3000 photo (the
 * figures behind the choice in FxImages; see README). Prints medians; asserts only that both give the same pixels.
 * Run: {@code mvn -B test -Pbench -Dtest=FxImagesBenchTest}.
 */
@Tag("bench")
@ExtendWith(ApplicationExtension.class)
class FxImagesBenchTest {
    @Start
    void start(Stage stage) {
    }

    private static RgbImage photo(int w, int h) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 2654435761L % 0xffffff) > 0 ? (int) (i * 2654435761L % 0xffffff) : 0x123456;
        }
        return new RgbImage(w, h, px);
    }

    /** RgbImage -> BufferedImage without copying (TYPE_INT_RGB over the same int[]). */
    static BufferedImage wrap(RgbImage img) {
        DirectColorModel cm = new DirectColorModel(24, 0xff0000, 0xff00, 0xff);
        WritableRaster r = Raster.createPackedRaster(new DataBufferInt(img.rgb(), img.rgb().length), img.width(),
                img.height(), img.width(), cm.getMasks(), null);
        return new BufferedImage(cm, r, false, null);
    }

    static RgbImage viaSwingFromFx(Image fx) {
        BufferedImage b = SwingFXUtils.fromFXImage(fx, null);
        int w = b.getWidth(), h = b.getHeight();
        int[] px = b.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < px.length; i++) {
            px[i] &= 0xffffff; // opaque test photo: no compositing needed
        }
        return new RgbImage(w, h, px);
    }

    private static double medianMillis(Supplier<?> op) {
        double[] t = new double[7];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            op.get();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    @Test
    void handCodeAgainstSwingFxUtilsOn4000x3000() {
        RgbImage img = photo(4000, 3000);
        WritableImage hand = FxImages.toFx(img);
        WritableImage swing = SwingFXUtils.toFXImage(wrap(img), null);
        int[] a = new int[img.rgb().length], b = new int[img.rgb().length];
        hand.getPixelReader().getPixels(0, 0, 4000, 3000, javafx.scene.image.PixelFormat.getIntArgbInstance(), a, 0, 4000);
        swing.getPixelReader().getPixels(0, 0, 4000, 3000, javafx.scene.image.PixelFormat.getIntArgbInstance(), b, 0, 4000);
        assertArrayEquals(a, b, "toFx: same pixels");
        assertArrayEquals(FxImages.fromFx(hand).rgb(), viaSwingFromFx(hand).rgb(), "fromFx: same pixels");

        double toHand = medianMillis(() -> FxImages.toFx(img));
        double toSwing = medianMillis(() -> SwingFXUtils.toFXImage(wrap(img), null));
        double fromHand = medianMillis(() -> FxImages.fromFx(hand));
        double fromSwing = medianMillis(() -> viaSwingFromFx(hand));
        System.out.printf(Locale.ROOT, "4000x3000 RgbImage -> JavaFX: FxImages %.1f ms, SwingFXUtils %.1f ms%n", toHand, toSwing);
        System.out.printf(Locale.ROOT, "4000x3000 JavaFX -> RgbImage: FxImages %.1f ms, SwingFXUtils %.1f ms%n", fromHand, fromSwing);
    }
}
