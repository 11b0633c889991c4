package com.inpaintstudio.app;

import com.inpaintstudio.model.lora.LoraInfo;
import com.inpaintstudio.pipeline.LoraSpec;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.prefs.Preferences;

/**
 * The side panel's LoRA list: one row per {@code .safetensors} in the {@code loras} folders, each with an on/off box,
 * its name, and a strength slider (-4..4) with a number field. Ticked rows become the request's LoRAs, exactly as the
 * CLI's {@code --lora NAME:STRENGTH}. Which LoRAs are on and their strengths are kept by name, across rescans and
 * launches. Its {@link FastPresetBar} is placed by the window above Generate. Filled by {@link LoraController}.
 */
public final class LoraListView extends VBox {
    /** One LoRA's row. */
    static final class Row extends VBox {
        final LoraInfo info;
        final CheckBox on = new CheckBox();
        final Slider strength = new Slider(-LoraSpec.MAX_STRENGTH, LoraSpec.MAX_STRENGTH, 1);
        final TextField value = new TextField();
        final Label badge = new Label();

        Row(LoraInfo info, State s) {
            this.info = info;
            getStyleClass().add("lora-row");
            on.setText(info.name());
            on.setSelected(s.on);
            on.setMnemonicParsing(false);
            on.setMaxWidth(Double.MAX_VALUE);
            on.setMinWidth(0);
            strength.setValue(s.strength);
            strength.setMajorTickUnit(1);
            strength.setBlockIncrement(0.05);
            strength.setMaxWidth(Double.MAX_VALUE);
            strength.setOnMouseClicked(e -> { // double click: back to 1 (as trained)
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                    strength.setValue(1);
                }
            });
            value.setPrefColumnCount(4);
            value.setMinWidth(Region.USE_PREF_SIZE);
            value.setAlignment(Pos.CENTER_RIGHT);
            value.setTextFormatter(new TextFormatter<>(c -> c.getControlNewText().matches("[-+0-9.,]*") ? c : null));
            value.setText(format(s.strength));
            strength.valueProperty().addListener((o, a, b) -> {
                double r = Math.round(b.doubleValue() * 20) / 20.0; // 0.05 steps
                if (r != b.doubleValue()) {
                    strength.setValue(r);
                } else {
                    value.setText(format(r));
                }
            });
            value.setOnAction(e -> commitValue());
            value.focusedProperty().addListener((o, was, now) -> {
                if (!now) {
                    commitValue();
                }
            });
            badge.getStyleClass().add("lora-badge");
            badge.setManaged(false);
            badge.setVisible(false);
            badge.setMinWidth(Region.USE_PREF_SIZE);
            Tooltip tip = new Tooltip(tooltip(info));
            tip.setWrapText(true);
            tip.setMaxWidth(420);
            on.setTooltip(tip);
            strength.setTooltip(new Tooltip("Strength: 1 = as trained, 0 = no effect, negative = the opposite;"
                    + " double-click for 1"));
            if (!info.usable()) {
                on.getStyleClass().add("lora-broken");
                on.setText("⚠ " + info.name());
            }
            HBox top = new HBox(6, on, badge);
            top.setAlignment(Pos.CENTER_LEFT);
            HBox.setHgrow(on, Priority.ALWAYS);
            HBox bottom = new HBox(6, strength, value);
            bottom.setAlignment(Pos.CENTER_LEFT);
            HBox.setHgrow(strength, Priority.ALWAYS);
            bottom.disableProperty().bind(on.selectedProperty().not());
            setSpacing(2);
            getChildren().addAll(top, bottom);
        }

        /** Takes the typed number (comma or point; clamped to -4..4); text that is no number reverts. */
        void commitValue() {
            try {
                double v = Double.parseDouble(value.getText().trim().replace(',', '.'));
                if (Double.isFinite(v)) {
                    strength.setValue(Math.max(-LoraSpec.MAX_STRENGTH, Math.min(LoraSpec.MAX_STRENGTH, v)));
                }
            } catch (NumberFormatException e) {
                // reverted below
            }
            value.setText(format(strength.getValue()));
        }

        double strengthValue() {
            return strength.getValue();
        }

        /** Shows that the prompt holds a {@code <lora:NAME:W>} tag for this LoRA (null: it holds none). */
        void promptTag(Double w) {
            boolean show = w != null;
            badge.setVisible(show);
            badge.setManaged(show);
            if (show) {
                badge.setText("in prompt " + format(w));
                badge.setTooltip(new Tooltip(on.isSelected()
                        ? "The prompt also has <lora:" + info.name() + ":" + format(w) + ">; the list's strength counts"
                        + " and the LoRA is applied once."
                        : "The prompt's <lora:" + info.name() + ":" + format(w) + "> applies this LoRA at "
                        + format(w) + " even though it is not ticked here."));
            }
        }

        private static String tooltip(LoraInfo i) {
            return i.name() + "\n" + i.summary() + "\n" + i.file();
        }
    }

    /** What the user set for a LoRA, kept by name while the file comes and goes. */
    static final class State {
        boolean on;
        double strength = 1;
    }

    private final Map<String, State> states = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final VBox rowBox = new VBox(8);
    final Label empty = new Label();
    final FastPresetBar fastBar = new FastPresetBar();
    private Consumer<Row> onToggle = r -> { };

    public LoraListView() {
        getStyleClass().add("lora-list");
        setSpacing(6);
        empty.setWrapText(true);
        empty.getStyleClass().add("lora-empty");
        empty.setMinHeight(Region.USE_PREF_SIZE);
        getChildren().addAll(rowBox, empty); // the window pins fastBar above Generate, in sight however long the list
        setEntries(List.of(), List.of());
    }

    /** Called when the user ticks or unticks a row (after the change). */
    void setOnToggle(Consumer<Row> c) {
        onToggle = c;
    }

    /** Shows these LoRAs (what the user set for each is kept by name); {@code folders} are named when there are none. */
    void setEntries(List<LoraInfo> infos, List<Path> folders) {
        rows.clear();
        for (LoraInfo i : infos) {
            State s = states.computeIfAbsent(key(i.name()), k -> new State());
            Row r = new Row(i, s);
            r.on.selectedProperty().addListener((o, was, now) -> {
                s.on = now;
                onToggle.accept(r);
            });
            r.strength.valueProperty().addListener((o, a, b) -> s.strength = r.strengthValue());
            rows.add(r);
        }
        rowBox.getChildren().setAll(rows);
        rowBox.setVisible(!rows.isEmpty());
        rowBox.setManaged(!rows.isEmpty());
        boolean none = infos.isEmpty();
        empty.setVisible(none);
        empty.setManaged(none);
        Path where = folders.isEmpty() ? Path.of("models", "loras") : folders.get(0);
        empty.setText("No LoRAs yet. Put LoRA .safetensors files into " + where
                + (folders.size() > 1 ? " (or the loras folder of another models folder)" : "")
                + "; the list updates when the window gets the focus.");
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    Row row(String name) {
        return rows.stream().filter(r -> key(r.info.name()).equals(key(name))).findFirst().orElse(null);
    }

    /** The ticked LoRAs with their strengths, in list order: what {@code --lora NAME:STRENGTH} would give. */
    public List<LoraSpec> specs() {
        List<LoraSpec> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.on.isSelected()) {
                r.commitValue();
                out.add(new LoraSpec(r.info.name(), r.info.file(), r.strengthValue()));
            }
        }
        return out;
    }

    /** Marks the rows the prompt names in {@code <lora:NAME:W>} tags (name -> W). */
    void promptTags(Map<String, Double> tags) {
        Map<String, Double> byKey = new LinkedHashMap<>();
        tags.forEach((k, v) -> byKey.putIfAbsent(key(k), v));
        for (Row r : rows) {
            r.promptTag(byKey.get(key(r.info.name())));
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Remembers which LoRAs are on and their strengths (one line each: on, strength, name). */
    void save(Preferences p) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, State> e : states.entrySet()) {
            if (e.getValue().on || e.getValue().strength != 1) {
                sb.append(e.getValue().on ? '1' : '0').append('\t').append(e.getValue().strength).append('\t')
                        .append(e.getKey()).append('\n');
            }
        }
        p.put("loras", sb.toString());
    }

    /** Restores what {@link #save} kept (rows already shown are updated). */
    void load(Preferences p) {
        states.clear();
        for (String line : p.get("loras", "").split("\n")) {
            String[] f = line.split("\t", 3);
            if (f.length == 3) {
                try {
                    State s = new State();
                    s.on = f[0].equals("1");
                    s.strength = Math.max(-LoraSpec.MAX_STRENGTH, Math.min(LoraSpec.MAX_STRENGTH, Double.parseDouble(f[1])));
                    states.put(f[2], s);
                } catch (NumberFormatException e) {
                    // a damaged line is skipped
                }
            }
        }
        List<LoraInfo> infos = rows.stream().map(r -> r.info).toList();
        if (!infos.isEmpty()) {
            Consumer<Row> keep = onToggle;
            onToggle = r -> { };
            setEntries(infos, List.of());
            onToggle = keep;
        }
    }
}
