package com.inpaintstudio.app;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.lora.LoraTestFiles;
import com.inpaintstudio.pipeline.InpaintResult;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static com.inpaintstudio.model.lora.LoraTestFiles.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LoRA list with the real pipeline and the tiny model: a ticked LoRA is merged, and the PNG parameters record it
 * as the CLI's {@code --lora} does; a LoRA for another model family fails in one line in the error bar.
 */
@ExtendWith(ApplicationExtension.class)
class LoraTinyModelEditorTest {
    private EditorWindow window;
    private Preferences prefs;

    @Start
    void start(Stage stage) {
        prefs = Preferences.userRoot().node("com/inpaintstudio/editor-lora-tiny-" + System.nanoTime());
        prefs.putDouble("window.w", 1200);
        prefs.putDouble("window.h", 900);
        prefs.putBoolean("randomSeed", false);
        window = new EditorWindow(stage, Services::openEngine, () -> List.of(ModelChoice.BUILT_IN_FILL), new FileImageIo(), prefs);
        stage.show();
    }

    @AfterEach
    void tearDown() throws Exception {
        org.testfx.api.FxToolkit.cleanupStages();
        prefs.removeNode();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private InpaintResult generate() throws Exception {
        int before = window.strip.entries().size();
        window.notifier.pane().hide();
        WaitForAsyncUtils.asyncFx(window::generate).get();
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> !window.isGenerating());
        WaitForAsyncUtils.waitForFxEvents();
        return window.strip.entries().size() > before ? window.strip.entries().get(window.strip.entries().size() - 1).result()
                : null;
    }

    @Test
    void aTickedLoraIsMergedAndRecordedAndAWrongFamilyIsOneLine(FxRobot robot, @TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        Path model = models.resolve("tiny-sd-inpaint");
        copyTree(Fixtures.modelDir(), model);
        Path loras = Files.createDirectories(models.resolve("loras"));
        Files.copy(LoraTestFiles.root().resolve("lora_a_kohya.safetensors"), loras.resolve("lcm-tiny.safetensors"));
        Map<String, LoraTestFiles.T> te2 = new LinkedHashMap<>(); // an SDXL LoRA (second text encoder)
        te2.put("lora_te2_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight", t(4, 1280));
        te2.put("lora_te2_text_model_encoder_layers_0_self_attn_q_proj.lora_up.weight", t(1280, 4));
        LoraTestFiles.write(loras.resolve("xl-style.safetensors"), te2);

        int[] px = new int[128 * 128];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 128) * 2 << 16 | (i / 128) * 2 << 8 | 0x60;
        }
        robot.interact(() -> window.setPhoto(new RgbImage(128, 128, px), null));
        robot.interact(() -> window.chooseModel(ModelChoice.of(model)));
        window.loras.rescan().get(20, TimeUnit.SECONDS); // what choosing the model starts anyway
        WaitForAsyncUtils.waitForFxEvents();
        LoraListView list = window.panel.loras;
        assertEquals(List.of("lcm-tiny", "xl-style"), list.rows().stream().map(r -> r.info.name()).toList());
        assertTrue(list.row("xl-style").on.getTooltip().getText().contains("SDXL"));

        robot.interact(() -> {
            window.canvas.applyMaskOperation("dab", () -> window.canvas.mask().dab(64, 64, 30, 1, false));
            window.panel.prompt.setText("a stone bridge");
            window.panel.seed.setText("7");
            list.row("lcm-tiny").on.setSelected(true);
            list.row("lcm-tiny").strength.setValue(0.8);
        });
        assertTrue(list.fastBar.isShowing(), "the LCM LoRA proposes the fast settings");
        robot.interact(list.fastBar.primary::fire);
        InpaintResult r = generate();
        assertFalse(window.notifier.isShowing() && window.notifier.lastMessage().startsWith("⚠"),
                String.valueOf(window.notifier.lastMessage()));
        String p = r.parameters();
        assertTrue(p.startsWith("a stone bridge <lora:lcm-tiny:0.8>\n"), p);
        assertTrue(p.matches("(?s).*Lora hashes: \"lcm-tiny: [0-9a-f]{12}\".*"), p);
        assertTrue(p.contains("Steps: 6,") && p.contains("Sampler: LCM") && p.contains("CFG scale: 1.0"), p);

        // an SDXL LoRA on this SD-1-layout model: one line in the error bar, no stack trace
        robot.interact(() -> {
            list.row("lcm-tiny").on.setSelected(false);
            list.fastBar.secondary.fire();
            list.row("xl-style").on.setSelected(true);
        });
        String warned = window.notifier.lastMessage();
        assertTrue(window.notifier.isShowing() && warned.contains("xl-style was made for SDXL but the chosen model is"
                + " SD-1.x"), "ticking it warns at once: " + warned);
        InpaintResult failed = generate();
        String msg = window.notifier.lastMessage();
        assertEquals(null, failed, "no result");
        assertTrue(window.notifier.isShowing() && msg.startsWith("⚠") && msg.contains("SDXL"), msg);
        assertFalse(msg.contains("\n") || msg.contains("Exception") || msg.contains("\tat "), "one plain line: " + msg);
    }
}
