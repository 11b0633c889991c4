package com.inpaintstudio;

import com.inpaintstudio.model.SafetensorsFile;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of the fixture copy in src/test/resources/fixtures/sd15-tiny-inpaint. */
public final class Fixtures {
    private Fixtures() {}

    public static Path root() {
        URL u = Fixtures.class.getResource("/fixtures/sd15-tiny-inpaint/manifest.json");
        if (u == null) {
            throw new IllegalStateException("fixtures missing from test resources");
        }
        try {
            return Path.of(u.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tiny diffusers model folder. */
    public static Path modelDir() {
        return root().resolve("model/tiny-sd-inpaint");
    }

    /** The tiny random TAESD (AutoencoderTiny, 8 channels) folder: config.json + diffusion_pytorch_model.safetensors. */
    public static Path taesdDir() {
        URL u = Fixtures.class.getResource("/fixtures/taesd-tiny/model/config.json");
        if (u == null) {
            throw new IllegalStateException("TAESD fixture missing from test resources");
        }
        try {
            return Path.of(u.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A reference case file, e.g. {@code case("unet")} or {@code case("schedulers/ddim")}. */
    public static SafetensorsFile openCase(String name) {
        return SafetensorsFile.open(root().resolve("cases/" + name + ".safetensors"));
    }
}
