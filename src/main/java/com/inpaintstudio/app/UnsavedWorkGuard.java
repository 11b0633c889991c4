package com.inpaintstudio.app;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;

import java.util.Optional;

/**
 * Asks before an action throws away results the user has not exported (quit, open, paste, new canvas), with
 * "Don't ask again" (preference {@code confirmDiscard}). The system property {@code inpaintstudio.confirm}
 * ({@code yes}/{@code no}) answers without asking (tests, scripted runs).
 */
final class UnsavedWorkGuard {
    static final String ANSWER_PROPERTY = "inpaintstudio.confirm";
    private final EditorContext ctx;

    UnsavedWorkGuard(EditorContext ctx) {
        this.ctx = ctx;
    }

    /** Results in the strip that were never exported. */
    int unexported() {
        int n = 0;
        for (ResultsStrip.Entry e : ctx.strip.entries()) {
            if (!ctx.exported.contains(e.result())) {
                n++;
            }
        }
        return n;
    }

    /** True when {@code action} ("Open another photo", "Quit", …) may go ahead. FX thread. */
    boolean confirm(String action) {
        int n = unexported();
        if (n == 0 || !ctx.prefs.getBoolean("confirmDiscard", true)) {
            return true;
        }
        String answer = System.getProperty(ANSWER_PROPERTY);
        if (answer != null) {
            return answer.equalsIgnoreCase("yes");
        }
        Alert a = new Alert(Alert.AlertType.WARNING);
        a.initOwner(ctx.stage);
        a.setTitle(action + "?");
        a.setHeaderText(n + (n == 1 ? " result has" : " results have") + " not been exported.\n" + action
                + " will close " + (n == 1 ? "it" : "them") + ".");
        CheckBox dontAsk = new CheckBox("Don't ask again");
        a.getDialogPane().setContent(dontAsk);
        ButtonType go = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        a.getButtonTypes().setAll(cancel, go);
        Optional<ButtonType> r = a.showAndWait();
        boolean ok = r.isPresent() && r.get() == go;
        if (ok && dontAsk.isSelected()) {
            ctx.prefs.putBoolean("confirmDiscard", false);
        }
        return ok;
    }
}
