package com.inpaintstudio.model.lora;

import com.inpaintstudio.model.ModelFamily;
import com.inpaintstudio.scheduler.SchedulerCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static com.inpaintstudio.model.lora.LoraTestFiles.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The LCM/TCD LoRA detector and the header summary the editor's LoRA list shows. */
class FastLoraTest {
    @Test
    void theNamesPeopleDownloadThemUnderAreRecognised() {
        for (String n : new String[] {"lcm-lora-sdv1-5", "LCM_LoRA_Weights_SD15", "sd15_lcm", "lcmlora", "My LCM v2",
                "lcm"}) {
            assertEquals(Optional.of(FastLora.LCM), FastLora.detect(n, Map.of()), n);
        }
        for (String n : new String[] {"TCD-SD15-LoRA", "tcd_sd15", "yamer-TCD"}) {
            assertEquals(Optional.of(FastLora.TCD), FastLora.detect(n, null), n);
        }
        assertEquals("lcm", FastLora.LCM.scheduler());
        assertEquals("tcd", FastLora.TCD.scheduler());
    }

    @Test
    void lettersInsideAnotherWordAndPlainLorasAreNot() {
        for (String n : new String[] {"film-grain", "dlcm_style", "watercolor", "pytorch_lora_weights", "atcd", ""}) {
            assertEquals(Optional.empty(), FastLora.detect(n, Map.of()), n);
        }
        assertEquals(Optional.empty(), FastLora.detect(null, null));
    }

    @Test
    void aGenericFileNameIsRecognisedByTheTitleInItsMetadata() {
        assertEquals(Optional.of(FastLora.LCM), FastLora.detect("pytorch_lora_weights",
                Map.of("modelspec.title", "LCM LoRA SD1.5")));
        assertEquals(Optional.of(FastLora.TCD), FastLora.detect("weights", Map.of("ss_output_name", "TCD-SD15")));
        // other metadata (a description that mentions LCM) does not count
        assertEquals(Optional.empty(), FastLora.detect("detail", Map.of("modelspec.description", "works with lcm too")));
    }

    @Test
    void theSchedulersTheyNeedExistWithTheFastSettings() {
        for (FastLora k : FastLora.values()) {
            var info = SchedulerCatalog.find(k.scheduler());
            assertNotNull(info, k.scheduler());
            assertEquals(6, info.suggestedSteps());
            assertEquals(1.0, info.suggestedGuidance());
        }
    }

    @Test
    void theHeaderGivesNameRankLayersAndKind(@TempDir Path dir) throws Exception {
        Path fixture = LoraTestFiles.root().resolve("lora_b_peft.safetensors");
        Path lcm = Files.copy(fixture, dir.resolve("lcm-tiny.safetensors"));
        LoraInfo i = LoraInfo.read(lcm);
        assertTrue(i.usable(), String.valueOf(i.problem()));
        assertEquals("lcm-tiny", i.name());
        assertEquals(FastLora.LCM, i.fast());
        assertEquals(8, i.rank());
        assertEquals(128, i.modules());
        assertTrue(i.summary().contains("rank 8 · 128 layers · LCM"), i.summary());

        Map<String, LoraTestFiles.T> te2 = new LinkedHashMap<>();
        te2.put("lora_te2_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight", t(4, 1280));
        te2.put("lora_te2_text_model_encoder_layers_0_self_attn_q_proj.lora_up.weight", t(1280, 4));
        LoraInfo xl = LoraInfo.read(LoraTestFiles.write(dir.resolve("weights.safetensors"), te2,
                Map.of("modelspec.title", "TCD SDXL")));
        assertEquals(ModelFamily.SDXL, xl.family());
        assertEquals(FastLora.TCD, xl.fast(), "found by its title");

        Path broken = Files.write(dir.resolve("lcm-broken.safetensors"), new byte[] {1, 2, 3});
        LoraInfo b = LoraInfo.read(broken);
        assertFalse(b.usable());
        assertNotNull(b.problem());
        assertFalse(b.problem().contains("\n"), "one line: " + b.problem());
        assertTrue(b.summary().startsWith("not usable: "), b.summary());
        assertNull(LoraInfo.read(Files.copy(fixture, dir.resolve("film-grain.safetensors"))).fast());
    }
}
