package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.inpaintstudio.model.Weights;

/**
 * diffusers {@code Timesteps} (sinusoidal projection, as {@code get_timestep_embedding}) followed by
 * {@code TimestepEmbedding} ({@code linear_2(silu(linear_1(.)))}). The sinusoid is computed with the same float32
 * tensor ops as diffusers: {@code exp(-ln(10000) * i / (half - freqShift))}, {@code t * freq}, {@code [sin, cos]}
 * (swapped to {@code [cos, sin]} when {@code flip_sin_to_cos}).
 */
public final class TimestepEmbedding {
    private static final double MAX_PERIOD = 10000.0;
    private final int channels;
    private final boolean flipSinToCos;
    private final double freqShift;
    private final Linear linear1;
    private final Linear linear2;

    private TimestepEmbedding(int channels, boolean flipSinToCos, double freqShift, Linear linear1, Linear linear2) {
        this.channels = channels;
        this.flipSinToCos = flipSinToCos;
        this.freqShift = freqShift;
        this.linear1 = linear1;
        this.linear2 = linear2;
    }

    public static TimestepEmbedding load(Weights w, String prefix, int channels, int embedDim, boolean flipSinToCos,
                                         double freqShift) {
        if (channels % 2 != 0) {
            throw new com.inpaintstudio.model.ModelFormatException("the timestep projection needs an even width, got "
                    + channels + " (block_out_channels[0])");
        }
        return new TimestepEmbedding(channels, flipSinToCos, freqShift,
                Linear.load(w, prefix + ".linear_1", channels, embedDim, true),
                Linear.load(w, prefix + ".linear_2", embedDim, embedDim, true));
    }

    /** @return the time embedding (B, embedDim) in {@code m}, one row per timestep */
    public NDArray forward(NDManager m, float[] timesteps) {
        try (NDManager sub = m.newSubManager()) {
            int half = channels / 2;
            NDArray exponent = sub.arange(0f, (float) half, 1f, DataType.FLOAT32)
                    .mul(-Math.log(MAX_PERIOD)).div(half - freqShift);
            NDArray freqs = exponent.exp().reshape(1, half);
            NDArray t = sub.create(timesteps).reshape(timesteps.length, 1);
            NDArray args = t.mul(freqs);
            NDArray sin = args.sin();
            NDArray cos = args.cos();
            NDArray proj = flipSinToCos ? cos.concat(sin, 1) : sin.concat(cos, 1);
            NDArray h = Activations.silu(linear1.forward(proj));
            NDArray out = linear2.forward(h);
            out.attach(m);
            return out;
        }
    }
}
