package com.inpaintstudio.app;

import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.util.prefs.Preferences;

/** The window's position, size and maximised state, kept in the settings between runs. */
final class WindowPlacement {
    private WindowPlacement() {
    }

    /** Room left for the title bar and borders the window manager adds around the scene. */
    static final double DECORATION_W = 16;
    static final double DECORATION_H = 48;

    /**
     * The scene's size: the remembered one (1400x900 at first), shrunk to fit the screen's usable area (a saved size
     * from a larger monitor, or the default on a 1280x720 laptop screen).
     */
    static double[] sceneSize(Preferences prefs) {
        Rectangle2D screen = visibleBounds(prefs);
        double w = Math.min(prefs.getDouble("window.w", 1400), screen.getWidth() - DECORATION_W);
        double h = Math.min(prefs.getDouble("window.h", 900), screen.getHeight() - DECORATION_H);
        return new double[] {Math.max(400, w), Math.max(300, h)};
    }

    /** The usable area (without panels and docks) of the screen the window was on, else the primary screen's. */
    static Rectangle2D visibleBounds(Preferences prefs) {
        if (prefs.get("window.x", null) != null) {
            var screens = Screen.getScreensForRectangle(prefs.getDouble("window.x", 0), prefs.getDouble("window.y", 0), 200, 40);
            if (!screens.isEmpty()) {
                return screens.get(0).getVisualBounds();
            }
        }
        return Screen.getPrimary().getVisualBounds();
    }

    /** Puts the window where it was, or centred, always inside the screen's usable area. */
    static void restore(Stage stage, Preferences prefs) {
        Rectangle2D screen = visibleBounds(prefs);
        double w = stage.getScene().getWidth() + DECORATION_W, h = stage.getScene().getHeight() + DECORATION_H;
        double x = prefs.get("window.x", null) != null ? prefs.getDouble("window.x", 0)
                : screen.getMinX() + (screen.getWidth() - w) / 2;
        double y = prefs.get("window.y", null) != null ? prefs.getDouble("window.y", 0)
                : screen.getMinY() + (screen.getHeight() - h) / 3;
        stage.setX(clamp(x, screen.getMinX(), screen.getMaxX() - w));
        stage.setY(clamp(y, screen.getMinY(), screen.getMaxY() - h));
        stage.setMaximized(prefs.getBoolean("window.maximized", false));
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(v, max));
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
