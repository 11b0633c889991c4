package com.inpaintstudio.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the original Stable Diffusion (LDM) key layout of a single-file checkpoint to diffusers keys, the inverse of
 * diffusers' {@code convert_diffusers_to_original_stable_diffusion.py} (and what {@code convert_from_ckpt.py} does
 * when loading). Each method takes the file's keys and returns diffusers key -> file key for one component.
 */
final class CheckpointKeys {
    static final String UNET_PREFIX = "model.diffusion_model.";
    static final String VAE_PREFIX = "first_stage_model.";
    static final String CLIP_PREFIX = "cond_stage_model.transformer.";
    static final String OPENCLIP_PREFIX = "cond_stage_model.model.";

    private static final Pattern INPUT = Pattern.compile("input_blocks\\.(\\d+)\\.(\\d+)\\.(.+)");
    private static final Pattern OUTPUT = Pattern.compile("output_blocks\\.(\\d+)\\.(\\d+)\\.(.+)");
    private static final Pattern MIDDLE = Pattern.compile("middle_block\\.(\\d+)\\.(.+)");
    private static final Pattern VAE_DOWN_BLOCK = Pattern.compile("encoder\\.down\\.(\\d+)\\.block\\.(\\d+)\\.(.+)");
    private static final Pattern VAE_DOWNSAMPLE = Pattern.compile("encoder\\.down\\.(\\d+)\\.downsample\\.(.+)");
    private static final Pattern VAE_UP_BLOCK = Pattern.compile("decoder\\.up\\.(\\d+)\\.block\\.(\\d+)\\.(.+)");
    private static final Pattern VAE_UPSAMPLE = Pattern.compile("decoder\\.up\\.(\\d+)\\.upsample\\.(.+)");
    private static final Pattern VAE_MID_BLOCK = Pattern.compile("(encoder|decoder)\\.mid\\.block_(\\d+)\\.(.+)");
    private static final Pattern VAE_MID_ATTN = Pattern.compile("(encoder|decoder)\\.mid\\.attn_1\\.(norm|q|k|v|proj_out)\\.(.+)");

    private CheckpointKeys() {}

    /** UNet: diffusers key -> file key. {@code layersPerBlock} comes from the block count (see CheckpointConfigs). */
    static Map<String, String> unet(Set<String> fileKeys, int layersPerBlock) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (String fk : fileKeys) {
            if (!fk.startsWith(UNET_PREFIX)) {
                continue;
            }
            String d = unetKey(fk.substring(UNET_PREFIX.length()), layersPerBlock);
            if (d == null) {
                unknown.add(fk);
            } else {
                out.put(d, fk);
            }
        }
        failOnUnknown(unknown, "UNet");
        return out;
    }

    /** One UNet key without the {@code model.diffusion_model.} prefix; null if it has no diffusers counterpart. */
    static String unetKey(String k, int lpb) {
        if (k.startsWith("time_embed.0.")) {
            return "time_embedding.linear_1." + k.substring("time_embed.0.".length());
        }
        if (k.startsWith("time_embed.2.")) {
            return "time_embedding.linear_2." + k.substring("time_embed.2.".length());
        }
        if (k.startsWith("input_blocks.0.0.")) {
            return "conv_in." + k.substring("input_blocks.0.0.".length());
        }
        if (k.startsWith("out.0.")) {
            return "conv_norm_out." + k.substring("out.0.".length());
        }
        if (k.startsWith("out.2.")) {
            return "conv_out." + k.substring("out.2.".length());
        }
        Matcher m = INPUT.matcher(k);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            int sub = Integer.parseInt(m.group(2));
            String rest = m.group(3);
            int i = (n - 1) / (lpb + 1);
            int j = (n - 1) % (lpb + 1);
            if (j == lpb) {
                return sub == 0 && rest.startsWith("op.")
                        ? "down_blocks." + i + ".downsamplers.0.conv." + rest.substring(3) : null;
            }
            if (sub == 0) {
                String r = resnet(rest);
                return r == null ? null : "down_blocks." + i + ".resnets." + j + "." + r;
            }
            return sub == 1 ? "down_blocks." + i + ".attentions." + j + "." + rest : null;
        }
        m = MIDDLE.matcher(k);
        if (m.matches()) {
            int sub = Integer.parseInt(m.group(1));
            String rest = m.group(2);
            if (sub == 1) {
                return "mid_block.attentions.0." + rest;
            }
            String r = resnet(rest);
            return (sub == 0 || sub == 2) && r != null ? "mid_block.resnets." + (sub / 2) + "." + r : null;
        }
        m = OUTPUT.matcher(k);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            int sub = Integer.parseInt(m.group(2));
            String rest = m.group(3);
            int i = n / (lpb + 1);
            int j = n % (lpb + 1);
            if (sub == 0) {
                String r = resnet(rest);
                return r == null ? null : "up_blocks." + i + ".resnets." + j + "." + r;
            }
            if (rest.startsWith("conv.") && (sub == 1 || sub == 2)) {
                // the upsampler: .1 in blocks without attention, .2 after an attention
                return "up_blocks." + i + ".upsamplers.0." + rest;
            }
            return sub == 1 ? "up_blocks." + i + ".attentions." + j + "." + rest : null;
        }
        return null;
    }

    private static String resnet(String rest) {
        String[][] parts = {
            {"in_layers.0.", "norm1."}, {"in_layers.2.", "conv1."}, {"out_layers.0.", "norm2."},
            {"out_layers.3.", "conv2."}, {"emb_layers.1.", "time_emb_proj."}, {"skip_connection.", "conv_shortcut."},
        };
        for (String[] p : parts) {
            if (rest.startsWith(p[0])) {
                return p[1] + rest.substring(p[0].length());
            }
        }
        return null;
    }

    /** VAE: diffusers key -> file key. {@code upBlocks} is the number of decoder up blocks (numbered in reverse). */
    static Map<String, String> vae(Set<String> fileKeys, int upBlocks) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (String fk : fileKeys) {
            if (!fk.startsWith(VAE_PREFIX)) {
                continue;
            }
            String k = fk.substring(VAE_PREFIX.length());
            if (k.startsWith("loss.")) {
                continue; // training-time discriminator, not part of the autoencoder
            }
            String d = vaeKey(k, upBlocks);
            if (d == null) {
                unknown.add(fk);
            } else {
                out.put(d, fk);
            }
        }
        failOnUnknown(unknown, "VAE");
        return out;
    }

    static String vaeKey(String k, int upBlocks) {
        if (k.startsWith("quant_conv.") || k.startsWith("post_quant_conv.")
                || k.matches("(encoder|decoder)\\.(conv_in|conv_out)\\..+")) {
            return k;
        }
        if (k.matches("(encoder|decoder)\\.norm_out\\..+")) {
            return k.replaceFirst("\\.norm_out\\.", ".conv_norm_out.");
        }
        Matcher m = VAE_DOWN_BLOCK.matcher(k);
        if (m.matches()) {
            return "encoder.down_blocks." + m.group(1) + ".resnets." + m.group(2) + "." + vaeResnet(m.group(3));
        }
        m = VAE_DOWNSAMPLE.matcher(k);
        if (m.matches()) {
            return "encoder.down_blocks." + m.group(1) + ".downsamplers.0." + m.group(2);
        }
        m = VAE_UP_BLOCK.matcher(k);
        if (m.matches()) {
            int i = upBlocks - 1 - Integer.parseInt(m.group(1));
            return "decoder.up_blocks." + i + ".resnets." + m.group(2) + "." + vaeResnet(m.group(3));
        }
        m = VAE_UPSAMPLE.matcher(k);
        if (m.matches()) {
            int i = upBlocks - 1 - Integer.parseInt(m.group(1));
            return "decoder.up_blocks." + i + ".upsamplers.0." + m.group(2);
        }
        m = VAE_MID_BLOCK.matcher(k);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(2)) - 1;
            return m.group(1) + ".mid_block.resnets." + i + "." + vaeResnet(m.group(3));
        }
        m = VAE_MID_ATTN.matcher(k);
        if (m.matches()) {
            String part = switch (m.group(2)) {
                case "norm" -> "group_norm";
                case "q" -> "to_q";
                case "k" -> "to_k";
                case "v" -> "to_v";
                default -> "to_out.0";
            };
            return m.group(1) + ".mid_block.attentions.0." + part + "." + m.group(3);
        }
        return null;
    }

    private static String vaeResnet(String rest) {
        return rest.startsWith("nin_shortcut.") ? "conv_shortcut." + rest.substring("nin_shortcut.".length()) : rest;
    }

    /** True for the VAE attention weights the original layout stores as 1x1 convolutions and diffusers as linear. */
    static boolean isVaeAttentionProjection(String fileKey) {
        return fileKey.matches(Pattern.quote(VAE_PREFIX) + "(encoder|decoder)\\.mid\\.attn_1\\.(q|k|v|proj_out)\\.weight");
    }

    /**
     * CLIP text model (SD-1.x): diffusers key -> file key. Recent files have {@code ...transformer.text_model.*};
     * files saved by old transformers versions lack the {@code text_model.} level.
     */
    static Map<String, String> clipText(Set<String> fileKeys) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String fk : fileKeys) {
            if (!fk.startsWith(CLIP_PREFIX)) {
                continue;
            }
            String k = fk.substring(CLIP_PREFIX.length());
            out.put(k.startsWith("text_model.") ? k : "text_model." + k, fk);
        }
        return out;
    }

    /** Where each diffusers text-encoder key of an OpenCLIP (SD-2.x) checkpoint comes from. */
    record OpenClipText(Map<String, String> keys, Map<String, Integer> qkvPart, int layers) { }

    private static final Pattern OPENCLIP_BLOCK = Pattern.compile(
            Pattern.quote(OPENCLIP_PREFIX) + "transformer\\.resblocks\\.(\\d+)\\.(.+)");

    /**
     * OpenCLIP ViT-H text tower (SD-2.x) to a diffusers/transformers CLIPTextModel, as diffusers'
     * {@code convert_open_clip_checkpoint}: SD-2 reads the penultimate layer, so the last residual block is dropped
     * (24 blocks -> {@code num_hidden_layers} 23); each fused {@code attn.in_proj_weight/bias} is split in three
     * (q, k, v along the first axis: {@code qkvPart} 0, 1, 2).
     */
    static OpenClipText openClipText(Set<String> fileKeys) {
        int blocks = 0;
        for (String fk : fileKeys) {
            Matcher m = OPENCLIP_BLOCK.matcher(fk);
            if (m.matches()) {
                blocks = Math.max(blocks, Integer.parseInt(m.group(1)) + 1);
            }
        }
        int layers = blocks - 1;
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, Integer> qkv = new LinkedHashMap<>();
        String p = OPENCLIP_PREFIX;
        putIfPresent(keys, fileKeys, "text_model.embeddings.token_embedding.weight", p + "token_embedding.weight");
        putIfPresent(keys, fileKeys, "text_model.embeddings.position_embedding.weight", p + "positional_embedding");
        putIfPresent(keys, fileKeys, "text_model.final_layer_norm.weight", p + "ln_final.weight");
        putIfPresent(keys, fileKeys, "text_model.final_layer_norm.bias", p + "ln_final.bias");
        for (String fk : fileKeys) {
            Matcher m = OPENCLIP_BLOCK.matcher(fk);
            if (!m.matches() || Integer.parseInt(m.group(1)) >= layers) {
                continue;
            }
            String layer = "text_model.encoder.layers." + m.group(1) + ".";
            String rest = m.group(2);
            switch (rest) {
                case "attn.in_proj_weight", "attn.in_proj_bias" -> {
                    String kind = rest.endsWith("weight") ? "weight" : "bias";
                    String[] names = {"q_proj", "k_proj", "v_proj"};
                    for (int i = 0; i < 3; i++) {
                        String d = layer + "self_attn." + names[i] + "." + kind;
                        keys.put(d, fk);
                        qkv.put(d, i);
                    }
                }
                default -> {
                    String d = rest.replaceFirst("^ln_1\\.", "layer_norm1.").replaceFirst("^ln_2\\.", "layer_norm2.")
                            .replaceFirst("^mlp\\.c_fc\\.", "mlp.fc1.").replaceFirst("^mlp\\.c_proj\\.", "mlp.fc2.")
                            .replaceFirst("^attn\\.out_proj\\.", "self_attn.out_proj.");
                    if (!d.equals(rest)) {
                        keys.put(layer + d, fk);
                    }
                }
            }
        }
        return new OpenClipText(keys, qkv, layers);
    }

    private static void putIfPresent(Map<String, String> keys, Set<String> fileKeys, String diffusers, String file) {
        if (fileKeys.contains(file)) {
            keys.put(diffusers, file);
        }
    }

    private static void failOnUnknown(Set<String> unknown, String what) {
        if (!unknown.isEmpty()) {
            throw new ModelFormatException("The checkpoint's " + what + " has " + unknown.size()
                    + " weight(s) that do not fit the Stable Diffusion 1.x/2.x layout, e.g. '" + unknown.iterator().next()
                    + "'. It is a different architecture (SDXL, a ControlNet, a LoRA?); Inpaint Studio reads SD-1.x"
                    + " and SD-2.x UNet checkpoints.");
        }
    }
}
