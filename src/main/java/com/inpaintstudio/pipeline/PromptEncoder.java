package com.inpaintstudio.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.model.EmbeddingLibrary;
import com.inpaintstudio.model.TextualInversion;
import com.inpaintstudio.nn.ClipTextModel;
import com.inpaintstudio.text.ClipTokenizer;
import com.inpaintstudio.text.ExtraNetworks;
import com.inpaintstudio.text.PromptAttention;
import com.inpaintstudio.text.PromptChunker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prompt and negative prompt -> the batch-2 text embeddings {@code [uncond, cond]} for classifier-free guidance,
 * as A1111 conditions SD-1.x/2.x ({@code ../shared/fixtures/a1111-prompts/README.md}): extra-network tags removed
 * from the prompt, emphasis weights, 75-token chunks (BREAK, comma back-track) each encoded to 77 vectors with
 * per-token weights and the mean restored, chunks joined along the sequence axis. The shorter of the two is
 * padded with the empty prompt's encoding to the same number of chunks (A1111's "Pad prompt/negative prompt").
 * A plain prompt of at most 75 tokens gives exactly diffusers' embeddings. Textual-inversion embeddings named in
 * either prompt become extra token rows for this encode only.
 */
final class PromptEncoder {
    /** The embeddings (2, 77 x chunks, D), warnings for the user, and the embeddings the prompts used. */
    record Encoded(NDArray embeddings, List<String> notices, List<TextualInversion> embeddingsUsed, int chunks) {}

    private final StableDiffusionModel model;
    private Supplier<List<TextualInversion>> embeddings = DefaultEmbeddings.INSTANCE::usable;

    /** One library for the default folders, so files are read once and re-read only when they change. */
    private static final class DefaultEmbeddings {
        static final EmbeddingLibrary INSTANCE = EmbeddingLibrary.fromDefaultRoots();
    }

    PromptEncoder(StableDiffusionModel model) {
        this.model = model;
    }

    /** Where textual-inversion embeddings come from (default: the {@code embeddings} folders of the models roots). */
    void setEmbeddings(Supplier<List<TextualInversion>> source) {
        this.embeddings = source;
    }

    /** (2, L, D) in {@code manager}: row 0 the negative prompt, row 1 the prompt (diffusers' style, for tests). */
    NDArray encode(String prompt, String negativePrompt, NDManager manager) {
        return encode(prompt, negativePrompt, PromptStyle.A1111, manager).embeddings();
    }

    Encoded encode(String prompt, String negativePrompt, PromptStyle style, NDManager manager) {
        List<String> notices = new ArrayList<>();
        ExtraNetworks.Parsed tags = ExtraNetworks.parse(prompt);
        reportTags(tags, notices);
        ClipTokenizer tok = model.tokenizer();
        ClipTextModel text = model.textModel();
        Matcher matcher = new Matcher(tok, text, embeddings.get());
        List<PromptChunker.Chunk> neg = chunks(negativePrompt, "negative prompt", style, matcher, notices);
        List<PromptChunker.Chunk> pos = chunks(tags.prompt(), "prompt", style, matcher, notices);
        int n = Math.max(neg.size(), pos.size());
        List<PromptChunker.Chunk> all = new ArrayList<>(neg);
        all.addAll(pos);
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = encodeChunks(all, matcher, scope);
            long d = z.getShape().get(2);
            NDArray zNeg = z.get("0:" + neg.size()).reshape(1, 77L * neg.size(), d);
            NDArray zPos = z.get(neg.size() + ":").reshape(1, 77L * pos.size(), d);
            if (neg.size() != pos.size()) {
                NDArray empty = encodeChunks(chunks("", "", PromptStyle.A1111, Matcher.NONE, new ArrayList<>()),
                        Matcher.NONE, scope);
                zNeg = padTo(zNeg, empty, n);
                zPos = padTo(zPos, empty, n);
            }
            NDArray out = NDArrays.concat(new NDList(zNeg, zPos), 0);
            out.attach(manager);
            return new Encoded(out, List.copyOf(notices), matcher.used(), n);
        }
    }

    private List<PromptChunker.Chunk> chunks(String text, String what, PromptStyle style, Matcher matcher,
                                             List<String> notices) {
        ClipTokenizer tok = model.tokenizer();
        if (style == PromptStyle.DIFFUSERS) {
            PromptChunker chunker = PromptChunker.of(tok, 0);
            PromptChunker.Result r = chunker.chunk(List.of(new PromptAttention.Fragment(text, 1.0)), matcher);
            if (r.chunks().size() > 1) {
                notices.add(String.format(Locale.ROOT, "The %s has %d tokens; the diffusers prompt style keeps the"
                        + " first %d and drops the rest. Use --prompt-style a1111 to keep all of it.", what,
                        r.tokenCount(), PromptChunker.CHUNK_TOKENS));
            }
            return List.of(r.chunks().get(0));
        }
        PromptChunker chunker = PromptChunker.of(tok, PromptChunker.DEFAULT_COMMA_BACKTRACK);
        return chunker.chunk(PromptAttention.parse(text), matcher).chunks();
    }

    /** (chunks, 77, D): each chunk encoded, weighted and mean-restored as A1111's "Original" emphasis. */
    private NDArray encodeChunks(List<PromptChunker.Chunk> chunks, Matcher matcher, NDManager scope) {
        int n = chunks.size();
        int len = chunks.get(0).ids().length;
        long[] ids = new long[n * len];
        float[] weights = new float[n * len];
        boolean weighted = false;
        for (int i = 0; i < n; i++) {
            System.arraycopy(chunks.get(i).ids(), 0, ids, i * len, len);
            System.arraycopy(chunks.get(i).weights(), 0, weights, i * len, len);
            weighted |= !chunks.get(i).allWeightsOne();
        }
        NDArray idArray = scope.create(ids, new Shape(n, len));
        NDArray extra = matcher.extraRows(scope);
        NDArray z = model.textModel().encode(idArray, extra);
        if (!weighted) {
            return z;
        }
        NDArray w = scope.create(weights, new Shape(n, len, 1));
        NDArray zw = z.mul(w);
        // one mean per chunk over all its 77 x D values (DJL's mean takes one axis: flatten first)
        NDArray before = z.reshape(n, -1).mean(new int[] {1}, true).reshape(n, 1, 1);
        NDArray after = zw.reshape(n, -1).mean(new int[] {1}, true).reshape(n, 1, 1);
        return zw.mul(before.div(after));
    }

    private static NDArray padTo(NDArray z, NDArray empty, int chunks) {
        long have = z.getShape().get(1) / 77;
        if (have == chunks) {
            return z;
        }
        NDList parts = new NDList(z);
        for (long i = have; i < chunks; i++) {
            parts.add(empty);
        }
        return NDArrays.concat(parts, 1);
    }

    private static void reportTags(ExtraNetworks.Parsed tags, List<String> notices) {
        for (Map.Entry<String, List<List<String>>> e : tags.networks().entrySet()) {
            if (e.getKey().equals("lora")) {
                continue; // loaded by the engine (PromptLoras) and recorded in Lora hashes
            }
            List<String> written = new ArrayList<>();
            for (List<String> items : e.getValue()) {
                written.add("<" + e.getKey() + ":" + String.join(":", items) + ">");
            }
            String kind = e.getKey().equals("lora") ? "this build does not load LoRAs"
                    : "Inpaint Studio does not support '" + e.getKey() + "' networks";
            notices.add("The prompt's tags " + String.join(" ", written) + " were removed from the text; " + kind + ".");
        }
    }

    /**
     * Finds embedding names in token streams (longest name first, as A1111's {@code find_embedding_at_position})
     * and gives each embedding used ids after the vocabulary, in the order first used.
     */
    static final class Matcher implements PromptChunker.EmbeddingMatcher {
        static final Matcher NONE = new Matcher(null, null, List.of());

        private final Map<Long, List<Named>> byFirstToken = new HashMap<>();
        private final Map<String, long[]> assigned = new LinkedHashMap<>();
        private final List<TextualInversion> used = new ArrayList<>();
        private final int vocab;
        private final int width;
        private int next;

        private record Named(long[] tokens, TextualInversion embedding) {}

        Matcher(ClipTokenizer tok, ClipTextModel text, List<TextualInversion> all) {
            this.vocab = text == null ? 0 : text.vocabSize();
            this.width = text == null ? 0 : text.hiddenSize();
            for (TextualInversion e : all) {
                if (e.width() != width) {
                    continue; // an embedding for another model family (SD-2's 1024 vs SD-1's 768)
                }
                long[] t = tok.tokens(e.name());
                if (t.length > 0) {
                    byFirstToken.computeIfAbsent(t[0], k -> new ArrayList<>()).add(new Named(t, e));
                }
            }
            byFirstToken.values().forEach(l -> l.sort((a, b) -> b.tokens().length - a.tokens().length));
        }

        @Override
        public PromptChunker.EmbeddingMatch at(long[] tokens, int pos) {
            List<Named> candidates = byFirstToken.get(tokens[pos]);
            if (candidates == null) {
                return null;
            }
            for (Named c : candidates) {
                if (pos + c.tokens().length <= tokens.length && java.util.Arrays.equals(tokens, pos,
                        pos + c.tokens().length, c.tokens(), 0, c.tokens().length)) {
                    TextualInversion e = c.embedding();
                    long[] ids = assigned.computeIfAbsent(e.name(), k -> {
                        long[] v = new long[e.vectors()];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = vocab + next++;
                        }
                        used.add(e);
                        return v;
                    });
                    return new PromptChunker.EmbeddingMatch(e.name(), c.tokens().length, ids);
                }
            }
            return null;
        }

        List<TextualInversion> used() {
            return List.copyOf(used);
        }

        /** (used vectors, D) rows for the ids handed out, or null when no embedding was used. */
        NDArray extraRows(NDManager m) {
            if (used.isEmpty()) {
                return null;
            }
            float[] rows = new float[next * width];
            int o = 0;
            for (TextualInversion e : used) {
                System.arraycopy(e.values(), 0, rows, o, e.values().length);
                o += e.values().length;
            }
            return m.create(rows, new Shape(next, width));
        }
    }
}
