package com.inpaintstudio.app;

import com.inpaintstudio.image.Rect;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.CancelToken;
import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.InpaintResult;
import com.inpaintstudio.pipeline.StepEvent;
import com.inpaintstudio.pipeline.StepListener;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.util.List;
import java.util.Random;
import java.util.prefs.Preferences;

/**
 * Opens the real editor window with a generated landscape, a painted mask and a slow demonstration engine whose
 * previews converge from noise, then starts a generation: used for the screenshot in the README (run under Xvfb).
 */
public final class EditorDemo {
    private EditorDemo() {}

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }

    /** The demo application (a plain main class launches it: JavaFX refuses an Application as the classpath main). */
    public static final class App extends Application {
    @Override
    public void start(Stage stage) {
        Preferences prefs = Preferences.userRoot().node("com/inpaintstudio/editor-demo");
        prefs.putDouble("window.w", 1560);
        prefs.putDouble("window.h", 940);
        prefs.putDouble("window.x", 20);
        prefs.putDouble("window.y", 20);
        prefs.putBoolean("randomSeed", false);
        prefs.put("model", java.nio.file.Path.of("models/sd-inpainting").toAbsolutePath().toString());
        EditorWindow w = new EditorWindow(stage, c -> new DemoEngine(), () -> List.of(ModelChoice.BUILT_IN_FILL,
                new ModelChoice("stable-diffusion-inpainting", java.nio.file.Path.of("models/sd-inpainting"),
                        ModelChoice.Kind.DIFFUSERS_FOLDER)), new FileImageIo(), prefs);
        stage.show();
        java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "inpaint-demo-lake.png");
        Thread maker = new Thread(() -> {
            try {
                if (!java.nio.file.Files.exists(file)) {
                    new FileImageIo().writePng(file, landscape(1536, 1024), java.util.Map.of());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            javafx.application.Platform.runLater(() -> {
                javafx.concurrent.Task<RgbImage> t = w.open(file);
                t.addEventHandler(javafx.concurrent.WorkerStateEvent.WORKER_STATE_SUCCEEDED, e -> javafx.application.Platform.runLater(() -> paintAndGenerate(w)));
            });
        });
        maker.setDaemon(true);
        maker.start();
    }

    private static void paintAndGenerate(EditorWindow w) {
        w.canvas.applyMaskOperation("brush stroke", () -> {
            Rect r = Rect.EMPTY;
            for (int i = 0; i < 12; i++) {
                r = r.union(w.canvas.mask().line(980, 170 + i * 24, 1230, 190 + i * 24, 46, 0.75, false, false));
            }
            return r;
        });
        w.panel.prompt.setText("a red and yellow hot air balloon drifting over the mountains, golden hour, detailed");
        w.panel.negativePrompt.setText("blurry, low quality, watermark");
        w.panel.steps.getValueFactory().setValue(40);
        w.panel.seed.setText("1234567");
        PauseTransition p = new PauseTransition(Duration.seconds(1));
        p.setOnFinished(e -> w.generate());
        p.play();
    }
    }

    static RgbImage landscape(int w, int h) {
        int[] px = new int[w * h];
        Random rnd = new Random(7);
        double horizon = h * 0.58;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r, g, b;
                double ridge1 = horizon - 180 - 90 * Math.sin(x * 0.006) - 50 * Math.sin(x * 0.017 + 1);
                double ridge2 = horizon - 70 - 40 * Math.sin(x * 0.011 + 2) - 25 * Math.sin(x * 0.031);
                if (y < ridge1) { // sky
                    double t = y / ridge1;
                    r = 90 + 150 * t;
                    g = 140 + 90 * t;
                    b = 215 + 25 * t;
                    double sun = Math.hypot(x - 330, y - 200);
                    double glow = Math.max(0, 1 - sun / 260);
                    r += 80 * glow * glow; g += 60 * glow * glow; b -= 20 * glow;
                    if (sun < 55) { r = 255; g = 244; b = 214; }
                } else if (y < ridge2) { // far mountains
                    double t = (y - ridge1) / 200;
                    r = 95 - 20 * t; g = 110 - 10 * t; b = 150 - 20 * t;
                    if (y < ridge1 + 30 && (x / 7 + y / 5) % 3 != 0) { r = 235; g = 238; b = 245; }
                } else if (y < horizon) { // near hills
                    double t = (y - ridge2) / Math.max(1, horizon - ridge2);
                    r = 60 + 20 * t; g = 100 + 20 * t; b = 60;
                } else if (y < h * 0.8) { // lake with a reflection
                    double my = 2 * horizon - y;
                    double t = (y - horizon) / (h * 0.22);
                    r = 70 + 40 * (1 - t); g = 110 + 40 * (1 - t); b = 160 + 30 * (1 - t);
                    if (Math.hypot(x - 330, my - 200) < 60) { r = 230; g = 220; b = 190; }
                    double wave = Math.sin(y * 0.9 + Math.sin(x * 0.05) * 2);
                    r += 10 * wave; g += 10 * wave; b += 12 * wave;
                } else { // meadow
                    double t = (y - h * 0.8) / (h * 0.2);
                    r = 70 + 50 * t; g = 120 + 30 * t; b = 45;
                }
                double n = (rnd.nextInt(9) - 4);
                px[y * w + x] = clamp(r + n) << 16 | clamp(g + n) << 8 | clamp(b + n);
            }
        }
        return new RgbImage(w, h, px);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Slow demonstration engine: a balloon that emerges from noise over the steps. */
    static final class DemoEngine implements InpaintEngine {
        @Override
        public String name() {
            return "stable-diffusion-inpainting";
        }

        @Override
        public InpaintResult generate(InpaintRequest r, StepListener listener, CancelToken cancel) {
            long t0 = System.nanoTime();
            RgbImage photo = r.image();
            int x0 = 900, y0 = 120, w = 420, h = 420;
            Random rnd = new Random(r.seed());
            int[] target = new int[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = photo.get(x0 + x, y0 + y);
                    double dx = x - 210, dy = y - 170;
                    if (dx * dx / (120.0 * 120) + dy * dy / (140.0 * 140) < 1) {
                        boolean stripe = ((int) Math.floor((Math.atan2(dy, dx) + Math.PI) / (Math.PI / 6))) % 2 == 0;
                        double shade = 0.75 + 0.25 * (-dx / 120);
                        p = stripe ? rgb(220 * shade, 40 * shade, 40 * shade) : rgb(245 * shade, 200 * shade, 40 * shade);
                    } else if (Math.abs(dx) < 26 && y > 330 && y < 370) {
                        p = rgb(120, 80, 40);
                    } else if (y > 300 && y < 335 && Math.abs(Math.abs(dx) - (60 - (y - 300) * 1.0)) < 2) {
                        p = rgb(70, 50, 30);
                    }
                    target[y * w + x] = p;
                }
            }
            int done = 0;
            int[] cur = target;
            for (int s = 1; s <= r.steps() && !cancel.isCancelled(); s++) {
                double a = Math.pow((double) s / r.steps(), 1.5);
                cur = new int[w * h];
                for (int i = 0; i < cur.length; i++) {
                    int t = target[i];
                    double n = rnd.nextGaussian() * 90 * (1 - a);
                    cur[i] = rgb(mix(t >> 16 & 0xff, 128 + n, a), mix(t >> 8 & 0xff, 128 + n * 0.8, a),
                            mix(t & 0xff, 128 - n * 0.6, a));
                }
                java.time.Duration el = java.time.Duration.ofNanos(System.nanoTime() - t0);
                listener.onStep(new StepEvent(s, r.steps(), 999 - s * 33, el, el.dividedBy(s).multipliedBy(r.steps() - s),
                        new RgbImage(w, h, cur), x0, y0, w, h, s % 5 == 0));
                done = s;
                try {
                    Thread.sleep(450);
                } catch (InterruptedException e) {
                    break;
                }
            }
            int[] out = photo.rgb().clone();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (r.mask().get(x0 + x, y0 + y) >= 0.5f) {
                        out[(y0 + y) * photo.width() + x0 + x] = cur[y * w + x];
                    }
                }
            }
            return new InpaintResult(new RgbImage(photo.width(), photo.height(), out), r, name(), "pndm",
                    done < r.steps(), done, java.time.Duration.ofNanos(System.nanoTime() - t0),
                    r.prompt() + "\nSteps: " + r.steps() + ", Seed: " + r.seed());
        }

        private static double mix(double t, double n, double a) {
            return t * a + n * (1 - a);
        }

        private static int rgb(double r, double g, double b) {
            return clamp(r) << 16 | clamp(g) << 8 | clamp(b);
        }
    }
}
