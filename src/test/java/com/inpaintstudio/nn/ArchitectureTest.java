package com.inpaintstudio.nn;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.SafetensorsWeights;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The structure the configs imply: every stored weight used, full-size SD-1.5 parameter counts, clear errors. */
class ArchitectureTest {
    static JsonObject bundled(String component) throws IOException {
        String path = "/com/inpaintstudio/configs/sd15-inpaint/" + component + "/config.json";
        try (InputStream in = ArchitectureTest.class.getResourceAsStream(path)) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    @Test
    void tinyUnetAndVaeUseExactlyTheStoredWeights() {
        List<SafetensorsFile> files = new ArrayList<>();
        try (NDManager m = DjlRuntime.newManager()) {
            RecordingWeights u = new RecordingWeights(NnFixtures.weights("unet", m, files));
            UNet2DConditionModel.build(NnFixtures.config("unet"), u);
            assertEquals(new TreeSet<>(u.keys()), new TreeSet<>(u.requested));
            RecordingWeights v = new RecordingWeights(NnFixtures.weights("vae", m, files));
            AutoencoderKL.build(NnFixtures.config("vae"), v);
            assertEquals(new TreeSet<>(v.keys()), new TreeSet<>(v.requested));
        } finally {
            files.forEach(SafetensorsFile::close);
        }
    }

    @Test
    void fullSizeSd15InpaintingUnetHas860MParameters() throws IOException {
        try (NDManager m = DjlRuntime.newManager()) {
            ShapeOnlyWeights w = new ShapeOnlyWeights(m);
            UNet2DConditionModel unet = UNet2DConditionModel.build(bundled("unet"), w);
            assertEquals(9, unet.inChannels());
            assertEquals(768, unet.crossAttentionDim());
            // SD-1.5 UNet: 859,520,964 parameters; inpainting adds 5 input channels x 320 x 3 x 3 = 14,400
            assertEquals(859_535_364L, w.parameterCount());
            assertEquals(686, w.requested.size());
        }
    }

    @Test
    void fullSizeSd15VaeHas84MParameters() throws IOException {
        try (NDManager m = DjlRuntime.newManager()) {
            ShapeOnlyWeights w = new ShapeOnlyWeights(m);
            AutoencoderKL vae = AutoencoderKL.build(bundled("vae"), w);
            assertEquals(8, vae.downscaleFactor());
            assertEquals(0.18215f, vae.scalingFactor());
            assertEquals(83_653_863L, w.parameterCount());
        }
    }

    @Test
    void sd2StylePerBlockHeadsAndLinearProjectionBuild() throws IOException {
        JsonObject c = bundled("unet");
        com.google.gson.JsonArray heads = new com.google.gson.JsonArray();
        for (int h : new int[] {5, 10, 20, 20}) {
            heads.add(h);
        }
        c.add("attention_head_dim", heads);
        c.addProperty("use_linear_projection", true);
        c.addProperty("cross_attention_dim", 1024);
        c.addProperty("in_channels", 4);
        try (NDManager m = DjlRuntime.newManager()) {
            ShapeOnlyWeights w = new ShapeOnlyWeights(m);
            UNet2DConditionModel unet = UNet2DConditionModel.build(c, w);
            assertEquals(4, unet.inChannels());
            assertEquals(1024, unet.crossAttentionDim());
            // linear projections are (out, in) matrices, not 1x1 convs
            assertEquals(2, w.requested.get("down_blocks.0.attentions.0.proj_in.weight").length);
            assertEquals(1024, w.requested.get("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight")[1]);
            // SD-2 (865.9 M parameters for the 4-channel 768-v model)
            assertEquals(865_910_724L, w.parameterCount());
        }
    }

    @Test
    void unsupportedConfigsFailWithAClearMessage() throws IOException {
        JsonObject c = bundled("unet");
        c.addProperty("addition_embed_type", "text_time");
        try (NDManager m = DjlRuntime.newManager()) {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> UNet2DConditionModel.build(c, new ShapeOnlyWeights(m)));
            assertTrue(e.getMessage().contains("addition_embed_type"), e.getMessage());
        }
        JsonObject v = bundled("vae");
        v.remove("block_out_channels");
        try (NDManager m = DjlRuntime.newManager()) {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> AutoencoderKL.build(v, new ShapeOnlyWeights(m)));
            assertTrue(e.getMessage().contains("block_out_channels"), e.getMessage());
        }
    }

    @Test
    void mismatchedWeightsNameTheKeyAndShape() throws IOException {
        // the tiny weights under the full-size config: the first weight read already has the wrong shape
        List<SafetensorsFile> files = new ArrayList<>();
        try (NDManager m = DjlRuntime.newManager()) {
            SafetensorsWeights w = NnFixtures.weights("unet", m, files);
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> UNet2DConditionModel.build(bundled("unet"), w));
            assertTrue(e.getMessage().contains("shape"), e.getMessage());
        } finally {
            files.forEach(SafetensorsFile::close);
        }
    }
}
