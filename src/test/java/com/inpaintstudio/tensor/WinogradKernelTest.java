package com.inpaintstudio.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The bundled F(4x4, 3x3) Winograd convolution: where it loads, and that it computes conv2d on awkward shapes. */
class WinogradKernelTest {
    private static final CpuFeatures AVX512 = CpuFeatures.parse(
            "vendor_id\t: AuthenticAMD\nflags\t: sse2 avx avx2 fma avx512f avx512vl avx512bw avx512dq avx512_bf16\n");

    private static boolean linuxX86() {
        return System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64");
    }

    @Test
    void picksTheBuildTheCpuRuns() {
        assertEquals(WinogradKernel.AVX512, WinogradKernel.resourceFor(AVX512, "Linux", "amd64", null));
        assertEquals(WinogradKernel.AVX2, WinogradKernel.resourceFor(AVX512, "Linux", "amd64", "avx2"),
                "-Dinpaint.winogradKernel=avx2 takes the AVX2 build");
        assertNull(WinogradKernel.resourceFor(AVX512, "Linux", "amd64", "false"));
        assertEquals(WinogradKernel.AVX2, WinogradKernel.resourceFor(
                CpuFeatures.parse("flags\t: sse2 avx avx2 fma avx512f\n"), "Linux", "amd64", null),
                "AVX-512 without VL/BW/DQ (Knights Landing) runs the AVX2 build");
        assertNull(WinogradKernel.resourceFor(CpuFeatures.parse("flags\t: sse2 avx avx2\n"), "Linux", "amd64", null),
                "no FMA");
        assertNull(WinogradKernel.resourceFor(AVX512, "Windows 11", "amd64", null), "built for Linux only");
        assertNull(WinogradKernel.resourceFor(AVX512, "Linux", "aarch64", null));
    }

    @Test
    void theBuildCarriesBothLibrariesOnLinuxX86() {
        assumeTrue(linuxX86());
        assertNotNull(WinogradKernel.class.getResource(WinogradKernel.AVX512), "pom.xml compiles src/main/native");
        assertNotNull(WinogradKernel.class.getResource(WinogradKernel.AVX2), "pom.xml compiles src/main/native");
    }

    @Test
    void computesTheConvolutionOnAwkwardShapes() {
        assumeTrue(linuxX86() && WinogradKernel.available(), "kernel " + WinogradKernel.describe());
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(5);
            // {batch, channels, height, width, out channels}: partial tile rows and columns, a row of 18 tiles (one
            // full and one partial vector of 16), channel counts off 16, 1x1 images, one image on many threads
            int[][] shapes = {{2, 21, 13, 70, 19}, {1, 5, 1, 1, 2}, {1, 3, 4, 4, 17}, {3, 16, 9, 64, 16},
                {1, 40, 66, 5, 8}};
            for (int[] s : shapes) {
                for (boolean bias : new boolean[] {true, false}) {
                    double rel = relativeError(m, s[0], s[1], s[2], s[3], s[4], bias);
                    assertTrue(rel < 5e-5, java.util.Arrays.toString(s) + " bias " + bias + ": relative error " + rel);
                }
            }
        }
    }

    @Test
    void readsAndWritesBfloat16AsLibtorchRoundsIt() {
        assumeTrue(linuxX86() && WinogradKernel.available() && TorchOps.loaded(), "kernel " + WinogradKernel.describe());
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(6);
            NDArray narrow = TorchOps.toBf16(m.randomNormal(new Shape(2, 19, 13, 70)));
            NDArray weight = m.randomNormal(new Shape(21, 19, 3, 3)).div(Math.sqrt(9.0 * 19));
            NDArray bias = m.randomNormal(new Shape(21));
            NDArray wide = WinogradKernel.conv3x3(TorchOps.toF32(narrow), weight, bias); // the same values in float32
            NDArray y = WinogradKernel.conv3x3(narrow, weight, bias);
            assertTrue(TorchOps.isBf16(y), "a bfloat16 input gives a bfloat16 output");
            assertArrayEquals(TorchOps.toF32(TorchOps.toBf16(wide)).toFloatArray(), TorchOps.toF32(y).toFloatArray(),
                    "the float32 result rounded to bfloat16 exactly as libtorch rounds");
        }
    }

    @Test
    void theAvx2BuildComputesTheSameConvolution() throws Exception {
        assumeTrue(linuxX86() && CpuFeatures.host().has("avx2") && CpuFeatures.host().has("fma"));
        String last = probeInJvm("-D" + WinogradKernel.PROPERTY + "=avx2");
        assertTrue(last.startsWith("build on (AVX2 build) rel "), last);
        double rel = Double.parseDouble(last.substring(last.lastIndexOf(' ') + 1));
        assertTrue(rel >= 0 && rel < 5e-5, last);
    }

    /**
     * Largest |kernel - direct| over the largest |direct| for random x (n, c, h, w) and weights (k, c, 3, 3) with or
     * without a bias; the direct convolution is DJL's (libtorch's), one image at a time.
     */
    static double relativeError(NDManager m, int n, int c, int h, int w, int k, boolean withBias) {
        NDArray x = m.randomNormal(new Shape(n, c, h, w));
        NDArray weight = m.randomNormal(new Shape(k, c, 3, 3)).div(Math.sqrt(9.0 * c));
        NDArray bias = withBias ? m.randomNormal(new Shape(k)) : null;
        // the reference runs image by image: libtorch 2.7.1's batched float32 conv is wrong on this AVX-512 EPYC when
        // the input channels are above 16 and not a multiple of 16 (errors of ~20 % at batch 2, C = 17..31, 33.., 129;
        // batch 1 and C = 1..16, 32, 48, 128 are right); no SD-1.5 convolution has such a channel count
        NDList images = new NDList();
        for (int i = 0; i < n; i++) {
            images.add(ai.djl.nn.convolutional.Conv2d.conv2d(x.get(i).expandDims(0), weight,
                    bias != null ? bias : m.zeros(new Shape(k)), new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                    .singletonOrThrow());
        }
        NDArray direct = NDArrays.concat(images);
        NDArray wino = WinogradKernel.conv3x3(x, weight, bias);
        assertEquals(direct.getShape(), wino.getShape());
        float[] a = direct.toFloatArray();
        assertTrue(Differences.maxAbs(a) > 1e-3, "non-trivial output");
        return Differences.relative(a, wino.toFloatArray());
    }

    private static String probeInJvm(String option) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", option, "-cp",
                System.getProperty("java.class.path"), WinogradKernelProbe.class.getName())).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return out.strip().lines().reduce((a, b) -> b).orElse("");
    }
}
