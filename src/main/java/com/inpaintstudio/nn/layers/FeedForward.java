package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import com.inpaintstudio.model.Weights;

/** diffusers {@code FeedForward} with GEGLU: {@code net.2(h * gelu(g))} where {@code (h, g) = net.0.proj(x).chunk(2)}. */
public final class FeedForward {
    private final Linear proj;
    private final Linear out;
    private final long inner;

    private FeedForward(Linear proj, Linear out, int inner) {
        this.proj = proj;
        this.out = out;
        this.inner = inner;
    }

    public static FeedForward load(Weights w, String prefix, int dim, int mult) {
        int inner = dim * mult;
        return new FeedForward(Linear.load(w, prefix + ".net.0.proj", dim, inner * 2, true),
                Linear.load(w, prefix + ".net.2", inner, dim, true), inner);
    }

    /** x (B, N, dim) -> (B, N, dim), temporaries freed as soon as used. */
    public NDArray forward(NDArray x) {
        NDArray p = proj.forward(x);
        NDList halves = p.split(new long[] {inner}, p.getShape().dimension() - 1);
        NDArray gate = Activations.gelu(halves.get(1));
        NDArray h = gate.muli(halves.get(0));
        halves.close();
        p.close();
        NDArray y = out.forward(h);
        h.close();
        return y;
    }
}
