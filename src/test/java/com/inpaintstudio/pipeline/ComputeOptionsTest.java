package com.inpaintstudio.pipeline;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.DiffusersFolder;
import com.inpaintstudio.tensor.ComputeOptions;
import com.inpaintstudio.tensor.ComputeScope;
import com.inpaintstudio.tensor.ComputeScope.Path;
import com.inpaintstudio.tensor.Precision;
import com.inpaintstudio.tensor.TorchOps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The request's compute options reach the layers, for that run and that thread only, without any system property:
 * fused ops off runs the chunked attention and the composed group norm; on runs libtorch's fused kernels; two runs
 * on two threads at once each keep their own choice; after a run nothing is left set.
 */
class ComputeOptionsTest {
    private static DiffusionEngine engine;

    @BeforeAll
    static void load() {
        engine = DiffusionEngine.open(DiffusersFolder.open(Fixtures.modelDir()));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static InpaintRequest.Builder small() {
        int[] px = new int[64 * 64];
        java.util.Arrays.fill(px, 0x808080);
        float[] m = new float[64 * 64];
        for (int y = 16; y < 48; y++) {
            for (int x = 16; x < 48; x++) {
                m[y * 64 + x] = 1f;
            }
        }
        return InpaintRequest.builder().image(new RgbImage(64, 64, px)).mask(new Mask(64, 64, m)).prompt("a cat")
                .steps(2).seed(7).size(64, 64).preview(PreviewMode.NONE);
    }

    /** Runs one generation on this thread and returns which kernel paths it used. */
    private static Map<Path, Long> pathsOf(InpaintRequest request) {
        ComputeScope.resetCounts();
        engine.generate(request, StepListener.NONE, null);
        return ComputeScope.counts();
    }

    @Test
    void fusedOpsOffSelectsTheChunkedPaths() {
        Map<Path, Long> off = pathsOf(small().fusedOps(false).build());
        assertTrue(off.get(Path.ATTENTION_CHUNKED) > 0, off.toString());
        assertEquals(0L, off.get(Path.ATTENTION_FUSED), off.toString());
        assertTrue(off.get(Path.GROUP_NORM_COMPOSED) > 0, off.toString());
        assertEquals(0L, off.get(Path.GROUP_NORM_FUSED), off.toString());
        assertNull(System.getProperty("inpaint.attention"), "no global property is used");

        assumeTrue(TorchOps.available(), "fused ops module not loaded: " + TorchOps.failure());
        Map<Path, Long> on = pathsOf(small().fusedOps(true).build());
        assertTrue(on.get(Path.ATTENTION_FUSED) > 0, on.toString());
        assertEquals(0L, on.get(Path.ATTENTION_CHUNKED), on.toString());
        assertTrue(on.get(Path.GROUP_NORM_FUSED) > 0, on.toString());
        assertEquals(0L, on.get(Path.GROUP_NORM_COMPOSED), on.toString());
        // and nothing of the run's choice stays behind on this thread
        assertEquals(ComputeOptions.DEFAULT, ComputeScope.current());
    }

    @Test
    void runsOnTwoThreadsKeepTheirOwnChoice() throws Exception {
        assumeTrue(TorchOps.available(), "fused ops module not loaded: " + TorchOps.failure());
        // the engine serialises generations (torch's global generator), so the two threads meet inside their own
        // scopes instead: each opens its options, waits for the other, then runs the same attention-heavy layer work
        CyclicBarrier both = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Map<Path, Long>> chunked = () -> inScope(new ComputeOptions(Precision.FP32, false), both);
            Callable<Map<Path, Long>> fused = () -> inScope(new ComputeOptions(Precision.FP32, true), both);
            Future<Map<Path, Long>> a = pool.submit(chunked);
            Future<Map<Path, Long>> b = pool.submit(fused);
            Map<Path, Long> ca = a.get();
            Map<Path, Long> cb = b.get();
            assertTrue(ca.get(Path.ATTENTION_CHUNKED) > 0 && ca.get(Path.ATTENTION_FUSED) == 0, ca.toString());
            assertTrue(cb.get(Path.ATTENTION_FUSED) > 0 && cb.get(Path.ATTENTION_CHUNKED) == 0, cb.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<Path, Long> inScope(ComputeOptions options, CyclicBarrier both) throws Exception {
        ComputeScope.resetCounts();
        try (ComputeScope s = ComputeScope.open(options);
             ai.djl.ndarray.NDManager m = com.inpaintstudio.tensor.DjlRuntime.newManager()) {
            both.await();
            var unet = engine.model().unet();
            ai.djl.ndarray.NDArray sample = m.randomNormal(new ai.djl.ndarray.types.Shape(2, unet.inChannels(), 8, 8));
            ai.djl.ndarray.NDArray text = m.randomNormal(new ai.djl.ndarray.types.Shape(2, 77, unet.crossAttentionDim()));
            for (int i = 0; i < 3; i++) {
                unet.forward(sample, 500, text).close();
                both.await(); // interleave the two threads' forwards
            }
        }
        return ComputeScope.counts();
    }
}
