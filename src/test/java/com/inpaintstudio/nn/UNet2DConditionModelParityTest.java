package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

/** The tiny SD-1.5-inpainting-shaped UNet against diffusers 0.31 (fixture case "unet"), 1e-4. */
class UNet2DConditionModelParityTest {
    private static final double TOL = 1e-4;
    private static NDManager weightsManager;
    private static final List<SafetensorsFile> files = new ArrayList<>();
    private static UNet2DConditionModel unet;
    private static SafetensorsFile ref;

    @BeforeAll
    static void load() {
        weightsManager = DjlRuntime.newManager();
        unet = UNet2DConditionModel.build(NnFixtures.config("unet"), NnFixtures.weights("unet", weightsManager, files));
        ref = Fixtures.openCase("unet");
    }

    @AfterAll
    static void close() {
        ref.close();
        files.forEach(SafetensorsFile::close);
        weightsManager.close();
    }

    @Test
    void inChannelsComeFromConfig() {
        assertEquals(9, unet.inChannels());
        assertEquals(4, unet.outChannels());
        assertEquals(32, unet.crossAttentionDim());
    }

    @Test
    void noisePredictionAndEveryBlockMatchDiffusers() {
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray sample = NnFixtures.load(ref, "sample", m);
            NDArray ehs = NnFixtures.load(ref, "encoder_hidden_states", m);
            long[] ts = ref.readLongs("timesteps");
            Map<String, float[]> seen = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            NDArray out = unet.forward(sample, new double[] {ts[0], ts[1]}, ehs, (name, v) -> {
                seen.put(name, v.toFloatArray());
                shapes.put(name, v.getShape().getShape());
            });
            for (Map.Entry<String, float[]> e : seen.entrySet()) {
                try (NDManager tmp = DjlRuntime.newManager()) {
                    NDArray got = tmp.create(e.getValue(), new ai.djl.ndarray.types.Shape(shapes.get(e.getKey())));
                    NnFixtures.assertClose(ref, "debug_" + e.getKey(), got, TOL, TOL);
                }
            }
            assertEquals(12, seen.size(), "every debug tensor of the fixture was probed: " + seen.keySet());
            NnFixtures.assertClose(ref, "noise_pred", out, TOL, TOL);
        }
    }

    @Test
    void floatTimestepsMatchDiffusers() {
        try (NDManager m = DjlRuntime.newManager()) {
            float[] ft = ref.readFloats("float_timesteps");
            NDArray out = unet.forward(NnFixtures.load(ref, "sample", m), new double[] {ft[0], ft[1]},
                    NnFixtures.load(ref, "encoder_hidden_states", m));
            NnFixtures.assertClose(ref, "noise_pred_float_timesteps", out, TOL, TOL);
        }
    }

    @Test
    void smallChunksForAttentionAndFeedForwardGiveTheSameResult() {
        // a tiny budget forces many query-row chunks in every attention and token chunks in every feed-forward
        long before = com.inpaintstudio.nn.layers.AttentionCore.scoreBudget();
        com.inpaintstudio.nn.layers.AttentionCore.setScoreBudget(20_000);
        try (NDManager m = DjlRuntime.newManager()) {
            long t = ref.readLongs("ns_timesteps")[0];
            NDArray out = unet.forward(NnFixtures.load(ref, "ns_sample", m), t,
                    NnFixtures.load(ref, "ns_encoder_hidden_states", m));
            NnFixtures.assertClose(ref, "ns_noise_pred", out, TOL, TOL);
        } finally {
            com.inpaintstudio.nn.layers.AttentionCore.setScoreBudget(before);
        }
    }

    @Test
    void nonSquareLatentsMatchDiffusers() {
        try (NDManager m = DjlRuntime.newManager()) {
            long t = ref.readLongs("ns_timesteps")[0];
            NDArray out = unet.forward(NnFixtures.load(ref, "ns_sample", m), t,
                    NnFixtures.load(ref, "ns_encoder_hidden_states", m));
            NnFixtures.assertClose(ref, "ns_noise_pred", out, TOL, TOL);
        }
    }
}
