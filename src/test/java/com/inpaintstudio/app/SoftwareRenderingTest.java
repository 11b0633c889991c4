package com.inpaintstudio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SoftwareRenderingTest {
    @Test
    void softwarePipelineOnlyWhereLinuxHasNoGpuDeviceAndTheUserChoseNothing() {
        assertEquals("sw", SoftwareRendering.pipelineOrder("Linux", null, null, p -> false), "VM / Xvfb without a GPU");
        for (String dev : new String[] {"/dev/dri", "/dev/nvidia0", "/dev/dxg"}) {
            assertNull(SoftwareRendering.pipelineOrder("Linux", null, null, Set.of(Path.of(dev))::contains),
                    dev + ": JavaFX probes OpenGL as before");
        }
        assertNull(SoftwareRendering.pipelineOrder("Linux", "es2", null, p -> false), "the user's order");
        assertNull(SoftwareRendering.pipelineOrder("Linux", null, "true", p -> false), "the user forces the GPU");
        assertNull(SoftwareRendering.pipelineOrder("Windows 11", null, null, p -> false));
        assertNull(SoftwareRendering.pipelineOrder("Mac OS X", null, null, p -> false));
    }
}
