package com.inpaintstudio.app;

import javafx.event.EventHandler;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;

/**
 * A tooltip made when the mouse first enters its control instead of when the window is built. Each {@link Tooltip}
 * is a popup window with a scene of its own; the ~20 of the controls in the first frame cost ~50-70 ms of the JavaFX
 * thread before the window could show, for popups that most starts never open. The text is set as the control's
 * accessible help right away (what a screen reader reads from a tooltip).
 */
final class LazyTooltip {
    private static final String KEY = LazyTooltip.class.getName();

    private LazyTooltip() {}

    /** Gives {@code control} the tooltip {@code text}, made on the first mouse-enter. */
    static void set(Control control, String text) {
        control.getProperties().put(KEY, text);
        control.setAccessibleHelp(text);
        EventHandler<MouseEvent> onEnter = new EventHandler<>() {
            @Override public void handle(MouseEvent e) {
                control.removeEventHandler(MouseEvent.MOUSE_ENTERED, this);
                if (control.getTooltip() == null) {
                    control.setTooltip(new Tooltip(text)); // shows after the usual delay as the mouse moves on
                }
            }
        };
        control.addEventHandler(MouseEvent.MOUSE_ENTERED, onEnter);
    }

    /** The tooltip text of {@code control}: its tooltip's, or the one it gets on the first mouse-enter; null if none. */
    static String text(Control control) {
        Tooltip t = control.getTooltip();
        return t != null ? t.getText() : (String) control.getProperties().get(KEY);
    }
}
