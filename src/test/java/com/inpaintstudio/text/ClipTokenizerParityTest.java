package com.inpaintstudio.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.SafetensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token ids against the fixture's 40 prompts: diffusers' CLIPTokenizer with ftfy ({@code input_ids}). A prompt
 * listed in {@link #KNOWN_DIFFERENT} may instead equal transformers' no-ftfy ids; every other prompt must equal
 * {@code input_ids} exactly.
 */
class ClipTokenizerParityTest {
    /** Prompt index -> why our ids differ from ftfy's. Empty: all 40 prompts match diffusers + ftfy. */
    static final Map<Integer, String> KNOWN_DIFFERENT = Map.of();

    static ClipTokenizer tokenizer;
    static List<String> prompts;
    static long[] inputIds;
    static long[] noFtfyIds;
    static long[] untruncated;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = ClipTokenizer.load(Fixtures.modelDir().resolve("tokenizer"));
        JsonObject manifest = JsonParser.parseString(Files.readString(Fixtures.root().resolve("manifest.json")))
                .getAsJsonObject();
        prompts = new ArrayList<>();
        for (JsonElement c : manifest.getAsJsonArray("cases")) {
            if (c.getAsJsonObject().get("name").getAsString().equals("tokenizer")) {
                JsonArray ps = c.getAsJsonObject().getAsJsonObject("inputs").getAsJsonArray("prompts");
                for (JsonElement p : ps) {
                    prompts.add(p.getAsJsonObject().get("prompt").getAsString());
                }
            }
        }
        try (SafetensorsFile ref = Fixtures.openCase("tokenizer")) {
            inputIds = ref.readLongs("input_ids");
            noFtfyIds = ref.readLongs("input_ids_hf_without_ftfy");
            untruncated = ref.readLongs("num_bpe_tokens_untruncated");
        }
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void fortyPromptsMatchDiffusersWithFtfy() {
        assertEquals(40, prompts.size());
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            long[] got = tokenizer.encode(prompts.get(i));
            assertEquals(77, got.length);
            long[] want = row(inputIds, i);
            if (Arrays.equals(want, got)) {
                continue;
            }
            if (KNOWN_DIFFERENT.containsKey(i) && Arrays.equals(row(noFtfyIds, i), got)) {
                continue;
            }
            failures.add(i + " " + prompts.get(i) + "\n  want " + Arrays.toString(trim(want)) + "\n  got  "
                    + Arrays.toString(trim(got)));
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void untruncatedTokenCounts() {
        for (int i = 0; i < prompts.size(); i++) {
            assertEquals(untruncated[i], tokenizer.tokenCount(prompts.get(i)), "prompt " + i);
        }
    }

    @Test
    void shapeOfEveryEncoding() {
        assertEquals(77, tokenizer.maxLength());
        long[] empty = tokenizer.encode("");
        assertEquals(49406, empty[0]);
        for (int i = 1; i < 77; i++) {
            assertEquals(49407, empty[i]);
        }
        long[] longOne = tokenizer.encode("cat ".repeat(200));
        assertEquals(77, longOne.length);
        assertEquals(49406, longOne[0]);
        assertEquals(49407, longOne[76], "truncation keeps the final end token");
        long cat = tokenizer.encode("cat")[1];
        for (int i = 1; i < 76; i++) {
            assertEquals(cat, longOne[i]);
        }
        assertArrayEquals(tokenizer.encode("A CAT"), tokenizer.encode("  a   cat "));
    }

    private static long[] row(long[] all, int i) {
        return Arrays.copyOfRange(all, i * 77, i * 77 + 77);
    }

    private static long[] trim(long[] ids) {
        int n = ids.length;
        while (n > 2 && ids[n - 1] == 49407 && ids[n - 2] == 49407) {
            n--;
        }
        return Arrays.copyOf(ids, n);
    }
}
