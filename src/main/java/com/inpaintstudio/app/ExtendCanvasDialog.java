package com.inpaintstudio.app;

import com.inpaintstudio.image.CanvasExtension.Prefill;
import com.inpaintstudio.image.CanvasExtension.Sides;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.GridPane;

import java.util.function.Consumer;

/**
 * Image ▸ Extend canvas…: pixels or percent per side, what the new area starts from, and how far into the photo the
 * seam is repainted. Every change is reported to {@code onChange} (the canvas draws the new outline live).
 */
final class ExtendCanvasDialog extends Dialog<ExtendCanvasDialog.Choice> {
    record Choice(Sides sides, Prefill prefill, int feather) { }

    static final String[] PREFILL_LABELS = {"Stretch the edges (blurred)", "Built-in fill", "Grey noise"};

    final Spinner<Integer> left = side();
    final Spinner<Integer> top = side();
    final Spinner<Integer> right = side();
    final Spinner<Integer> bottom = side();
    final ChoiceBox<String> unit = new ChoiceBox<>();
    final ChoiceBox<String> prefill = new ChoiceBox<>();
    final Spinner<Integer> feather = new Spinner<>(0, 512, 32, 8);
    private final int photoWidth;
    private final int photoHeight;

    ExtendCanvasDialog(int photoWidth, int photoHeight, Consumer<Sides> onChange) {
        this.photoWidth = photoWidth;
        this.photoHeight = photoHeight;
        setTitle("Extend canvas");
        setHeaderText("Add room around the " + photoWidth + " × " + photoHeight + " photo. The new area and a seam band "
                + "are masked;\ndrag the dashed outline's edges on the canvas or type the sizes. Generate paints them (large areas in tiles of the model's size).");
        unit.getItems().addAll("pixels", "percent");
        unit.getSelectionModel().selectFirst();
        prefill.getItems().addAll(PREFILL_LABELS);
        prefill.getSelectionModel().selectFirst();
        feather.setEditable(true);
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.setPadding(new Insets(10));
        g.addRow(0, new Label("Unit"), unit);
        g.addRow(1, new Label("Left"), left, new Label("Right"), right);
        g.addRow(2, new Label("Top"), top, new Label("Bottom"), bottom);
        g.addRow(3, new Label("New area"), prefill);
        g.addRow(4, new Label("Seam (px)"), feather);
        getDialogPane().setContent(g);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        for (Spinner<Integer> s : java.util.List.of(left, top, right, bottom)) {
            s.valueProperty().addListener((o, a, b) -> onChange.accept(sides()));
        }
        unit.valueProperty().addListener((o, a, b) -> onChange.accept(sides()));
        setResultConverter(b -> b == ButtonType.OK
                ? new Choice(sides(), Prefill.values()[prefill.getSelectionModel().getSelectedIndex()], feather.getValue())
                : null);
    }

    private static Spinner<Integer> side() {
        Spinner<Integer> s = new Spinner<>(0, 8192, 0, 32);
        s.setEditable(true);
        s.setPrefWidth(100);
        return s;
    }

    /** Shows sides dragged on the canvas (in pixels). */
    void setSides(Sides s) {
        unit.getSelectionModel().selectFirst();
        left.getValueFactory().setValue(s.left());
        top.getValueFactory().setValue(s.top());
        right.getValueFactory().setValue(s.right());
        bottom.getValueFactory().setValue(s.bottom());
    }

    /** The sides in pixels (percent of the photo's width for left/right, height for top/bottom). */
    Sides sides() {
        boolean pct = unit.getSelectionModel().getSelectedIndex() == 1;
        return new Sides(px(left, photoWidth, pct), px(top, photoHeight, pct), px(right, photoWidth, pct),
                px(bottom, photoHeight, pct));
    }

    private static int px(Spinner<Integer> s, int size, boolean pct) {
        int v = s.getValue() == null ? 0 : s.getValue();
        return pct ? (int) Math.round(v * size / 100.0) : v;
    }
}
