package com.inpaintstudio.text;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user sees when a tokenizer folder is incomplete or broken, and the SD-2.x padding token. */
class ClipTokenizerLoadTest {
    private static Path copyTokenizer(Path dir) throws Exception {
        Path src = Fixtures.modelDir().resolve("tokenizer");
        Path dst = dir.resolve("tokenizer");
        Files.createDirectories(dst);
        try (var files = Files.list(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    @Test
    void missingFolder(@TempDir Path dir) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("Tokenizer folder not found"), e.getMessage());
    }

    @Test
    void missingMerges(@TempDir Path dir) throws Exception {
        Path t = copyTokenizer(dir);
        Files.delete(t.resolve("merges.txt"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(t));
        assertTrue(e.getMessage().contains("lacks merges.txt"), e.getMessage());
    }

    @Test
    void corruptVocab(@TempDir Path dir) throws Exception {
        Path t = copyTokenizer(dir);
        Files.writeString(t.resolve("vocab.json"), "{\"a\": 1,");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(t));
        assertTrue(e.getMessage().contains("vocab.json"), e.getMessage());
    }

    @Test
    void corruptMerges(@TempDir Path dir) throws Exception {
        Path t = copyTokenizer(dir);
        Files.writeString(t.resolve("merges.txt"), "#version: 0.2\ni n\nthis line is wrong\n");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(t));
        assertTrue(e.getMessage().contains("Line 3") && e.getMessage().contains("merges.txt"), e.getMessage());
    }

    @Test
    void sd2PadsWithExclamationMarkId(@TempDir Path dir) throws Exception {
        Path t = copyTokenizer(dir);
        Files.writeString(t.resolve("special_tokens_map.json"), "{\"pad_token\": \"!\"}");
        try (ClipTokenizer tok = ClipTokenizer.load(t)) {
            long[] ids = tok.encode("");
            assertArrayEquals(new long[] {49406, 49407, 0, 0}, java.util.Arrays.copyOf(ids, 4));
        }
    }

    @Test
    void tokenizerJsonIsUsedWhenPresent(@TempDir Path dir) throws Exception {
        Path t = copyTokenizer(dir);
        Files.writeString(t.resolve("tokenizer.json"), ClipBpeJson.build(t.resolve("vocab.json"), t.resolve("merges.txt")));
        Files.delete(t.resolve("vocab.json"));
        Files.delete(t.resolve("merges.txt"));
        String prompt = "Tom &amp; Jerry, “café” ＦＵＬＬ <|endoftext|> 東京 🐱";
        try (ClipTokenizer fromJson = ClipTokenizer.load(t);
             ClipTokenizer fromVocab = ClipTokenizer.load(Fixtures.modelDir().resolve("tokenizer"))) {
            assertArrayEquals(fromVocab.encode(prompt), fromJson.encode(prompt));
        }
        Files.writeString(t.resolve("tokenizer.json"), "{\"model\": 3}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(t));
        assertTrue(e.getMessage().contains("Cannot load the tokenizer in " + t), e.getMessage());
    }
}
