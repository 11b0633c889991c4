package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.Component;
import com.inpaintstudio.model.DiffusersFolder;
import com.inpaintstudio.model.RandomWeights;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.tensor.DjlRuntime;
import com.inpaintstudio.text.ClipTokenizer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Prompt text -> tokenizer -> text encoder through the model folder, against the fixture; full-size SD-1.5 build. */
class ClipTextModelPromptTest {
    static final List<String> PROMPTS = List.of(
            "a cat with a hat",
            "A photo of an astronaut riding a horse on Mars, 4k",
            "café crème & 🐱, 東京",
            "a highly detailed oil painting of a majestic lion standing on a rocky cliff at sunset, dramatic lighting,"
                    + " volumetric clouds, golden hour, intricate fur texture, 8k resolution, trending on artstation, by a"
                    + " renowned master painter, with a river winding through the valley below, birds flying in the"
                    + " distance, and snow capped mountains on the horizon, cinematic composition, ultra realistic, sharp"
                    + " focus, award winning photograph",
            "");

    @Test
    void promptsToEmbeddingsThroughTheModelFolder() {
        try (DiffusersFolder model = DiffusersFolder.open(Fixtures.modelDir());
             ClipTokenizer tok = ClipTokenizer.load(model.tokenizerDir());
             SafetensorsFile ref = Fixtures.openCase("text_encoder");
             NDManager weights = DjlRuntime.newManager();
             NDManager m = DjlRuntime.newManager()) {
            ClipTextModel enc = ClipTextModel.build(model.config(Component.TEXT_ENCODER),
                    model.weights(Component.TEXT_ENCODER, weights));
            long[] ids = new long[PROMPTS.size() * 77];
            for (int i = 0; i < PROMPTS.size(); i++) {
                System.arraycopy(tok.encode(PROMPTS.get(i)), 0, ids, i * 77, 77);
            }
            assertArrayEquals(ref.readLongs("input_ids"), ids, "tokenizer ids of the text_encoder case");
            NDArray out = enc.encode(m.create(ids, new Shape(PROMPTS.size(), 77)));
            ClipTextModelTest.assertClose(ref.readFloats("last_hidden_state"), out.toFloatArray(), 1e-4f, 1e-4f);
        }
    }

    @Test
    void fullSizeSd15TextEncoderBuildsFromTheBundledConfig() throws Exception {
        JsonObject cfg;
        try (InputStream in = ClipTextModel.class.getResourceAsStream(
                "/com/inpaintstudio/configs/sd15-inpaint/text_encoder/config.json")) {
            cfg = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
        try (NDManager weights = DjlRuntime.newManager(); NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(7);
            ClipTextModel enc = ClipTextModel.build(cfg, new RandomWeights(weights));
            assertEquals(768, enc.hiddenSize());
            long[] ids = new long[2 * 77];
            java.util.Arrays.fill(ids, 49407);
            ids[0] = 49406;
            ids[77] = 49406;
            ids[78] = 2368;
            NDArray input = m.create(ids, new Shape(2, 77));
            enc.encode(input).close(); // warm-up
            long t0 = System.nanoTime();
            NDArray out = enc.encode(input);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("SD-1.5 CLIP text encoder (random weights), batch 2 x 77: " + ms + " ms");
            assertEquals(new Shape(2, 77, 768), out.getShape());
            for (float v : out.toFloatArray()) {
                assertFalse(Float.isNaN(v) || Float.isInfinite(v));
            }
        }
    }
}
