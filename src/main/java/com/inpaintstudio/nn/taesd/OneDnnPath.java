package com.inpaintstudio.nn.taesd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.inpaintstudio.tensor.TorchOps;

/**
 * Whether the TAESD decoder runs in channels-last memory through oneDNN's convolutions with the ReLU (and the
 * block's skip add) fused ({@link TorchOps#onednnConv}) instead of plain DJL convs (NNPACK's Winograd from 128x128
 * px) with separate ReLU and add passes. TAESD's convolutions have only 64 channels, where oneDNN's NHWC kernels beat
 * the Winograd transforms and the fused epilogues save a pass over every activation. On by default where the libtorch
 * ops module loads; {@code -Dinpaint.taesd.onednn=false} (or {@link #setEnabled}) selects the plain path.
 */
public final class OneDnnPath {
    private static volatile boolean enabled = Boolean.parseBoolean(System.getProperty("inpaint.taesd.onednn", "true"));

    private OneDnnPath() {
    }

    public static void setEnabled(boolean on) {
        enabled = on;
    }

    public static boolean enabled() {
        return enabled;
    }

    static boolean applies(NDArray z) {
        return enabled && z.getShape().dimension() == 4 && z.getDataType() == DataType.FLOAT32
                && TorchOps.onednnAvailable();
    }
}
