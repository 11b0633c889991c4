package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.model.Weights;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code Transformer2DModel} on continuous input: GroupNorm (eps 1e-6), {@code proj_in} (1x1 conv or
 * linear, per {@code use_linear_projection}; both are the same matrix product on channels-last tokens), the
 * transformer blocks, {@code proj_out}, plus the input.
 */
public final class Transformer2D {
    private final GroupNorm norm;
    private final Linear projIn;
    private final Linear projOut;
    private final List<BasicTransformerBlock> blocks;

    private Transformer2D(GroupNorm norm, Linear projIn, Linear projOut, List<BasicTransformerBlock> blocks) {
        this.norm = norm;
        this.projIn = projIn;
        this.projOut = projOut;
        this.blocks = blocks;
    }

    public static Transformer2D load(Weights w, String prefix, int channels, int heads, int layers,
                                     int crossAttentionDim, int groups, boolean linearProjection,
                                     boolean onlyCrossAttention) {
        if (channels % heads != 0) {
            throw new com.inpaintstudio.model.ModelFormatException("Attention '" + prefix + "': " + channels
                    + " channels cannot be split into " + heads + " heads; check attention_head_dim in config.json");
        }
        int headDim = channels / heads;
        int inner = heads * headDim;
        Linear in = linearProjection ? Linear.load(w, prefix + ".proj_in", channels, inner, true)
                : Linear.loadPointwiseConv(w, prefix + ".proj_in", channels, inner);
        Linear out = linearProjection ? Linear.load(w, prefix + ".proj_out", inner, channels, true)
                : Linear.loadPointwiseConv(w, prefix + ".proj_out", inner, channels);
        List<BasicTransformerBlock> blocks = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            blocks.add(BasicTransformerBlock.load(w, prefix + ".transformer_blocks." + i, inner, heads, headDim,
                    crossAttentionDim, onlyCrossAttention, 1e-5));
        }
        return new Transformer2D(GroupNorm.load(w, prefix + ".norm", groups, channels, 1e-6), in, out, List.copyOf(blocks));
    }

    /** x (B, C, H, W), context (B, M, D) -> (B, C, H, W). */
    public NDArray forward(NDArray x, NDArray context) {
        return Scope.run(x, in -> {
            long b = in.getShape().get(0);
            long c = in.getShape().get(1);
            long h = in.getShape().get(2);
            long w = in.getShape().get(3);
            NDArray normed = norm.forward(in);
            // (B, C, H, W) -> (B, H*W, C): one copy
            NDArray tokens = normed.transpose(0, 2, 3, 1).reshape(b, h * w, c);
            normed.close();
            NDArray t = projIn.forward(tokens);
            tokens.close();
            for (BasicTransformerBlock block : blocks) {
                NDArray next = block.forward(t, context);
                t.close();
                t = next;
            }
            NDArray projected = projOut.forward(t);
            t.close();
            // (B, H*W, C) -> (B, C, H, W) view; input first so the sum comes out in the input's (NCHW) layout
            NDArray back = projected.reshape(b, h, w, c).transpose(0, 3, 1, 2);
            return in.add(back);
        });
    }
}
