package com.inpaintstudio.nn.taesd;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;

/** The encoder (optional) and decoder of an AutoencoderTiny, for {@code nn.AutoencoderTiny}. */
public final class TinyAutoencoderParts {
    private final TinyEncoder encoder;
    private final TinyDecoder decoder;

    private TinyAutoencoderParts(TinyEncoder encoder, TinyDecoder decoder) {
        this.encoder = encoder;
        this.decoder = decoder;
    }

    public static TinyAutoencoderParts load(Weights w, int in, int out, int latent, int[] encChannels, int[] encBlocks,
                                            int[] decChannels, int[] decBlocks, int upscale, TinyActivation act,
                                            boolean decoderOnly) {
        TinyEncoder enc = decoderOnly ? null
                : TinyEncoder.load(w.prefixed("encoder."), in, latent, encChannels, encBlocks, act);
        TinyDecoder dec = TinyDecoder.load(w.prefixed("decoder."), latent, out, decChannels, decBlocks, upscale, act);
        return new TinyAutoencoderParts(enc, dec);
    }

    public Stage encoder() {
        return encoder == null ? null : encoder::forward;
    }

    public Stage decoder() {
        return decoder::forward;
    }

    /** One half of the autoencoder: an array in, a fresh array in the same manager out. */
    @FunctionalInterface
    public interface Stage {
        NDArray forward(NDArray x);
    }
}
