package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.DiffusersFolder;
import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.model.PreviewDecoderEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TAESD previews on the tiny model with the tiny random TAESD: one decoded preview per step, auto, refusals. */
class TaesdPreviewTest {
    private static DiffusionEngine engine;

    @BeforeAll
    static void load() {
        engine = DiffusionEngine.open(DiffusersFolder.open(Fixtures.modelDir()));
        engine.usePreviewDecoder(PreviewDecoder.load(Fixtures.taesdDir(), engine.model()));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static InpaintRequest.Builder small() {
        return InpaintRequest.builder().image(TestModels.photo(64, 64)).mask(TestModels.box(64, 64, 16, 16, 24, 24))
                .prompt("a cat with a hat").steps(3).scheduler("ddim").size(64, 64).seed(3);
    }

    private static List<StepEvent> run(InpaintRequest r) {
        List<StepEvent> events = new ArrayList<>();
        engine.generate(r, events::add, null);
        return events;
    }

    @Test
    void taesdModeYieldsOneDecodedPreviewPerStep() {
        List<StepEvent> events = run(small().preview(PreviewMode.TAESD).build());
        assertEquals(3, events.size());
        for (StepEvent e : events) {
            assertEquals(PreviewKind.TAESD, e.previewKind(), "step " + e.step());
            assertTrue(e.previewDecoded());
            assertNotNull(e.preview());
            assertEquals(64, e.preview().width());
            assertEquals(64, e.preview().height());
        }
        // a real decode, not the linear map or the VAE: the pictures inside the mask differ
        List<StepEvent> linear = run(small().preview(PreviewMode.LINEAR).build());
        List<StepEvent> vae = run(small().preview(PreviewMode.VAE).build());
        int inside = 30 * 64 + 30;
        assertNotEquals(linear.get(2).preview().rgb()[inside], events.get(2).preview().rgb()[inside]);
        assertNotEquals(vae.get(2).preview().rgb()[inside], events.get(2).preview().rgb()[inside]);
        // outside the mask (and its feather) the photo shows unchanged, as with the other previews
        assertEquals(TestModels.photo(64, 64).rgb()[2 * 64 + 2], events.get(2).preview().rgb()[2 * 64 + 2]);
        assertTrue(Arrays.stream(events.get(2).preview().rgb()).distinct().count() > 20);
    }

    @Test
    void autoDecodesThroughTaesdWhenOneIsThere() {
        List<StepEvent> events = run(small().preview(PreviewMode.AUTO).build());
        assertEquals(PreviewKind.TAESD, events.get(0).previewKind(), "the first step probes TAESD");
        assertTrue(events.stream().noneMatch(e -> e.previewKind() == PreviewKind.VAE), "never the full VAE");
        assertTrue(events.stream().allMatch(e -> e.preview() != null));
    }

    @Test
    void draftFinalDecodeGoesThroughTaesd() {
        float[][] last = new float[1][];
        long[][] shape = new long[1][];
        engine.setTrace((i, t, latents, x0, guided) -> {
            last[0] = latents.toFloatArray();
            shape[0] = latents.getShape().getShape();
        });
        InpaintResult draft;
        try {
            draft = engine.generate(small().preview(PreviewMode.NONE).pasteBack(false).draftDecode(true).build(), null, null);
        } finally {
            engine.setTrace(null);
        }
        assertTrue(draft.parameters().contains("VAE: TAESD (draft)"), draft.parameters());
        com.inpaintstudio.image.RgbImage expected;
        try (ai.djl.ndarray.NDManager m = com.inpaintstudio.tensor.DjlRuntime.newManager()) {
            ai.djl.ndarray.NDArray lat = m.create(last[0], new ai.djl.ndarray.types.Shape(shape[0]));
            com.inpaintstudio.nn.AutoencoderTiny taesd = engine.previewDecoder().taesd();
            expected = com.inpaintstudio.image.TensorConversions.fromChw(taesd.decode(lat).toFloatArray(), 64, 64);
        }
        assertEquals(Arrays.stream(expected.rgb()).boxed().toList(), Arrays.stream(draft.image().rgb()).boxed().toList(),
                "the draft picture is TAESD's decode of the final latents");
        InpaintResult full = engine.generate(small().preview(PreviewMode.NONE).pasteBack(false).build(), null, null);
        assertFalse(Arrays.equals(full.image().rgb(), draft.image().rgb()), "the default decode is still the VAE");
        try (DiffusionEngine plain = DiffusionEngine.open(DiffusersFolder.open(Fixtures.modelDir()))) {
            InpaintException e = assertThrows(InpaintException.class,
                    () -> plain.generate(small().draftDecode(true).build(), null, null));
            assertTrue(e.getMessage().contains("--final-decode taesd") && e.getMessage().contains("madebyollin/taesd"),
                    e.getMessage());
        }
    }

    @Test
    void vaeModeStillUsesTheVae() {
        assertTrue(run(small().preview(PreviewMode.VAE).build()).stream().allMatch(e -> e.previewKind() == PreviewKind.VAE));
    }

    @Test
    void taesdModeWithoutATaesdSaysHowToGetOne() {
        try (DiffusionEngine plain = DiffusionEngine.open(DiffusersFolder.open(Fixtures.modelDir()))) {
            InpaintException e = assertThrows(InpaintException.class,
                    () -> plain.generate(small().preview(PreviewMode.TAESD).build(), null, null));
            assertTrue(e.getMessage().contains("inpaint-studio download madebyollin/taesd"), e.getMessage());
            assertTrue(e.getMessage().contains("--preview-model"), e.getMessage());
            // auto without a TAESD behaves as before: VAE decodes or the linear map
            List<StepEvent> events = new ArrayList<>();
            plain.generate(small().preview(PreviewMode.AUTO).build(), events::add, null);
            assertTrue(events.stream().noneMatch(x -> x.previewKind() == PreviewKind.TAESD));
        }
    }

    static Path copyTaesd(Path root, String name, String configEdit) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.copy(Fixtures.taesdDir().resolve("diffusion_pytorch_model.safetensors"),
                dir.resolve("diffusion_pytorch_model.safetensors"), StandardCopyOption.REPLACE_EXISTING);
        JsonObject cfg = JsonParser.parseString(Files.readString(Fixtures.taesdDir().resolve("config.json")))
                .getAsJsonObject();
        if (configEdit != null) {
            cfg.addProperty(configEdit.split("=")[0], Double.parseDouble(configEdit.split("=")[1]));
        }
        Files.writeString(dir.resolve("config.json"), cfg.toString());
        return dir;
    }

    @Test
    void aTaesdForAnotherLatentSpaceIsRefusedClearly(@TempDir Path tmp) throws IOException {
        InpaintException xl = assertThrows(InpaintException.class,
                () -> PreviewDecoder.load(copyTaesd(tmp, "taesdxl", null), engine.model()));
        assertTrue(xl.getMessage().contains("taesdxl is a TAESD for SDXL latents")
                && xl.getMessage().contains("SD-1.x model") && xl.getMessage().contains("madebyollin/taesd"), xl.getMessage());
        InpaintException sd3 = assertThrows(InpaintException.class,
                () -> PreviewDecoder.load(copyTaesd(tmp, "taesd3", "latent_channels=16"), engine.model()));
        assertTrue(sd3.getMessage().contains("16-channel (SD3 / FLUX)"), sd3.getMessage());
        InpaintException scaled = assertThrows(InpaintException.class,
                () -> PreviewDecoder.load(copyTaesd(tmp, "odd", "scaling_factor=1.5305"), engine.model()));
        assertTrue(scaled.getMessage().contains("unknown latent space"), scaled.getMessage());
        InpaintException notTaesd = assertThrows(InpaintException.class,
                () -> PreviewDecoder.load(Fixtures.modelDir(), engine.model()));
        assertTrue(notTaesd.getMessage().contains("is not a TAESD folder"), notTaesd.getMessage());
    }

    @Test
    void theFirstFittingTaesdInTheModelsFolderIsPicked(@TempDir Path tmp) throws IOException {
        copyTaesd(tmp, "a-taesdxl", null);
        copyTaesd(tmp, "b-taesd3", "latent_channels=16");
        Path sd = copyTaesd(tmp.resolve("previews"), "taesd", null);
        List<PreviewDecoderEntry> found = new ModelScanner().scanPreviewDecoders(List.of(tmp));
        assertEquals(3, found.size());
        try (PreviewDecoder d = PreviewDecoder.findFor(engine.model(), found)) {
            assertNotNull(d);
            assertEquals(sd, d.path());
        }
        assertNull(PreviewDecoder.findFor(engine.model(), found.subList(0, 2).stream()
                .filter(e -> !e.name().equals("taesd")).toList()));
    }

    @Test
    void enginesOpenWithAnExplicitPreviewModel() {
        try (InpaintEngine e = Engines.open(Fixtures.modelDir(), Fixtures.taesdDir())) {
            DiffusionEngine d = (DiffusionEngine) e;
            assertNotNull(d.previewDecoder());
            assertEquals("model", d.previewDecoder().name());
            assertSame(d.previewDecoder().taesd(), d.previewDecoder().taesd());
        }
        InpaintException bad = assertThrows(InpaintException.class,
                () -> Engines.open(Fixtures.modelDir(), Fixtures.modelDir().resolve("unet")));
        assertFalse(bad.getMessage().isBlank());
    }
}
