package com.inpaintstudio.image;

import com.inpaintstudio.errors.InpaintException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;

/**
 * The picture shown on first launch: a 768x512 lake landscape with a wooden signpost in the meadow to paint over
 * and remove (rendered procedurally by the test-side {@code SampleLandscapeGenerator}; no licence attached).
 */
public final class SamplePhoto {
    /** Class-path location of the PNG. */
    public static final String RESOURCE = "/com/inpaintstudio/sample/sample-landscape.png";
    /** The signpost and its shadow: a mask over this rectangle is the demo of object removal. */
    public static final Rect SIGNPOST = new Rect(414, 398, 96, 78);

    private SamplePhoto() {}

    public static RgbImage load() {
        try (InputStream in = SamplePhoto.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new InpaintException("The sample photo is missing from this build (" + RESOURCE + ").");
            }
            BufferedImage bi = ImageIO.read(in);
            if (bi == null) {
                throw new InpaintException("The sample photo in this build is damaged (" + RESOURCE + ").");
            }
            return ImageFiles.toRgb(bi);
        } catch (IOException e) {
            throw new InpaintException("Could not read the sample photo: " + e.getMessage(), e);
        }
    }

    /** A mask covering {@link #SIGNPOST}: what a user would paint to remove the signpost. */
    public static Mask signpostMask() {
        float[] v = new float[768 * 512];
        for (int y = SIGNPOST.y(); y < SIGNPOST.bottom(); y++) {
            for (int x = SIGNPOST.x(); x < SIGNPOST.right(); x++) {
                v[y * 768 + x] = 1f;
            }
        }
        return new Mask(768, 512, v);
    }
}
