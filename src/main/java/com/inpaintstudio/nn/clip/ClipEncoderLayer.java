package com.inpaintstudio.nn.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.inpaintstudio.nn.layers.Param;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import com.inpaintstudio.model.ParamSlot;
import com.inpaintstudio.model.Weights;

/**
 * One pre-LN transformer layer of the CLIP text encoder (transformers' {@code CLIPEncoderLayer}):
 * {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}. Parameters are read once from the weights at build time.
 */
public final class ClipEncoderLayer {
    private final int heads;
    private final int headDim;
    private final float eps;
    private final ClipActivation act;
    private final NDArray ln1W, ln1B, ln2W, ln2B;
    private final NDArray qB, kB, vB, oB, fc1B, fc2B;
    /** Projection weights as slots: a LoRA may serve merged values (read at each forward). */
    private final ParamSlot qW, kW, vW, oW, fc1W, fc2W;

    /** {@code w} is the view under {@code text_model.encoder.layers.N.}. */
    public ClipEncoderLayer(Weights w, int hidden, int intermediate, int heads, float eps, ClipActivation act) {
        this.heads = heads;
        this.headDim = hidden / heads;
        this.eps = eps;
        this.act = act;
        ln1W = w.get("layer_norm1.weight", hidden);
        ln1B = w.get("layer_norm1.bias", hidden);
        ln2W = w.get("layer_norm2.weight", hidden);
        ln2B = w.get("layer_norm2.bias", hidden);
        qW = w.slot("self_attn.q_proj.weight", hidden, hidden);
        qB = w.get("self_attn.q_proj.bias", hidden);
        kW = w.slot("self_attn.k_proj.weight", hidden, hidden);
        kB = w.get("self_attn.k_proj.bias", hidden);
        vW = w.slot("self_attn.v_proj.weight", hidden, hidden);
        vB = w.get("self_attn.v_proj.bias", hidden);
        oW = w.slot("self_attn.out_proj.weight", hidden, hidden);
        oB = w.get("self_attn.out_proj.bias", hidden);
        fc1W = w.slot("mlp.fc1.weight", intermediate, hidden);
        fc1B = w.get("mlp.fc1.bias", intermediate);
        fc2W = w.slot("mlp.fc2.weight", hidden, intermediate);
        fc2B = w.get("mlp.fc2.bias", hidden);
    }

    /**
     * {@code x}: (B, L, hidden); {@code causalMask}: (L, L) additive. Every intermediate lands in {@code x}'s
     * manager (the caller's per-forward scope).
     */
    public NDArray forward(NDArray x, NDArray causalMask) {
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        long hidden = x.getShape().get(2);
        NDManager scope = x.getManager();
        NDArray[] stored = {ln1W, ln1B, ln2W, ln2B, qW.current(), qB, kW.current(), kB, vW.current(), vB,
            oW.current(), oB, fc1W.current(), fc1B, fc2W.current(), fc2B};
        NDArray[] p = new NDArray[stored.length];
        try {
            for (int i = 0; i < stored.length; i++) {
                p[i] = Param.f32(stored[i], scope);
            }
            return forward(x, causalMask, b, l, hidden, p);
        } finally {
            for (int i = 0; i < stored.length; i++) {
                Param.release(p[i], stored[i]);
            }
        }
    }

    /** {@code p}: the parameters as float32, in the order of the fields. */
    private NDArray forward(NDArray x, NDArray causalMask, long b, long l, long hidden, NDArray[] p) {
        NDArray ln1W = p[0], ln1B = p[1], ln2W = p[2], ln2B = p[3], qW = p[4], qB = p[5], kW = p[6], kB = p[7];
        NDArray vW = p[8], vB = p[9], oW = p[10], oB = p[11], fc1W = p[12], fc1B = p[13], fc2W = p[14], fc2B = p[15];

        NDArray h = layerNorm(x, ln1W, ln1B);
        NDArray q = Linear.linear(h, qW, qB).singletonOrThrow().mul((float) (1.0 / Math.sqrt(headDim)));
        NDArray k = Linear.linear(h, kW, kB).singletonOrThrow();
        NDArray v = Linear.linear(h, vW, vB).singletonOrThrow();
        q = splitHeads(q, b, l);
        k = splitHeads(k, b, l);
        v = splitHeads(v, b, l);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).add(causalMask);
        NDArray probs = scores.softmax(-1);
        NDArray ctx = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, l, hidden);
        NDArray attn = Linear.linear(ctx, oW, oB).singletonOrThrow();
        NDArray x1 = x.add(attn);

        NDArray h2 = layerNorm(x1, ln2W, ln2B);
        NDArray m = Linear.linear(h2, fc1W, fc1B).singletonOrThrow();
        m = act.apply(m);
        m = Linear.linear(m, fc2W, fc2B).singletonOrThrow();
        return x1.add(m);
    }

    private NDArray splitHeads(NDArray t, long b, long l) {
        return t.reshape(b, l, heads, headDim).transpose(0, 2, 1, 3);
    }

    private NDArray layerNorm(NDArray x, NDArray w, NDArray bias) {
        return LayerNorm.layerNorm(x, new Shape(w.getShape().get(0)), w, bias, eps).singletonOrThrow();
    }
}
