package com.inpaintstudio.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.DiffusersFolder;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.lora.LoraTestFiles;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LoRA merges against the diffusers-named, harness-merged reference (fixtures/lora, src/test/reference/gen_lora.py):
 * UNet noise prediction and text-encoder output within 1e-4, in both file layouts, two LoRAs with a negative
 * strength, and exact restoration of the original weights.
 */
class LoraParityTest {
    private static final double TOL = 1e-4;
    private static StableDiffusionModel model;
    private static SafetensorsFile ref;
    private static Path kohya;
    private static Path peft;
    private static Path peftB;

    @BeforeAll
    static void load() {
        model = StableDiffusionModel.load(DiffusersFolder.open(Fixtures.modelDir()));
        ref = SafetensorsFile.open(LoraTestFiles.root().resolve("lora_outputs.safetensors"));
        kohya = LoraTestFiles.root().resolve("lora_a_kohya.safetensors");
        peft = LoraTestFiles.root().resolve("lora_a_peft.safetensors");
        peftB = LoraTestFiles.root().resolve("lora_b_peft.safetensors");
    }

    @AfterAll
    static void close() {
        ref.close();
        model.close();
    }

    private static float[] unet() {
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray sample = m.create(ref.readFloats("sample"), new Shape(ref.info("sample").shape()));
            NDArray ehs = m.create(ref.readFloats("encoder_hidden_states"),
                    new Shape(ref.info("encoder_hidden_states").shape()));
            long[] ts = ref.readLongs("timesteps");
            return model.unet().forward(sample, new double[] {ts[0], ts[1]}, ehs).toFloatArray();
        }
    }

    private static float[] text() {
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray ids = m.create(ref.readLongs("input_ids"), new Shape(ref.info("input_ids").shape()));
            return model.textModel().encode(ids).toFloatArray();
        }
    }

    private static double check(String name, float[] got) {
        float[] expected = ref.readFloats(name);
        assertEquals(expected.length, got.length, name);
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - expected[i]));
        }
        assertTrue(worst <= TOL, name + ": max abs diff " + worst);
        return worst;
    }

    private static void expect(String tag) {
        double u = check("noise_pred_" + tag, unet());
        double t = check("last_hidden_state_" + tag, text());
        System.out.printf("LoRA %s: UNet max diff %.2g, text encoder max diff %.2g%n", tag, u, t);
    }

    @Test
    void kohyaLayoutWithLoConAndTextEncoderMatchesTheReferenceMerge() {
        List<LoraState.Applied> applied = model.applyLoras(List.of(LoraSpec.of(kohya, 0.8)));
        assertEquals("lora_a_kohya", applied.get(0).name());
        assertEquals(4, applied.get(0).rank());
        expect("a0p8");
        model.applyLoras(List.of());
    }

    @Test
    void peftLayoutOfTheSameLoraGivesTheSameNetworks() {
        model.applyLoras(List.of(LoraSpec.of(peft, 0.8)));
        expect("a0p8");
        model.applyLoras(List.of());
    }

    @Test
    void twoLorasOneNegative() {
        model.applyLoras(List.of(LoraSpec.of(kohya, 0.8), LoraSpec.of(peftB, -0.5)));
        expect("a0p8_bm0p5");
        model.applyLoras(List.of());
    }

    @Test
    void removingOrChangingStrengthGivesBackExactlyTheOriginalWeights() {
        float[] plainUnet = unet();
        float[] plainText = text();
        check("noise_pred_none", plainUnet);
        model.applyLoras(List.of(LoraSpec.of(kohya, 3.0)));
        model.applyLoras(List.of(LoraSpec.of(kohya, -2.0), LoraSpec.of(peftB, 4.0)));
        model.applyLoras(List.of(LoraSpec.of(kohya, 0.8)));
        expect("a0p8"); // derived from the originals, not from the previous merges
        model.applyLoras(List.of());
        assertArrayEquals(plainUnet, unet(), "UNet bit for bit after removal");
        assertArrayEquals(plainText, text(), "text encoder bit for bit after removal");
    }
}
