package com.inpaintstudio.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Weighted prompt fragments -> 77-token chunks with per-token weights, as A1111's {@code tokenize_line}
 * ({@code modules/sd_hijack_clip.py}): each fragment tokenized on its own; at most 75 prompt tokens per chunk;
 * {@code BREAK} closes a chunk; the comma back-track moves the words after a recent comma to the next chunk; a
 * textual-inversion embedding is never split; each chunk becomes start token + tokens + end token + padding.
 */
public final class PromptChunker {
    /** A1111's {@code comma_padding_backtrack} default. */
    public static final int DEFAULT_COMMA_BACKTRACK = 20;
    public static final int CHUNK_TOKENS = 75;

    /** One encoder input: {@code ids.length == weights.length == 77}. */
    public record Chunk(long[] ids, float[] weights) {
        public boolean allWeightsOne() {
            for (float w : weights) {
                if (w != 1f) {
                    return false;
                }
            }
            return true;
        }
    }

    /** An embedding found at a token position: how many prompt tokens its name spans and the ids of its vectors. */
    public record EmbeddingMatch(String name, int nameTokens, long[] vectorIds) {}

    /** Finds an embedding whose name's tokens start at {@code tokens[pos]}; null when none does. */
    public interface EmbeddingMatcher {
        EmbeddingMatcher NONE = (tokens, pos) -> null;

        EmbeddingMatch at(long[] tokens, int pos);
    }

    /** The chunks, the number of prompt tokens (A1111's token count) and the embeddings used, in order. */
    public record Result(List<Chunk> chunks, int tokenCount, List<String> embeddingsUsed) {}

    private final Function<String, long[]> tokenizer;
    private final long bos;
    private final long eos;
    private final long pad;
    private final long comma;
    private final int backtrack;

    /**
     * @param tokenizer text -> BPE ids without start/end tokens
     * @param comma     the id of {@code ,</w>} (267 in CLIP's vocabulary)
     * @param backtrack A1111's comma back-track window; 0 turns it off
     */
    public PromptChunker(Function<String, long[]> tokenizer, long bos, long eos, long pad, long comma, int backtrack) {
        this.tokenizer = tokenizer;
        this.bos = bos;
        this.eos = eos;
        this.pad = pad;
        this.comma = comma;
        this.backtrack = backtrack;
    }

    public static PromptChunker of(ClipTokenizer tok, int backtrack) {
        long[] c = tok.tokens(",");
        return new PromptChunker(tok::tokens, tok.bosId(), tok.eosId(), tok.padId(), c.length == 1 ? c[0] : -1,
                backtrack);
    }

    public Result chunk(List<PromptAttention.Fragment> fragments, EmbeddingMatcher embeddings) {
        State st = new State();
        List<String> used = new ArrayList<>();
        for (PromptAttention.Fragment f : fragments) {
            if (f.isBreak()) {
                st.next(false);
                continue;
            }
            long[] tokens = tokenizer.apply(f.text());
            float weight = (float) f.weight();
            int position = 0;
            while (position < tokens.length) {
                long token = tokens[position];
                if (token == comma) {
                    st.lastComma = st.tokens.size();
                } else if (backtrack != 0 && st.tokens.size() == CHUNK_TOKENS && st.lastComma != -1
                        && st.tokens.size() - st.lastComma <= backtrack) {
                    int at = st.lastComma + 1;
                    List<Long> relocTokens = new ArrayList<>(st.tokens.subList(at, st.tokens.size()));
                    List<Float> relocWeights = new ArrayList<>(st.weights.subList(at, st.weights.size()));
                    st.tokens.subList(at, st.tokens.size()).clear();
                    st.weights.subList(at, st.weights.size()).clear();
                    st.next(false);
                    st.tokens.addAll(relocTokens);
                    st.weights.addAll(relocWeights);
                }
                if (st.tokens.size() == CHUNK_TOKENS) {
                    st.next(false);
                }
                EmbeddingMatch emb = embeddings.at(tokens, position);
                if (emb == null) {
                    st.tokens.add(token);
                    st.weights.add(weight);
                    position++;
                    continue;
                }
                if (st.tokens.size() + emb.vectorIds().length > CHUNK_TOKENS) {
                    st.next(false);
                }
                for (long id : emb.vectorIds()) {
                    st.tokens.add(id);
                    st.weights.add(weight);
                }
                if (!used.contains(emb.name())) {
                    used.add(emb.name());
                }
                position += emb.nameTokens();
            }
        }
        if (!st.tokens.isEmpty() || st.chunks.isEmpty()) {
            st.next(true);
        }
        return new Result(List.copyOf(st.chunks), st.tokenCount, List.copyOf(used));
    }

    private final class State {
        final List<Chunk> chunks = new ArrayList<>();
        List<Long> tokens = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        int lastComma = -1;
        int tokenCount;

        void next(boolean last) {
            tokenCount += last ? tokens.size() : CHUNK_TOKENS;
            long[] ids = new long[CHUNK_TOKENS + 2];
            float[] w = new float[CHUNK_TOKENS + 2];
            Arrays.fill(ids, pad);
            Arrays.fill(w, 1f);
            ids[0] = bos;
            for (int i = 0; i < tokens.size(); i++) {
                ids[i + 1] = tokens.get(i);
                w[i + 1] = weights.get(i);
            }
            ids[tokens.size() + 1] = eos; // A1111 pads with the end token; SD-2.x then sets the rest to the pad id
            chunks.add(new Chunk(ids, w));
            lastComma = -1;
            tokens = new ArrayList<>();
            weights = new ArrayList<>();
        }
    }
}
