package com.inpaintstudio.model.lora;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kohya names map to the modules diffusers' own conversion gives (fixtures/lora/lora_keymap.json). */
class LoraKeysTest {
    @Test
    void everyKohyaNameMapsAsDiffusersMapsIt() throws Exception {
        JsonObject map = JsonParser.parseString(Files.readString(LoraTestFiles.root().resolve("lora_keymap.json")))
                .getAsJsonObject();
        assertTrue(map.size() > 150, "the fixture covers the whole tiny model: " + map.size());
        int conv = 0;
        for (Map.Entry<String, com.google.gson.JsonElement> e : map.entrySet()) {
            LoraKeys.Target t = LoraKeys.fromKohya(e.getKey());
            assertNotNull(t, e.getKey());
            String prefix = t.component() == LoraKeys.Component.UNET ? "unet." : "text_encoder.";
            assertEquals(e.getValue().getAsString(), prefix + t.module(), e.getKey());
            if (t.module().endsWith("conv1") || t.module().endsWith("conv_shortcut") || t.module().endsWith(".conv")) {
                conv++;
            }
        }
        assertTrue(conv > 10, "LoCon modules are covered: " + conv);
    }

    @Test
    void sgmAndSdxlSpellingsFollowDiffusers() {
        // SDXL-style resnet names (in_layers_2 / out_layers_3 / skip_connection / emb_layers_1)
        assertEquals("down_blocks.1.resnets.0.conv1",
                LoraKeys.unetName("lora_unet_down_blocks_1_resnets_0_in_layers_2.lora.down.weight")
                        .replace(".lora.down.weight", ""));
        assertEquals("down_blocks.1.resnets.0.time_emb_proj",
                LoraKeys.unetName("lora_unet_down_blocks_1_resnets_0_emb_layers_1.lora.down.weight")
                        .replace(".lora.down.weight", ""));
        assertEquals("up_blocks.0.attentions.0.transformer_blocks.0.attn1.to_out.0",
                LoraKeys.fromKohya("lora_unet_up_blocks_0_attentions_0_transformer_blocks_0_attn1_to_out_0").module());
        assertEquals(LoraKeys.Component.TEXT_ENCODER_2,
                LoraKeys.fromKohya("lora_te2_text_model_encoder_layers_0_mlp_fc1").component());
    }
}
