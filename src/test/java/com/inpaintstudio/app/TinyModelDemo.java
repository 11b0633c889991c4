package com.inpaintstudio.app;

import com.inpaintstudio.image.Rect;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.List;
import java.util.prefs.Preferences;

/**
 * The real editor with the real engines: the sample photo, a brushed mask over the signpost and a generation with
 * the model folder given as the first argument (the tiny fixture model for the README screenshot), and, when a TAESD
 * folder is the second argument, Auto previews through it (60 steps, the TAESD screenshot). Prints
 * {@code PREVIEW_ON_CANVAS step n} once a step's preview is drawn, so a script can take the screenshot (Xvfb).
 */
public final class TinyModelDemo {
    private TinyModelDemo() {}

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }

    public static final class App extends Application {
        @Override
        public void start(Stage stage) {
            Path model = Path.of(getParameters().getUnnamed().get(0)).toAbsolutePath();
            Preferences prefs = Preferences.userRoot().node("com/inpaintstudio/editor-tiny-demo");
            prefs.putDouble("window.w", 1560);
            prefs.putDouble("window.h", 940);
            prefs.putDouble("window.x", 20);
            prefs.putDouble("window.y", 20);
            prefs.putBoolean("randomSeed", false);
            prefs.put("model", model.toString());
            // optional second argument: a TAESD folder, used for Auto previews (the TAESD screenshot)
            Path taesd = getParameters().getUnnamed().size() > 1
                    ? Path.of(getParameters().getUnnamed().get(1)).toAbsolutePath() : null;
            EngineProvider engines = taesd == null ? Services::openEngine
                    : c -> c.kind() == ModelChoice.Kind.BUILT_IN_FILL ? com.inpaintstudio.pipeline.Engines.builtInFill()
                    : com.inpaintstudio.pipeline.Engines.open(c.path(), taesd);
            EditorWindow w = new EditorWindow(stage, engines,
                    () -> Services.scan(List.of(model.getParent())), new FileImageIo(), prefs);
            stage.show();
            w.startWith(List.of());
            w.chooseModel(ModelChoice.of(model));
            w.canvas.applyMaskOperation("brush strokes", () -> {
                Rect r = Rect.EMPTY;
                for (int i = 0; i < 7; i++) {
                    r = r.union(w.canvas.mask().line(420, 400 + i * 12, 505, 404 + i * 12, 30, 0.7, false, false));
                }
                return r;
            });
            w.panel.prompt.setText("green meadow grass, wild flowers, soft afternoon light");
            w.panel.negativePrompt.setText("signpost, text, blurry");
            w.panel.steps.getValueFactory().setValue(30);
            w.panel.seed.setText("20261129");
            w.panel.scheduler.setValue("ddim");
            w.panel.preview.setValue(taesd == null ? com.inpaintstudio.pipeline.PreviewMode.VAE
                    : com.inpaintstudio.pipeline.PreviewMode.AUTO);
            if (taesd != null) {
                w.panel.steps.getValueFactory().setValue(60);
            }
            w.generate();
            new AnimationTimer() {
                private int reported;

                @Override
                public void handle(long now) {
                    int s = w.pump().lastDrawnStep();
                    if (s > reported) {
                        reported = s;
                        System.out.println("PREVIEW_ON_CANVAS step " + s + " · " + w.status.getText());
                    }
                }
            }.start();
        }
    }
}
