package com.inpaintstudio.app;

import javafx.animation.PauseTransition;
import javafx.scene.Node;
import javafx.util.Duration;
import org.controlsfx.control.NotificationPane;

/** Messages for the user shown as a bar at the top of the window (errors stay until closed; info fades). */
public final class Notifier {
    private final NotificationPane pane;
    private final PauseTransition autoHide = new PauseTransition(Duration.seconds(5));
    private String lastMessage;

    public Notifier(Node content) {
        pane = new NotificationPane(content);
        pane.setShowFromTop(true);
        pane.getStyleClass().add(NotificationPane.STYLE_CLASS_DARK);
        autoHide.setOnFinished(e -> pane.hide());
    }

    public NotificationPane pane() {
        return pane;
    }

    public void error(String message) {
        autoHide.stop();
        show("⚠  " + message);
    }

    public void info(String message) {
        show(message);
        autoHide.playFromStart();
    }

    private void show(String message) {
        lastMessage = message;
        pane.show(message);
    }

    public boolean isShowing() {
        return pane.isShowing();
    }

    /** The text of the last message (shown or not). */
    public String lastMessage() {
        return lastMessage;
    }
}
