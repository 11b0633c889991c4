package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.layers.Conv2d;
import com.inpaintstudio.nn.vae.Decoder;
import com.inpaintstudio.nn.vae.Encoder;
import com.inpaintstudio.tensor.ComputeScope;

/**
 * diffusers {@code AutoencoderKL}, built from its config.json. {@link #encodeMean} gives the posterior mean (the
 * deterministic latent; multiply by {@link #scalingFactor()} for the UNet), {@link #decode} turns latents (already
 * divided by the scaling factor) back into pixels in about [-1, 1]. Each call's temporaries live in a sub-manager.
 */
public final class AutoencoderKL {
    private final Encoder encoder;
    private final Decoder decoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;
    private final int inChannels;
    private final int latentChannels;
    private final int downscale;
    private final float scalingFactor;

    private AutoencoderKL(Encoder encoder, Decoder decoder, Conv2d quantConv, Conv2d postQuantConv, int inChannels,
                          int latentChannels, int downscale, float scalingFactor) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.quantConv = quantConv;
        this.postQuantConv = postQuantConv;
        this.inChannels = inChannels;
        this.latentChannels = latentChannels;
        this.downscale = downscale;
        this.scalingFactor = scalingFactor;
    }

    public static AutoencoderKL build(JsonObject config, Weights weights) {
        ModelConfig c = new ModelConfig(config, "VAE config.json");
        c.requireDefault("act_fn", "silu", "another activation");
        int[] channels = c.getInts("block_out_channels");
        int n = channels.length;
        for (String t : c.has("down_block_types") ? c.getStrings("down_block_types") : java.util.List.<String>of()) {
            if (!t.equals("DownEncoderBlock2D")) {
                throw c.unsupported("down block type " + t, "not an SD VAE block");
            }
        }
        for (String t : c.has("up_block_types") ? c.getStrings("up_block_types") : java.util.List.<String>of()) {
            if (!t.equals("UpDecoderBlock2D")) {
                throw c.unsupported("up block type " + t, "not an SD VAE block");
            }
        }
        if (c.has("down_block_types") && c.getStrings("down_block_types").size() != n) {
            throw new ModelFormatException("VAE config.json: down_block_types and block_out_channels differ in length");
        }
        int in = c.getInt("in_channels", 3);
        int out = c.getInt("out_channels", 3);
        int latent = c.getInt("latent_channels", 4);
        int layers = c.getInt("layers_per_block", 1);
        int groups = c.getInt("norm_num_groups", 32);
        boolean midAttention = c.getBoolean("mid_block_add_attention", true);
        Encoder enc = Encoder.load(weights.prefixed("encoder."), in, latent, channels, layers, groups, midAttention);
        Decoder dec = Decoder.load(weights.prefixed("decoder."), latent, out, channels, layers, groups, midAttention);
        Conv2d quant = c.getBoolean("use_quant_conv", true)
                ? Conv2d.load(weights, "quant_conv", 2 * latent, 2 * latent, 1, 1, 0) : null;
        Conv2d postQuant = c.getBoolean("use_post_quant_conv", true)
                ? Conv2d.load(weights, "post_quant_conv", latent, latent, 1, 1, 0) : null;
        return new AutoencoderKL(enc, dec, quant, postQuant, in, latent, 1 << (n - 1),
                (float) c.getDouble("scaling_factor", 0.18215));
    }

    /** Config {@code scaling_factor} (0.18215 for SD 1.x/2.x). */
    public float scalingFactor() {
        return scalingFactor;
    }

    /** Pixels per latent cell along each axis: 2^(levels - 1), 8 for SD. */
    public int downscaleFactor() {
        return downscale;
    }

    public int latentChannels() {
        return latentChannels;
    }

    /** Posterior mean (B, latent, H/f, W/f), not scaled, in the image's manager. */
    public NDArray encodeMean(NDArray image) {
        NDArray[] ml = encodeMeanLogVar(image, Probe.NONE);
        ml[1].close();
        return ml[0];
    }

    public NDArray[] encodeMeanLogVar(NDArray image) {
        return encodeMeanLogVar(image, Probe.NONE);
    }

    /**
     * Posterior mean and log-variance (log-variance clamped to [-30, 20] as diffusers does), both in the image's
     * manager.
     *
     * @param image (B, 3, H, W) in [-1, 1], H and W multiples of {@link #downscaleFactor()}
     */
    public NDArray[] encodeMeanLogVar(NDArray image, Probe probe) {
        Shape s = image.getShape();
        if (s.dimension() != 4 || s.get(1) != inChannels) {
            throw new IllegalArgumentException("VAE input must be (batch, " + inChannels + ", height, width), got " + s);
        }
        if (s.get(2) % downscale != 0 || s.get(3) % downscale != 0) {
            throw new IllegalArgumentException("image size " + s.get(3) + "x" + s.get(2) + " is not a multiple of "
                    + downscale + "; resize or crop it first");
        }
        NDManager caller = image.getManager();
        try (NDManager sub = caller.newSubManager()) {
            image.tempAttach(sub);
            // bfloat16 runs: the encoder computes in bf16, the moments come back as float32 (see decode)
            boolean bf16 = ComputeScope.bf16();
            NDArray in = bf16 ? Bf16Boundary.narrow(image, sub) : image;
            NDArray moments = encoder.forward(in, bf16 ? Bf16Boundary.widening(probe) : probe);
            if (quantConv != null) {
                NDArray q = quantConv.forward(moments);
                moments.close();
                moments = q;
            }
            if (bf16) {
                moments = Bf16Boundary.widen(moments, sub);
            }
            probe.accept("quant_conv", moments);
            NDList parts = moments.split(new long[] {latentChannels}, 1);
            // split gives views: copy so the results own compact memory
            NDArray mean = parts.get(0).duplicate();
            NDArray logVar = parts.get(1).clip(-30f, 20f);
            mean.attach(caller);
            logVar.attach(caller);
            return new NDArray[] {mean, logVar};
        }
    }

    /**
     * Pixels (B, out, h*f, w*f), roughly in [-1, 1] (not clamped), in the latents' manager.
     *
     * @param latents (B, latent, h, w), already divided by {@link #scalingFactor()}
     */
    public NDArray decode(NDArray latents) {
        return decode(latents, Probe.NONE);
    }

    public NDArray decode(NDArray latents, Probe probe) {
        Shape s = latents.getShape();
        if (s.dimension() != 4 || s.get(1) != latentChannels) {
            throw new IllegalArgumentException("latents must be (batch, " + latentChannels + ", h, w), got " + s);
        }
        NDManager caller = latents.getManager();
        try (NDManager sub = caller.newSubManager()) {
            latents.tempAttach(sub);
            // bfloat16 runs: latents rounded to bf16 on the way in, pixels widened to float32 on the way out, so the
            // caller (toFloatArray, previews) never touches a bf16 array
            boolean bf16 = ComputeScope.bf16();
            Probe seen = bf16 ? Bf16Boundary.widening(probe) : probe;
            NDArray z = bf16 ? Bf16Boundary.narrow(latents, sub) : latents;
            if (postQuantConv != null) {
                z = postQuantConv.forward(z);
            }
            seen.accept("post_quant_conv", z);
            NDArray out = decoder.forward(z, seen);
            if (bf16) {
                out = Bf16Boundary.widen(out, sub);
            }
            out.attach(caller);
            return out;
        }
    }
}
