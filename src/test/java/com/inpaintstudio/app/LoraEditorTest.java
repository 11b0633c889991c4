package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.lora.LoraTestFiles;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.LoraSpec;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #11 item 6: the side panel's LoRA list, its way into the request, and the LCM/TCD fast preset. */
@ExtendWith(ApplicationExtension.class)
class LoraEditorTest {
    private final FakeEngine engine = new FakeEngine();
    private Path models;
    private ModelChoice fakeSd;
    private Preferences prefs;
    private EditorWindow window;

    @Start
    void start(Stage stage) throws Exception {
        models = Files.createTempDirectory("lora-editor-models");
        fakeSd = new ModelChoice("fake sd", models.resolve("fake-sd"), ModelChoice.Kind.DIFFUSERS_FOLDER);
        prefs = Preferences.userRoot().node("com/inpaintstudio/editor-lora-" + System.nanoTime());
        prefs.putDouble("window.w", 1200);
        prefs.putDouble("window.h", 900);
        prefs.putBoolean("randomSeed", false);
        prefs.put("model", fakeSd.key());
        window = new EditorWindow(stage, c -> engine, () -> List.of(ModelChoice.BUILT_IN_FILL, fakeSd),
                new FileImageIo(), prefs);
        stage.show();
        int[] px = new int[200 * 150];
        java.util.Arrays.fill(px, 0x406080);
        window.setPhoto(new RgbImage(200, 150, px), null);
    }

    @AfterEach
    void tearDown() throws Exception {
        org.testfx.api.FxToolkit.cleanupStages();
        prefs.removeNode();
        try (var files = Files.walk(models)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void rescan() throws Exception {
        window.loras.rescan().get(20, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private LoraListView list() {
        return window.panel.loras;
    }

    @Test
    void aDroppedLoraIsListedTickedWeightedAndSentWithTheFastPreset(FxRobot robot) throws Exception {
        rescan();
        assertTrue(list().rows().isEmpty());
        assertTrue(list().empty.isVisible(), "the empty state shows");
        assertTrue(list().empty.getText().contains(models.resolve("loras").toAbsolutePath().toString()),
                "it names the folder beside the model: " + list().empty.getText());

        // the user drops two LoRAs into models/loras; the list shows them when the window gets the focus back
        Path loras = Files.createDirectories(models.resolve("loras"));
        Files.copy(LoraTestFiles.root().resolve("lora_a_kohya.safetensors"), loras.resolve("film-grain.safetensors"));
        Files.copy(LoraTestFiles.root().resolve("lora_b_peft.safetensors"), loras.resolve("lcm-tiny.safetensors"));
        rescan();
        assertEquals(List.of("film-grain", "lcm-tiny"), list().rows().stream().map(r -> r.info.name()).toList());
        assertFalse(list().empty.isVisible());
        LoraListView.Row grain = list().row("film-grain");
        LoraListView.Row lcm = list().row("lcm-tiny");
        assertTrue(lcm.on.getTooltip().getText().contains("rank 8 · 128 layers · LCM"), lcm.on.getTooltip().getText());
        assertFalse(grain.on.isSelected());
        assertEquals(List.of(), window.panel.toRequest().build().loras(), "nothing ticked, nothing sent");

        // tick film-grain with a click, set 0.8 by typing into its number field, then move its slider
        robot.clickOn(grain.on);
        assertTrue(grain.on.isSelected());
        robot.clickOn(grain.value);
        robot.interact(grain.value::selectAll);
        robot.write("0.8").type(KeyCode.ENTER);
        assertEquals(0.8, grain.strength.getValue(), 1e-9, "typed strength reaches the slider");
        robot.interact(() -> grain.strength.setValue(1.7342));
        assertEquals(1.75, grain.strength.getValue(), 1e-9, "the slider moves in 0.05 steps");
        assertEquals("1.75", grain.value.getText(), "the number shows the slider's value");
        assertFalse(list().fastBar.isShowing(), "a plain LoRA proposes nothing");

        // an LCM LoRA proposes the fast settings without changing anything yet
        robot.clickOn(lcm.on);
        assertTrue(list().fastBar.isShowing());
        assertEquals("LCM LoRA on (lcm-tiny): use fast settings (6 steps, guidance 1, LCM)?",
                list().fastBar.message.getText());
        assertEquals(25, window.panel.steps.getValue(), "not applied before the user says so");
        assertEquals(SidePanel.MODEL_DEFAULT, window.panel.scheduler.getValue());
        robot.clickOn(list().fastBar.primary);
        assertEquals(6, window.panel.steps.getValue());
        assertEquals(1.0, window.panel.guidance.getValue());
        assertEquals("lcm", window.panel.scheduler.getValue());
        assertTrue(list().fastBar.isShowing() && list().fastBar.message.getText().startsWith("Fast settings on"),
                "it says what it did and offers Undo: " + list().fastBar.message.getText());
        assertEquals("Undo", list().fastBar.primary.getText());

        // Generate sends both LoRAs the way --lora does, with the fast settings
        robot.interact(() -> window.canvas.applyMaskOperation("dab", () -> window.canvas.mask().dab(100, 75, 30, 1, false)));
        robot.interact(window::generate);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !window.isGenerating());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, engine.requests.size());
        InpaintRequest sent = engine.requests.get(0);
        assertEquals(List.of(new LoraSpec("film-grain", loras.resolve("film-grain.safetensors").toAbsolutePath().normalize(), 1.75),
                new LoraSpec("lcm-tiny", loras.resolve("lcm-tiny.safetensors").toAbsolutePath().normalize(), 1.0)),
                sent.loras());
        assertEquals(6, sent.steps());
        assertEquals(1.0, sent.guidance());
        assertEquals("lcm", sent.scheduler());

        // switching the LCM LoRA off offers the old values back
        robot.clickOn(lcm.on);
        assertTrue(list().fastBar.isShowing());
        assertEquals("LCM LoRA off: go back to 25 steps, guidance 7.5, the model's scheduler?",
                list().fastBar.message.getText());
        assertEquals(6, window.panel.steps.getValue(), "still the user's choice until Restore");
        robot.clickOn(list().fastBar.primary);
        assertEquals(25, window.panel.steps.getValue());
        assertEquals(7.5, window.panel.guidance.getValue());
        assertEquals(SidePanel.MODEL_DEFAULT, window.panel.scheduler.getValue());
        assertFalse(list().fastBar.isShowing());
        assertEquals(List.of("film-grain"), window.panel.toRequest().build().loras().stream().map(LoraSpec::name).toList());

        // Dismiss leaves the settings alone
        robot.clickOn(lcm.on);
        robot.clickOn(list().fastBar.secondary);
        assertFalse(list().fastBar.isShowing());
        assertEquals(25, window.panel.steps.getValue());

        // what is ticked and its strength survive a relaunch (the panel's saved values)
        Preferences saved = Preferences.userRoot().node("com/inpaintstudio/editor-lora-saved-" + System.nanoTime());
        try {
            robot.interact(() -> window.panel.save(saved));
            LoraListView fresh = new LoraListView();
            fresh.load(saved);
            fresh.setEntries(list().rows().stream().map(r -> r.info).toList(), List.of());
            assertEquals(window.panel.toRequest().build().loras(), fresh.specs());
        } finally {
            saved.removeNode();
        }
    }

    @Test
    void aBrokenFileIsRefusedInOneLineAndPromptTagsAreShown(FxRobot robot) throws Exception {
        Path loras = Files.createDirectories(models.resolve("loras"));
        Files.write(loras.resolve("broken.safetensors"), new byte[] {9, 9, 9, 9});
        Files.copy(LoraTestFiles.root().resolve("lora_b_peft.safetensors"), loras.resolve("style.safetensors"));
        rescan();
        LoraListView.Row broken = list().row("broken");
        assertNotNull(broken);
        assertTrue(broken.on.getText().startsWith("⚠"), "marked in the list: " + broken.on.getText());
        assertTrue(broken.on.getTooltip().getText().contains("not usable"), broken.on.getTooltip().getText());
        robot.clickOn(broken.on);
        assertFalse(broken.on.isSelected(), "a broken LoRA cannot be ticked");
        String msg = window.notifier.lastMessage();
        assertTrue(window.notifier.isShowing() && msg.startsWith("⚠") && msg.contains("broken.safetensors"), msg);
        assertFalse(msg.contains("\n") || msg.contains("Exception") || msg.contains("\tat "), "one plain line: " + msg);
        assertFalse(msg.contains(models.toString()), "the reason, not the folder: " + msg);
        assertEquals(List.of(), window.panel.toRequest().build().loras());

        // a tag typed (or pasted with PNG settings) into the prompt keeps working, and its row says so
        LoraListView.Row style = list().row("style");
        assertFalse(style.badge.isVisible());
        robot.interact(() -> window.panel.prompt.setText("a cat <lora:Style:0.6>"));
        assertTrue(style.badge.isVisible());
        assertEquals("in prompt 0.60", style.badge.getText());
        assertEquals(List.of(), window.panel.toRequest().build().loras(),
                "the tag is applied by the engine from the prompt, not sent twice");
        robot.interact(() -> window.panel.prompt.setText("a cat"));
        assertFalse(style.badge.isVisible());
        // pasted A1111 infotext (Ctrl+V, or a PNG's settings) with a tag: the row shows it too
        robot.interact(() -> window.panel.apply(SettingsImport.fromText(
                "a dog <lora:style:0.9>\nSteps: 6, Sampler: LCM, CFG scale: 1, Seed: 3").orElseThrow()));
        assertEquals("in prompt 0.90", style.badge.getText());
        assertTrue(style.badge.isVisible());

        // the file is removed: the row goes at the next rescan
        Files.delete(loras.resolve("broken.safetensors"));
        rescan();
        assertEquals(List.of("style"), list().rows().stream().map(r -> r.info.name()).toList());
    }
}
