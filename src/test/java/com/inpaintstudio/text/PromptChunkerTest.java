package com.inpaintstudio.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The chunking rules of A1111's tokenize_line (fixtures/a1111-prompts/README.md), on a stand-in tokenizer where
 * every word "wN" is token 1000+N and "," is the comma token 267.
 */
class PromptChunkerTest {
    static final long BOS = 49406;
    static final long EOS = 49407;
    static final long COMMA = 267;

    static long[] tokenize(String text) {
        List<Long> out = new ArrayList<>();
        for (String w : text.replace(",", " , ").trim().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            out.add(w.equals(",") ? COMMA : w.startsWith("emb") ? 5000 + w.length() : 1000 + Long.parseLong(w.substring(1)));
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    static String words(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append('w').append(i).append(' ');
        }
        return sb.toString();
    }

    static PromptChunker chunker(int backtrack) {
        return new PromptChunker(PromptChunkerTest::tokenize, BOS, EOS, EOS, COMMA, backtrack);
    }

    static PromptChunker.Result chunk(String prompt, int backtrack) {
        return chunker(backtrack).chunk(PromptAttention.parse(prompt), PromptChunker.EmbeddingMatcher.NONE);
    }

    /** The prompt tokens of a chunk (between the start token and the first end token). */
    static long[] body(PromptChunker.Chunk c) {
        assertEquals(77, c.ids().length);
        assertEquals(BOS, c.ids()[0]);
        int end = 1;
        while (c.ids()[end] != EOS) {
            end++;
        }
        for (int i = end; i < 77; i++) {
            assertEquals(EOS, c.ids()[i], "padding");
            assertEquals(1f, c.weights()[i], "padding weight");
        }
        return Arrays.copyOfRange(c.ids(), 1, end);
    }

    @Test
    void seventyFiveTokensPerChunk() {
        PromptChunker.Result r = chunk(words(0, 80), 20);
        assertEquals(2, r.chunks().size());
        assertArrayEquals(tokenize(words(0, 75)), body(r.chunks().get(0)));
        assertArrayEquals(tokenize(words(75, 80)), body(r.chunks().get(1)));
        assertEquals(80, r.tokenCount());
        assertEquals(1, chunk(words(0, 75), 20).chunks().size());
    }

    @Test
    void commaBackTrackMovesTheWordsAfterARecentCommaToTheNextChunk() {
        // comma at index 70; the 76th token arrives with the chunk full: 75 - 70 = 5 <= 20
        PromptChunker.Result r = chunk(words(0, 70) + ", " + words(70, 80), 20);
        assertEquals(2, r.chunks().size());
        assertArrayEquals(tokenize(words(0, 70) + ","), body(r.chunks().get(0)));
        assertArrayEquals(tokenize(words(70, 80)), body(r.chunks().get(1)));
        // comma at index 54: 75 - 54 = 21 > 20, no back-track
        r = chunk(words(0, 54) + ", " + words(54, 80), 20);
        assertEquals(75, body(r.chunks().get(0)).length);
        // comma at index 55: 75 - 55 = 20, back-track
        r = chunk(words(0, 55) + ", " + words(55, 80), 20);
        assertEquals(56, body(r.chunks().get(0)).length);
        // 0 turns it off
        r = chunk(words(0, 70) + ", " + words(70, 80), 0);
        assertEquals(75, body(r.chunks().get(0)).length);
    }

    @Test
    void aCommaArrivingAtAFullChunkOpensTheNextOne() {
        PromptChunker.Result r = chunk(words(0, 75) + ", w99", 20);
        assertArrayEquals(tokenize(words(0, 75)), body(r.chunks().get(0)));
        assertArrayEquals(new long[] {COMMA, 1099}, body(r.chunks().get(1)));
    }

    @Test
    void breakClosesTheChunkEvenAnEmptyOne() {
        assertEquals(2, chunk("w1 BREAK w2", 20).chunks().size());
        PromptChunker.Result lead = chunk("BREAK w1", 20);
        assertEquals(2, lead.chunks().size());
        assertEquals(0, body(lead.chunks().get(0)).length);
        assertEquals(1, chunk("w1 BREAK", 20).chunks().size(), "a trailing BREAK adds nothing");
        assertEquals(2, chunk("BREAK BREAK", 20).chunks().size());
        PromptChunker.Result empty = chunk("", 20);
        assertEquals(1, empty.chunks().size(), "the empty prompt gives one chunk");
        assertEquals(0, body(empty.chunks().get(0)).length);
        // a bracketed BREAK is the word BREAK with weight -1.1, not a break
        List<PromptAttention.Fragment> f = PromptAttention.parse("(BREAK)");
        assertEquals(new PromptAttention.Fragment("BREAK", -1.1), f.get(1));
        assertEquals(false, f.get(1).isBreak());
    }

    @Test
    void tokensCarryTheirFragmentsWeight() {
        PromptChunker.Chunk c = chunk("w1 (w2 w3:1.5) [w4]", 20).chunks().get(0);
        assertArrayEquals(new long[] {1001, 1002, 1003, 1004}, body(c));
        assertArrayEquals(new float[] {1f, 1f, 1.5f, 1.5f, (float) (1 / 1.1), 1f}, Arrays.copyOfRange(c.weights(), 0, 6));
    }

    @Test
    void anEmbeddingIsNeverSplitAcrossChunks() {
        PromptChunker.EmbeddingMatcher emb = (tokens, pos) -> tokens[pos] == 5000 + "embx".length()
                ? new PromptChunker.EmbeddingMatch("embx", 1, new long[] {60000, 60001, 60002}) : null;
        PromptChunker.Result r = chunker(20).chunk(PromptAttention.parse(words(0, 73) + "embx w80"), emb);
        assertEquals(2, r.chunks().size());
        assertEquals(73, body(r.chunks().get(0)).length);
        assertArrayEquals(new long[] {60000, 60001, 60002, 1080}, body(r.chunks().get(1)));
        assertEquals(List.of("embx"), r.embeddingsUsed());
    }

    @Test
    void sd2PadsWithItsOwnPadIdAfterTheEndToken() {
        PromptChunker sd2 = new PromptChunker(PromptChunkerTest::tokenize, BOS, EOS, 0, COMMA, 20);
        long[] ids = sd2.chunk(PromptAttention.parse("w1 w2"), PromptChunker.EmbeddingMatcher.NONE).chunks().get(0).ids();
        assertArrayEquals(new long[] {BOS, 1001, 1002, EOS, 0, 0}, Arrays.copyOfRange(ids, 0, 6));
        assertEquals(0, ids[76]);
    }
}
