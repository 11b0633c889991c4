package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SD-2.x single files: the tiny model's text encoder rewritten in the OpenCLIP layout (fused in_proj, resblocks,
 * one extra final block that SD-2 does not use) must read back as the diffusers text encoder.
 */
class OpenClipCheckpointTest {
    @TempDir
    static Path tmp;
    static Path file;

    @BeforeAll
    static void writeOpenClipCheckpoint() throws IOException {
        Map<String, CheckpointTestFiles.Tensor> out = new LinkedHashMap<>();
        try (SafetensorsFile single = SafetensorsFile.open(SingleFileCheckpointTest.singleFile());
             SafetensorsFile text = SafetensorsFile.open(SingleFileCheckpointTest.folderWeights(Component.TEXT_ENCODER))) {
            for (TensorInfo i : single.tensors().values()) {
                if (i.name().startsWith("model.diffusion_model.") || i.name().startsWith("first_stage_model.")) {
                    out.put(i.name(), new CheckpointTestFiles.Tensor(i.shape(), single.readFloats(i.name())));
                }
            }
            String p = "cond_stage_model.model.";
            copy(text, out, "text_model.embeddings.token_embedding.weight", p + "token_embedding.weight");
            copy(text, out, "text_model.embeddings.position_embedding.weight", p + "positional_embedding");
            copy(text, out, "text_model.final_layer_norm.weight", p + "ln_final.weight");
            copy(text, out, "text_model.final_layer_norm.bias", p + "ln_final.bias");
            for (int l = 0; l <= 3; l++) {
                int src = l == 3 ? 0 : l; // block 3 is the last OpenCLIP block, which SD-2 skips
                String d = "text_model.encoder.layers." + src + ".";
                String o = p + "transformer.resblocks." + l + ".";
                for (String wb : new String[] {"weight", "bias"}) {
                    copy(text, out, d + "layer_norm1." + wb, o + "ln_1." + wb);
                    copy(text, out, d + "layer_norm2." + wb, o + "ln_2." + wb);
                    copy(text, out, d + "mlp.fc1." + wb, o + "mlp.c_fc." + wb);
                    copy(text, out, d + "mlp.fc2." + wb, o + "mlp.c_proj." + wb);
                    copy(text, out, d + "self_attn.out_proj." + wb, o + "attn.out_proj." + wb);
                    float[] q = text.readFloats(d + "self_attn.q_proj." + wb);
                    float[] k = text.readFloats(d + "self_attn.k_proj." + wb);
                    float[] v = text.readFloats(d + "self_attn.v_proj." + wb);
                    float[] fused = new float[q.length * 3];
                    System.arraycopy(q, 0, fused, 0, q.length);
                    System.arraycopy(k, 0, fused, q.length, q.length);
                    System.arraycopy(v, 0, fused, 2 * q.length, q.length);
                    long[] shape = text.info(d + "self_attn.q_proj." + wb).shape().clone();
                    shape[0] *= 3;
                    out.put(o + "attn.in_proj_" + wb, new CheckpointTestFiles.Tensor(shape, fused));
                }
            }
            out.put(p + "text_projection", new CheckpointTestFiles.Tensor(new long[] {32, 16}, new float[32 * 16]));
            out.put(p + "logit_scale", new CheckpointTestFiles.Tensor(new long[] {}, new float[1]));
        }
        file = tmp.resolve("tiny-sd2-inpainting.safetensors");
        CheckpointTestFiles.writeTensors(file, out);
    }

    private static void copy(SafetensorsFile from, Map<String, CheckpointTestFiles.Tensor> out, String key, String as) {
        out.put(as, new CheckpointTestFiles.Tensor(from.info(key).shape(), from.readFloats(key)));
    }

    @Test
    void textEncoderReadsBackAsDiffusers() {
        try (SingleFileCheckpoint ckpt = SingleFileCheckpoint.open(file);
             SafetensorsFile folder = SafetensorsFile.open(SingleFileCheckpointTest.folderWeights(Component.TEXT_ENCODER));
             NDManager m = DjlRuntime.newManager()) {
            assertEquals(ModelFamily.SD2, ckpt.family());
            Weights w = ckpt.weights(Component.TEXT_ENCODER, m);
            Set<String> expected = folder.tensors().keySet().stream().filter(k -> !k.endsWith("position_ids"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, new TreeSet<>(w.keys()), "the last block is dropped, text_projection ignored");
            for (String key : expected) {
                NDArray a = w.get(key, folder.info(key).shape());
                assertArrayEquals(folder.readFloats(key), a.toFloatArray(), 0f, key);
            }
        }
    }

    @Test
    void configsFollowSd2() throws IOException {
        try (SingleFileCheckpoint ckpt = SingleFileCheckpoint.open(file)) {
            JsonObject text = ckpt.config(Component.TEXT_ENCODER);
            JsonObject folder = JsonParser.parseString(Files.readString(Fixtures.modelDir().resolve("text_encoder/config.json")))
                    .getAsJsonObject();
            for (String k : new String[] {"hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                    "vocab_size", "max_position_embeddings"}) {
                assertEquals(folder.get(k), text.get(k), k);
            }
            assertEquals("gelu", text.get("hidden_act").getAsString(), "OpenCLIP uses exact GELU");
            assertEquals(16, text.get("projection_dim").getAsInt());
            assertTrue(ckpt.isInpainting());
            assertEquals("epsilon", ckpt.config(Component.SCHEDULER).get("prediction_type").getAsString());
            assertEquals(64, ckpt.config(Component.UNET).get("sample_size").getAsInt());
        }
    }

    @Test
    void tokenizerPadsWithExclamationMarkLikeSd2() throws IOException {
        try (SingleFileCheckpoint ckpt = SingleFileCheckpoint.open(file)) {
            Path dir = ckpt.tokenizerDir();
            assertEquals("!", JsonParser.parseString(Files.readString(dir.resolve("special_tokens_map.json")))
                    .getAsJsonObject().get("pad_token").getAsString());
            assertEquals("!", JsonParser.parseString(Files.readString(dir.resolve("tokenizer_config.json")))
                    .getAsJsonObject().get("pad_token").getAsString());
            assertArrayEquals(Files.readAllBytes(Fixtures.modelDir().resolve("tokenizer/vocab.json")),
                    Files.readAllBytes(dir.resolve("vocab.json")));
            assertEquals("!", ckpt.config(Component.TOKENIZER).get("pad_token").getAsString());
        }
    }

    @Test
    void sdxlIsRefusedWithAReason(@TempDir Path dir) throws IOException {
        Path sdxl = dir.resolve("sdxl.safetensors");
        CheckpointTestFiles.write(sdxl, Map.of("model.diffusion_model.input_blocks.0.0.weight", new long[] {4, 4, 3, 3},
                "conditioner.embedders.0.transformer.text_model.embeddings.token_embedding.weight", new long[] {8, 4}));
        String msg = assertThrows(ModelFormatException.class, () -> SingleFileCheckpoint.open(sdxl)).getMessage();
        assertTrue(msg.contains("SDXL"), msg);
    }
}
