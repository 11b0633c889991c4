package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
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

    /**
     * x (B, N, dim) -> (B, N, dim). Tokens are independent here, so they are processed in row chunks whose
     * (rows, 2*inner) projection stays under the attention score budget: at 512 px the whole projection would be an
     * 84 MB block, which glibc maps and page-faults afresh on every call.
     */
    public NDArray forward(NDArray x) {
        Shape shape = x.getShape();
        long dim = shape.get(shape.dimension() - 1);
        long tokens = shape.size() / dim;
        long rows = Math.max(1, AttentionCore.scoreBudget() / (2 * inner));
        if (rows >= tokens) {
            return forwardRows(x);
        }
        NDArray flat = x.reshape(tokens, dim);
        NDManager parent = x.getManager();
        NDList parts = new NDList();
        try {
            for (long start = 0; start < tokens; start += rows) {
                try (NDManager chunk = parent.newSubManager()) {
                    NDArray rowsView = flat.get(new NDIndex("{}:{}", start, Math.min(tokens, start + rows)));
                    rowsView.attach(chunk);
                    NDArray out = forwardRows(rowsView);
                    out.attach(parent);
                    parts.add(out);
                }
            }
            NDArray joined = NDArrays.concat(parts, 0);
            NDArray out = joined.reshape(shape);
            joined.close();
            return out;
        } finally {
            parts.close();
            flat.close();
        }
    }

    private NDArray forwardRows(NDArray x) {
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
