package com.inpaintstudio.model;

import com.inpaintstudio.pipeline.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Textual-inversion files: A1111 and diffusers formats read, pickles and non-embeddings refused with a reason. */
class EmbeddingLibraryTest {
    static TestModels.Tensor t(long... shape) {
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.25f;
        }
        return new TestModels.Tensor(shape, v);
    }

    @Test
    void readsBothFormatsAndRefusesTheRest(@TempDir Path dir) throws Exception {
        Path emb = Files.createDirectories(dir.resolve("embeddings"));
        TestModels.writeSafetensors(emb.resolve("EasyNeg.safetensors"), Map.of("emb_params", t(4, 768)));
        Path df = Files.createDirectories(emb.resolve("cat-toy"));
        TestModels.writeSafetensors(df.resolve("learned_embeds.safetensors"), Map.of("<cat-toy>", t(768)));
        Files.write(emb.resolve("old.pt"), new byte[] {(byte) 0x80, 2, 'c'});
        Map<String, TestModels.Tensor> xl = new LinkedHashMap<>();
        xl.put("clip_l", t(2, 768));
        xl.put("clip_g", t(2, 1280));
        TestModels.writeSafetensors(emb.resolve("xl.safetensors"), xl);
        Map<String, TestModels.Tensor> lora = new LinkedHashMap<>();
        lora.put("lora_unet_a.lora_up.weight", t(4, 2));
        lora.put("lora_unet_a.lora_down.weight", t(2, 4));
        TestModels.writeSafetensors(emb.resolve("some_lora.safetensors"), lora);

        List<EmbeddingLibrary.Entry> all = new EmbeddingLibrary(EmbeddingLibrary.foldersIn(List.of(dir))).scan();
        assertEquals(List.of("cat-toy", "EasyNeg", "old", "some_lora", "xl"), all.stream().map(EmbeddingLibrary.Entry::name).toList());
        Map<String, EmbeddingLibrary.Entry> by = new LinkedHashMap<>();
        all.forEach(e -> by.put(e.name(), e));
        TextualInversion easy = by.get("EasyNeg").embedding();
        assertEquals(4, easy.vectors());
        assertEquals(768, easy.width());
        assertArrayEquals(t(4, 768).data(), easy.values());
        assertEquals(TextualInversion.sha256(emb.resolve("EasyNeg.safetensors")).substring(0, 12), easy.shortHash());
        assertEquals(1, by.get("cat-toy").embedding().vectors(), "diffusers' file is named by its folder");
        assertFalse(by.get("old").usable());
        assertTrue(by.get("old").problem().contains("pickle"), by.get("old").problem());
        assertTrue(by.get("xl").problem().contains("SDXL"), by.get("xl").problem());
        assertTrue(by.get("some_lora").problem().contains("not a textual-inversion embedding"), by.get("some_lora").problem());
        assertEquals(2, new EmbeddingLibrary(EmbeddingLibrary.foldersIn(List.of(dir))).usable().size());
    }

    @Test
    void theModelScannerDoesNotListEmbeddingsOrLorasAsModels(@TempDir Path dir) throws Exception {
        Path emb = Files.createDirectories(dir.resolve("embeddings"));
        TestModels.writeSafetensors(emb.resolve("EasyNeg.safetensors"), Map.of("emb_params", t(4, 768)));
        Path loras = Files.createDirectories(dir.resolve("loras"));
        TestModels.writeSafetensors(loras.resolve("grain.safetensors"), Map.of("lora_unet_a.lora_up.weight", t(4, 2)));
        assertEquals(List.of(), new ModelScanner(Map.of()).scan(List.of(dir)));
    }
}
