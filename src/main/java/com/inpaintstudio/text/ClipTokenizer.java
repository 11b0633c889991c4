package com.inpaintstudio.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.errors.EngineUnavailableException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CLIP tokenizer of a Stable Diffusion model, over HuggingFace tokenizers (DJL). Gives the ids diffusers'
 * pipeline feeds the text encoder: {@code <|startoftext|>}, the prompt's BPE tokens (at most
 * {@code maxLength - 2}), {@code <|endoftext|>}, then padding to {@code maxLength} (77).
 *
 * <p>Text preparation follows transformers' slow {@code CLIPTokenizer} with ftfy: the special tokens are split
 * out first, then each piece is fixed ({@link PromptTextFixer}), its whitespace collapsed and stripped, and
 * lower-cased (Java's {@code toLowerCase(Locale.ROOT)}, which like Python's {@code str.lower} handles the Greek
 * final sigma, unlike the per-character lowercase of HF tokenizers).
 */
public final class ClipTokenizer implements AutoCloseable {
    private static final int DEFAULT_MAX_LENGTH = 77;

    private final HuggingFaceTokenizer tokenizer;
    private final long bosId;
    private final long eosId;
    private final long padId;
    private final int maxLength;

    private ClipTokenizer(HuggingFaceTokenizer tokenizer, long bosId, long eosId, long padId, int maxLength) {
        this.tokenizer = tokenizer;
        this.bosId = bosId;
        this.eosId = eosId;
        this.padId = padId;
        this.maxLength = maxLength;
    }

    /**
     * Loads the tokenizer of a model's {@code tokenizer} folder: {@code tokenizer.json} if present, else
     * {@code vocab.json} + {@code merges.txt}. {@code tokenizer_config.json}/{@code special_tokens_map.json}
     * are read, when present, for the maximum length and the padding token.
     */
    public static ClipTokenizer load(Path tokenizerDir) {
        if (!Files.isDirectory(tokenizerDir)) {
            throw new ModelFormatException("Tokenizer folder not found: " + tokenizerDir
                    + ". A Stable Diffusion model folder needs a 'tokenizer' sub-folder with vocab.json and merges.txt.");
        }
        Path json = tokenizerDir.resolve("tokenizer.json");
        Path vocab = tokenizerDir.resolve("vocab.json");
        Path merges = tokenizerDir.resolve("merges.txt");
        Map<String, String> options = Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
        HuggingFaceTokenizer hf;
        try {
            if (Files.isRegularFile(json)) {
                hf = HuggingFaceTokenizer.newInstance(json, options);
            } else if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
                byte[] built = ClipBpeJson.build(vocab, merges).getBytes(StandardCharsets.UTF_8);
                hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(built), options);
            } else {
                List<String> missing = new ArrayList<>();
                if (!Files.isRegularFile(vocab)) {
                    missing.add("vocab.json");
                }
                if (!Files.isRegularFile(merges)) {
                    missing.add("merges.txt");
                }
                throw new ModelFormatException("The tokenizer folder " + tokenizerDir + " lacks " + String.join(" and ", missing)
                        + " (and has no tokenizer.json). Copy the model's complete 'tokenizer' folder.");
            }
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError e) {
            throw new EngineUnavailableException("Could not load the HuggingFace tokenizers library (" + e
                    + "). It is bundled for Linux x86_64/aarch64, macOS arm64 and Windows x86_64 and extracted to"
                    + " DJL_CACHE_DIR (default ~/.djl.ai); check that this folder is writable.", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelFormatException mfe) {
                throw mfe;
            }
            throw new ModelFormatException("Cannot load the tokenizer in " + tokenizerDir + ": " + e.getMessage()
                    + ". The tokenizer files are corrupt; copy the model's 'tokenizer' folder again.", e);
        }
        try {
            long bos = singleId(hf, ClipBpeJson.BOS, tokenizerDir);
            long eos = singleId(hf, ClipBpeJson.EOS, tokenizerDir);
            JsonObject cfg = readJson(tokenizerDir.resolve("tokenizer_config.json"));
            JsonObject special = readJson(tokenizerDir.resolve("special_tokens_map.json"));
            String pad = tokenContent(special, "pad_token");
            if (pad == null) {
                pad = tokenContent(cfg, "pad_token");
            }
            long padId = pad == null || pad.equals(ClipBpeJson.EOS) ? eos
                    : pad.equals(ClipBpeJson.BOS) ? bos : vocabId(tokenizerDir, pad);
            int max = DEFAULT_MAX_LENGTH;
            if (cfg.has("model_max_length") && cfg.get("model_max_length").isJsonPrimitive()) {
                double v = cfg.get("model_max_length").getAsDouble();
                if (v >= 2 && v <= 4096) {
                    max = (int) v;
                }
            }
            return new ClipTokenizer(hf, bos, eos, padId, max);
        } catch (RuntimeException e) {
            hf.close();
            throw e;
        }
    }

    /** Number of ids {@link #encode} returns: the text encoder's sequence length (77). */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Exactly {@link #maxLength()} ids: start token, the prompt's tokens (truncated to {@code maxLength - 2}),
     * end token, padding.
     */
    public long[] encode(String prompt) {
        long[] tokens = tokens(prompt);
        long[] ids = new long[maxLength];
        Arrays.fill(ids, padId);
        ids[0] = bosId;
        int n = Math.min(tokens.length, maxLength - 2);
        System.arraycopy(tokens, 0, ids, 1, n);
        ids[n + 1] = eosId;
        return ids;
    }

    /** The start token's id (49406). */
    public long bosId() {
        return bosId;
    }

    /** The end token's id (49407). */
    public long eosId() {
        return eosId;
    }

    /** The id that fills a sequence after its end token (49407 for SD-1.x, 0 for SD-2.x). */
    public long padId() {
        return padId;
    }

    /** How many tokens the prompt has before truncation (without start/end): over {@code maxLength - 2} is cut. */
    public int tokenCount(String prompt) {
        return tokens(prompt).length;
    }

    /** The prompt's token ids, without start/end tokens and without truncation. */
    public long[] tokens(String prompt) {
        List<long[]> parts = new ArrayList<>();
        int total = 0;
        int pos = 0;
        while (pos < prompt.length()) {
            int bos = prompt.indexOf(ClipBpeJson.BOS, pos);
            int eos = prompt.indexOf(ClipBpeJson.EOS, pos);
            int next = bos < 0 ? eos : (eos < 0 ? bos : Math.min(bos, eos));
            String piece = prompt.substring(pos, next < 0 ? prompt.length() : next);
            long[] ids = encodePiece(piece);
            parts.add(ids);
            total += ids.length;
            if (next < 0) {
                break;
            }
            boolean isBos = next == bos;
            parts.add(new long[] {isBos ? bosId : eosId});
            total++;
            pos = next + (isBos ? ClipBpeJson.BOS : ClipBpeJson.EOS).length();
        }
        long[] out = new long[total];
        int o = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private long[] encodePiece(String piece) {
        String text = normalize(piece);
        if (text.isEmpty()) {
            return new long[0];
        }
        return tokenizer.encode(text, false, false).getIds();
    }

    /** ftfy fixes, whitespace runs to one space and stripped (Python's {@code \s}), lower case. */
    static String normalize(String piece) {
        String fixed = PromptTextFixer.fix(piece);
        StringBuilder sb = new StringBuilder(fixed.length());
        boolean space = false;
        for (int i = 0; i < fixed.length(); i++) {
            char c = fixed.charAt(i);
            if (isPythonSpace(c)) {
                space = true;
            } else {
                if (space && sb.length() > 0) {
                    sb.append(' ');
                }
                space = false;
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Python's {@code str.isspace} (what {@code re}'s {@code \s} matches in str patterns). */
    static boolean isPythonSpace(char c) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    private static long singleId(HuggingFaceTokenizer hf, String token, Path dir) {
        long[] ids = hf.encode(token, false, false).getIds();
        if (ids.length != 1) {
            throw new ModelFormatException("The tokenizer in " + dir + " does not know the token '" + token
                    + "' as a single id; it is not a CLIP tokenizer");
        }
        return ids[0];
    }

    /** The id of {@code token} as the vocabulary lists it (SD-2.x pads with "!", id 0, not with "!</w>"). */
    private static long vocabId(Path dir, String token) {
        JsonObject vocab = readJson(dir.resolve("vocab.json"));
        if (vocab.size() == 0) {
            JsonObject model = readJson(dir.resolve("tokenizer.json")).getAsJsonObject("model");
            vocab = model != null && model.has("vocab") ? model.getAsJsonObject("vocab") : new JsonObject();
        }
        JsonElement id = vocab.get(token);
        if (id == null || !id.isJsonPrimitive()) {
            throw new ModelFormatException("The padding token '" + token + "' named in " + dir
                    + " is not in the tokenizer's vocabulary; the tokenizer folder is inconsistent");
        }
        return id.getAsLong();
    }

    private static JsonObject readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return new JsonObject();
        }
        try {
            JsonElement el = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            return el.isJsonObject() ? el.getAsJsonObject() : new JsonObject();
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException("Cannot read " + file + " (" + e.getMessage() + "); it is corrupt."
                    + " Copy the model's 'tokenizer' folder again.", e);
        }
    }

    /** A token given as a plain string or as an AddedToken object with a "content" field. */
    private static String tokenContent(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive()) {
            return e.getAsString();
        }
        if (e.isJsonObject() && e.getAsJsonObject().has("content")) {
            return e.getAsJsonObject().get("content").getAsString();
        }
        return null;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
