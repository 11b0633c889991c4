package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.SafetensorsWeights;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A random-weight AutoencoderTiny with TAESD's block structure (8 channels) against diffusers 0.31
 * (fixtures/taesd-tiny, made by src/test/reference/make_taesd.py): decode (inputs past the tanh clamp's knee,
 * square and non-square), encode, and the 8-bit round trip, within 1e-4.
 */
class AutoencoderTinyParityTest {
    private static final double TOL = 1e-4;
    private static NDManager weightsManager;
    private static SafetensorsFile weightsFile;
    private static SafetensorsFile ref;
    private static AutoencoderTiny taesd;

    static Path fixture() {
        try {
            return Path.of(AutoencoderTinyParityTest.class.getResource("/fixtures/taesd-tiny/reference.safetensors")
                    .toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void load() {
        weightsManager = DjlRuntime.newManager();
        weightsFile = SafetensorsFile.open(fixture().resolve("model/diffusion_pytorch_model.safetensors"));
        taesd = AutoencoderTiny.build(NnFixtures.readJson(fixture().resolve("model/config.json")),
                new SafetensorsWeights(List.of(weightsFile), weightsManager), false);
        ref = SafetensorsFile.open(fixture().resolve("reference.safetensors"));
    }

    @AfterAll
    static void close() {
        ref.close();
        weightsFile.close();
        weightsManager.close();
    }

    @Test
    void settingsComeFromConfig() {
        assertEquals(4, taesd.latentChannels());
        assertEquals(8, taesd.downscaleFactor());
        assertEquals(1.0f, taesd.scalingFactor());
        assertEquals(0.0f, taesd.shiftFactor());
        assertTrue(taesd.hasEncoder());
    }

    @Test
    void decodeMatchesDiffusers() {
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray lat = NnFixtures.load(ref, "latents", m);
            assertTrue(lat.abs().max().getFloat() > 6f, "the fixture reaches the tanh clamp's flat part");
            NnFixtures.assertClose(ref, "decoded", taesd.decode(lat), TOL, 0);
            NnFixtures.assertClose(ref, "decoded_ns", taesd.decode(NnFixtures.load(ref, "latents_ns", m)), TOL, 0);
        }
    }

    @Test
    void bothDecodePathsMatchDiffusers() {
        assertTrue(com.inpaintstudio.tensor.TorchOps.onednnAvailable(), "oneDNN's fused convs load in this libtorch");
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray lat = NnFixtures.load(ref, "latents_ns", m);
            com.inpaintstudio.nn.taesd.OneDnnPath.setEnabled(false);
            NDArray plain = taesd.decode(lat);
            com.inpaintstudio.nn.taesd.OneDnnPath.setEnabled(true);
            NDArray fused = taesd.decode(lat);
            NnFixtures.assertClose(ref, "decoded_ns", plain, TOL, 0);
            NnFixtures.assertClose(ref, "decoded_ns", fused, TOL, 0);
            assertTrue(fused.sub(plain).abs().max().getFloat() < 1e-5f, "the oneDNN path computes the same decode");
            assertEquals(plain.getShape(), fused.getShape());
        } finally {
            com.inpaintstudio.nn.taesd.OneDnnPath.setEnabled(true);
        }
    }

    /**
     * In a bfloat16 run the preview decoder computes in bf16 (every ReLU fused into a oneDNN conv) and hands back
     * float32 pixels within bf16 rounding of diffusers' fp32 decode: >= 35 dB over the [-1, 1] range.
     */
    @Test
    void bf16DecodeStaysCloseToDiffusers() {
        assertTrue(com.inpaintstudio.tensor.TorchOps.onednnAvailable(), "oneDNN's fused convs load in this libtorch");
        try (NDManager m = DjlRuntime.newManager();
             com.inpaintstudio.tensor.ComputeScope s = com.inpaintstudio.tensor.ComputeScope.open(
                     new com.inpaintstudio.tensor.ComputeOptions(com.inpaintstudio.tensor.Precision.BF16, true))) {
            com.inpaintstudio.tensor.ComputeScope.resetCounts();
            float[] got = taesd.decode(NnFixtures.load(ref, "latents_ns", m)).toFloatArray();
            assertTrue(com.inpaintstudio.tensor.ComputeScope.counts()
                    .getOrDefault(com.inpaintstudio.tensor.ComputeScope.Path.BF16_PRODUCT, 0L) == 0L,
                    "the oneDNN path, not the per-layer bf16 convs");
            float[] want = ref.readFloats("decoded_ns");
            assertEquals(want.length, got.length);
            double se = 0;
            for (int i = 0; i < got.length; i++) {
                se += (got[i] - want[i]) * (double) (got[i] - want[i]);
            }
            double psnr = 10 * Math.log10(4.0 / (se / got.length)); // peak-to-peak 2
            assertTrue(psnr >= 35, "bf16 TAESD decode only " + psnr + " dB from diffusers' fp32");
            assertTrue(psnr < 80, "it really ran in bf16 (" + psnr + " dB is fp32 agreement)");
        }
    }

    @Test
    void encodeAndRoundTripMatchDiffusers() {
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray img = NnFixtures.load(ref, "image", m);
            NDArray enc = taesd.encode(img);
            NnFixtures.assertClose(ref, "encoded", enc, TOL, 0);
            NnFixtures.assertClose(ref, "encoded_scaled", taesd.scaleLatents(enc), TOL, 0);
            NnFixtures.assertClose(ref, "roundtrip", taesd.roundTrip(img), TOL, 0);
        }
    }

    @Test
    void decodeLeavesNoTemporariesBehind() {
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray lat = NnFixtures.load(ref, "latents", m);
            int before = m.getManagedArrays().size();
            taesd.decode(lat).close();
            assertEquals(before, m.getManagedArrays().size(), "only the result lands in the caller's manager");
        }
    }

    @Test
    void decoderOnlyLoadSkipsTheEncoder() {
        try (NDManager w = DjlRuntime.newManager()) {
            AutoencoderTiny d = AutoencoderTiny.build(NnFixtures.readJson(fixture().resolve("model/config.json")),
                    new SafetensorsWeights(List.of(weightsFile), w), true);
            assertFalse(d.hasEncoder());
            try (NDManager m = DjlRuntime.newManager()) {
                NnFixtures.assertClose(ref, "decoded", d.decode(NnFixtures.load(ref, "latents", m)), TOL, 0);
            }
        }
    }

    @Test
    void aFullVaeConfigIsNotATaesd() {
        JsonObject kl = NnFixtures.config("vae");
        assertFalse(AutoencoderTiny.isTiny(kl));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> AutoencoderTiny.build(kl, new SafetensorsWeights(List.of(weightsFile), weightsManager), true));
        assertTrue(e.getMessage().contains("not a TAESD"), e.getMessage());
    }
}
