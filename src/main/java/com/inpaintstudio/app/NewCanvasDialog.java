package com.inpaintstudio.app;

import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.GridPane;

/** Asks for the size of a blank canvas (text-to-image). Returns {width, height}. */
public final class NewCanvasDialog extends Dialog<int[]> {
    public NewCanvasDialog(int w, int h) {
        setTitle("New canvas");
        setHeaderText("Size of the blank canvas (the whole canvas is masked: text to image)");
        Spinner<Integer> ws = new Spinner<>(64, 8192, w, 64);
        Spinner<Integer> hs = new Spinner<>(64, 8192, h, 64);
        ws.setEditable(true);
        hs.setEditable(true);
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.setPadding(new Insets(10));
        g.addRow(0, new Label("Width"), ws);
        g.addRow(1, new Label("Height"), hs);
        getDialogPane().setContent(g);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        setResultConverter(b -> b == ButtonType.OK ? new int[] {ws.getValue(), hs.getValue()} : null);
    }
}
