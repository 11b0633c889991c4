package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixture's single-file conversion (made by diffusers' own script) reads back as the diffusers folder. */
class SingleFileCheckpointTest {
    static Path singleFile() {
        return Fixtures.root().resolve("model/tiny-sd-inpaint-single-file.safetensors");
    }

    static Path folderWeights(Component c) {
        return Fixtures.modelDir().resolve(c == Component.TEXT_ENCODER ? "text_encoder/model.safetensors"
                : c.folder() + "/diffusion_pytorch_model.safetensors");
    }

    static JsonObject folderConfig(Component c) throws IOException {
        return JsonParser.parseString(Files.readString(Fixtures.modelDir().resolve(c.folder() + "/config.json")))
                .getAsJsonObject();
    }

    @ParameterizedTest
    @EnumSource(value = Component.class, names = {"UNET", "VAE", "TEXT_ENCODER"})
    void everyDiffusersKeyMapsToIdenticalValues(Component c) {
        try (SingleFileCheckpoint ckpt = SingleFileCheckpoint.open(singleFile());
             SafetensorsFile folder = SafetensorsFile.open(folderWeights(c));
             SafetensorsFile file = SafetensorsFile.open(singleFile())) {
            Map<String, String> map = ckpt.keyMap(c);
            assertEquals(new TreeSet<>(folder.tensors().keySet()), new TreeSet<>(map.keySet()),
                    "the mapped keys are exactly the folder's keys");
            for (String key : folder.tensors().keySet()) {
                TensorInfo expected = folder.info(key);
                TensorInfo actual = file.info(map.get(key));
                assertEquals(expected.elementCount(), actual.elementCount(), key);
                if (expected.dtype().isFloat()) {
                    assertArrayEquals(folder.readFloats(key), file.readFloats(map.get(key)), 0f, key);
                } else {
                    assertArrayEquals(folder.readLongs(key), file.readLongs(map.get(key)), key);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Component.class, names = {"UNET", "VAE", "TEXT_ENCODER"})
    void weightsServeDiffusersShapesAndValues(Component c) {
        try (SingleFileCheckpoint ckpt = SingleFileCheckpoint.open(singleFile());
             SafetensorsFile folder = SafetensorsFile.open(folderWeights(c));
             NDManager m = DjlRuntime.newManager()) {
            Weights w = ckpt.weights(c, m);
            assertEquals(folder.tensors().keySet(), w.keys());
            for (String key : folder.tensors().keySet()) {
                TensorInfo info = folder.info(key);
                NDArray a = w.get(key, info.shape());
                assertArrayEquals(info.shape(), a.getShape().getShape(), key);
                if (info.dtype().isFloat()) {
                    assertArrayEquals(folder.readFloats(key), a.toFloatArray(), 0f, key);
                }
            }
        }
    }

    @Test
    void vaeAttentionProjectionsAreReshapedToLinear() {
        try (SingleFileCheckpoint ckpt = SingleFileCheckpoint.open(singleFile()); NDManager m = DjlRuntime.newManager()) {
            Weights w = ckpt.weights(Component.VAE, m);
            for (String p : List.of("to_q", "to_k", "to_v", "to_out.0")) {
                NDArray a = w.get("decoder.mid_block.attentions.0." + p + ".weight");
                assertArrayEquals(new long[] {64, 64}, a.getShape().getShape(), p);
            }
            assertThrows(ModelFormatException.class, () -> w.get("encoder.mid_block.attentions.0.to_q.weight", 64, 64, 1, 1));
        }
    }

    @Test
    void inferredConfigsMatchTheFolder() throws IOException {
        try (SingleFileCheckpoint ckpt = SingleFileCheckpoint.open(singleFile())) {
            assertSameKeys(Component.UNET, ckpt, "in_channels", "out_channels", "block_out_channels", "layers_per_block",
                    "attention_head_dim", "cross_attention_dim", "down_block_types", "up_block_types", "act_fn",
                    "flip_sin_to_cos", "freq_shift", "norm_num_groups", "norm_eps", "downsample_padding",
                    "mid_block_scale_factor", "center_input_sample");
            assertFalse(ckpt.config(Component.UNET).get("use_linear_projection").getAsBoolean());
            assertSameKeys(Component.VAE, ckpt, "block_out_channels", "latent_channels", "layers_per_block", "in_channels",
                    "out_channels", "down_block_types", "up_block_types", "norm_num_groups", "scaling_factor", "act_fn");
            assertSameKeys(Component.TEXT_ENCODER, ckpt, "hidden_size", "num_hidden_layers", "num_attention_heads",
                    "intermediate_size", "vocab_size", "max_position_embeddings", "hidden_act", "layer_norm_eps",
                    "bos_token_id", "eos_token_id", "pad_token_id");
            assertSameKeys(Component.SCHEDULER, ckpt, "_class_name", "beta_start", "beta_end", "beta_schedule",
                    "num_train_timesteps", "steps_offset", "skip_prk_steps", "set_alpha_to_one", "clip_sample");
            assertTrue(ckpt.isInpainting());
            assertEquals(ModelFamily.SD1, ckpt.family());
            assertEquals("tiny-sd-inpaint-single-file", ckpt.name());
        }
    }

    private static void assertSameKeys(Component c, ModelFiles ckpt, String... keys) throws IOException {
        JsonObject expected = c == Component.SCHEDULER
                ? JsonParser.parseString(Files.readString(Fixtures.modelDir().resolve("scheduler/scheduler_config.json"))).getAsJsonObject()
                : folderConfig(c);
        JsonObject actual = ckpt.config(c);
        for (String k : keys) {
            assertEquals(expected.get(k), actual.get(k), c + " " + k);
        }
    }

    @Test
    void bundledTokenizerIsTheFixturesVocabulary() throws IOException {
        try (SingleFileCheckpoint ckpt = SingleFileCheckpoint.open(singleFile())) {
            Path dir = ckpt.tokenizerDir();
            for (String f : BundledTokenizer.FILES) {
                assertArrayEquals(Files.readAllBytes(Fixtures.modelDir().resolve("tokenizer/" + f)),
                        Files.readAllBytes(dir.resolve(f)), f);
            }
        }
    }

    @Test
    void tokenizerExtractionRepairsADamagedCopy(@TempDir Path tmp) throws IOException {
        BundledTokenizer.extractTo(tmp, BundledTokenizer.files(false));
        Files.writeString(tmp.resolve("merges.txt"), "truncated");
        BundledTokenizer.extractTo(tmp, BundledTokenizer.files(false));
        assertArrayEquals(BundledTokenizer.resource("merges.txt"), Files.readAllBytes(tmp.resolve("merges.txt")));
        try (var s = Files.list(tmp)) {
            assertEquals(Set.copyOf(BundledTokenizer.FILES), s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "no .part files left behind");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sd-v1-5-inpainting.ckpt", "model.pt", "pytorch_model.bin", "weights.pth"})
    void picklesAreRefusedUnread(String name, @TempDir Path tmp) throws IOException {
        Path f = tmp.resolve(name);
        // a file that would be harmful to unpickle; it must not even be opened
        Files.write(f, new byte[] {(byte) 0x80, 0x02, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n'});
        f.toFile().setReadable(false);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SingleFileCheckpoint.open(f));
        String msg = e.getMessage();
        assertTrue(msg.contains("execute"), msg);
        assertTrue(msg.contains("Nothing was loaded"), msg);
        assertTrue(msg.contains(".safetensors") && msg.contains("convert"), msg);
    }

    @Test
    void otherLayoutsAreExplained(@TempDir Path tmp) throws IOException {
        Path sd2 = tmp.resolve("sd2.safetensors");
        CheckpointTestFiles.write(sd2, Map.of(
                "model.diffusion_model.input_blocks.0.0.weight", new long[] {320, 9, 3, 3},
                "cond_stage_model.model.token_embedding.weight", new long[] {49408, 1024}));
        String msg = assertThrows(ModelFormatException.class, () -> SingleFileCheckpoint.open(sd2)).getMessage();
        assertTrue(msg.contains("sd2.safetensors") && msg.contains("does not fit"), msg);

        Path lora = tmp.resolve("lora.safetensors");
        CheckpointTestFiles.write(lora, Map.of("lora_unet_down_blocks_0.alpha", new long[] {1}));
        msg = assertThrows(ModelFormatException.class, () -> SingleFileCheckpoint.open(lora)).getMessage();
        assertTrue(msg.contains("not a Stable Diffusion checkpoint"), msg);
        assertTrue(Arrays.asList(msg.split(" ")).contains("lora.safetensors:"), msg);
    }
}
