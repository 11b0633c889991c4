package com.inpaintstudio.app;

import com.inpaintstudio.model.ModelEntry;
import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.pipeline.Engines;
import com.inpaintstudio.pipeline.InpaintEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.prefs.Preferences;

/**
 * What the editor needs from the rest of the program, set before the window opens (the launcher wires the real
 * engine; tests wire fakes). Defaults: the shared image files layer, the models the
 * {@link ModelScanner} finds, and the real engines (Stable Diffusion or the built-in fill).
 */
public final class Services {
    private static volatile EngineProvider engines = Services::openEngine;
    private static volatile ModelCatalog catalog = Services::scanDefaultFolders;
    private static volatile ImageIo imageIo = new FileImageIo();
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

    /** The built-in fill, or the Stable Diffusion model at the choice's path (slow: call off the FX thread). */
    static InpaintEngine openEngine(ModelChoice choice) {
        return choice.kind() == ModelChoice.Kind.BUILT_IN_FILL ? Engines.builtInFill() : Engines.open(choice.path());
    }

    /** Where "Download…" saves models: the scanner's download folder ($INPAINT_STUDIO_MODELS first). */
    public static java.nio.file.Path downloadDir() {
        return new ModelScanner().downloadDir();
    }

    /** The built-in fill, then every usable model the scanner finds in the models folders. */
    public static List<ModelChoice> scanDefaultFolders() {
        return scan(null);
    }

    /** "4.3 GB", "23 MB" (below 1 GB), "512 KB" (below 1 MB). */
    static String sizeText(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
        }
        if (bytes >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
        }
        return String.format(Locale.ROOT, "%.0f KB", Math.max(1, bytes / 1e3));
    }

    /** The built-in fill, then every usable model in {@code roots} (the default folders when null). */
    public static List<ModelChoice> scan(List<java.nio.file.Path> roots) {
        List<ModelChoice> out = new ArrayList<>();
        out.add(ModelChoice.BUILT_IN_FILL);
        try {
            ModelScanner scanner = new ModelScanner();
            for (ModelEntry e : roots == null ? scanner.scan() : scanner.scan(roots)) {
                if (e.usable()) {
                    String label = e.name() + " (" + e.typeLabel() + ", " + e.family().label() + ", "
                            + sizeText(e.sizeBytes()) + ")";
                    out.add(new ModelChoice(label, e.path(), e.kind() == ModelEntry.Kind.FOLDER
                            ? ModelChoice.Kind.DIFFUSERS_FOLDER : ModelChoice.Kind.SINGLE_FILE));
                }
            }
        } catch (RuntimeException e) {
            // an unreadable models folder just contributes nothing to the picker
        }
        return out;
    }
}
