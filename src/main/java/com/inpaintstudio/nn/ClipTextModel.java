package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import com.inpaintstudio.nn.layers.Param;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.clip.ClipActivation;
import com.inpaintstudio.nn.clip.ClipEncoderLayer;

import java.util.ArrayList;
import java.util.List;

/**
 * The CLIP text encoder (transformers' {@code CLIPTextModel}), built from {@code text_encoder/config.json}:
 * token + position embeddings, pre-LN layers with a causal mask, final layer norm. {@link #encode} returns
 * {@code last_hidden_state}, the conditioning the UNet cross-attends to.
 */
public final class ClipTextModel {
    private static final String PREFIX = "text_model.";

    private final NDArray tokenEmbedding;
    private final NDArray positionEmbedding;
    private final NDArray finalLnW;
    private final NDArray finalLnB;
    private final List<ClipEncoderLayer> layers;
    private final float eps;
    private final int hidden;
    private final int maxPositions;
    private final int vocabSize;

    private ClipTextModel(NDArray tokenEmbedding, NDArray positionEmbedding, NDArray finalLnW, NDArray finalLnB,
                          List<ClipEncoderLayer> layers, float eps, int hidden, int maxPositions, int vocabSize) {
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.finalLnW = finalLnW;
        this.finalLnB = finalLnB;
        this.layers = layers;
        this.eps = eps;
        this.hidden = hidden;
        this.maxPositions = maxPositions;
        this.vocabSize = vocabSize;
    }

    /** Builds the encoder; parameters come from {@code weights} under {@code text_model.*} keys. */
    public static ClipTextModel build(JsonObject config, Weights weights) {
        int hidden = intOf(config, "hidden_size");
        int intermediate = intOf(config, "intermediate_size");
        int heads = intOf(config, "num_attention_heads");
        int nLayers = intOf(config, "num_hidden_layers");
        int maxPos = intOf(config, "max_position_embeddings");
        int vocab = intOf(config, "vocab_size");
        float eps = config.has("layer_norm_eps") ? config.get("layer_norm_eps").getAsFloat() : 1e-5f;
        ClipActivation act = ClipActivation.fromConfig(
                config.has("hidden_act") ? config.get("hidden_act").getAsString() : "quick_gelu");
        if (hidden % heads != 0) {
            throw new ModelFormatException("text_encoder/config.json: hidden_size " + hidden
                    + " is not divisible by num_attention_heads " + heads + "; the config is corrupt");
        }
        Weights w = weights.prefixed(PREFIX);
        NDArray tok = w.get("embeddings.token_embedding.weight", vocab, hidden);
        NDArray pos = w.get("embeddings.position_embedding.weight", maxPos, hidden);
        List<ClipEncoderLayer> layers = new ArrayList<>(nLayers);
        for (int i = 0; i < nLayers; i++) {
            layers.add(new ClipEncoderLayer(w.prefixed("encoder.layers." + i + "."), hidden, intermediate, heads,
                    eps, act));
        }
        NDArray lnW = w.get("final_layer_norm.weight", hidden);
        NDArray lnB = w.get("final_layer_norm.bias", hidden);
        return new ClipTextModel(tok, pos, lnW, lnB, List.copyOf(layers), eps, hidden, maxPos, vocab);
    }

    /** Width of the embeddings ({@code hidden_size}): 768 for SD-1.x, 1024 for SD-2.x. */
    public int hiddenSize() {
        return hidden;
    }

    /** Longest token sequence the position table covers (77). */
    public int maxPositions() {
        return maxPositions;
    }

    /**
     * {@code inputIds}: (B, L) INT64 token ids, L at most {@link #maxPositions()}. Returns
     * {@code last_hidden_state} (B, L, hidden) F32 in {@code inputIds}' manager; every temporary is freed.
     */
    public NDArray encode(NDArray inputIds) {
        return encode(inputIds, null);
    }

    /** Number of ids the token table has ({@code vocab_size}); {@link #encode(NDArray, NDArray)}'s extra rows follow it. */
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * As {@link #encode(NDArray)}, with {@code extraRows} (E, hidden) as token embeddings for the ids
     * {@code vocabSize .. vocabSize + E - 1} (textual-inversion vectors, for this call only; the weights stay
     * unchanged). {@code extraRows} may be null.
     */
    public NDArray encode(NDArray inputIds, NDArray extraRows) {
        Shape s = inputIds.getShape();
        if (s.dimension() != 2 || s.get(1) < 1 || s.get(1) > maxPositions) {
            throw new IllegalArgumentException("token ids must have shape (batch, 1.." + maxPositions + "), got " + s);
        }
        if (inputIds.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException("token ids must be INT64, got " + inputIds.getDataType());
        }
        long l = s.get(1);
        NDManager caller = inputIds.getManager();
        try (NDManager scope = caller.newSubManager()) {
            NDArray ids = inputIds.duplicate();
            ids.attach(scope);
            long max = ids.max().toLongArray()[0];
            long min = ids.min().toLongArray()[0];
            long extra = extraRows == null ? 0 : extraRows.getShape().get(0);
            if (extraRows != null && (extraRows.getShape().dimension() != 2 || extraRows.getShape().get(1) != hidden)) {
                throw new IllegalArgumentException("extra token rows must have shape (n, " + hidden + "), got "
                        + extraRows.getShape());
            }
            if (min < 0 || max >= vocabSize + extra) {
                throw new IllegalArgumentException("token id out of range 0.." + (vocabSize + extra - 1) + ": "
                        + (min < 0 ? min : max));
            }
            NDArray x;
            if (extra == 0 || max < vocabSize) {
                x = Embedding.embedding(ids, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();
                x.attach(scope);
                x = x.toType(DataType.FLOAT32, false); // rows of a float16 table: upcast just what is used
            } else {
                NDArray isExtra = ids.gte(vocabSize);
                NDArray baseIds = ids.mul(isExtra.logicalNot().toType(DataType.INT64, false));
                NDArray base = Embedding.embedding(baseIds, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();
                base.attach(scope);
                base = base.toType(DataType.FLOAT32, false);
                NDArray extraIds = ids.sub(vocabSize).maximum(0);
                NDArray rows = extraRows.toType(DataType.FLOAT32, true);
                rows.attach(scope);
                NDArray added = Embedding.embedding(extraIds, rows, SparseFormat.DENSE).singletonOrThrow();
                added.attach(scope);
                NDArray sel = isExtra.expandDims(2).broadcast(base.getShape());
                x = ai.djl.ndarray.NDArrays.where(sel, added, base);
            }
            NDArray pos = positionEmbedding.get(new NDIndex(":{}", l));
            pos.attach(scope);
            pos = pos.toType(DataType.FLOAT32, false);
            x = x.add(pos);
            NDArray mask = causalMask(scope, (int) l);
            for (ClipEncoderLayer layer : layers) {
                x = layer.forward(x, mask);
            }
            NDArray lnW = Param.f32(finalLnW, scope);
            NDArray lnB = Param.f32(finalLnB, scope);
            NDArray out = LayerNorm.layerNorm(x, new Shape(hidden), lnW, lnB, eps).singletonOrThrow();
            out.attach(caller);
            return out;
        }
    }

    /** (L, L) additive mask: 0 on and below the diagonal, float32 min above it (as transformers builds it). */
    private static NDArray causalMask(NDManager m, int l) {
        float[] v = new float[l * l];
        for (int i = 0; i < l; i++) {
            for (int j = i + 1; j < l; j++) {
                v[i * l + j] = -Float.MAX_VALUE;
            }
        }
        return m.create(v, new Shape(l, l));
    }

    private static int intOf(JsonObject config, String key) {
        JsonElement e = config.get(key);
        if (e == null || !e.isJsonPrimitive()) {
            throw new ModelFormatException("text_encoder/config.json lacks '" + key
                    + "'; the file is incomplete or not a CLIP text encoder config");
        }
        return e.getAsInt();
    }
}
