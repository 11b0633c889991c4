package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.tensor.ComputeScope;
import com.inpaintstudio.tensor.TorchOps;

/**
 * {@code torch.nn.GroupNorm} on (N, C, ...) input. DJL has no group_norm op: the input is viewed as (N, G, rest) and
 * normalised with libtorch's layer_norm (numerically careful statistics, one fused pass), then the per-channel affine
 * is applied in place on that fresh result. Where the bundled libtorch ops module loads ({@link TorchOps}), libtorch's
 * own {@code group_norm} runs instead (same two-pass statistics, affine fused).
 */
public final class GroupNorm {
    private final int groups;
    private final int channels;
    private final float eps;
    private final NDArray gamma4;
    private final NDArray beta4;
    private final NDArray gamma3;
    private final NDArray beta3;
    private final NDArray gammaFlat;
    private final NDArray betaFlat;

    private GroupNorm(int groups, int channels, float eps, NDArray gamma, NDArray beta) {
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.gammaFlat = gamma;
        this.betaFlat = beta;
        // views made once, owned by the weights manager
        this.gamma4 = gamma.reshape(1, channels, 1, 1);
        this.beta4 = beta.reshape(1, channels, 1, 1);
        this.gamma3 = gamma.reshape(1, channels, 1);
        this.beta3 = beta.reshape(1, channels, 1);
    }

    public static GroupNorm load(Weights w, String prefix, int groups, int channels, double eps) {
        if (groups <= 0 || channels % groups != 0) {
            throw new com.inpaintstudio.model.ModelFormatException("GroupNorm '" + prefix + "': " + channels
                    + " channels cannot be split into " + groups + " groups; check norm_num_groups in config.json");
        }
        return new GroupNorm(groups, channels, (float) eps, w.get(prefix + ".weight", channels),
                w.get(prefix + ".bias", channels));
    }

    /**
     * Normalised and scaled input, a fresh array in {@code x}'s manager. A bfloat16 input is normalised in float32
     * (statistics, affine) and the result rounded back to bfloat16.
     */
    public NDArray forward(NDArray x) {
        if (TorchOps.isBf16(x)) {
            return bf16(x, false);
        }
        return forward32(x);
    }

    private NDArray forward32(NDArray x) {
        Shape shape = x.getShape();
        if (shape.get(1) != channels) {
            throw new IllegalArgumentException("GroupNorm expects " + channels + " channels, got " + shape);
        }
        if (ComputeScope.fusedOps()) {
            ComputeScope.record(ComputeScope.Path.GROUP_NORM_FUSED);
            return fused(x, false);
        }
        ComputeScope.record(ComputeScope.Path.GROUP_NORM_COMPOSED);
        long n = shape.get(0);
        long len = shape.size() / (n * groups);
        NDManager m = x.getManager();
        Shape normShape = new Shape(len);
        NDArray grouped = x.reshape(n, groups, len);
        NDArray ones = m.ones(normShape);
        NDArray zeros = m.zeros(normShape);
        NDArray normed = ai.djl.nn.norm.LayerNorm.layerNorm(grouped, normShape, ones, zeros, eps).singletonOrThrow();
        ones.close();
        zeros.close();
        grouped.close();
        NDArray out = normed.reshape(shape);
        normed.close();
        boolean four = shape.dimension() == 4;
        NDArray gamma = four ? gamma4 : gamma3;
        NDArray beta = four ? beta4 : beta3;
        NDArray g = Param.f32(gamma, m);
        NDArray b = Param.f32(beta, m);
        try {
            return out.muli(g).addi(b);
        } finally {
            Param.release(g, gamma);
            Param.release(b, beta);
        }
    }

    /** {@code silu(groupNorm(x))} with one fresh array kept. */
    public NDArray forwardSilu(NDArray x) {
        if (TorchOps.isBf16(x)) {
            return bf16(x, true);
        }
        return forwardSilu32(x);
    }

    private NDArray forwardSilu32(NDArray x) {
        if (ComputeScope.fusedOps() && x.getShape().get(1) == channels) {
            ComputeScope.record(ComputeScope.Path.GROUP_NORM_FUSED);
            return fused(x, true);
        }
        return Activations.siluConsuming(forward32(x));
    }

    /**
     * bf16 in, bf16 out; the statistics and the affine in float32 (latents reaching |x| ~ 90 need its precision). With
     * the fused ops that is libtorch's mixed-type group_norm in one pass (bf16 x, float32 weights); otherwise x is
     * widened, normalised and narrowed.
     */
    private NDArray bf16(NDArray x, boolean silu) {
        if (ComputeScope.fusedOps() && x.getShape().get(1) == channels) {
            ComputeScope.record(ComputeScope.Path.GROUP_NORM_FUSED);
            return fused(x, silu);
        }
        return inFloat32(x, silu);
    }

    private NDArray inFloat32(NDArray x, boolean silu) {
        NDArray wide = TorchOps.toF32(x);
        NDArray out = silu ? forwardSilu32(wide) : forward32(wide);
        wide.close();
        NDArray narrow = TorchOps.toBf16(out);
        out.close();
        return narrow;
    }

    /**
     * libtorch's own {@code group_norm} (statistics and affine in one pass, about 2x faster than the layer-norm form at
     * VAE sizes), with the SiLU applied in place on its fresh result when asked.
     */
    private NDArray fused(NDArray x, boolean silu) {
        NDManager m = x.getManager();
        NDArray g = Param.f32(gammaFlat, m);
        NDArray b = Param.f32(betaFlat, m);
        try {
            return silu ? TorchOps.groupNormSilu(x, groups, g, b, eps) : TorchOps.groupNorm(x, groups, g, b, eps);
        } finally {
            Param.release(g, gammaFlat);
            Param.release(b, betaFlat);
        }
    }
}
