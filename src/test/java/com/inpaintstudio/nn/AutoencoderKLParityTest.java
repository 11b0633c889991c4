package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tiny VAE against diffusers 0.31 (fixture case "vae"), square and non-square, 1e-4. */
class AutoencoderKLParityTest {
    private static final double TOL = 1e-4;
    private static NDManager weightsManager;
    private static final List<SafetensorsFile> files = new ArrayList<>();
    private static AutoencoderKL vae;
    private static SafetensorsFile ref;

    @BeforeAll
    static void load() {
        weightsManager = DjlRuntime.newManager();
        vae = AutoencoderKL.build(NnFixtures.config("vae"), NnFixtures.weights("vae", weightsManager, files));
        ref = Fixtures.openCase("vae");
    }

    @AfterAll
    static void close() {
        ref.close();
        files.forEach(SafetensorsFile::close);
        weightsManager.close();
    }

    @Test
    void settingsComeFromConfig() {
        assertEquals(0.18215f, vae.scalingFactor());
        assertEquals(8, vae.downscaleFactor());
        assertEquals(4, vae.latentChannels());
    }

    @Test
    void encodeMatchesDiffusersBlockByBlock() {
        try (NDManager m = DjlRuntime.newManager()) {
            Map<String, NDArray> seen = new LinkedHashMap<>();
            NDManager keep = m.newSubManager();
            NDArray[] ml = vae.encodeMeanLogVar(NnFixtures.load(ref, "image", m), (name, v) -> {
                NDArray copy = keep.create(v.toFloatArray(), v.getShape());
                seen.put(name, copy);
            });
            String[][] pairs = {{"encoder_down_blocks_1", "debug_enc_encoder_down_blocks_1"},
                    {"encoder_down_blocks_2", "debug_enc_encoder_down_blocks_2"},
                    {"encoder_down_blocks_3", "debug_enc_encoder_down_blocks_3"},
                    {"encoder_mid_block", "debug_enc_encoder_mid_block"},
                    {"encoder_conv_out", "debug_enc_encoder_conv_out"},
                    {"quant_conv", "debug_enc_quant_conv"}};
            for (String[] p : pairs) {
                assertTrue(seen.containsKey(p[0]), p[0] + " probed");
                NnFixtures.assertClose(ref, p[1], seen.get(p[0]), TOL, TOL);
            }
            NnFixtures.assertClose(ref, "latent_mean", ml[0], TOL, TOL);
            NnFixtures.assertClose(ref, "latent_logvar", ml[1], TOL, TOL);
            keep.close();
        }
    }

    @Test
    void decodeMatchesDiffusersBlockByBlock() {
        try (NDManager m = DjlRuntime.newManager()) {
            Map<String, NDArray> seen = new LinkedHashMap<>();
            NDManager keep = m.newSubManager();
            NDArray out = vae.decode(NnFixtures.load(ref, "latents_in", m), (name, v) -> {
                seen.put(name, keep.create(v.toFloatArray(), v.getShape()));
            });
            NnFixtures.assertClose(ref, "debug_dec_post_quant_conv", seen.get("post_quant_conv"), TOL, TOL);
            NnFixtures.assertClose(ref, "debug_dec_decoder_conv_in", seen.get("decoder_conv_in"), TOL, TOL);
            NnFixtures.assertClose(ref, "debug_dec_decoder_mid_block", seen.get("decoder_mid_block"), TOL, TOL);
            NnFixtures.assertClose(ref, "decoded", out, TOL, TOL);
            keep.close();
        }
    }

    @Test
    void nonSquareEncodeAndDecodeMatchDiffusers() {
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray[] ml = vae.encodeMeanLogVar(NnFixtures.load(ref, "ns_image", m));
            NnFixtures.assertClose(ref, "ns_latent_mean", ml[0], TOL, TOL);
            NnFixtures.assertClose(ref, "ns_latent_logvar", ml[1], TOL, TOL);
            NDArray mean = vae.encodeMean(NnFixtures.load(ref, "ns_image", m));
            NnFixtures.assertClose(ref, "ns_latent_mean", mean, TOL, TOL);
            NnFixtures.assertClose(ref, "ns_decoded", vae.decode(NnFixtures.load(ref, "ns_latents_in", m)), TOL, TOL);
        }
    }

    @Test
    void rejectsImagesThatAreNotAMultipleOfTheDownscaleFactor() {
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray bad = m.zeros(new Shape(1, 3, 36, 40));
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> vae.encodeMean(bad));
            assertTrue(e.getMessage().contains("multiple of 8"), e.getMessage());
        }
    }
}
