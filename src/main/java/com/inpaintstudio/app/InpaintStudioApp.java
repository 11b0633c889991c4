package com.inpaintstudio.app;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/** The editor window (being built in the editor issue). */
public final class InpaintStudioApp extends Application {
    @Override
    public void start(Stage stage) {
        stage.setTitle("Inpaint Studio");
        stage.setScene(new Scene(new Label("Inpaint Studio"), 800, 600));
        stage.show();
    }
}
