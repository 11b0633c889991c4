package com.inpaintstudio.app;

import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.stage.Stage;

/** F1: the keyboard shortcuts as a two-column table (keys, what they do), made from the action table. */
final class ShortcutHelp {
    private ShortcutHelp() {}

    static void show(Stage owner, ActionTable actions) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.setTitle("Shortcuts");
        a.setHeaderText("Keyboard shortcuts");
        a.getDialogPane().setContent(table(actions));
        a.getDialogPane().getStylesheets().addAll(owner.getScene().getStylesheets());
        a.show();
    }

    static GridPane table(ActionTable actions) {
        GridPane grid = new GridPane();
        grid.setHgap(18);
        grid.setVgap(4);
        grid.setPadding(new Insets(10, 14, 10, 14));
        grid.getStyleClass().add("shortcut-table");
        int row = 0;
        for (String[] r : actions.helpRows()) {
            Label keys = new Label(r[0]);
            keys.getStyleClass().add("shortcut-keys");
            keys.setMinWidth(Region.USE_PREF_SIZE);
            grid.addRow(row++, keys, new Label(r[1]));
        }
        return grid;
    }
}
