package com.inpaintstudio.cli;

import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.tensor.ComputeOptions;
import com.inpaintstudio.tensor.CpuFeatures;
import com.inpaintstudio.tensor.Precision;
import picocli.CommandLine.Option;

import java.io.PrintStream;

/** {@code --precision} and {@code --fused-ops}, shared by {@code generate} and {@code bench} (a picocli mixin). */
final class ComputeFlags {
    @Option(names = "--precision", paramLabel = "bf16|fp32|auto", defaultValue = "auto",
            description = "Number format of the UNet and VAE: bf16 (bfloat16 products, float32 norms, softmax and "
                    + "scheduler; faster only on CPUs with native bf16: AVX-512 BF16 or AMX, and far slower elsewhere), "
                    + "fp32 (the reference arithmetic), auto (bf16 only where the CPU has native bf16 and a quick probe "
                    + "measures it faster). Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--fused-ops", paramLabel = "on|off", defaultValue = "on",
            description = "on: libtorch's fused kernels (attention, group norm, SiLU, upsampling, Winograd convs); "
                    + "off: the plain DJL compositions (chunked attention, ...), e.g. to rule them out. Default: ${DEFAULT-VALUE}.")
    String fusedOps;

    /**
     * The precision a {@code --params-from} text names ({@code Precision: bf16}), taken when {@code --precision} was
     * not given: the same pixels need the same arithmetic. Not on a CPU that only emulates bf16, where it would run
     * many times slower: there auto stays, with a note saying how to force it.
     */
    void takePrecisionFrom(Precision named, String source, PrintStream err) {
        if (named == Precision.BF16 && !CpuFeatures.host().nativeBf16()) {
            err.println("note: " + source + " was made in bf16; this CPU has no native bf16 (many times slower), so "
                    + "auto is kept: give --precision bf16 to reproduce its pixels exactly.");
            return;
        }
        precision = named.label();
    }

    /** The options as given; a bad value is one line naming the flag. A note on {@code err} (may be null) when bf16 is forced on a CPU that only emulates it. */
    ComputeOptions options(PrintStream err) {
        ComputeOptions c;
        try {
            c = new ComputeOptions(Precision.parse(precision), ComputeOptions.parseOnOff("--fused-ops", fusedOps));
        } catch (IllegalArgumentException e) {
            throw new InpaintException(e.getMessage().startsWith("Unknown precision")
                    ? "--precision: " + e.getMessage() : e.getMessage());
        }
        if (err != null && c.precision() == Precision.BF16 && !CpuFeatures.host().nativeBf16()) {
            err.println("note: this CPU has no native bf16 (" + CpuFeatures.host().describeBf16() + "): bf16 runs "
                    + "many times slower than fp32 here; --precision auto picks fp32 on it.");
        }
        return c;
    }
}
