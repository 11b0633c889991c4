package com.inpaintstudio.app;

/** Starts the JavaFX editor. */
public final class EditorLauncher {
    private EditorLauncher() {}

    /** Held so the setting below is not garbage-collected with the logger. */
    private static final java.util.logging.Logger JAVAFX_LOG = java.util.logging.Logger.getLogger("javafx");

    public static void launch(String[] args) {
        // JavaFX warns "Unsupported JavaFX configuration: classes were loaded from 'unnamed module'" at every start
        // because the jar puts it on the class path; that is how this app ships (a shaded jar and jpackage image), and
        // the warning tells a user nothing they can act on. Real JavaFX errors (SEVERE) still show.
        JAVAFX_LOG.setLevel(java.util.logging.Level.SEVERE);
        SoftwareRendering.chooseBeforeJavaFxStarts(); // no GPU here: no OpenGL probe that can only fail
        javafx.application.Application.launch(InpaintStudioApp.class, args);
    }
}
