package com.inpaintstudio.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.DiffusersFolder;
import com.inpaintstudio.model.EmbeddingLibrary;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.TextualInversion;
import com.inpaintstudio.tensor.DjlRuntime;
import com.inpaintstudio.text.PromptAttention;
import com.inpaintstudio.text.PromptChunker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prompt -> conditioning on the tiny model against src/test/reference/prompt_conditioning.py (torch): textual
 * inversion as diffusers adds it, and a weighted, 3-chunk prompt with BREAK and embeddings as A1111 conditions it.
 * Plain prompts must give exactly today's diffusers embeddings.
 */
class PromptConditioningTest {
    static final Path RES = Fixtures.root().getParent().resolve("prompts");
    static final String LONG_PROMPT;
    static final String WORDS = "a highly detailed oil painting of a majestic lion standing on a rocky cliff at sunset,"
            + " dramatic lighting, volumetric clouds, golden hour, intricate fur texture, 8k resolution, trending on"
            + " artstation, by a renowned master painter, with a river winding through the valley below, birds flying in"
            + " the distance, and snow capped mountains on the horizon, cinematic composition, ultra realistic, sharp"
            + " focus, ";

    static {
        LONG_PROMPT = "(masterpiece:1.2), [blurry], " + WORDS + "((tinyemb)) BREAK a stone bridge, dfemb";
    }

    static StableDiffusionModel model;
    static PromptEncoder encoder;
    static NDManager m;

    @BeforeAll
    static void load() {
        model = StableDiffusionModel.load(DiffusersFolder.open(Fixtures.modelDir()));
        encoder = new PromptEncoder(model);
        EmbeddingLibrary lib = new EmbeddingLibrary(List.of(RES.resolve("embeddings")));
        encoder.setEmbeddings(lib::usable);
        m = DjlRuntime.newManager();
    }

    @AfterAll
    static void close() {
        m.close();
        model.close();
    }

    private static float[] plain(String prompt) {
        try (NDManager s = m.newSubManager()) {
            return model.textModel().encode(s.create(model.tokenizer().encode(prompt), new Shape(1, 77))).toFloatArray();
        }
    }

    private static float[] row(NDArray emb, int i) {
        return emb.get(i).toFloatArray();
    }

    static void assertClose(float[] want, float[] got, float tol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i] - got[i]));
        }
        System.out.println(what + ": max |err| = " + max);
        assertTrue(max <= tol, what + ": max |err| " + max + " > " + tol);
    }

    /**
     * No weighting, no mean restore for plain prompts: the A1111 path gives the plain encoder's values. Equal up to
     * float rounding, not bit for bit: with MKL on its AVX-512 kernels (MklAnyCpu) the same products over arrays at
     * other addresses can differ in the last bit; any weighting would move them by ~1e-2 and more.
     */
    @Test
    void plainPromptsGiveExactlyTheDiffusersEmbeddings() {
        for (String p : List.of("a cat with a hat", "", "a photo: of a cat, 4k")) {
            NDArray e = encoder.encode(p, "", m);
            assertEquals(new Shape(2, 77, 32), e.getShape());
            assertClose(plain(p), row(e, 1), ROUNDING, p);
            assertClose(plain(""), row(e, 0), ROUNDING, "negative of " + p);
        }
        // a weight of exactly 1 changes nothing either
        assertClose(plain("a cat with a hat"), row(encoder.encode("(a cat:1.0) with a hat", "", m), 1), ROUNDING,
                "(a cat:1.0)");
    }

    /** Float rounding of values of order 1 (the encoder ends in a LayerNorm): a few ulps. */
    private static final float ROUNDING = 1e-6f;

    @Test
    void textualInversionMatchesDiffusersLoadTextualInversion() {
        try (SafetensorsFile ref = SafetensorsFile.open(RES.resolve("conditioning.safetensors"))) {
            PromptEncoder.Encoded e = encoder.encode("a photo of tinyemb on a table", "", PromptStyle.A1111, m);
            assertClose(ref.readFloats("ti_cond"), row(e.embeddings(), 1), 1e-4f, "TI prompt vs torch");
            assertEquals(List.of("tinyemb"), e.embeddingsUsed().stream().map(TextualInversion::name).toList());
            // the token table is unchanged afterwards: the embedding's name is plain text again without it
            PromptEncoder bare = new PromptEncoder(model);
            bare.setEmbeddings(List::of);
            assertArrayEquals(plain("a photo of tinyemb on a table"),
                    row(bare.encode("a photo of tinyemb on a table", "", m), 1));
        }
    }

    @Test
    void longWeightedPromptWithBreakAndEmbeddingsMatchesTheA1111Port() {
        try (SafetensorsFile ref = SafetensorsFile.open(RES.resolve("conditioning.safetensors"))) {
            List<PromptAttention.Fragment> parsed = PromptAttention.parse(LONG_PROMPT);
            assertEquals(List.of(new PromptAttention.Fragment("masterpiece", 1.2),
                    new PromptAttention.Fragment(", ", 1.0), new PromptAttention.Fragment("blurry", 1 / 1.1),
                    new PromptAttention.Fragment(", " + WORDS, 1.0), new PromptAttention.Fragment("tinyemb", 1.1 * 1.1),
                    new PromptAttention.Fragment("", 1.0), new PromptAttention.Fragment("BREAK", -1),
                    new PromptAttention.Fragment("a stone bridge, dfemb", 1.0)), parsed);
            PromptEncoder.Matcher matcher = new PromptEncoder.Matcher(model.tokenizer(), model.textModel(),
                    new EmbeddingLibrary(List.of(RES.resolve("embeddings"))).usable());
            List<PromptChunker.Chunk> chunks = PromptChunker.of(model.tokenizer(), 20).chunk(parsed, matcher).chunks();
            long[] wantIds = ref.readLongs("long_chunk_ids");
            float[] wantW = ref.readFloats("long_chunk_weights");
            assertEquals(wantIds.length / 77, chunks.size());
            List<Long> ids = new ArrayList<>();
            List<Float> ws = new ArrayList<>();
            for (PromptChunker.Chunk c : chunks) {
                for (int i = 0; i < 77; i++) {
                    ids.add(c.ids()[i]);
                    ws.add(c.weights()[i]);
                }
            }
            for (int i = 0; i < wantIds.length; i++) {
                assertEquals(wantIds[i], ids.get(i), "chunk token " + i);
                assertEquals(wantW[i], ws.get(i), "chunk weight " + i);
            }

            PromptEncoder.Encoded e = encoder.encode(LONG_PROMPT, "lowres, (bad hands:1.4)", PromptStyle.A1111, m);
            assertEquals(new Shape(2, 3 * 77, 32), e.embeddings().getShape());
            assertEquals(3, e.chunks());
            assertClose(ref.readFloats("long_cond"), row(e.embeddings(), 1), 1e-4f, "long prompt vs torch");
            assertClose(ref.readFloats("long_uncond"), row(e.embeddings(), 0), 1e-4f, "padded negative vs torch");
            assertEquals(List.of("tinyemb", "dfemb"), e.embeddingsUsed().stream().map(TextualInversion::name).toList());
            assertTrue(e.notices().isEmpty(), e.notices().toString());
        }
    }

    @Test
    void diffusersStyleCutsAt75TokensAndSaysSo() {
        String prompt = WORDS + WORDS;
        PromptEncoder.Encoded e = encoder.encode(prompt, "", PromptStyle.DIFFUSERS, m);
        assertEquals(new Shape(2, 77, 32), e.embeddings().getShape());
        assertArrayEquals(plain(prompt), row(e.embeddings(), 1));
        assertEquals(1, e.notices().size());
        assertTrue(e.notices().get(0).contains("tokens") && e.notices().get(0).contains("a1111"), e.notices().get(0));
        // A1111 style keeps all of it
        PromptEncoder.Encoded a = encoder.encode(prompt, "", PromptStyle.A1111, m);
        assertTrue(a.chunks() >= 2);
        assertTrue(a.notices().isEmpty());
    }

    @Test
    void extraNetworkTagsAreRemovedWithANotice() {
        // LoRA tags are loaded by the engine (PromptLoras): removed from the text, no notice; other kinds get one
        PromptEncoder.Encoded e = encoder.encode("a cat with a hat<lora:grain:0.8><hypernet:old:1>", "",
                PromptStyle.A1111, m);
        assertArrayEquals(plain("a cat with a hat"), row(e.embeddings(), 1));
        assertEquals(1, e.notices().size(), e.notices().toString());
        assertTrue(e.notices().get(0).contains("<hypernet:old:1>"), e.notices().get(0));
        assertFalse(e.notices().get(0).contains("lora"), e.notices().get(0));
    }
}
