package com.inpaintstudio.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.inpaintstudio.model.ModelFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds a HuggingFace {@code tokenizer.json} for CLIP from the slow tokenizer's {@code vocab.json} +
 * {@code merges.txt}, as transformers' {@code CLIPConverter} does: NFC + whitespace collapse + lowercase, CLIP's
 * split regex, byte-level alphabet (without GPT-2's regex), BPE with end-of-word suffix {@code </w>}.
 */
final class ClipBpeJson {
    /** The slow tokenizer keeps only the first 49152 - 256 - 2 merges of the file. */
    static final int MAX_MERGES = 49152 - 256 - 2;
    static final String BOS = "<|startoftext|>";
    static final String EOS = "<|endoftext|>";
    static final String SPLIT_REGEX =
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

    private ClipBpeJson() {}

    static String build(Path vocabFile, Path mergesFile) {
        JsonObject vocab = readVocab(vocabFile);
        for (String special : List.of(BOS, EOS)) {
            if (!vocab.has(special)) {
                throw new ModelFormatException("The tokenizer vocabulary " + vocabFile + " has no '" + special
                        + "' token; it is not a CLIP tokenizer");
            }
        }
        JsonArray merges = readMerges(mergesFile);

        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", null);
        root.add("padding", null);
        JsonArray added = new JsonArray();
        added.add(addedToken(vocab.get(BOS).getAsInt(), BOS));
        added.add(addedToken(vocab.get(EOS).getAsInt(), EOS));
        root.add("added_tokens", added);

        JsonArray norms = new JsonArray();
        norms.add(type("NFC"));
        JsonObject replace = type("Replace");
        replace.add("pattern", regex("\\s+"));
        replace.addProperty("content", " ");
        norms.add(replace);
        norms.add(type("Lowercase"));
        JsonObject normalizer = type("Sequence");
        normalizer.add("normalizers", norms);
        root.add("normalizer", normalizer);

        JsonObject split = type("Split");
        split.add("pattern", regex(SPLIT_REGEX));
        split.addProperty("behavior", "Removed");
        split.addProperty("invert", true);
        JsonObject byteLevel = type("ByteLevel");
        byteLevel.addProperty("add_prefix_space", false);
        byteLevel.addProperty("trim_offsets", true);
        byteLevel.addProperty("use_regex", false);
        JsonArray pres = new JsonArray();
        pres.add(split);
        pres.add(byteLevel);
        JsonObject pre = type("Sequence");
        pre.add("pretokenizers", pres);
        root.add("pre_tokenizer", pre);
        root.add("post_processor", null);
        JsonObject decoder = type("ByteLevel");
        decoder.addProperty("add_prefix_space", false);
        decoder.addProperty("trim_offsets", true);
        decoder.addProperty("use_regex", false);
        root.add("decoder", decoder);

        JsonObject model = type("BPE");
        model.add("dropout", null);
        model.addProperty("unk_token", EOS);
        model.addProperty("continuing_subword_prefix", "");
        model.addProperty("end_of_word_suffix", "</w>");
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.add("vocab", vocab);
        model.add("merges", merges);
        root.add("model", model);
        return root.toString();
    }

    private static JsonObject readVocab(Path file) {
        try {
            JsonElement el = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!el.isJsonObject() || el.getAsJsonObject().size() == 0) {
                throw new ModelFormatException("The tokenizer vocabulary " + file
                        + " is not a JSON object of token -> id; the tokenizer folder is broken");
            }
            return el.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new ModelFormatException("Cannot read the tokenizer vocabulary " + file + " (" + e.getMessage()
                    + "); download the model's tokenizer folder again", e);
        }
    }

    private static JsonArray readMerges(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelFormatException("Cannot read the tokenizer merges " + file + " (" + e.getMessage()
                    + "); download the model's tokenizer folder again", e);
        }
        JsonArray merges = new JsonArray();
        for (int i = 1; i < lines.size() && merges.size() < MAX_MERGES; i++) { // line 0 is "#version: ..."
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.split(" ").length != 2) {
                throw new ModelFormatException("Line " + (i + 1) + " of the tokenizer merges " + file
                        + " is not two symbols separated by a space; the file is corrupt");
            }
            merges.add(line);
        }
        if (merges.size() == 0) {
            throw new ModelFormatException("The tokenizer merges " + file + " holds no merges; the file is empty or corrupt");
        }
        return merges;
    }

    private static JsonObject addedToken(int id, String content) {
        JsonObject t = new JsonObject();
        t.addProperty("id", id);
        t.addProperty("content", content);
        t.addProperty("single_word", false);
        t.addProperty("lstrip", false);
        t.addProperty("rstrip", false);
        t.addProperty("normalized", true);
        t.addProperty("special", true);
        return t;
    }

    private static JsonObject type(String type) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        return o;
    }

    private static JsonObject regex(String pattern) {
        JsonObject o = new JsonObject();
        o.addProperty("Regex", pattern);
        return o;
    }
}
