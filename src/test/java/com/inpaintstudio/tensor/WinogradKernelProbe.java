package com.inpaintstudio.tensor;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Prints which kernel build a fresh JVM loaded and the largest relative difference between its convolution and the
 * direct one on an awkward shape; the last line reads "build STATE rel VALUE".
 */
public final class WinogradKernelProbe {
    private WinogradKernelProbe() {}

    public static void main(String[] args) {
        double rel = -1;
        if (WinogradKernel.available()) {
            try (NDManager m = DjlRuntime.newManager()) {
                rel = WinogradKernelTest.relativeError(m, 2, 21, 13, 70, 19, true);
            }
        }
        System.out.println("build " + WinogradKernel.describe() + " rel " + rel);
    }
}
