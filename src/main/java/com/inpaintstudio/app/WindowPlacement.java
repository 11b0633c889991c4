package com.inpaintstudio.app;

import javafx.stage.Screen;
import javafx.stage.Stage;

import java.util.prefs.Preferences;

/** The window's position, size and maximised state, kept in the settings between runs. */
final class WindowPlacement {
    private WindowPlacement() {
    }

    /** Puts the window where it was (size comes from the scene, see {@code window.w/h}). */
    static void restore(Stage stage, Preferences prefs) {
        if (prefs.get("window.x", null) != null) {
            double x = prefs.getDouble("window.x", 0), y = prefs.getDouble("window.y", 0);
            // only where a screen still shows the title bar (monitors come and go)
            if (!Screen.getScreensForRectangle(x, y, 200, 40).isEmpty()) {
                stage.setX(x);
                stage.setY(y);
            }
        }
        stage.setMaximized(prefs.getBoolean("window.maximized", false));
    }

    static void save(Stage stage, Preferences prefs) {
        if (!stage.isMaximized() && stage.getWidth() > 0) {
            prefs.putDouble("window.x", stage.getX());
            prefs.putDouble("window.y", stage.getY());
            prefs.putDouble("window.w", stage.getScene().getWidth());
            prefs.putDouble("window.h", stage.getScene().getHeight());
        }
        prefs.putBoolean("window.maximized", stage.isMaximized());
    }
}
