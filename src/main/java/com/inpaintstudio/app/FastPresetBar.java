package com.inpaintstudio.app;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * A small non-modal question under the LoRA list ("LCM LoRA on: use fast settings ...? [Apply] [Dismiss]"): nothing
 * changes until the user presses the first button; the second only closes the bar.
 */
final class FastPresetBar extends VBox {
    final Label message = new Label();
    final Button primary = new Button();
    final Button secondary = new Button();

    FastPresetBar() {
        getStyleClass().add("fast-preset-bar");
        setSpacing(6);
        message.setWrapText(true);
        message.setMinHeight(Region.USE_PREF_SIZE);
        primary.setDefaultButton(false);
        primary.getStyleClass().add("fast-preset-primary");
        HBox buttons = new HBox(6, primary, secondary);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        getChildren().addAll(message, buttons);
        setMinWidth(0);
        setPrefWidth(0); // takes the column's width and wraps its text; never widens the side panel
        hide();
    }

    /** Shows the question; each button runs its action and then closes the bar. */
    void ask(String text, String yes, Runnable onYes, String no, Runnable onNo) {
        message.setText(text);
        primary.setText(yes);
        secondary.setText(no);
        primary.setOnAction(e -> {
            hide();
            onYes.run();
        });
        secondary.setOnAction(e -> {
            hide();
            onNo.run();
        });
        setVisible(true);
        setManaged(true);
    }

    void hide() {
        setVisible(false);
        setManaged(false);
    }

    boolean isShowing() {
        return isVisible();
    }
}
