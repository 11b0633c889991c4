package com.inpaintstudio.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Infers diffusers config.json contents for a single-file checkpoint from its tensor shapes (the file stores no
 * config). What shapes cannot tell (head counts, norm groups) follows the Stable Diffusion releases: SD-1.x UNets
 * use 8 heads, SD-2.x 64-channel heads; CLIP text models use 64-channel heads (OpenAI ViT-L/14: 12, OpenCLIP
 * ViT-H/14: 16), and widths that are not a multiple of 64 (tiny test models) 8-channel heads.
 */
final class CheckpointConfigs {
    private static final Pattern INPUT_BLOCK = Pattern.compile(Pattern.quote(CheckpointKeys.UNET_PREFIX) + "input_blocks\\.(\\d+)\\..*");
    private static final Pattern VAE_UP = Pattern.compile(Pattern.quote(CheckpointKeys.VAE_PREFIX) + "decoder\\.up\\.(\\d+)\\..*");
    private static final Pattern VAE_DOWN_BLOCK = Pattern.compile(Pattern.quote(CheckpointKeys.VAE_PREFIX) + "encoder\\.down\\.0\\.block\\.(\\d+)\\..*");
    private static final Pattern TEXT_LAYER = Pattern.compile(".*encoder\\.layers\\.(\\d+)\\..*");

    private final Map<String, TensorInfo> t;

    CheckpointConfigs(Map<String, TensorInfo> tensors) {
        this.t = tensors;
    }

    /** Number of UNet down blocks (downsamplers + 1). */
    int unetBlocks() {
        int down = 0;
        for (String k : t.keySet()) {
            if (k.startsWith(CheckpointKeys.UNET_PREFIX + "input_blocks.") && k.endsWith(".0.op.weight")) {
                down++;
            }
        }
        return down + 1;
    }

    int unetLayersPerBlock() {
        int maxInput = -1;
        for (String k : t.keySet()) {
            Matcher m = INPUT_BLOCK.matcher(k);
            if (m.matches()) {
                maxInput = Math.max(maxInput, Integer.parseInt(m.group(1)));
            }
        }
        int blocks = unetBlocks();
        // input_blocks = conv_in + blocks * layers + (blocks - 1) downsamplers
        int lpb = (maxInput + 1 - blocks) / blocks;
        if (maxInput < 1 || lpb < 1 || 1 + blocks * lpb + blocks - 1 != maxInput + 1) {
            throw new ModelFormatException("The checkpoint's UNet has " + (maxInput + 1) + " input blocks, which does not"
                    + " fit the Stable Diffusion layout (is it an SDXL or other architecture?)");
        }
        return lpb;
    }

    int vaeUpBlocks() {
        int max = -1;
        for (String k : t.keySet()) {
            Matcher m = VAE_UP.matcher(k);
            if (m.matches()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return max + 1;
    }

    JsonObject unet(boolean sd2) {
        String p = CheckpointKeys.UNET_PREFIX;
        int blocks = unetBlocks();
        int lpb = unetLayersPerBlock();
        JsonObject c = new JsonObject();
        c.addProperty("_class_name", "UNet2DConditionModel");
        c.addProperty("act_fn", "silu");
        JsonArray channels = new JsonArray();
        JsonArray down = new JsonArray();
        JsonArray up = new JsonArray();
        JsonArray headDims = new JsonArray();
        Integer crossDim = null;
        Boolean linearProj = null;
        for (int i = 0; i < blocks; i++) {
            String res = p + "input_blocks." + (1 + i * (lpb + 1)) + ".0.out_layers.3.weight";
            int ch = (int) shape(res)[0];
            channels.add(ch);
            headDims.add(Math.max(1, ch / 64));
            String attn = p + "input_blocks." + (1 + i * (lpb + 1)) + ".1.";
            boolean hasAttn = t.containsKey(attn + "proj_in.weight");
            down.add(hasAttn ? "CrossAttnDownBlock2D" : "DownBlock2D");
            if (hasAttn && crossDim == null) {
                crossDim = (int) shape(attn + "transformer_blocks.0.attn2.to_k.weight")[1];
                linearProj = shape(attn + "proj_in.weight").length == 2;
            }
        }
        for (int i = 0; i < blocks; i++) {
            boolean hasAttn = t.containsKey(p + "output_blocks." + (i * (lpb + 1)) + ".1.proj_in.weight");
            up.add(hasAttn ? "CrossAttnUpBlock2D" : "UpBlock2D");
        }
        if (crossDim == null) {
            crossDim = (int) shape(p + "middle_block.1.transformer_blocks.0.attn2.to_k.weight")[1];
            linearProj = shape(p + "middle_block.1.proj_in.weight").length == 2;
        }
        if (sd2) {
            c.add("attention_head_dim", headDims);
        } else {
            c.addProperty("attention_head_dim", 8);
        }
        c.add("block_out_channels", channels);
        c.addProperty("center_input_sample", false);
        c.addProperty("cross_attention_dim", crossDim);
        c.add("down_block_types", down);
        c.addProperty("downsample_padding", 1);
        c.addProperty("flip_sin_to_cos", true);
        c.addProperty("freq_shift", 0);
        c.addProperty("in_channels", shape(p + "input_blocks.0.0.weight")[1]);
        c.addProperty("layers_per_block", lpb);
        c.addProperty("mid_block_scale_factor", 1);
        c.addProperty("norm_eps", 1e-5);
        c.addProperty("norm_num_groups", 32);
        c.addProperty("out_channels", shape(p + "out.2.weight")[0]);
        int inChannels = (int) shape(p + "input_blocks.0.0.weight")[1];
        // SD-2 768-v models work at 768 px (latent 96); SD-2 inpainting and SD-1 at 512 (latent 64)
        c.addProperty("sample_size", sd2 && inChannels != 9 ? 96 : 64);
        c.add("up_block_types", up);
        c.addProperty("use_linear_projection", linearProj);
        return c;
    }

    JsonObject vae() {
        String p = CheckpointKeys.VAE_PREFIX;
        int blocks = vaeUpBlocks();
        int lpb = 0;
        for (String k : t.keySet()) {
            Matcher m = VAE_DOWN_BLOCK.matcher(k);
            if (m.matches()) {
                lpb = Math.max(lpb, Integer.parseInt(m.group(1)) + 1);
            }
        }
        JsonObject c = new JsonObject();
        c.addProperty("_class_name", "AutoencoderKL");
        c.addProperty("act_fn", "silu");
        JsonArray channels = new JsonArray();
        JsonArray down = new JsonArray();
        JsonArray up = new JsonArray();
        for (int i = 0; i < blocks; i++) {
            channels.add(shape(p + "encoder.down." + i + ".block.0.conv2.weight")[0]);
            down.add("DownEncoderBlock2D");
            up.add("UpDecoderBlock2D");
        }
        c.add("block_out_channels", channels);
        c.add("down_block_types", down);
        c.addProperty("in_channels", shape(p + "encoder.conv_in.weight")[1]);
        c.addProperty("latent_channels", shape(p + "post_quant_conv.weight")[0]);
        c.addProperty("layers_per_block", lpb);
        c.addProperty("norm_num_groups", 32);
        c.addProperty("out_channels", shape(p + "decoder.conv_out.weight")[0]);
        c.addProperty("sample_size", 512);
        c.addProperty("scaling_factor", 0.18215);
        c.add("up_block_types", up);
        return c;
    }

    /** CLIP text model config from the keys mapped to diffusers names (diffusers key -> file key). */
    JsonObject clipText(Map<String, String> keyMap) {
        long[] tok = shape(keyMap.get("text_model.embeddings.token_embedding.weight"));
        long[] pos = shape(keyMap.get("text_model.embeddings.position_embedding.weight"));
        long[] fc1 = shape(keyMap.get("text_model.encoder.layers.0.mlp.fc1.weight"));
        int layers = 0;
        for (String k : keyMap.keySet()) {
            Matcher m = TEXT_LAYER.matcher(k);
            if (m.matches()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        int hidden = (int) tok[1];
        JsonObject c = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("CLIPTextModel");
        c.add("architectures", arch);
        c.addProperty("attention_dropout", 0.0);
        c.addProperty("bos_token_id", 0);
        c.addProperty("dropout", 0.0);
        c.addProperty("eos_token_id", 2);
        c.addProperty("hidden_act", "quick_gelu");
        c.addProperty("hidden_size", hidden);
        c.addProperty("initializer_factor", 1.0);
        c.addProperty("initializer_range", 0.02);
        c.addProperty("intermediate_size", fc1[0]);
        c.addProperty("layer_norm_eps", 1e-5);
        c.addProperty("max_position_embeddings", pos[0]);
        c.addProperty("model_type", "clip_text_model");
        c.addProperty("num_attention_heads", hidden % 64 == 0 ? hidden / 64 : Math.max(1, hidden / 8));
        c.addProperty("num_hidden_layers", layers);
        c.addProperty("pad_token_id", 1);
        c.addProperty("projection_dim", hidden);
        c.addProperty("vocab_size", tok[0]);
        return c;
    }

    /**
     * OpenCLIP ViT-H text tower (SD-2.x) as a CLIPTextModel config; {@code layers} is the number of residual blocks
     * kept (the last one is dropped: SD-2 reads the penultimate layer).
     */
    JsonObject openClipText(int layers) {
        String p = CheckpointKeys.OPENCLIP_PREFIX;
        long[] tok = shape(p + "token_embedding.weight");
        long[] pos = shape(p + "positional_embedding");
        long[] fc1 = shape(p + "transformer.resblocks.0.mlp.c_fc.weight");
        int hidden = (int) tok[1];
        JsonObject c = clipText(Map.of(
                "text_model.embeddings.token_embedding.weight", p + "token_embedding.weight",
                "text_model.embeddings.position_embedding.weight", p + "positional_embedding",
                "text_model.encoder.layers.0.mlp.fc1.weight", p + "transformer.resblocks.0.mlp.c_fc.weight"));
        c.addProperty("hidden_act", "gelu");
        c.addProperty("intermediate_size", fc1[0]);
        c.addProperty("max_position_embeddings", pos[0]);
        c.addProperty("num_hidden_layers", layers);
        TensorInfo proj = t.get(p + "text_projection");
        c.addProperty("projection_dim", proj != null && proj.shape().length == 2 ? proj.shape()[1] : hidden);
        return c;
    }

    /**
     * The scheduler Stable Diffusion 1.x/2.x were released with (PNDM, scaled-linear betas). SD-2.x regular (4-channel)
     * checkpoints are taken as the 768-v models (v-prediction), as diffusers' converter does when the file does not say.
     */
    static JsonObject scheduler(boolean vPrediction) {
        JsonObject c = scheduler();
        c.addProperty("prediction_type", vPrediction ? "v_prediction" : "epsilon");
        return c;
    }

    /** The scheduler Stable Diffusion 1.x/2.x were released with (PNDM, scaled-linear betas). */
    static JsonObject scheduler() {
        JsonObject c = new JsonObject();
        c.addProperty("_class_name", "PNDMScheduler");
        c.addProperty("beta_end", 0.012);
        c.addProperty("beta_schedule", "scaled_linear");
        c.addProperty("beta_start", 0.00085);
        c.addProperty("clip_sample", false);
        c.addProperty("num_train_timesteps", 1000);
        c.addProperty("set_alpha_to_one", false);
        c.addProperty("skip_prk_steps", true);
        c.addProperty("steps_offset", 1);
        c.add("trained_betas", JsonNull.INSTANCE);
        return c;
    }

    private long[] shape(String key) {
        TensorInfo info = key == null ? null : t.get(key);
        if (info == null) {
            throw new ModelFormatException("The checkpoint lacks the weight '" + key + "', which every Stable Diffusion"
                    + " 1.x/2.x checkpoint has; the file is incomplete or of another architecture");
        }
        return info.shape();
    }
}
