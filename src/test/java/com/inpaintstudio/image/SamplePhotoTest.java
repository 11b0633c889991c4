package com.inpaintstudio.image;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class SamplePhotoTest {

    @Test
    void shipsA768x512PngUnder600KbThatTheGeneratorReproduces() throws Exception {
        Path file = Path.of(SampleLandscapeGenerator.RESOURCE);
        assertTrue(Files.size(file) < 600 * 1024, "size " + Files.size(file));
        RgbImage img = SamplePhoto.load();
        assertEquals(768, img.width());
        assertEquals(512, img.height());
        assertArrayEquals(SampleLandscapeGenerator.render().rgb(), img.rgb(),
                "the committed PNG is out of date: rerun SampleLandscapeGenerator");
    }

    @Test
    void theSignpostCanBeRemoved() {
        RgbImage img = SamplePhoto.load();
        Mask mask = SamplePhoto.signpostMask();
        RgbImage out = ClassicalFill.fill(img, mask);
        // no wood left: the filled area is meadow (green dominates red), as the grass around it
        Rect post = new Rect(446, 400, 12, 60);
        int woody = 0;
        for (int y = post.y(); y < post.bottom(); y++) {
            for (int x = post.x(); x < post.right(); x++) {
                int p = out.get(x, y);
                if ((p >> 16 & 0xff) > (p >> 8 & 0xff)) woody++;
            }
        }
        assertTrue(woody < post.width() * post.height() / 20, "wood-coloured pixels left: " + woody);
        if (Boolean.getBoolean("sample.preview")) {
            ImageFiles.writePng(out, Path.of("target/sample-signpost-removed.png"));
        }
    }
}
