package com.inpaintstudio.app;

import com.inpaintstudio.pipeline.InfotextSettings;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.MaskedContent;
import com.inpaintstudio.pipeline.PreviewMode;
import com.inpaintstudio.scheduler.SchedulerCatalog;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.prefs.Preferences;
import java.util.stream.Stream;

/** Prompt and generation settings; builds the request and remembers its values between launches. */
public final class SidePanel extends VBox {
    public static final String MODEL_DEFAULT = "model default";
    public static final List<String> SCHEDULERS = Stream.concat(Stream.of(MODEL_DEFAULT),
            SchedulerCatalog.names().stream()).toList();

    final ComboBox<ModelChoice> model = new ComboBox<>();
    final Button browseModel = new Button("…");
    final TextArea prompt = new TextArea();
    final TextArea negativePrompt = new TextArea();
    final Spinner<Integer> steps = new Spinner<>(1, 200, 25);
    final Spinner<Double> guidance = new Spinner<>(0.0, 30.0, 7.5, 0.5);
    final Spinner<Double> strength = new Spinner<>(0.0, 1.0, 1.0, 0.05);
    final ComboBox<String> scheduler = new ComboBox<>(FXCollections.observableArrayList(SCHEDULERS));
    final TextField seed = new TextField("0");
    final CheckBox randomSeed = new CheckBox("New random seed each run");
    final Button reuseSeed = new Button("Last");
    final Spinner<Integer> batch = new Spinner<>(1, 32, 1);
    final Spinner<Integer> maskBlur = new Spinner<>(0, 128, 4);
    final ChoiceBox<String> area = new ChoiceBox<>(FXCollections.observableArrayList("Whole picture", "Only masked",
            "Only masked, tiled (any size)"));
    /** Index of the inpaint-area choice that generates large masked areas in tiles at the model's size. */
    static final int AREA_TILED = 2;
    final Spinner<Integer> padding = new Spinner<>(0, 512, 32, 8);
    final ChoiceBox<PreviewMode> preview = new ChoiceBox<>(FXCollections.observableArrayList(PreviewMode.values()));
    final ChoiceBox<MaskedContent> maskedContent = new ChoiceBox<>(FXCollections.observableArrayList(MaskedContent.values()));
    final Button generate = new Button("Generate");
    /** The LoRAs in the models' loras folders, filled by {@link LoraController}. */
    final LoraListView loras = new LoraListView();
    private final LongProperty lastSeed = new SimpleLongProperty(-1);
    private final Random random = new Random();

    public SidePanel() {
        getStyleClass().add("side-panel");
        setSpacing(6);
        setPadding(new Insets(10));
        setFillWidth(true);

        prompt.setPromptText("What should appear in the masked area");
        prompt.setWrapText(true);
        prompt.setPrefRowCount(4);
        negativePrompt.setPromptText("What to avoid");
        negativePrompt.setWrapText(true);
        negativePrompt.setPrefRowCount(2);
        for (Spinner<?> s : List.of(steps, guidance, strength, batch, maskBlur, padding)) {
            s.setEditable(true);
            lenient(s);
            s.setMaxWidth(Double.MAX_VALUE);
            s.focusedProperty().addListener((o, was, now) -> { // commit typed text when leaving the field
                if (!now) {
                    commit(s);
                }
            });
        }
        scheduler.getSelectionModel().selectFirst();
        scheduler.setMaxWidth(Double.MAX_VALUE);
        seed.setTextFormatter(new TextFormatter<>(c -> c.getControlNewText().matches("-?\\d{0,19}") ? c : null));
        seed.disableProperty().bind(randomSeed.selectedProperty());
        reuseSeed.disableProperty().bind(lastSeed.lessThan(0));
        reuseSeed.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        LazyTooltip.set(reuseSeed, "Put the seed of the last generation back and turn off Random");
        reuseSeed.setOnAction(e -> {
            randomSeed.setSelected(false);
            seed.setText(Long.toString(lastSeed.get()));
        });
        area.getSelectionModel().selectFirst();
        padding.disableProperty().bind(area.getSelectionModel().selectedIndexProperty().isEqualTo(0));
        preview.setConverter(new StringConverter<>() {
            @Override public String toString(PreviewMode m) {
                return m == null ? "" : switch (m) {
                    case AUTO -> "Auto";
                    case TAESD -> "TAESD every step";
                    case VAE -> "VAE every step";
                    case LINEAR -> "Linear (fast)";
                    case NONE -> "None";
                };
            }
            @Override public PreviewMode fromString(String s) { return PreviewMode.AUTO; }
        });
        preview.getSelectionModel().select(PreviewMode.AUTO);
        maskedContent.setConverter(new StringConverter<>() {
            @Override public String toString(MaskedContent m) {
                return m == null ? "" : m == MaskedContent.ORIGINAL ? "Starts from the original" : "Starts from a fill";
            }
            @Override public MaskedContent fromString(String s) { return MaskedContent.ORIGINAL; }
        });
        maskedContent.getSelectionModel().select(MaskedContent.ORIGINAL);
        model.setMaxWidth(Double.MAX_VALUE);
        LazyTooltip.set(browseModel, "Choose a diffusers model folder or a checkpoint file");
        generate.getStyleClass().add("generate-button");
        generate.setMaxWidth(Double.MAX_VALUE);
        LazyTooltip.set(generate, "Generate (Ctrl+Enter) · Cancel (Esc)");

        HBox modelRow = new HBox(4, model, browseModel);
        HBox.setHgrow(model, Priority.ALWAYS);
        HBox seedRow = new HBox(4, seed, reuseSeed);
        HBox.setHgrow(seed, Priority.ALWAYS);
        seedRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        ColumnConstraints c0 = new ColumnConstraints();
        c0.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        ColumnConstraints c1 = new ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        c1.setFillWidth(true);
        grid.getColumnConstraints().addAll(c0, c1);
        int row = 0;
        grid.addRow(row++, label("Steps"), steps);
        grid.addRow(row++, label("Guidance"), guidance);
        grid.addRow(row++, label("Strength"), strength);
        grid.addRow(row++, label("Scheduler"), scheduler);
        grid.addRow(row++, label("Seed"), seedRow);
        grid.add(randomSeed, 1, row++);
        grid.addRow(row++, label("Batch"), batch);
        grid.addRow(row++, label("Mask blur"), maskBlur);
        grid.addRow(row++, label("Inpaint area"), area);
        grid.addRow(row++, label("Padding"), padding);
        grid.addRow(row++, label("Masked area"), maskedContent);
        grid.addRow(row, label("Preview"), preview);
        for (javafx.scene.Node n : grid.getChildren()) {
            if (n instanceof javafx.scene.control.Control c && !(n instanceof Label)) {
                c.setMaxWidth(Double.MAX_VALUE);
            }
        }

        getChildren().addAll(section("Model"), modelRow, section("Prompt"), prompt, section("Negative prompt"),
                negativePrompt, section("LoRAs"), loras, section("Settings"), grid);
        VBox.setVgrow(prompt, Priority.SOMETIMES);
        // the window pins {@code generate} below the panel's scroll pane, so it is never scrolled out of sight
    }

    private static Label label(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("field-label");
        return l;
    }

    private static Label section(String s) {
        Label l = new Label(s.toUpperCase(Locale.ROOT));
        l.getStyleClass().add("section-label");
        return l;
    }

    private static <T> void commit(Spinner<T> s) {
        try {
            T v = s.getValueFactory().getConverter().fromString(s.getEditor().getText());
            if (v != null) {
                s.getValueFactory().setValue(v);
            }
        } catch (RuntimeException e) {
            // reverted below
        }
        s.getEditor().setText(s.getValueFactory().getConverter().toString(s.getValue())); // "25]e" -> "25"
    }

    /**
     * Number fields take only number characters, and text that is still no number (a lone "-") keeps the current
     * value: the spinner's own commit on focus loss never throws a NumberFormatException on the FX thread.
     */
    private static <T> void lenient(Spinner<T> s) {
        s.getEditor().setTextFormatter(new TextFormatter<>(c -> c.getControlNewText().matches("[-+0-9.,]*") ? c : null));
        StringConverter<T> strict = s.getValueFactory().getConverter();
        s.getValueFactory().setConverter(new StringConverter<>() {
            @Override public String toString(T v) {
                return strict.toString(v);
            }

            @Override public T fromString(String text) {
                try {
                    T v = strict.fromString(text == null ? "" : text.trim().replace(',', '.'));
                    return v != null ? v : s.getValue();
                } catch (RuntimeException e) {
                    return s.getValue();
                }
            }
        });
    }

    /** The seed for the next run: a fresh random one when "Random" is on. Also shows it in the field. */
    public long nextSeed() {
        long s;
        if (randomSeed.isSelected()) {
            s = random.nextLong() & 0xffffffffL;
            seed.setText(Long.toString(s));
        } else {
            try {
                s = Long.parseLong(seed.getText().trim());
            } catch (NumberFormatException e) {
                s = 0;
                seed.setText("0");
            }
        }
        return s;
    }

    /** True when large masked areas are generated in tiles ({@link com.inpaintstudio.pipeline.TilingEngine}). */
    public boolean tiled() {
        return area.getSelectionModel().getSelectedIndex() == AREA_TILED;
    }

    /** The mask blur (paste-back feather) in pixels. */
    public int maskBlurValue() {
        return maskBlur.getValue() == null ? 0 : maskBlur.getValue();
    }

    public LongProperty lastSeedProperty() {
        return lastSeed;
    }

    public int batchCount() {
        commit(batch);
        return batch.getValue();
    }

    /** A request from the current values (image, mask and seed are set by the caller). */
    public InpaintRequest.Builder toRequest() {
        for (Spinner<?> s : List.of(steps, guidance, strength, batch, maskBlur, padding)) {
            commit(s);
        }
        String sch = scheduler.getValue();
        return InpaintRequest.builder()
                .prompt(prompt.getText())
                .negativePrompt(negativePrompt.getText())
                .steps(steps.getValue())
                .guidance(guidance.getValue())
                .strength(strength.getValue())
                .scheduler(sch == null || sch.equals(MODEL_DEFAULT) ? null : sch)
                .maskBlur(maskBlur.getValue())
                .onlyMasked(area.getSelectionModel().getSelectedIndex() >= 1)
                .padding(padding.getValue())
                .preview(preview.getValue())
                .maskedContent(maskedContent.getValue())
                .loras(loras.specs());
    }

    /**
     * Takes over the settings of an A1111 / Inpaint Studio parameters text ("PNG Info -> Send to inpaint"): what
     * the text holds replaces the panel's value, the rest stays. Returns a short description of what was taken.
     */
    public String apply(InfotextSettings s) {
        List<String> taken = new ArrayList<>();
        prompt.setText(s.prompt());
        negativePrompt.setText(s.negativePrompt());
        if (s.steps() != null && s.steps() >= 1 && s.steps() <= 200) {
            steps.getValueFactory().setValue(s.steps());
            taken.add("steps");
        }
        if (s.guidance() != null && s.guidance() >= 0 && s.guidance() <= 30) {
            guidance.getValueFactory().setValue(s.guidance());
            taken.add("CFG scale");
        }
        if (s.strength() != null && s.strength() >= 0 && s.strength() <= 1) {
            strength.getValueFactory().setValue(s.strength());
            taken.add("denoising strength");
        }
        if (s.scheduler() != null && SCHEDULERS.contains(s.scheduler())) {
            scheduler.getSelectionModel().select(s.scheduler());
            taken.add("sampler");
        }
        if (s.seed() != null) {
            seed.setText(Long.toString(s.seed()));
            randomSeed.setSelected(false);
            taken.add("seed");
        }
        if (s.maskBlur() != null && s.maskBlur() >= 0 && s.maskBlur() <= 128) {
            maskBlur.getValueFactory().setValue(s.maskBlur());
            taken.add("mask blur");
        }
        if (s.onlyMasked() != null) {
            area.getSelectionModel().select(s.onlyMasked() ? 1 : 0);
            taken.add("inpaint area");
        }
        if (s.padding() != null && s.padding() >= 0 && s.padding() <= 512) {
            padding.getValueFactory().setValue(s.padding());
            taken.add("padding");
        }
        if (s.maskedContent() != null) {
            maskedContent.setValue(s.maskedContent());
            taken.add("masked content");
        }
        return taken.isEmpty() ? "prompt" : "prompt, " + String.join(", ", taken);
    }

    /** Remembers the panel's values. */
    public void save(Preferences p) {
        p.put("prompt", prompt.getText());
        p.put("negativePrompt", negativePrompt.getText());
        p.putInt("steps", steps.getValue());
        p.putDouble("guidance", guidance.getValue());
        p.putDouble("strength", strength.getValue());
        p.put("scheduler", scheduler.getValue() == null ? MODEL_DEFAULT : scheduler.getValue());
        p.put("seed", seed.getText());
        p.putBoolean("randomSeed", randomSeed.isSelected());
        p.putInt("batch", batch.getValue());
        p.putInt("maskBlur", maskBlur.getValue());
        p.putInt("area", area.getSelectionModel().getSelectedIndex());
        p.putInt("padding", padding.getValue());
        p.put("preview", preview.getValue().name());
        p.put("maskedContent", maskedContent.getValue().name());
        loras.save(p);
    }

    /** Restores the values remembered by {@link #save}. */
    public void load(Preferences p) {
        prompt.setText(p.get("prompt", ""));
        negativePrompt.setText(p.get("negativePrompt", ""));
        steps.getValueFactory().setValue(p.getInt("steps", 25));
        guidance.getValueFactory().setValue(p.getDouble("guidance", 7.5));
        strength.getValueFactory().setValue(p.getDouble("strength", 1.0));
        String sch = p.get("scheduler", MODEL_DEFAULT);
        scheduler.getSelectionModel().select(SCHEDULERS.contains(sch) ? sch : MODEL_DEFAULT);
        seed.setText(p.get("seed", "0").matches("-?\\d{1,19}") ? p.get("seed", "0") : "0");
        randomSeed.setSelected(p.getBoolean("randomSeed", true));
        batch.getValueFactory().setValue(p.getInt("batch", 1));
        maskBlur.getValueFactory().setValue(p.getInt("maskBlur", 4));
        area.getSelectionModel().select(Math.max(0, Math.min(AREA_TILED, p.getInt("area", 0))));
        padding.getValueFactory().setValue(p.getInt("padding", 32));
        loras.load(p);
        try {
            preview.setValue(PreviewMode.valueOf(p.get("preview", "AUTO")));
            maskedContent.setValue(MaskedContent.valueOf(p.get("maskedContent", "ORIGINAL")));
        } catch (IllegalArgumentException e) {
            preview.setValue(PreviewMode.AUTO);
            maskedContent.setValue(MaskedContent.ORIGINAL);
        }
    }
}
