package com.inpaintstudio.app;

import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.MaskedContent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The editor's import of A1111 settings (PNG Info -> Send to inpaint): from a PNG or pasted text into the panel. */
@ExtendWith(ApplicationExtension.class)
class SettingsImportTest {
    static final String TEXT = "a stone bridge, (moss:1.2)\nNegative prompt: blurry\n"
            + "Steps: 33, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: 4242, Size: 512x512, "
            + "Model: \"tiny, v2: inpaint\", Denoising strength: 0.7, Mask blur: 9, Masked content: fill, "
            + "Inpaint area: Only masked, Masked area padding: 40";
    @TempDir
    Path dir;
    private SidePanel panel;

    @Start
    void start(Stage stage) {
        panel = new SidePanel();
        stage.setScene(new Scene(panel, 400, 800));
        stage.show();
    }

    @Test
    void pastedInfotextFillsThePanel(FxRobot robot) {
        assertTrue(SettingsImport.fromText("just some words, nothing else").isEmpty(), "plain text is not settings");
        String[] taken = new String[1];
        robot.interact(() -> taken[0] = panel.apply(SettingsImport.fromText(TEXT).orElseThrow()));
        assertTrue(taken[0].contains("steps") && taken[0].contains("seed"), taken[0]);
        InpaintRequest[] built = new InpaintRequest[1];
        robot.interact(() -> built[0] = panel.toRequest().build());
        InpaintRequest r = built[0];
        assertEquals("a stone bridge, (moss:1.2)", r.prompt());
        assertEquals("blurry", r.negativePrompt());
        assertEquals(33, r.steps());
        assertEquals("dpmpp-2m-karras", r.scheduler());
        assertEquals(6.5, r.guidance());
        assertEquals(0.7, r.strength(), 1e-9);
        assertEquals(9, r.maskBlur());
        assertEquals(MaskedContent.FILL, r.maskedContent());
        assertTrue(r.onlyMasked());
        assertEquals(40, r.padding());
        assertFalse(panel.randomSeed.isSelected(), "the imported seed is kept, not replaced by a random one");
        long[] seed = new long[1];
        robot.interact(() -> seed[0] = panel.nextSeed());
        assertEquals(4242L, seed[0]);
    }

    @Test
    void aPngCarriesItsSettingsOtherFilesDoNot() throws Exception {
        Path png = dir.resolve("a1111.png");
        PngMetadata.write(new RgbImage(4, 4, new int[16]), Map.of("parameters", TEXT), png);
        assertEquals(33, SettingsImport.fromPng(png).orElseThrow().steps());
        Path bare = dir.resolve("bare.png");
        PngMetadata.write(new RgbImage(4, 4, new int[16]), Map.of(), bare);
        assertTrue(SettingsImport.fromPng(bare).isEmpty());
        Path txt = Files.writeString(dir.resolve("x.txt"), TEXT);
        assertTrue(SettingsImport.fromPng(txt).isEmpty());
    }
}
