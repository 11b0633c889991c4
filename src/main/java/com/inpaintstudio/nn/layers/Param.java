package com.inpaintstudio.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Parameters may be kept as float16 (as an fp16 checkpoint stores them, mapped from the file) to halve the weights'
 * memory; compute stays float32. A layer asks {@link #f32} for the float32 form right before an op and hands it to
 * {@link #release} right after: for a float32 parameter both are no-ops, for a float16 one the upcast copy lives in
 * the caller's scope for the duration of that one op. The parameter itself is never closed or written.
 */
public final class Param {
    private Param() {}

    /**
     * {@code w} itself when it is float32 (or null); otherwise a fresh float32 copy owned by {@code scope}, never by
     * the weights manager, which must keep its array count.
     */
    public static NDArray f32(NDArray w, NDManager scope) {
        if (w == null || w.getDataType() == DataType.FLOAT32) {
            return w;
        }
        NDArray copy = w.toType(DataType.FLOAT32, false);
        copy.attach(scope);
        return copy;
    }

    /**
     * {@code w} in the number format of the input it is about to meet: a bfloat16 copy owned by {@code scope} when
     * {@code bf16} (made per op, like {@link #f32}'s upcast: an fp16 weight becomes bf16 of the same size, an fp32 one
     * half its size; no second copy of the model is kept), otherwise {@link #f32}. Free it with {@link #release}.
     */
    public static NDArray forInput(NDArray w, boolean bf16, NDManager scope) {
        if (w == null || !bf16) {
            return f32(w, scope);
        }
        NDArray copy = com.inpaintstudio.tensor.TorchOps.toBf16(w);
        copy.attach(scope);
        return copy;
    }

    /** Frees {@code used} when it is an upcast copy made by {@link #f32} of {@code w}; never closes {@code w}. */
    public static void release(NDArray used, NDArray w) {
        if (used != null && used != w) {
            used.close();
        }
    }
}
