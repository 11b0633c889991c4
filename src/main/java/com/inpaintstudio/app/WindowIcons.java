package com.inpaintstudio.app;

import javafx.scene.image.Image;
import javafx.stage.Stage;

import java.io.IOException;
import java.io.InputStream;

/**
 * The window's icons (32, 64 and 256 px, for the task bar and the window switcher). Added right after the editor's
 * first frame, not before it: decoding the three PNGs took ~25-35 ms of the JavaFX thread ahead of the first frame,
 * and the window manager takes icons set later just as well.
 */
final class WindowIcons {
    static final String[] SIZES = {"32", "64", "256"};

    private WindowIcons() {}

    /** Adds the icons to {@code stage} (once: a stage that has icons already is left alone). */
    static void addTo(Stage stage) {
        if (!stage.getIcons().isEmpty()) {
            return;
        }
        for (String size : SIZES) {
            try (InputStream icon = WindowIcons.class.getResourceAsStream("/com/inpaintstudio/app/icon-" + size + ".png")) {
                if (icon != null) {
                    stage.getIcons().add(new Image(icon));
                }
            } catch (IOException e) {
                // no icon of this size: the window manager uses another one
            }
        }
    }
}
