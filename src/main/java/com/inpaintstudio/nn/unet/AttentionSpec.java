package com.inpaintstudio.nn.unet;

import com.inpaintstudio.model.Weights;
import com.inpaintstudio.nn.layers.Transformer2D;

/**
 * The transformer settings of one UNet block, as diffusers derives them from config.json.
 *
 * @param heads attention heads (diffusers' {@code attention_head_dim} config key, which is really a head count)
 * @param layers transformer blocks per Transformer2D ({@code transformer_layers_per_block})
 */
public record AttentionSpec(int heads, int layers, int crossAttentionDim, boolean linearProjection,
                            boolean onlyCrossAttention) {
    Transformer2D load(Weights w, String prefix, int channels, int groups) {
        return Transformer2D.load(w, prefix, channels, heads, layers, crossAttentionDim, groups, linearProjection,
                onlyCrossAttention);
    }
}
