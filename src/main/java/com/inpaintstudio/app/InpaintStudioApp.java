package com.inpaintstudio.app;

import javafx.application.Application;
import javafx.stage.Stage;

import java.util.List;

/**
 * The editor application. Its collaborators come from {@link Services} (set them before launching). Started by
 * {@link EditorLauncher}; has no main method of its own so the jar's entry point stays a plain class.
 */
public final class InpaintStudioApp extends Application {
    private EditorWindow window;

    @Override
    public void start(Stage stage) {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long fxReady = System.currentTimeMillis() - jvmStart;
        window = new EditorWindow(stage, Services.engines(), Services.catalog(), Services.imageIo(), Services.preferences());
        stage.show();
        long sinceStart = System.currentTimeMillis() - jvmStart;
        System.getLogger("com.inpaintstudio.app").log(System.Logger.Level.INFO, "Editor window shown " + sinceStart
                + " ms after the JVM started (JavaFX up after " + fxReady + " ms)");
        List<String> args = getParameters().getUnnamed();
        window.startWith(args);
    }

    @Override
    public void stop() {
        if (window != null) {
            window.shutdown();
        }
    }
}
