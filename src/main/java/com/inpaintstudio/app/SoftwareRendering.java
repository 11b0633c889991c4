package com.inpaintstudio.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Skips JavaFX's OpenGL probe where it can only fail. On Linux JavaFX first tries its ES2 (OpenGL) pipeline: it loads
 * libGL and Mesa, creates a GL context, finds a software renderer (llvmpipe), rejects it ("Failed Graphics Hardware
 * Qualifier check") and falls back to its own software pipeline. Without a GPU device node ({@code /dev/dri},
 * NVIDIA's {@code /dev/nvidia0}, WSL's {@code /dev/dxg}) OpenGL can only be such a software renderer, so the editor
 * asks for the software pipeline directly: the same pipeline JavaFX ends up with, without loading Mesa first (VMs,
 * remote desktops, Xvfb). With a GPU node nothing changes; {@code -Dprism.order} or {@code -Dprism.forceGPU} from
 * the user is left alone.
 */
final class SoftwareRendering {
    static final List<Path> GPU_DEVICES = List.of(Path.of("/dev/dri"), Path.of("/dev/nvidia0"), Path.of("/dev/dxg"));

    private SoftwareRendering() {}

    /** Sets {@code prism.order=sw} when this machine has no GPU device; call before JavaFX starts. */
    static void chooseBeforeJavaFxStarts() {
        String order = pipelineOrder(System.getProperty("os.name", ""), System.getProperty("prism.order"),
                System.getProperty("prism.forceGPU"), Files::exists);
        if (order != null) {
            System.setProperty("prism.order", order);
        }
    }

    /** The pipeline order to set, or null to leave JavaFX's default (or the user's choice) alone. */
    static String pipelineOrder(String os, String userOrder, String forceGpu, Predicate<Path> exists) {
        if (!os.startsWith("Linux") || userOrder != null || forceGpu != null) {
            return null;
        }
        return GPU_DEVICES.stream().anyMatch(exists) ? null : "sw";
    }
}
