package com.inpaintstudio.tensor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** MKL's vendor check: where it is lifted, and that lifting it moves libtorch's MKL off its generic code path. */
class MklAnyCpuTest {
    private static final String INTEL = """
            vendor_id\t: GenuineIntel
            flags\t\t: fpu sse2 avx avx2 fma avx512f avx512bw
            """;

    @Test
    void appliesToCpusNotMadeByIntelThatHaveAvx2AndFma() {
        CpuFeatures epyc = CpuFeatures.parse(PrecisionChoiceTest.EPYC_AVX2);
        assertEquals("AuthenticAMD", epyc.vendor());
        assertTrue(MklAnyCpu.applies(epyc, "Linux", "amd64", null));
        assertTrue(MklAnyCpu.applies(epyc, "Linux", "amd64", "true"));
        assertFalse(MklAnyCpu.applies(epyc, "Linux", "amd64", "false"), "-Dinpaint.mklAnyCpu=false turns it off");
        assertFalse(MklAnyCpu.applies(epyc, "Linux", "aarch64", null));
        assertFalse(MklAnyCpu.applies(epyc, "Windows 11", "amd64", null), "the library is built for Linux only");
        assertFalse(MklAnyCpu.applies(CpuFeatures.parse(INTEL), "Linux", "amd64", null), "MKL already trusts Intel");
        assertFalse(MklAnyCpu.applies(CpuFeatures.parse("vendor_id\t: AuthenticAMD\nflags\t: sse2 avx\n"), "Linux",
                "amd64", null), "no AVX2: MKL has nothing better than its generic path");
        assertFalse(MklAnyCpu.applies(CpuFeatures.parse("flags\t: avx2 fma\n"), "Linux", "amd64", null),
                "vendor unknown");
    }

    @Test
    void theBuildCarriesTheLibraryOnLinuxX86() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"));
        assertNotNull(MklAnyCpu.class.getResource(MklAnyCpu.RESOURCE), "pom.xml compiles src/main/native with gcc");
    }

    @Test
    void liftingTheCheckMovesMklOffItsGenericPathAndLeavesNoFileBehind() throws Exception {
        assumeTrue(MklAnyCpu.applies(CpuFeatures.host(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty(MklAnyCpu.PROPERTY)), "only where MKL distrusts the CPU (not an Intel one)");
        int lifted = MklAnyCpu.branch(); // this JVM started its engine through DjlRuntime: the check is lifted
        assertTrue(lifted > 0, "MKL should run a feature-specific branch, got " + lifted + ": " + MklAnyCpu.describe());
        assertEquals(0, branchInJvm("-D" + MklAnyCpu.PROPERTY + "=false"), "with the check kept MKL is generic here");
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertFalse(tmp.anyMatch(p -> p.getFileName().toString().startsWith("inpaint-mkl-any-cpu")),
                    "the extracted library is removed once loaded");
        }
    }

    private static int branchInJvm(String option) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", option, "-cp",
                System.getProperty("java.class.path"), MklBranchProbe.class.getName())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("branch "), out);
        return Integer.parseInt(last.substring("branch ".length()).trim());
    }
}
