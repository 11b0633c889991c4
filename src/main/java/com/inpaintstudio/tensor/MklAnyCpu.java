package com.inpaintstudio.tensor;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

import java.io.IOException;

/**
 * Lets the MKL inside the bundled libtorch pick its kernels by the CPU's features on every vendor, not only on Intel's.
 *
 * <p>libtorch 2.7 links MKL 2024 statically; MKL asks {@code mkl_serv_intel_cpu_true()} first and, on an AMD CPU, takes
 * its generic code path whatever the CPU can do. libtorch's fused attention (every UNet self- and cross-attention) runs
 * its block products through MKL's sgemm, so on an AVX-512 AMD EPYC one 4096-token self-attention took ~380 ms on the
 * generic path and ~205 ms on MKL's AVX-512 path, the guided 512 px UNet step 6.9-7.3 s against 6.0-6.1 s (bench, see
 * README). The fix is {@code src/main/native/mkl_any_cpu.c}, a library with that one function returning 1, compiled
 * into the jar and loaded here with {@code RTLD_GLOBAL} before the engine starts: libtorch_cpu.so binds the routine
 * lazily through its PLT and the global scope is searched first. MKL then dispatches on the CPUID feature bits alone,
 * as on Intel, so a CPU gets only kernels for instructions it has.
 *
 * <p>Applies on Linux x86-64 to CPUs not made by Intel with AVX2 and FMA (where MKL has a better path than its generic
 * one); {@code -Dinpaint.mklAnyCpu=false} turns it off. Nothing here throws: when the library cannot be loaded (a
 * {@code noexec} temp folder, a build without it) MKL stays on its generic path and {@link #describe()} says why.
 */
public final class MklAnyCpu {
    static final String RESOURCE = "native/linux-x86_64/libinpaint-mkl-any-cpu.so";
    static final String PROPERTY = "inpaint.mklAnyCpu";
    private static volatile String state;
    /**
     * Held for the JVM's life: JNA closes a library whose {@link NativeLibrary} is garbage collected, which would take
     * the routine out of the global scope before MKL's first call (seen in the test run: MKL stayed generic).
     */
    private static NativeLibrary library;
    /** {@link #branch()}'s answer once asked: MKL decides its code path once per process. */
    private static volatile Integer branch;

    private MklAnyCpu() {}

    /**
     * Whether the override is for this machine: Linux on x86-64, a CPU whose vendor is known and not Intel, with AVX2
     * and FMA, and not turned off by {@code property} ({@code -Dinpaint.mklAnyCpu}).
     */
    static boolean applies(CpuFeatures cpu, String os, String arch, String property) {
        return !"false".equalsIgnoreCase(property) && BundledLibrary.builtFor(os, arch) && !cpu.vendor().isEmpty()
                && !cpu.vendor().equals("GenuineIntel") && cpu.has("avx2") && cpu.has("fma");
    }

    /**
     * Loads the library once when it {@link #applies}; called by {@link DjlRuntime#engine()} before the engine starts,
     * so before MKL's first call decides its code path.
     */
    static synchronized void load() {
        if (state != null) {
            return;
        }
        CpuFeatures cpu = CpuFeatures.host();
        String property = System.getProperty(PROPERTY);
        if (applies(cpu, System.getProperty("os.name", ""), System.getProperty("os.arch", ""), property)) {
            state = loadLibrary(cpu);
        } else if ("false".equalsIgnoreCase(property)) {
            state = "vendor check kept (-D" + PROPERTY + "=false)";
        } else {
            state = "vendor check kept (" + (cpu.vendor().isEmpty() ? "vendor unknown" : cpu.vendor())
                    + ": not a non-Intel Linux x86-64 CPU with AVX2 and FMA)";
        }
    }

    private static String loadLibrary(CpuFeatures cpu) {
        try {
            library = BundledLibrary.open(RESOURCE, "inpaint-mkl-any-cpu",
                    BundledLibrary.RTLD_LAZY | BundledLibrary.RTLD_GLOBAL | BundledLibrary.RTLD_NODELETE);
            return "vendor check lifted for " + cpu.vendor();
        } catch (IOException | RuntimeException | LinkageError e) {
            return "vendor check kept (could not load the override: " + e.getMessage() + ")";
        }
    }

    /**
     * The MKL code branch libtorch runs ({@code mkl_serv_cpu_detect}: 0 is the generic path, higher numbers newer
     * instruction sets, e.g. 7 on AVX-512), or -1 when it cannot be asked. Starts the engine.
     */
    public static int branch() {
        Integer b = branch;
        if (b == null) {
            try {
                NativeLibrary torch = NativeLibrary.getInstance(DjlRuntime.libtorchCpu()); // starts the engine
                Function detect = torch.getFunction("mkl_serv_cpu_detect");
                b = detect.invokeInt(new Object[0]);
            } catch (RuntimeException | LinkageError e) {
                b = -1;
            }
            branch = b;
        }
        return b;
    }

    /**
     * Whether MKL runs a code path of its own for this CPU's instruction set (any branch above the generic one): on
     * Intel CPUs, and on others once the vendor check is lifted. Asked once per process.
     */
    public static boolean optimised() {
        return branch() > 0;
    }

    /** One line for the bench and logs, e.g. "MKL code branch 7 (0 = generic); vendor check lifted for AuthenticAMD". */
    public static String describe() {
        int b = branch();
        return (b < 0 ? "MKL code branch unknown" : "MKL code branch " + b + " (0 = generic)") + "; " + state;
    }
}
