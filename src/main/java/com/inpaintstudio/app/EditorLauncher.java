package com.inpaintstudio.app;

/** Starts the JavaFX editor. */
public final class EditorLauncher {
    private EditorLauncher() {}

    public static void launch(String[] args) {
        javafx.application.Application.launch(InpaintStudioApp.class, args);
    }
}
