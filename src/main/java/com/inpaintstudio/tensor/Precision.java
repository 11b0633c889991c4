package com.inpaintstudio.tensor;

import java.util.Locale;

/**
 * The number format the UNet and the VAE compute in. {@link #FP32} is the reference arithmetic (what the parity tests
 * hold to 1e-4); {@link #BF16} runs their matrix products and convolutions with bfloat16 inputs and weights, keeping
 * normalisation statistics, softmax and all scheduler math in float32; {@link #AUTO} is bfloat16 only where the CPU
 * computes it natively and a quick measurement shows it is faster, float32 everywhere else.
 */
public enum Precision {
    FP32("fp32"),
    BF16("bf16"),
    AUTO("auto");

    private final String label;

    Precision(String label) {
        this.label = label;
    }

    /** The name the CLI, the editor and the bench use: fp32, bf16 or auto. */
    public String label() {
        return label;
    }

    /** Parses fp32 / bf16 / auto (case-insensitive; float32 and bfloat16 too); one clear line otherwise. */
    public static Precision parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "fp32", "float32", "f32" -> {
                return FP32;
            }
            case "bf16", "bfloat16" -> {
                return BF16;
            }
            case "auto" -> {
                return AUTO;
            }
            default -> throw new IllegalArgumentException("Unknown precision '" + text + "': use bf16, fp32 or auto.");
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
