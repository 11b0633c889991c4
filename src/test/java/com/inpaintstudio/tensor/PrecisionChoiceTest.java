package com.inpaintstudio.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Native bfloat16 detection from /proc/cpuinfo text, and what auto resolves to. No engine needed. */
class PrecisionChoiceTest {
    /** An AMD EPYC (Zen 2) VM like the build machine: AVX2, no AVX-512, no bf16. */
    static final String EPYC_AVX2 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 7B12
            flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid extd_apicid tsc_known_freq pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm cmp_legacy cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw topoext ssbd ibrs ibpb stibp vmmcall fsgsbase tsc_adjust bmi1 avx2 smep bmi2 rdseed adx smap clflushopt clwb sha_ni xsaveopt xsavec xgetbv1 clzero xsaveerptr arat npt nrip_save umip rdpid
            bugs\t\t: sysret_ss_attrs spectre_v1 spectre_v2 spec_store_bypass retbleed smt_rsb

            processor\t: 1
            flags\t\t: fpu avx avx2 fma
            """;
    /** Sapphire Rapids: AVX-512 BF16 and AMX. */
    static final String SAPPHIRE_RAPIDS = """
            processor\t: 0
            model name\t: Intel(R) Xeon(R) Platinum 8481C
            flags\t\t: fpu sse sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl avx512_vnni avx512_bf16 amx_bf16 avx512_fp16 amx_tile amx_int8
            """;
    /** Zen 4: AVX-512 BF16 without AMX. */
    static final String ZEN4 = "flags\t: fpu avx avx2 avx512f avx512_bf16 avx512_vnni\n";
    /** Ice Lake: AVX-512 but no BF16 instructions. */
    static final String ICE_LAKE = "flags\t: fpu avx avx2 avx512f avx512bw avx512_vnni\n";

    @Test
    void readsNativeBf16FromCpuinfoFlags() {
        assertFalse(CpuFeatures.parse(EPYC_AVX2).nativeBf16());
        assertTrue(CpuFeatures.parse(EPYC_AVX2).has("avx2"));
        assertTrue(CpuFeatures.parse(SAPPHIRE_RAPIDS).nativeBf16());
        assertTrue(CpuFeatures.parse(ZEN4).nativeBf16());
        assertFalse(CpuFeatures.parse(ICE_LAKE).nativeBf16());
        assertFalse(CpuFeatures.parse("").nativeBf16());
        // "avx512_bf16" must be a whole flag, not a substring of a model name or another key's value
        assertFalse(CpuFeatures.parse("model name\t: avx512_bf16 lookalike\nflags\t: avx2\n").nativeBf16());
        assertTrue(CpuFeatures.parse(EPYC_AVX2).describeBf16().startsWith("no native bf16"));
    }

    @Test
    void autoIsFp32WithoutNativeBf16AndNeverMeasures() {
        AtomicInteger measured = new AtomicInteger();
        Precision p = PrecisionChoice.resolve(Precision.AUTO, CpuFeatures.parse(EPYC_AVX2), () -> true, () -> {
            measured.incrementAndGet();
            return true;
        });
        assertEquals(Precision.FP32, p);
        assertEquals(0, measured.get(), "no measurement on a CPU without native bf16");
        assertEquals(Precision.FP32, PrecisionChoice.resolve(Precision.AUTO, CpuFeatures.parse(ICE_LAKE),
                () -> true, () -> true));
    }

    @Test
    void autoIsBf16WithNativeFlagsWhenTheGainIsReal() {
        assertEquals(Precision.BF16, PrecisionChoice.resolve(Precision.AUTO, CpuFeatures.parse(SAPPHIRE_RAPIDS),
                () -> true, () -> true));
        assertEquals(Precision.BF16, PrecisionChoice.resolve(Precision.AUTO, CpuFeatures.parse(ZEN4),
                () -> true, () -> true));
        // the flags alone are not enough: a measured loss keeps fp32
        assertEquals(Precision.FP32, PrecisionChoice.resolve(Precision.AUTO, CpuFeatures.parse(SAPPHIRE_RAPIDS),
                () -> true, () -> false));
        // nor without the ops module that makes bf16 arrays
        assertEquals(Precision.FP32, PrecisionChoice.resolve(Precision.AUTO, CpuFeatures.parse(SAPPHIRE_RAPIDS),
                () -> false, () -> true));
    }

    @Test
    void explicitChoicesAreKept() {
        CpuFeatures avx2 = CpuFeatures.parse(EPYC_AVX2);
        assertEquals(Precision.BF16, PrecisionChoice.resolve(Precision.BF16, avx2, () -> true, () -> false));
        assertEquals(Precision.FP32, PrecisionChoice.resolve(Precision.FP32, CpuFeatures.parse(SAPPHIRE_RAPIDS),
                () -> true, () -> true));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PrecisionChoice.resolve(Precision.BF16, avx2, () -> false, () -> true));
        assertTrue(e.getMessage().contains("--precision fp32"), e.getMessage());
    }

    @Test
    void parsesTheFlagValues() {
        assertEquals(Precision.BF16, Precision.parse("bf16"));
        assertEquals(Precision.BF16, Precision.parse(" BF16 "));
        assertEquals(Precision.FP32, Precision.parse("fp32"));
        assertEquals(Precision.AUTO, Precision.parse("auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp8"));
        assertEquals("Unknown precision 'fp8': use bf16, fp32 or auto.", e.getMessage());
        assertTrue(ComputeOptions.parseOnOff("--fused-ops", "on"));
        assertFalse(ComputeOptions.parseOnOff("--fused-ops", "off"));
        assertThrows(IllegalArgumentException.class, () -> ComputeOptions.parseOnOff("--fused-ops", "maybe"));
    }
}
