package com.inpaintstudio.tensor;

import java.util.function.BooleanSupplier;

/**
 * Turns a requested {@link Precision} into the one a run uses. {@code auto} is bfloat16 only where both hold: the CPU
 * has native bfloat16 ({@link CpuFeatures#nativeBf16()}) and a short measurement on this machine
 * ({@link Bf16Gain}) finds bfloat16 clearly faster; float32 everywhere else. On a CPU without the flags nothing is
 * measured: libtorch's emulated bfloat16 convolutions are hundreds of times slower than float32 there.
 */
public final class PrecisionChoice {
    private PrecisionChoice() {}

    /** Resolves {@code requested} for this machine (fp32 or bf16, never auto). */
    public static Precision resolve(Precision requested) {
        return resolve(requested, CpuFeatures.host(), TorchOps::loaded, Bf16Gain::faster);
    }

    /**
     * @param cpu          the CPU's flags
     * @param bf16Possible whether bfloat16 arrays can be made at all (the bundled ops module converts them)
     * @param bf16Faster   asked only for auto on a native-bf16 CPU: whether bf16 measured faster than fp32
     * @throws IllegalStateException for an explicit bf16 that cannot run here
     */
    public static Precision resolve(Precision requested, CpuFeatures cpu, BooleanSupplier bf16Possible,
                                    BooleanSupplier bf16Faster) {
        Precision p = requested == null ? Precision.FP32 : requested;
        switch (p) {
            case FP32 -> {
                return Precision.FP32;
            }
            case BF16 -> {
                if (!bf16Possible.getAsBoolean()) {
                    throw new IllegalStateException("bf16 needs the bundled libtorch ops module, which did not load ("
                            + TorchOps.failure() + "); use --precision fp32.");
                }
                return Precision.BF16;
            }
            default -> {
                if (!cpu.nativeBf16() || !bf16Possible.getAsBoolean()) {
                    return Precision.FP32;
                }
                return bf16Faster.getAsBoolean() ? Precision.BF16 : Precision.FP32;
            }
        }
    }

    /** One line for logs and the bench: what auto picks here, and why. */
    public static String describeAuto() {
        CpuFeatures cpu = CpuFeatures.host();
        if (!cpu.nativeBf16()) {
            return "auto = fp32: " + cpu.describeBf16();
        }
        if (!TorchOps.loaded()) {
            return "auto = fp32: bfloat16 needs the libtorch ops module (" + TorchOps.failure() + ")";
        }
        return "auto = " + (Bf16Gain.faster() ? "bf16" : "fp32") + ": " + cpu.describeBf16() + ", " + Bf16Gain.describe();
    }
}
