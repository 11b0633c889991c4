package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.taesd.TinyActivation;
import com.inpaintstudio.nn.taesd.TinyAutoencoderParts;

/**
 * diffusers {@code AutoencoderTiny} (TAESD, madebyollin/taesd), built from its config.json: a ~2.4 M parameter
 * distilled VAE that decodes a Stable Diffusion latent for a small fraction of the full VAE's cost.
 *
 * <p>Conventions are diffusers': {@link #decode} takes latents in the TAESD's own space, which for TAESD is the
 * UNet's space itself ({@code scaling_factor} 1.0, {@code shift_factor} 0: the SD latents as the UNet sees them, NOT
 * divided by the VAE's 0.18215); the decoder soft-clamps its input with {@code tanh(x / 3) * 3} and returns pixels in
 * about [-1, 1]. {@link #fromPipelineLatents} turns UNet latents into decoder input for any TAESD
 * ({@code x / scaling_factor + shift_factor}). {@code latent_magnitude} and {@code latent_shift} describe how TAESD
 * stores latents in 8 bits ({@link #roundTrip}, diffusers' {@code forward}).
 */
public final class AutoencoderTiny {
    private final TinyAutoencoderParts parts;
    private final int inChannels;
    private final int latentChannels;
    private final int downscale;
    private final float scalingFactor;
    private final float shiftFactor;
    private final float latentMagnitude;
    private final float latentShift;

    private AutoencoderTiny(TinyAutoencoderParts parts, int inChannels, int latentChannels, int downscale,
                            float scalingFactor, float shiftFactor, float latentMagnitude, float latentShift) {
        this.parts = parts;
        this.inChannels = inChannels;
        this.latentChannels = latentChannels;
        this.downscale = downscale;
        this.scalingFactor = scalingFactor;
        this.shiftFactor = shiftFactor;
        this.latentMagnitude = latentMagnitude;
        this.latentShift = latentShift;
    }

    /** Whether a config.json describes an AutoencoderTiny (by its {@code _class_name}). */
    public static boolean isTiny(JsonObject config) {
        return config != null && config.has("_class_name") && config.get("_class_name").isJsonPrimitive()
                && config.get("_class_name").getAsString().equals("AutoencoderTiny");
    }

    /**
     * Builds encoder and decoder from {@code weights} keyed as diffusers saves them ({@code encoder.layers.*},
     * {@code decoder.layers.*}). With {@code decoderOnly} the encoder is not loaded (a preview needs only the decoder).
     */
    public static AutoencoderTiny build(JsonObject config, Weights weights, boolean decoderOnly) {
        ModelConfig c = new ModelConfig(config, "AutoencoderTiny config.json");
        if (config.has("_class_name") && !isTiny(config)) {
            throw new ModelFormatException("config.json names " + config.get("_class_name")
                    + ", not AutoencoderTiny: this is not a TAESD");
        }
        c.requireDefault("upsample_fn", "nearest", "another upsampling");
        TinyActivation act = TinyActivation.of(c.getString("act_fn", "relu"));
        int in = c.getInt("in_channels", 3);
        int out = c.getInt("out_channels", 3);
        int latent = c.getInt("latent_channels", 4);
        int[] encChannels = c.has("encoder_block_out_channels") ? c.getInts("encoder_block_out_channels") : new int[] {64, 64, 64, 64};
        int[] decChannels = c.has("decoder_block_out_channels") ? c.getInts("decoder_block_out_channels") : new int[] {64, 64, 64, 64};
        int[] encBlocks = c.has("num_encoder_blocks") ? c.getInts("num_encoder_blocks") : new int[] {1, 3, 3, 3};
        int[] decBlocks = c.has("num_decoder_blocks") ? c.getInts("num_decoder_blocks") : new int[] {3, 3, 3, 1};
        if (encChannels.length != encBlocks.length || decChannels.length != decBlocks.length) {
            throw new ModelFormatException("AutoencoderTiny config.json: the block channel and block count lists differ"
                    + " in length");
        }
        if (encBlocks.length != decBlocks.length) {
            throw new ModelFormatException("AutoencoderTiny config.json: encoder and decoder have different numbers of"
                    + " levels");
        }
        int up = c.getInt("upsampling_scaling_factor", 2);
        if (up < 1) {
            throw new ModelFormatException("AutoencoderTiny config.json: upsampling_scaling_factor must be >= 1");
        }
        int downscale = (int) Math.round(Math.pow(up, decBlocks.length - 1));
        TinyAutoencoderParts parts = TinyAutoencoderParts.load(weights, in, out, latent, encChannels, encBlocks,
                decChannels, decBlocks, up, act, decoderOnly);
        return new AutoencoderTiny(parts, in, latent, downscale, (float) c.getDouble("scaling_factor", 1.0),
                (float) c.getDouble("shift_factor", 0.0), (float) c.getDouble("latent_magnitude", 3.0),
                (float) c.getDouble("latent_shift", 0.5));
    }

    public int latentChannels() {
        return latentChannels;
    }

    /** Pixels per latent cell along each axis: {@code upsampling_scaling_factor^(levels - 1)}, 8 for TAESD. */
    public int downscaleFactor() {
        return downscale;
    }

    /** Config {@code scaling_factor}: 1.0 for TAESD (its latents are the UNet's). */
    public float scalingFactor() {
        return scalingFactor;
    }

    /** Config {@code shift_factor}: 0 for TAESD. */
    public float shiftFactor() {
        return shiftFactor;
    }

    public boolean hasEncoder() {
        return parts.encoder() != null;
    }

    /** Decoder input from latents as the UNet sees them: {@code x / scaling_factor + shift_factor}, as diffusers. */
    public NDArray fromPipelineLatents(NDArray x) {
        NDArray y = x.div(scalingFactor);
        return shiftFactor == 0f ? y : y.addi(shiftFactor);
    }

    /** Pixels (B, out, h*f, w*f) in about [-1, 1], in the latents' manager; temporaries in a sub-manager. */
    public NDArray decode(NDArray latents) {
        Shape s = latents.getShape();
        if (s.dimension() != 4 || s.get(1) != latentChannels) {
            throw new IllegalArgumentException("latents must be (batch, " + latentChannels + ", h, w), got " + s);
        }
        NDManager caller = latents.getManager();
        try (NDManager sub = caller.newSubManager()) {
            latents.tempAttach(sub);
            NDArray out = parts.decoder().forward(latents);
            out.attach(caller);
            return out;
        }
    }

    /** Latents (B, latent, H/f, W/f) of pixels in [-1, 1], in the image's manager. */
    public NDArray encode(NDArray image) {
        if (!hasEncoder()) {
            throw new IllegalStateException("this AutoencoderTiny was loaded without its encoder");
        }
        Shape s = image.getShape();
        if (s.dimension() != 4 || s.get(1) != inChannels) {
            throw new IllegalArgumentException("image must be (batch, " + inChannels + ", H, W), got " + s);
        }
        if (s.get(2) % downscale != 0 || s.get(3) % downscale != 0) {
            throw new IllegalArgumentException("image size " + s.get(3) + "x" + s.get(2) + " is not a multiple of "
                    + downscale);
        }
        NDManager caller = image.getManager();
        try (NDManager sub = caller.newSubManager()) {
            image.tempAttach(sub);
            NDArray out = parts.encoder().forward(image);
            out.attach(caller);
            return out;
        }
    }

    /** Raw latents to TAESD's [0, 1] storage range: {@code clamp(x / (2 * latent_magnitude) + latent_shift, 0, 1)}. */
    public NDArray scaleLatents(NDArray x) {
        return x.div(2f * latentMagnitude).addi(latentShift).clip(0f, 1f);
    }

    /** The inverse of {@link #scaleLatents} (without the clamp). */
    public NDArray unscaleLatents(NDArray x) {
        return x.sub(latentShift).muli(2f * latentMagnitude);
    }

    /** diffusers' {@code forward}: encode, store the latents as 8-bit values, read them back, decode. */
    public NDArray roundTrip(NDArray image) {
        NDManager caller = image.getManager();
        try (NDManager sub = caller.newSubManager()) {
            image.tempAttach(sub);
            NDArray enc = encode(image);
            // clamped to [0, 1] and rounded, the values are already whole bytes: diffusers' .byte() changes nothing
            // (and unsigned types abort DJL's engine, so there is no cast here)
            NDArray q = scaleLatents(enc).muli(255f).round().divi(255f);
            NDArray out = decode(unscaleLatents(q));
            out.attach(caller);
            return out;
        }
    }
}
