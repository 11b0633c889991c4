package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.layers.Activations;
import com.inpaintstudio.nn.layers.Conv2d;
import com.inpaintstudio.nn.layers.GroupNorm;
import com.inpaintstudio.nn.layers.TimestepEmbedding;
import com.inpaintstudio.nn.unet.AttentionSpec;
import com.inpaintstudio.nn.unet.DownBlock;
import com.inpaintstudio.nn.unet.MidBlockCrossAttn;
import com.inpaintstudio.nn.unet.UpBlock;
import com.inpaintstudio.tensor.ComputeScope;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code UNet2DConditionModel} (SD 1.x / 2.x layout), built from its config.json: timestep embedding,
 * {@code conv_in}, down blocks, cross-attention mid block, up blocks with skip connections, {@code conv_norm_out},
 * SiLU, {@code conv_out}. Parameters stay in the weights' manager; each forward's temporaries live in sub-managers
 * closed per layer and per call.
 */
public final class UNet2DConditionModel {
    private final int inChannels;
    private final int outChannels;
    private final int crossAttentionDim;
    private final boolean centerInputSample;
    private final TimestepEmbedding timeEmbedding;
    private final Conv2d convIn;
    private final List<DownBlock> downBlocks;
    private final MidBlockCrossAttn midBlock;
    private final List<UpBlock> upBlocks;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;
    private final int overallUpFactor;

    private UNet2DConditionModel(int inChannels, int outChannels, int crossAttentionDim, boolean centerInputSample,
                                 TimestepEmbedding timeEmbedding, Conv2d convIn, List<DownBlock> downBlocks,
                                 MidBlockCrossAttn midBlock, List<UpBlock> upBlocks, GroupNorm convNormOut,
                                 Conv2d convOut, int overallUpFactor) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.crossAttentionDim = crossAttentionDim;
        this.centerInputSample = centerInputSample;
        this.timeEmbedding = timeEmbedding;
        this.convIn = convIn;
        this.downBlocks = List.copyOf(downBlocks);
        this.midBlock = midBlock;
        this.upBlocks = List.copyOf(upBlocks);
        this.convNormOut = convNormOut;
        this.convOut = convOut;
        this.overallUpFactor = overallUpFactor;
    }

    /** Builds the network described by {@code config} (the unet/config.json) with parameters from {@code weights}. */
    public static UNet2DConditionModel build(JsonObject config, Weights weights) {
        ModelConfig c = new ModelConfig(config, "UNet config.json");
        rejectUnsupported(c);
        List<String> downTypes = c.getStrings("down_block_types");
        List<String> upTypes = c.getStrings("up_block_types");
        int[] channels = c.getInts("block_out_channels");
        int n = channels.length;
        if (downTypes.size() != n || upTypes.size() != n) {
            throw new ModelFormatException("UNet config.json: block_out_channels has " + n + " entries but there are "
                    + downTypes.size() + " down and " + upTypes.size() + " up blocks");
        }
        int inChannels = c.getInt("in_channels", 4);
        int outChannels = c.getInt("out_channels", 4);
        int groups = c.getInt("norm_num_groups", 32);
        double eps = c.getDouble("norm_eps", 1e-5);
        int[] layers = c.getPerBlock("layers_per_block", n, 2);
        int[] crossDims = c.getPerBlock("cross_attention_dim", n, 1280);
        int[] transformerLayers = c.getPerBlock("transformer_layers_per_block", n, 1);
        // diffusers: num_attention_heads = num_attention_heads or attention_head_dim (the key is a head count)
        int[] heads = c.has("num_attention_heads") ? c.getPerBlock("num_attention_heads", n, null)
                : c.getPerBlock("attention_head_dim", n, 8);
        boolean linearProjection = c.getBoolean("use_linear_projection", false);
        boolean[] onlyCross = onlyCrossAttention(c, n);
        int downsamplePadding = c.getInt("downsample_padding", 1);
        double midScale = c.getDouble("mid_block_scale_factor", 1.0);
        int convInKernel = c.getInt("conv_in_kernel", 3);
        int convOutKernel = c.getInt("conv_out_kernel", 3);
        int tembDim = c.getInt("time_embedding_dim", channels[0] * 4);

        TimestepEmbedding time = TimestepEmbedding.load(weights, "time_embedding", channels[0], tembDim,
                c.getBoolean("flip_sin_to_cos", true), c.getDouble("freq_shift", 0));
        Conv2d convIn = Conv2d.load(weights, "conv_in", inChannels, channels[0], convInKernel, 1, (convInKernel - 1) / 2);

        List<DownBlock> down = new ArrayList<>();
        int out = channels[0];
        for (int i = 0; i < n; i++) {
            int in = out;
            out = channels[i];
            boolean last = i == n - 1;
            AttentionSpec attn = switch (downTypes.get(i)) {
                case "CrossAttnDownBlock2D" -> new AttentionSpec(heads[i], transformerLayers[i], crossDims[i],
                        linearProjection, onlyCross[i]);
                case "DownBlock2D" -> null;
                default -> throw c.unsupported("down block type " + downTypes.get(i), "not an SD 1.x/2.x block");
            };
            down.add(DownBlock.load(weights, "down_blocks." + i, layers[i], in, out, tembDim, groups, eps, !last,
                    downsamplePadding, attn));
        }

        String midType = c.getString("mid_block_type", "UNetMidBlock2DCrossAttn");
        if (!midType.equals("UNetMidBlock2DCrossAttn")) {
            throw c.unsupported("mid_block_type " + midType, "not an SD 1.x/2.x block");
        }
        MidBlockCrossAttn mid = MidBlockCrossAttn.load(weights, "mid_block", 1, channels[n - 1], tembDim, groups, eps,
                midScale, new AttentionSpec(heads[n - 1], transformerLayers[n - 1], crossDims[n - 1], linearProjection,
                        false));

        List<UpBlock> up = new ArrayList<>();
        out = channels[n - 1];
        for (int i = 0; i < n; i++) {
            int r = n - 1 - i; // the matching down block
            int prev = out;
            out = channels[r];
            int in = channels[Math.max(r - 1, 0)];
            boolean last = i == n - 1;
            AttentionSpec attn = switch (upTypes.get(i)) {
                case "CrossAttnUpBlock2D" -> new AttentionSpec(heads[r], transformerLayers[r], crossDims[r],
                        linearProjection, onlyCross[r]);
                case "UpBlock2D" -> null;
                default -> throw c.unsupported("up block type " + upTypes.get(i), "not an SD 1.x/2.x block");
            };
            up.add(UpBlock.load(weights, "up_blocks." + i, layers[r] + 1, in, out, prev, tembDim, groups, eps, !last,
                    attn));
        }

        GroupNorm normOut = GroupNorm.load(weights, "conv_norm_out", groups, channels[0], eps);
        Conv2d convOut = Conv2d.load(weights, "conv_out", channels[0], outChannels, convOutKernel, 1,
                (convOutKernel - 1) / 2);
        return new UNet2DConditionModel(inChannels, outChannels, crossDims[0], c.getBoolean("center_input_sample", false),
                time, convIn, down, mid, up, normOut, convOut, 1 << (n - 1));
    }

    private static void rejectUnsupported(ModelConfig c) {
        c.requireDefault("act_fn", "silu", "another activation");
        c.requireDefault("time_embedding_type", "positional", "Fourier time embedding");
        c.requireDefault("resnet_time_scale_shift", "default", "scale-shift time conditioning");
        c.requireDefault("resnet_out_scale_factor", 1.0, "rescaled resnet outputs");
        c.requireDefault("resnet_skip_time_act", false, "time activation skip");
        c.requireDefault("dual_cross_attention", false, "dual cross-attention");
        c.requireDefault("attention_type", "default", "gated attention");
        for (String key : new String[] {"class_embed_type", "addition_embed_type", "encoder_hid_dim",
                "encoder_hid_dim_type", "time_cond_proj_dim", "time_embedding_act_fn", "timestep_post_act",
                "num_class_embeds", "cross_attention_norm", "reverse_transformer_layers_per_block"}) {
            c.requireDefault(key, null, "an extra conditioning input");
        }
    }

    private static boolean[] onlyCrossAttention(ModelConfig c, int n) {
        boolean[] out = new boolean[n];
        if (c.has("only_cross_attention")) {
            com.google.gson.JsonElement e = c.raw("only_cross_attention");
            if (e.isJsonArray()) {
                if (e.getAsJsonArray().size() != n) {
                    throw new ModelFormatException("UNet config.json: only_cross_attention needs " + n + " entries");
                }
                for (int i = 0; i < n; i++) {
                    out[i] = e.getAsJsonArray().get(i).getAsBoolean();
                }
            } else {
                java.util.Arrays.fill(out, e.getAsBoolean());
            }
        }
        return out;
    }

    /** Channels the first conv expects: 9 for inpainting models (latents, mask, masked-image latents), 4 otherwise. */
    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** Width of the text embeddings the cross-attention expects. */
    public int crossAttentionDim() {
        return crossAttentionDim;
    }

    /** One timestep for every batch row. */
    public NDArray forward(NDArray sample, double timestep, NDArray encoderHiddenStates) {
        return forward(sample, new double[] {timestep}, encoderHiddenStates, Probe.NONE);
    }

    public NDArray forward(NDArray sample, double[] timesteps, NDArray encoderHiddenStates) {
        return forward(sample, timesteps, encoderHiddenStates, Probe.NONE);
    }

    /**
     * The noise prediction.
     *
     * @param sample (B, inChannels, h, w) F32, any h and w
     * @param timesteps one per batch row, or a single one for all rows
     * @param encoderHiddenStates (B, tokens, crossAttentionDim)
     * @param probe sees the intermediate block outputs
     * @return (B, outChannels, h, w) in {@code sample}'s manager; every temporary is freed
     */
    public NDArray forward(NDArray sample, double[] timesteps, NDArray encoderHiddenStates, Probe probe) {
        Shape s = sample.getShape();
        Shape e = encoderHiddenStates.getShape();
        if (s.dimension() != 4 || s.get(1) != inChannels) {
            throw new IllegalArgumentException("UNet input must be (batch, " + inChannels + ", height, width), got " + s);
        }
        long b = s.get(0);
        if (e.dimension() != 3 || e.get(0) != b || e.get(2) != crossAttentionDim) {
            throw new IllegalArgumentException("text embeddings must be (" + b + ", tokens, " + crossAttentionDim
                    + "), got " + e);
        }
        if (timesteps.length != 1 && timesteps.length != b) {
            throw new IllegalArgumentException("need 1 or " + b + " timesteps, got " + timesteps.length);
        }
        float[] t = new float[(int) b];
        for (int i = 0; i < b; i++) {
            t[i] = (float) timesteps[timesteps.length == 1 ? 0 : i];
        }
        NDManager caller = sample.getManager();
        try (NDManager fm = caller.newSubManager()) {
            sample.tempAttach(fm);
            NDArray out = run(sample, t, encoderHiddenStates, probe, fm);
            out.attach(caller);
            return out;
        }
    }

    /**
     * In a bfloat16 run ({@link ComputeScope#bf16()}) the sample, the text embeddings and the activated time embedding
     * (computed in float32: a few thousand numbers) are rounded to bfloat16 here, every layer then follows its input's
     * type, and the noise prediction is widened back to float32 before it leaves: the scheduler and everything after
     * it only ever see float32.
     */
    private NDArray run(NDArray sample, float[] t, NDArray contextIn, Probe probeIn, NDManager fm) {
        boolean bf16 = ComputeScope.bf16();
        Probe probe = bf16 ? Bf16Boundary.widening(probeIn) : probeIn;
        NDArray emb = timeEmbedding.forward(fm, t);
        probe.accept("time_embedding_emb", emb);
        NDArray tembAct = Activations.silu(emb);
        NDArray x = centerInputSample ? sample.mul(2f).subi(1f) : sample;
        NDArray context = contextIn;
        if (bf16) {
            tembAct = Bf16Boundary.narrow(tembAct, fm);
            x = Bf16Boundary.narrow(x, fm);
            context = Bf16Boundary.narrow(contextIn, fm);
        }
        NDArray h = convIn.forward(x);
        probe.accept("conv_in", h);

        List<NDArray> skips = new ArrayList<>();
        skips.add(h);
        for (int i = 0; i < downBlocks.size(); i++) {
            h = downBlocks.get(i).forward(h, tembAct, context, skips);
            probe.accept("down_blocks_" + i, h);
        }
        h = midBlock.forward(h, tembAct, context);
        probe.accept("mid_block", h);

        long height = sample.getShape().get(2);
        long width = sample.getShape().get(3);
        boolean explicitSizes = height % overallUpFactor != 0 || width % overallUpFactor != 0;
        for (int i = 0; i < upBlocks.size(); i++) {
            UpBlock block = upBlocks.get(i);
            long outH = 0;
            long outW = 0;
            boolean last = i == upBlocks.size() - 1;
            if (!last && explicitSizes) {
                NDArray target = skips.get(skips.size() - block.layers() - 1);
                outH = target.getShape().get(2);
                outW = target.getShape().get(3);
            }
            h = block.forward(h, tembAct, context, skips, outH, outW);
            probe.accept("up_blocks_" + i, h);
        }
        NDArray normed = convNormOut.forward(h);
        probe.accept("conv_norm_out", normed);
        NDArray act = Activations.siluConsuming(normed);
        NDArray out = convOut.forward(act);
        return bf16 ? Bf16Boundary.widen(out, fm) : out;
    }
}
