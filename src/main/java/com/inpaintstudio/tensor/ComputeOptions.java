package com.inpaintstudio.tensor;

/**
 * How one generation computes, chosen per request (CLI flags, the editor's settings, the bench), never through
 * global properties: the number format of the UNet and VAE, and whether libtorch's fused kernels (scaled-dot-product
 * attention, group_norm, silu, nearest upsampling, NNPACK Winograd convolutions) are used or the plain DJL
 * compositions (chunked attention, layer-norm group norm, ...). A {@link ComputeScope} carries the options to the
 * layers for the length of one run, on the running thread only.
 *
 * @param precision fp32, bf16 or auto (resolved when a scope opens: {@link PrecisionChoice})
 * @param fusedOps  libtorch's fused kernels where the bundled ops module loads (true) or the DJL compositions (false)
 */
public record ComputeOptions(Precision precision, boolean fusedOps) {
    /** float32 with the fused kernels: the reference arithmetic, as before this option existed. */
    public static final ComputeOptions DEFAULT = new ComputeOptions(Precision.FP32, true);

    public ComputeOptions {
        precision = precision == null ? Precision.FP32 : precision;
    }

    public ComputeOptions withPrecision(Precision p) {
        return new ComputeOptions(p, fusedOps);
    }

    public ComputeOptions withFusedOps(boolean on) {
        return new ComputeOptions(precision, on);
    }

    /** on / off, as the CLI flag is written. */
    public static boolean parseOnOff(String flag, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException(flag + " must be 'on' or 'off', got '" + text + "'.");
        };
    }

    @Override
    public String toString() {
        return "precision " + precision.label() + ", fused ops " + (fusedOps ? "on" : "off");
    }
}
