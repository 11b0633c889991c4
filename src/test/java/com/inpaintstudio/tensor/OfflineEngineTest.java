package com.inpaintstudio.tensor;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine starts from the bundled natives with DJL offline (Surefire runs every test with ai.djl.offline=true). */
class OfflineEngineTest {
    @Test
    void engineStartsOfflineFromBundledNatives() {
        DjlRuntime.ensureOffline();
        assertEquals("true", System.getProperty("ai.djl.offline"));
        try (NDManager m = DjlRuntime.newManager()) {
            assertEquals("PyTorch", DjlRuntime.engine().getEngineName());
            assertEquals(6f, m.create(new float[] {1, 2, 3}).sum().getFloat(), 0f);
        }
    }
}
