package com.inpaintstudio.model.lora;

import java.util.regex.Pattern;

/**
 * LoRA tensor names to diffusers module names, as diffusers 0.31 maps them: kohya/A1111 names through
 * {@code lora_conversion_utils._convert_unet_lora_key} / {@code _convert_text_encoder_lora_key}, then the PEFT
 * renames of {@code state_dict_utils} ({@code UNET_TO_DIFFUSERS}, {@code DIFFUSERS_OLD_TO_PEFT}), ending at the
 * module whose {@code .weight} the LoRA changes.
 */
public final class LoraKeys {
    private static final Pattern SDXL_EMB = Pattern.compile("\\.\\d+(?=\\D*$)");

    private LoraKeys() {}

    /** Which network a LoRA module belongs to. */
    public enum Component { UNET, TEXT_ENCODER, TEXT_ENCODER_2 }

    /** A module of the model: the component and the diffusers module path inside it (without {@code .weight}). */
    public record Target(Component component, String module) {
        public String weightKey() {
            return module + ".weight";
        }
    }

    /**
     * {@code lora_unet_..._to_q} (the part of a kohya key before {@code .lora_down.weight}) to its target, or null
     * when the prefix is none of {@code lora_unet_}, {@code lora_te_}, {@code lora_te1_}, {@code lora_te2_}.
     */
    static Target fromKohya(String loraName) {
        if (loraName.startsWith("lora_unet_")) {
            String n = unetName(loraName + ".lora_down.weight");
            // UNET_TO_DIFFUSERS, after KEYS_TO_ALWAYS_REPLACE (".processor." -> ".")
            n = n.replace(".processor.", ".");
            n = n.replace(".to_out_lora.down.weight", ".to_out.0.lora_A.weight")
                    .replace(".to_q_lora.down.weight", ".to_q.lora_A.weight")
                    .replace(".to_k_lora.down.weight", ".to_k.lora_A.weight")
                    .replace(".to_v_lora.down.weight", ".to_v.lora_A.weight")
                    .replace(".lora.down.weight", ".lora_A.weight");
            return new Target(Component.UNET, stripSuffix(n, ".lora_A.weight"));
        }
        String prefix = loraName.startsWith("lora_te_") ? "lora_te_" : loraName.startsWith("lora_te1_") ? "lora_te1_"
                : loraName.startsWith("lora_te2_") ? "lora_te2_" : null;
        if (prefix == null) {
            return null;
        }
        String n = textName(loraName + ".lora_down.weight", prefix);
        // DIFFUSERS_OLD_TO_PEFT
        n = n.replace(".to_q_lora.down.weight", ".q_proj.lora_A.weight")
                .replace(".to_k_lora.down.weight", ".k_proj.lora_A.weight")
                .replace(".to_v_lora.down.weight", ".v_proj.lora_A.weight")
                .replace(".to_out_lora.down.weight", ".out_proj.lora_A.weight")
                .replace(".lora_linear_layer.down.weight", ".lora_A.weight")
                .replace(".lora.down.weight", ".lora_A.weight");
        return new Target(prefix.equals("lora_te2_") ? Component.TEXT_ENCODER_2 : Component.TEXT_ENCODER,
                stripSuffix(n, ".lora_A.weight"));
    }

    /** {@code unet.<module>} / {@code text_encoder.<module>} / {@code text_encoder_2.<module>} (PEFT layout). */
    static Target fromPeft(String modulePath) {
        if (modulePath.startsWith("unet.")) {
            return new Target(Component.UNET, modulePath.substring(5));
        }
        if (modulePath.startsWith("text_encoder.")) {
            return new Target(Component.TEXT_ENCODER, modulePath.substring(13));
        }
        if (modulePath.startsWith("text_encoder_2.")) {
            return new Target(Component.TEXT_ENCODER_2, modulePath.substring(15));
        }
        return null;
    }

    /** diffusers' {@code _convert_unet_lora_key}. */
    static String unetName(String key) {
        String n = key.replace("lora_unet_", "").replace("_", ".");
        n = n.replace("input.blocks", "down_blocks");
        n = n.replace("down.blocks", "down_blocks");
        n = n.replace("middle.block", "mid_block");
        n = n.replace("mid.block", "mid_block");
        n = n.replace("output.blocks", "up_blocks");
        n = n.replace("up.blocks", "up_blocks");
        n = n.replace("transformer.blocks", "transformer_blocks");
        n = n.replace("to.q.lora", "to_q_lora");
        n = n.replace("to.k.lora", "to_k_lora");
        n = n.replace("to.v.lora", "to_v_lora");
        n = n.replace("to.out.0.lora", "to_out_lora");
        n = n.replace("proj.in", "proj_in");
        n = n.replace("proj.out", "proj_out");
        n = n.replace("emb.layers", "time_emb_proj");
        if (n.contains("emb") && !n.contains("time.emb.proj")) {
            n = SDXL_EMB.matcher(n).replaceFirst("");
        }
        if (n.contains(".in.")) {
            n = n.replace("in.layers.2", "conv1");
        }
        if (n.contains(".out.")) {
            n = n.replace("out.layers.3", "conv2");
        }
        if (n.contains("downsamplers") || n.contains("upsamplers")) {
            n = n.replace("op", "conv");
        }
        if (n.contains("skip")) {
            n = n.replace("skip.connection", "conv_shortcut");
        }
        if (n.contains("time.emb.proj")) {
            n = n.replace("time.emb.proj", "time_emb_proj");
        }
        if (n.contains("conv.shortcut")) {
            n = n.replace("conv.shortcut", "conv_shortcut");
        }
        if (n.contains("transformer_blocks") && (n.contains("attn1") || n.contains("attn2"))) {
            n = n.replace("attn1", "attn1.processor").replace("attn2", "attn2.processor");
        }
        return n;
    }

    /** diffusers' {@code _convert_text_encoder_lora_key}. */
    static String textName(String key, String prefix) {
        String n = key.replace(prefix, "").replace("_", ".");
        n = n.replace("text.model", "text_model");
        n = n.replace("self.attn", "self_attn");
        n = n.replace("q.proj.lora", "to_q_lora");
        n = n.replace("k.proj.lora", "to_k_lora");
        n = n.replace("v.proj.lora", "to_v_lora");
        n = n.replace("out.proj.lora", "to_out_lora");
        n = n.replace("text.projection", "text_projection");
        if (!n.contains("self_attn") && !n.contains("text_projection") && n.contains("mlp")) {
            n = n.replace(".lora.", ".lora_linear_layer.");
        }
        return n;
    }

    private static String stripSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }
}
