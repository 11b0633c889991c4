package com.inpaintstudio.app;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

import java.util.List;

/** The bar under the canvas: the results strip and the buttons that act on the selected result. */
final class ResultsBar {
    private ResultsBar() {}

    static Node create(ResultsStrip strip, Runnable useAsBase, Runnable exportSelected) {
        Button use = new Button("Use as base");
        Button showPhoto = new Button("Show photo");
        Button exportResult = new Button("Export…");
        use.setOnAction(e -> useAsBase.run());
        showPhoto.setOnAction(e -> strip.selectedProperty().set(null));
        exportResult.setOnAction(e -> exportSelected.run());
        LazyTooltip.set(use, "Make the selected result the photo, to inpaint it further (undoable)");
        for (Button b : List.of(use, showPhoto, exportResult)) {
            b.disableProperty().bind(strip.selectedProperty().isNull());
            b.setMaxWidth(Double.MAX_VALUE);
        }
        VBox buttons = new VBox(6, use, showPhoto, exportResult);
        buttons.setAlignment(Pos.CENTER);
        buttons.setPadding(new Insets(6));
        buttons.setMinWidth(120);
        BorderPane bar = new BorderPane(strip);
        bar.setRight(buttons);
        bar.getStyleClass().add("results-bar");
        return bar;
    }
}
