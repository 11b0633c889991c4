package com.inpaintstudio.app;

import com.inpaintstudio.pipeline.InpaintException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;
import java.util.stream.Stream;

/**
 * What the editor needs from the rest of the program, set before the window opens (the launcher wires the real
 * engine; tests wire fakes). Defaults: javax.imageio files, models found under {@code ~/.inpaint-studio/models}
 * and {@code ./models}, and an engine provider that explains that no engine is installed.
 */
public final class Services {
    private static volatile EngineProvider engines = Services::noEngine;
    private static volatile ModelCatalog catalog = Services::scanDefaultFolders;
    private static volatile ImageIo imageIo = new AwtImageIo();
    private static volatile Preferences preferences = Preferences.userRoot().node("com/inpaintstudio/editor");

    private Services() {}

    public static EngineProvider engines() {
        return engines;
    }

    public static void setEngines(EngineProvider p) {
        engines = p;
    }

    public static ModelCatalog catalog() {
        return catalog;
    }

    public static void setCatalog(ModelCatalog c) {
        catalog = c;
    }

    public static ImageIo imageIo() {
        return imageIo;
    }

    public static void setImageIo(ImageIo io) {
        imageIo = io;
    }

    public static Preferences preferences() {
        return preferences;
    }

    /** Where window size, folders and panel values are remembered (tests use a throw-away node). */
    public static void setPreferences(Preferences p) {
        preferences = p;
    }

    private static com.inpaintstudio.pipeline.InpaintEngine noEngine(ModelChoice choice) {
        throw new InpaintException("No inpainting engine is wired into this build, so '" + choice.name()
                + "' cannot run. Painting masks, opening and exporting work; generating needs a build with the engine.");
    }

    /** Diffusers folders (with model_index.json) and .safetensors/.ckpt files in the default model folders. */
    public static List<ModelChoice> scanDefaultFolders() {
        List<ModelChoice> out = new ArrayList<>();
        out.add(ModelChoice.BUILT_IN_FILL);
        for (Path dir : List.of(Path.of(System.getProperty("user.home"), ".inpaint-studio", "models"), Path.of("models"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.sorted().forEach(p -> {
                    String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                    if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("model_index.json"))) {
                        out.add(ModelChoice.of(p));
                    } else if (Files.isRegularFile(p) && (n.endsWith(".safetensors") || n.endsWith(".ckpt"))) {
                        out.add(ModelChoice.of(p));
                    }
                });
            } catch (java.io.IOException | RuntimeException e) {
                // an unreadable folder just contributes nothing to the picker
            }
        }
        return out;
    }
}
