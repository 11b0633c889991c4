package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;

/**
 * diffusers {@code BasicTransformerBlock} (norm_type "layer_norm"): self-attention, cross-attention to the text,
 * GEGLU feed-forward, each after its LayerNorm and added to the residual.
 */
public final class BasicTransformerBlock {
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final LayerNorm norm3;
    private final Attention attn1;
    private final Attention attn2;
    private final FeedForward ff;
    private final boolean onlyCrossAttention;

    private BasicTransformerBlock(LayerNorm norm1, LayerNorm norm2, LayerNorm norm3, Attention attn1, Attention attn2,
                                  FeedForward ff, boolean onlyCrossAttention) {
        this.norm1 = norm1;
        this.norm2 = norm2;
        this.norm3 = norm3;
        this.attn1 = attn1;
        this.attn2 = attn2;
        this.ff = ff;
        this.onlyCrossAttention = onlyCrossAttention;
    }

    public static BasicTransformerBlock load(Weights w, String prefix, int dim, int heads, int headDim,
                                             int crossAttentionDim, boolean onlyCrossAttention, double normEps) {
        return new BasicTransformerBlock(
                LayerNorm.load(w, prefix + ".norm1", dim, normEps),
                LayerNorm.load(w, prefix + ".norm2", dim, normEps),
                LayerNorm.load(w, prefix + ".norm3", dim, normEps),
                Attention.load(w, prefix + ".attn1", dim, onlyCrossAttention ? crossAttentionDim : dim, heads, headDim, false),
                Attention.load(w, prefix + ".attn2", dim, crossAttentionDim, heads, headDim, false),
                FeedForward.load(w, prefix + ".ff", dim, 4),
                onlyCrossAttention);
    }

    /** x (B, N, dim), context (B, M, crossAttentionDim) -> (B, N, dim). */
    public NDArray forward(NDArray x, NDArray context) {
        return Scope.run(x, in -> {
            NDArray h = residual(in, attn1, norm1, onlyCrossAttention ? context : null, false);
            h = residual(h, attn2, norm2, context, true);
            NDArray n3 = norm3.forward(h);
            NDArray f = ff.forward(n3);
            n3.close();
            return f.addi(h);
        });
    }

    /** {@code x + attn(norm(x), context)}; closes x when {@code closeInput}. */
    private static NDArray residual(NDArray x, Attention attn, LayerNorm norm, NDArray context, boolean closeInput) {
        NDArray n = norm.forward(x);
        NDArray a = attn.forward(n, context);
        n.close();
        NDArray out = a.addi(x);
        if (closeInput) {
            x.close();
        }
        return out;
    }
}
