package com.inpaintstudio.app;

import com.inpaintstudio.pipeline.InpaintResult;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** Thumbnails of every result since the photo was opened; clicking one selects it. */
public final class ResultsStrip extends ScrollPane {
    public static final int THUMB = 96;

    /** A result with its full-size and thumbnail images. */
    public record Entry(InpaintResult result, Image full, Image thumb, String caption) {
        /** Makes the images; any thread (a worker, for big pictures). */
        public static Entry of(InpaintResult r) {
            return of(r, r.cancelled() ? "seed " + r.request().seed() + " · stopped at step " + r.stepsCompleted()
                    : "seed " + r.request().seed());
        }

        /** {@code caption}: the line under the thumbnail (seed, steps). */
        public static Entry of(InpaintResult r, String caption) {
            return new Entry(r, FxImages.toFx(r.image()), FxImages.toFx(FxImages.thumbnail(r.image(), THUMB)), caption);
        }
    }

    private final HBox row = new HBox(6);
    private final ObservableList<Entry> entries = FXCollections.observableArrayList();
    private final ObjectProperty<Entry> selected = new SimpleObjectProperty<>();
    private final Label empty = new Label("Results appear here");

    public ResultsStrip() {
        getStyleClass().add("results-strip");
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("results-row");
        row.getChildren().add(empty);
        empty.getStyleClass().add("hint-label");
        setContent(row);
        setFitToHeight(true);
        setVbarPolicy(ScrollBarPolicy.NEVER);
        setHbarPolicy(ScrollBarPolicy.AS_NEEDED);
        setMinHeight(THUMB + 40);
        setPrefHeight(THUMB + 40);
        selected.addListener((o, a, b) -> {
            for (javafx.scene.Node n : row.getChildren()) {
                n.getStyleClass().remove("selected");
                if (b != null && n.getUserData() == b) {
                    n.getStyleClass().add("selected");
                }
            }
        });
    }

    /** FX thread: adds a result and selects it. */
    public Entry add(Entry e) {
        InpaintResult r = e.result();
        Image thumb = e.thumb();
        entries.add(e);
        row.getChildren().remove(empty);
        ImageView iv = new ImageView(thumb);
        StackPane frame = new StackPane(iv);
        frame.getStyleClass().add("thumb");
        DraftDecode.mark(frame, r);
        frame.setMinSize(THUMB + 8, THUMB + 8);
        frame.setPrefSize(THUMB + 8, THUMB + 8);
        Label caption = new Label(e.caption());
        caption.getStyleClass().add("thumb-caption");
        VBox cell = new VBox(2, frame, caption);
        cell.setAlignment(Pos.CENTER);
        cell.getStyleClass().add("thumb-cell");
        cell.setUserData(e);
        Tooltip.install(cell, new Tooltip(r.parameters() == null ? "" : r.parameters()));
        cell.setOnMouseClicked(ev -> selected.set(e));
        row.getChildren().add(cell);
        selected.set(e);
        layout();
        setHvalue(1);
        return e;
    }

    public void clear() {
        entries.clear();
        row.getChildren().setAll(empty);
        selected.set(null);
    }

    public ObservableList<Entry> entries() {
        return entries;
    }

    public ObjectProperty<Entry> selectedProperty() {
        return selected;
    }

    /** The clickable cell of an entry (for tests). */
    public javafx.scene.Node cellOf(Entry e) {
        return row.getChildren().stream().filter(n -> n.getUserData() == e).findFirst().orElse(null);
    }
}
