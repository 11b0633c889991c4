package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opening the fixture folder, and the messages a user sees for every way a folder can be incomplete. */
class DiffusersFolderTest {
    /** A copy of the tiny model: JSON/text files copied, weights symlinked (replace a link to corrupt it). */
    static Path copyModel(Path tmp) throws IOException {
        Path src = Fixtures.modelDir();
        Path dst = tmp.resolve("tiny-sd-inpaint");
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (p.toString().endsWith(".safetensors")) {
                    Files.createSymbolicLink(t, p.toAbsolutePath());
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return dst;
    }

    static String failure(Path dir) {
        return assertThrows(ModelFormatException.class, () -> DiffusersFolder.open(dir).close()).getMessage();
    }

    @Test
    void opensTheFixture() {
        try (DiffusersFolder f = DiffusersFolder.open(Fixtures.modelDir());
             NDManager m = DjlRuntime.newManager()) {
            assertEquals("tiny-sd-inpaint", f.name());
            assertTrue(f.isInpainting());
            String d = f.describe();
            assertTrue(d.startsWith("tiny-sd-inpaint: inpainting UNet (9-channel), unknown family (cross_attention_dim 32),"
                    + " F32 weights, "), d);
            assertTrue(d.endsWith(" MB"), d);
            assertEquals("PNDMScheduler", f.config(Component.SCHEDULER).get("_class_name").getAsString());
            assertEquals(77, f.config(Component.TOKENIZER).get("model_max_length").getAsInt());
            JsonObject c = f.config(Component.UNET);
            c.addProperty("in_channels", 4);
            assertTrue(f.isInpainting(), "config() hands out copies");
            assertTrue(Files.isRegularFile(f.tokenizerDir().resolve("vocab.json")));
            Weights w = f.weights(Component.TEXT_ENCODER, m);
            NDArray pos = w.get("text_model.embeddings.position_embedding.weight", 77, 32);
            assertEquals(m, pos.getManager());
            assertTrue(f.weights(Component.UNET, m).contains("conv_in.weight"));
            assertTrue(f.weights(Component.VAE, m).contains("encoder.conv_in.weight"));
            assertThrows(IllegalArgumentException.class, () -> f.weights(Component.TOKENIZER, m));
        }
    }

    @Test
    void notAFolderOrNoModelIndex(@TempDir Path tmp) throws IOException {
        assertTrue(failure(tmp.resolve("absent")).startsWith("Model folder not found"));
        Path file = Files.writeString(tmp.resolve("x.txt"), "x");
        assertTrue(failure(file).contains("is a file, not a diffusers model folder"), failure(file));
        String msg = failure(tmp);
        assertTrue(msg.contains("has no model_index.json") && msg.contains("single-file checkpoint"), msg);
    }

    @Test
    void subFolderChosenInsteadOfTheModel(@TempDir Path tmp) throws IOException {
        Path model = copyModel(tmp);
        String msg = failure(model.resolve("unet"));
        assertTrue(msg.contains("is the 'unet' part of a model; choose its parent folder"), msg);
    }

    @Test
    void everyProblemListedAtOnce(@TempDir Path tmp) throws IOException {
        Path model = copyModel(tmp);
        deleteTree(model.resolve("vae"));
        Files.delete(model.resolve("unet/config.json"));
        Files.delete(model.resolve("scheduler/scheduler_config.json"));
        Files.delete(model.resolve("tokenizer/merges.txt"));
        Files.delete(model.resolve("text_encoder/model.safetensors"));
        String msg = failure(model);
        assertTrue(msg.startsWith("The model folder " + model + " is incomplete or broken:"), msg);
        assertTrue(msg.contains("- the 'vae' folder is missing"), msg);
        assertTrue(msg.contains("- unet/config.json is missing"), msg);
        assertTrue(msg.contains("- scheduler/scheduler_config.json is missing"), msg);
        assertTrue(msg.contains("- tokenizer/merges.txt is missing"), msg);
        assertTrue(msg.contains("- text_encoder has no weights: expected text_encoder/diffusion_pytorch_model.safetensors"
                + " or text_encoder/model.safetensors"), msg);
        assertTrue(msg.contains("Download every file"), msg);
    }

    @Test
    void picklesAreRefusedWithTheReason(@TempDir Path tmp) throws IOException {
        Path model = copyModel(tmp);
        Files.delete(model.resolve("unet/diffusion_pytorch_model.safetensors"));
        Files.write(model.resolve("unet/diffusion_pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        String msg = failure(model);
        assertTrue(msg.contains("unet has only PyTorch pickle weights (diffusion_pytorch_model.bin)"), msg);
        assertTrue(msg.contains("can run arbitrary code") && msg.contains("safe_serialization=True"), msg);
    }

    @Test
    void brokenJsonAndBrokenWeightsNameTheFile(@TempDir Path tmp) throws IOException {
        Path model = copyModel(tmp);
        Files.writeString(model.resolve("unet/config.json"), "{\"in_channels\": 9,");
        String msg = failure(model);
        assertTrue(msg.contains("unet/config.json is not valid JSON"), msg);

        Path model2 = copyModel(tmp.resolve("b"));
        Path vae = model2.resolve("vae/diffusion_pytorch_model.safetensors");
        byte[] full = Files.readAllBytes(vae);
        Files.delete(vae);
        Files.write(vae, java.util.Arrays.copyOf(full, full.length / 2));
        msg = failure(model2);
        assertTrue(msg.contains("diffusion_pytorch_model.safetensors") && msg.contains("truncated"), msg);
    }

    @Test
    void fp16VariantAndShardsAreAccepted(@TempDir Path tmp) throws IOException {
        Path model = copyModel(tmp);
        Path te = model.resolve("text_encoder");
        Files.delete(te.resolve("model.safetensors"));
        try (SafetensorsFile src = SafetensorsFile.open(Fixtures.modelDir().resolve("text_encoder/model.safetensors"))) {
            SafetensorsTestFiles.rewrite(src, "F16", te, "model.fp16.safetensors", 1);
        }
        Path unet = model.resolve("unet");
        Files.delete(unet.resolve("diffusion_pytorch_model.safetensors"));
        List<Path> shards;
        try (SafetensorsFile src = SafetensorsFile.open(Fixtures.modelDir().resolve("unet/diffusion_pytorch_model.safetensors"))) {
            shards = SafetensorsTestFiles.rewrite(src, "F32", unet, "diffusion_pytorch_model.safetensors", 2);
            JsonObject map = new JsonObject();
            for (Path s : shards) {
                try (SafetensorsFile sf = SafetensorsFile.open(s)) {
                    sf.tensors().keySet().forEach(k -> map.addProperty(k, s.getFileName().toString()));
                }
            }
            JsonObject index = new JsonObject();
            index.add("weight_map", map);
            Files.writeString(unet.resolve("diffusion_pytorch_model.safetensors.index.json"), index.toString());
        }
        try (DiffusersFolder f = DiffusersFolder.open(model);
             SafetensorsFile orig = SafetensorsFile.open(Fixtures.modelDir().resolve("unet/diffusion_pytorch_model.safetensors"));
             NDManager m = DjlRuntime.newManager()) {
            assertTrue(f.describe().contains("F16/F32 weights"), f.describe());
            Weights u = f.weights(Component.UNET, m);
            for (String key : orig.tensors().keySet()) {
                assertTrue(u.contains(key), key);
            }
            String last = orig.tensors().keySet().stream().reduce((a, b) -> b).orElseThrow();
            assertArrayEquals(orig.readFloats(last), u.get(last).toFloatArray());
            NDArray tok = f.weights(Component.TEXT_ENCODER, m).get("text_model.embeddings.token_embedding.weight");
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT16, tok.getDataType(),
                    "F16 weights stay F16 in memory (the layers upcast per use)");
        }

        Files.delete(shards.get(1));
        String msg = failure(model);
        assertTrue(msg.contains("unet/" + shards.get(1).getFileName() + " is listed in"
                + " diffusion_pytorch_model.safetensors.index.json but missing"), msg);
        assertFalse(msg.contains("text_encoder"), msg);
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
