package com.inpaintstudio.app;

import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ColorPicker;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.paint.Color;

import java.util.List;
import java.util.Locale;
import java.util.prefs.Preferences;

/** The brush part of the tool bar: brush/eraser, size, hardness, mask overlay toggle and colour; kept in the settings. */
final class BrushTools {
    private static final String DEFAULT_COLOUR = "#ff3d6e";
    private final CanvasView canvas;
    private final ToggleButton brush = new ToggleButton("Brush");
    private final ToggleButton eraser = new ToggleButton("Eraser");
    private final Slider size = new Slider(1, 500, 60);
    private final Slider hardness = new Slider(0, 1, 0.8);
    private final CheckBox showMask = new CheckBox("Mask");
    private final ColorPicker overlayColor = new ColorPicker(Color.web(DEFAULT_COLOUR));

    BrushTools(CanvasView canvas, Preferences prefs) {
        this.canvas = canvas;
        ToggleGroup tools = new ToggleGroup();
        brush.setToggleGroup(tools);
        eraser.setToggleGroup(tools);
        LazyTooltip.set(brush, "Brush (B) · X swaps · Shift-click draws a straight line");
        LazyTooltip.set(eraser, "Eraser (E) · X swaps");
        brush.setSelected(true);
        canvas.toolProperty().addListener((o, a, b) -> (b == CanvasView.Tool.BRUSH ? brush : eraser).setSelected(true));
        tools.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true);
            } else {
                canvas.toolProperty().set(b == brush ? CanvasView.Tool.BRUSH : CanvasView.Tool.ERASER);
            }
        });
        size.setPrefWidth(100);
        LazyTooltip.set(size, "Brush size in photo pixels ([ and ])");
        hardness.setPrefWidth(70);
        LazyTooltip.set(hardness, "Hardness: soft edges paint partial mask values");
        showMask.setSelected(true);
        LazyTooltip.set(showMask, "Show the mask overlay");
        overlayColor.getStyleClass().add(ColorPicker.STYLE_CLASS_BUTTON);
        overlayColor.setStyle("-fx-color-label-visible: false;");
        LazyTooltip.set(overlayColor, "Mask overlay colour");

        canvas.overlayVisibleProperty().bind(showMask.selectedProperty());
        canvas.brushSizeProperty().bind(size.valueProperty());
        canvas.hardnessProperty().bind(hardness.valueProperty());
        canvas.overlayColorProperty().bind(overlayColor.valueProperty());
        size.setValue(prefs.getDouble("brush.size", 60));
        hardness.setValue(prefs.getDouble("brush.hardness", 0.8));
        try {
            overlayColor.setValue(Color.web(prefs.get("overlay.color", DEFAULT_COLOUR)));
        } catch (IllegalArgumentException e) {
            overlayColor.setValue(Color.web(DEFAULT_COLOUR));
        }
    }

    /** The tool-bar nodes, left to right. */
    List<Node> nodes() {
        Label sizeValue = new Label();
        sizeValue.setMinWidth(44);
        sizeValue.textProperty().bind(Bindings.format("%.0f px", size.valueProperty()));
        return List.of(brush, eraser, new Label("Size"), size, sizeValue, new Label("Hardness"), hardness,
                new Separator(), showMask, overlayColor);
    }

    void smaller() {
        size.setValue(Math.max(1, size.getValue() / 1.2));
    }

    void larger() {
        size.setValue(Math.min(500, size.getValue() * 1.2));
    }

    void select(CanvasView.Tool tool) {
        canvas.toolProperty().set(tool);
    }

    void swap() {
        select(canvas.toolProperty().get() == CanvasView.Tool.BRUSH ? CanvasView.Tool.ERASER : CanvasView.Tool.BRUSH);
    }

    void save(Preferences prefs) {
        prefs.putDouble("brush.size", size.getValue());
        prefs.putDouble("brush.hardness", hardness.getValue());
        Color c = overlayColor.getValue();
        prefs.put("overlay.color", String.format(Locale.ROOT, "#%02x%02x%02x", (int) Math.round(c.getRed() * 255),
                (int) Math.round(c.getGreen() * 255), (int) Math.round(c.getBlue() * 255)));
    }
}
