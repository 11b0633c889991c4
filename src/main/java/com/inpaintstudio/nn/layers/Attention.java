package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.tensor.ComputeScope;

/**
 * diffusers {@code Attention} with the classic processor: q/k/v projections, {@code heads} heads of {@code headDim},
 * {@code softmax(q k^T / sqrt(headDim)) v}, output projection {@code to_out.0}. Self-attention when no context is
 * given, cross-attention otherwise. The product runs in libtorch's fused {@code scaled_dot_product_attention} when
 * {@link AttentionCore#fused()} (no score matrix at all), else exactly as before with chunked query rows.
 */
public final class Attention {
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private final int heads;
    private final int headDim;
    private final float scale;

    private Attention(Linear toQ, Linear toK, Linear toV, Linear toOut, int heads, int headDim) {
        this.toQ = toQ;
        this.toK = toK;
        this.toV = toV;
        this.toOut = toOut;
        this.heads = heads;
        this.headDim = headDim;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /**
     * @param queryDim channels of the input tokens (and of the output)
     * @param contextDim channels of the context tokens ({@code queryDim} for self-attention)
     * @param qkvBias whether to_q/to_k/to_v have biases (the VAE's do, the UNet's don't)
     */
    public static Attention load(Weights w, String prefix, int queryDim, int contextDim, int heads, int headDim,
                                 boolean qkvBias) {
        int inner = heads * headDim;
        return new Attention(
                Linear.load(w, prefix + ".to_q", queryDim, inner, qkvBias),
                Linear.load(w, prefix + ".to_k", contextDim, inner, qkvBias),
                Linear.load(w, prefix + ".to_v", contextDim, inner, qkvBias),
                Linear.load(w, prefix + ".to_out.0", inner, queryDim, true),
                heads, headDim);
    }

    /**
     * @param x (B, N, queryDim) tokens
     * @param context (B, M, contextDim) or null for self-attention
     * @return (B, N, queryDim), a fresh array in x's manager
     */
    public NDArray forward(NDArray x, NDArray context) {
        if (AttentionCore.fused()) {
            ComputeScope.record(ComputeScope.Path.ATTENTION_FUSED);
            return forwardFused(x, context);
        }
        ComputeScope.record(ComputeScope.Path.ATTENTION_CHUNKED);
        return forwardChunked(x, context);
    }

    /** The heads are strided views of the projections; libtorch's kernel reads them as they are. */
    private NDArray forwardFused(NDArray x, NDArray context) {
        return Scope.run(x, in -> {
            long b = in.getShape().get(0);
            long n = in.getShape().get(1);
            NDArray ctx = context == null ? in : context;
            long m = ctx.getShape().get(1);
            NDArray q = toQ.forward(in);
            NDArray k = own(toK.forward(ctx), in);
            NDArray v = own(toV.forward(ctx), in);
            NDArray tokens = AttentionCore.attendTokens(q, k, v, heads);
            if (tokens != null) {
                q.close();
                k.close();
                v.close();
                return toOut.forward(tokens);
            }
            NDArray o = AttentionCore.attendFused(headsView(q, b, n), headsView(k, b, m), headsView(v, b, m));
            q.close();
            k.close();
            v.close();
            // (B, H, N, d) -> (B, N, H*d): libtorch's CPU kernel writes (B, N, H, d) memory, so this is a free view
            NDArray merged = o.transpose(0, 2, 1, 3).reshape(b, n, (long) heads * headDim);
            return toOut.forward(merged);
        });
    }

    /** (B, L, H*d) -> (B, H, L, d) view. */
    private NDArray headsView(NDArray t, long b, long len) {
        return t.reshape(b, len, heads, headDim).transpose(0, 2, 1, 3);
    }

    private NDArray forwardChunked(NDArray x, NDArray context) {
        return Scope.run(x, in -> {
            long b = in.getShape().get(0);
            long n = in.getShape().get(1);
            NDArray ctx = context == null ? in : context;
            long m = ctx.getShape().get(1);
            NDArray q = splitHeads(toQ.forward(in).muli(scale), b, n, false);
            NDArray k = own(toK.forward(ctx), in);
            NDArray kT = splitHeads(k, b, m, true);
            k.close();
            NDArray v = own(toV.forward(ctx), in);
            NDArray vh = splitHeads(v, b, m, false);
            v.close();
            NDArray o = AttentionCore.attend(q, kT, vh);
            q.close();
            kT.close();
            vh.close();
            // (B*H, N, d) -> (B, N, H*d)
            NDArray merged = o.reshape(b, heads, n, headDim).transpose(0, 2, 1, 3).reshape(-1)
                    .reshape(b, n, (long) heads * headDim);
            o.close();
            return toOut.forward(merged);
        });
    }

    /** The context's projections land in the context's manager: move them into the layer's scope. */
    private static NDArray own(NDArray a, NDArray scopeHolder) {
        if (a.getManager() != scopeHolder.getManager()) {
            a.attach(scopeHolder.getManager());
        }
        return a;
    }

    /** (B, L, H*d) -> (B*H, L, d), or (B*H, d, L) when transposed; contiguous (bmm then needs no hidden copies). */
    private NDArray splitHeads(NDArray t, long b, long len, boolean transposed) {
        NDArray four = t.reshape(b, len, heads, headDim);
        NDArray perm = transposed ? four.transpose(0, 2, 3, 1) : four.transpose(0, 2, 1, 3);
        // flattening a permuted view copies it into row-major order; the reshape after it is a free view
        NDArray flat = perm.reshape(-1);
        return transposed ? flat.reshape(b * heads, headDim, len) : flat.reshape(b * heads, len, headDim);
    }
}
