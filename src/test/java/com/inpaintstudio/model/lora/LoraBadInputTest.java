package com.inpaintstudio.model.lora;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.ParamSlot;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad LoRA files and LoRAs for other models: one clear line each, and the model's weights left as they were. */
class LoraBadInputTest {
    private static final String TO_K = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k";
    private static final String TO_Q = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q";
    @TempDir
    Path dir;
    private NDManager m;
    private ParamSlot toK;
    private ParamSlot toQ;
    private LoraMerger.Target model;

    @BeforeEach
    void slots() {
        m = DjlRuntime.newManager();
        // a model with cross-attention width 768 (SD-1.x): to_k (320, 768), to_q (320, 320)
        toK = new ParamSlot("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight",
                m.zeros(new Shape(320, 768)));
        toQ = new ParamSlot("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight",
                m.zeros(new Shape(320, 320)));
        Map<String, ParamSlot> unet = new LinkedHashMap<>();
        unet.put(toK.key(), toK);
        unet.put(toQ.key(), toQ);
        model = new LoraMerger.Target("sd15-inpainting", 768, unet, Map.of());
    }

    @AfterEach
    void close() {
        m.close();
    }

    private Path lora(String file, Map<String, LoraTestFiles.T> t) throws IOException {
        return LoraTestFiles.write(dir.resolve(file), t);
    }

    private static Map<String, LoraTestFiles.T> pair(String name, long[] down, long[] up) {
        Map<String, LoraTestFiles.T> t = new LinkedHashMap<>();
        t.put(name + ".lora_down.weight", LoraTestFiles.t(down));
        t.put(name + ".lora_up.weight", LoraTestFiles.t(up));
        t.put(name + ".alpha", new LoraTestFiles.T(new long[0], 2f));
        return t;
    }

    private static String oneLine(RuntimeException e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private String applyFails(Path file) {
        try (LoraFile f = LoraFile.open(file)) {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> LoraMerger.apply(List.of(new LoraMerger.Active(f, 1.0)), model, m));
            assertSame(toK.original(), toK.current(), "nothing merged");
            return oneLine(e);
        }
    }

    @Test
    void goodLoraMergesAndRestores() throws IOException {
        Map<String, LoraTestFiles.T> t = pair(TO_K, new long[] {4, 768}, new long[] {320, 4});
        try (LoraFile f = LoraFile.open(lora("good.safetensors", t))) {
            assertEquals(com.inpaintstudio.model.ModelFamily.SD1, f.family());
            assertEquals(4, f.rank());
            LoraMerger.apply(List.of(new LoraMerger.Active(f, 1.0)), model, m);
            assertTrue(toK.isReplaced());
            assertFalse(toQ.isReplaced());
            LoraMerger.apply(List.of(), model, m);
            assertSame(toK.original(), toK.current());
        }
    }

    @Test
    void fp16WeightsStayFp16AndGetTheMergedValues() throws IOException {
        ParamSlot half = new ParamSlot(toQ.key(), m.ones(new Shape(320, 320), ai.djl.ndarray.types.DataType.FLOAT16));
        Map<String, ParamSlot> unet = Map.of(half.key(), half);
        LoraMerger.Target fp16 = new LoraMerger.Target("fp16-model", 768, unet, Map.of());
        float[] down = new float[4 * 320];
        float[] up = new float[320 * 4];
        java.util.Arrays.fill(down, 0.5f);
        java.util.Arrays.fill(up, 0.25f);
        Map<String, LoraTestFiles.T> t = new LinkedHashMap<>();
        t.put(TO_Q + ".lora_down.weight", new LoraTestFiles.T(new long[] {4, 320}, down));
        t.put(TO_Q + ".lora_up.weight", new LoraTestFiles.T(new long[] {320, 4}, up));
        t.put(TO_Q + ".alpha", new LoraTestFiles.T(new long[0], 2f)); // scale = strength * 2 / 4
        try (LoraFile f = LoraFile.open(lora("half.safetensors", t))) {
            LoraMerger.apply(List.of(new LoraMerger.Active(f, 1.5)), fp16, m);
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT16, half.current().getDataType());
            // 1 + 1.5 * (2 / 4) * (4 * 0.25 * 0.5) = 1.375, exact in fp16
            float[] got = half.current().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            assertEquals(1.375f, got[0]);
            assertEquals(1.375f, got[got.length - 1]);
            LoraMerger.apply(List.of(), fp16, m);
            assertSame(half.original(), half.current());
        }
    }

    @Test
    void pickleFilesAreRefusedUnopened() throws IOException {
        for (String n : List.of("style.pt", "style.ckpt", "style.bin")) {
            Path p = Files.write(dir.resolve(n), new byte[] {(byte) 0x80, 2, 'c', 'o', 's'});
            String msg = oneLine(assertThrows(ModelFormatException.class, () -> LoraFile.open(p)));
            assertTrue(msg.contains("pickle") && msg.contains("Nothing was read") && msg.contains(".safetensors"), msg);
        }
    }

    @Test
    void truncatedFileSaysSo() throws IOException {
        Path good = lora("cut.safetensors", pair(TO_K, new long[] {4, 768}, new long[] {320, 4}));
        byte[] all = Files.readAllBytes(good);
        Files.write(good, java.util.Arrays.copyOf(all, all.length / 2));
        String msg = oneLine(assertThrows(ModelFormatException.class, () -> LoraFile.open(good)));
        assertTrue(msg.contains("cut.safetensors") && msg.contains("truncated"), msg);
    }

    @Test
    void aModelCheckpointIsNotALora() {
        Path unet = Fixtures.modelDir().resolve("unet/diffusion_pytorch_model.safetensors");
        String msg = oneLine(assertThrows(ModelFormatException.class, () -> LoraFile.open(unet)));
        assertTrue(msg.contains("is not a LoRA") && msg.contains("model checkpoint") && msg.contains("models/"), msg);
    }

    @Test
    void tensorsOfNoLoraModuleAreListed() throws IOException {
        Map<String, LoraTestFiles.T> t = pair(TO_K, new long[] {4, 768}, new long[] {320, 4});
        t.put("lora_unet_mid_block_attentions_0_proj_in.hada_w1_a", LoraTestFiles.t(4, 4));
        String msg = oneLine(assertThrows(ModelFormatException.class,
                () -> LoraFile.open(lora("loha.safetensors", t))));
        assertTrue(msg.contains("'lora_unet_mid_block_attentions_0_proj_in.hada_w1_a'"), msg);
    }

    @Test
    void modulesMatchingNoLayerAreListed() throws IOException {
        Map<String, LoraTestFiles.T> t = pair(TO_K, new long[] {4, 768}, new long[] {320, 4});
        t.putAll(pair("lora_unet_down_blocks_7_attentions_0_proj_in", new long[] {4, 320, 1, 1}, new long[] {320, 4, 1, 1}));
        String msg = applyFails(lora("extra.safetensors", t));
        assertTrue(msg.contains("lora_unet_down_blocks_7_attentions_0_proj_in") && msg.contains("sd15-inpainting"), msg);
    }

    @Test
    void shapeMismatchNamesTheFirstKey() throws IOException {
        Map<String, LoraTestFiles.T> t = pair(TO_Q, new long[] {4, 640}, new long[] {320, 4});
        String msg = applyFails(lora("wide.safetensors", t));
        assertTrue(msg.contains("'" + TO_Q + ".lora_down.weight' (4, 640)") && msg.contains("(320, 320)"), msg);
    }

    @Test
    void sdxlAndSd2LorasNameBothFamilies() throws IOException {
        String xl = applyFails(lora("xl.safetensors", pair(TO_K, new long[] {4, 2048}, new long[] {320, 4})));
        assertTrue(xl.contains("made for SDXL") && xl.contains("SD-1.x"), xl);
        Map<String, LoraTestFiles.T> te2 = pair("lora_te2_text_model_encoder_layers_0_mlp_fc1", new long[] {4, 1280},
                new long[] {5120, 4});
        String xl2 = applyFails(lora("xl_te.safetensors", te2));
        assertTrue(xl2.contains("SDXL") && xl2.contains("SD-1.x"), xl2);
        String two = applyFails(lora("v2.safetensors", pair(TO_K, new long[] {4, 1024}, new long[] {320, 4})));
        assertTrue(two.contains("made for SD-2.x") && two.contains("SD-1.x"), two);
        String textOnly = applyFails(lora("v2_te.safetensors",
                pair("lora_te_text_model_encoder_layers_0_self_attn_q_proj", new long[] {4, 1024}, new long[] {1024, 4})));
        assertTrue(textOnly.contains("made for SD-2.x") && textOnly.contains("SD-1.x"), textOnly);
    }

    @Test
    void missingNameListsTheLorasThatExist() throws IOException {
        Path loras = Files.createDirectories(dir.resolve("models").resolve("loras"));
        lora("models/loras/lcm-lora-sdv1-5.safetensors", pair(TO_K, new long[] {4, 768}, new long[] {320, 4}));
        lora("models/loras/film-grain.safetensors", pair(TO_K, new long[] {4, 768}, new long[] {320, 4}));
        LoraLibrary lib = new LoraLibrary(List.of(dir.resolve("models")));
        assertEquals(loras.resolve("film-grain.safetensors").toAbsolutePath().normalize(),
                lib.resolve("film-grain").toAbsolutePath().normalize());
        String msg = oneLine(assertThrows(ModelFormatException.class, () -> lib.resolve("detail-tweaker")));
        assertTrue(msg.contains("'detail-tweaker'") && msg.contains("film-grain, lcm-lora-sdv1-5"), msg);
    }
}
