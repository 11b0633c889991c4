package com.inpaintstudio.app;

import javafx.animation.PauseTransition;
import javafx.scene.Node;
import javafx.util.Duration;
import org.controlsfx.control.NotificationPane;

/**
 * Messages for the user shown as a bar sliding up at the bottom of the canvas, so the tool bar stays usable (errors
 * stay until closed or until a later success; info fades).
 */
public final class Notifier {
    private final NotificationPane pane;
    private final PauseTransition autoHide = new PauseTransition(Duration.seconds(5));
    private String lastMessage;

    public Notifier(Node content) {
        pane = new NotificationPane(content);
        pane.setShowFromTop(false);
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

    /** Something the user did worked: an error still shown about an earlier attempt no longer applies. */
    public void success() {
        if (pane.isShowing() && lastMessage != null && lastMessage.startsWith("⚠")) {
            pane.hide();
        }
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
