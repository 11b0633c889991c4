package com.inpaintstudio.model;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CLIP tokenizer shipped inside the app (vocab.json, merges.txt and its two configs): the BPE vocabulary every
 * SD-1.x and SD-2.x model uses. Single-file checkpoints carry no tokenizer, so it is copied once to a cache folder
 * ({@code $XDG_CACHE_HOME/inpaint-studio/}, default {@code ~/.cache/inpaint-studio/}) where the tokenizer code reads
 * it like a diffusers {@code tokenizer/} folder; a temporary folder if the cache is not writable. SD-1.x pads prompts
 * with {@code <|endoftext|>}; SD-2.x's tokenizer (OpenCLIP) pads with {@code "!"} (id 0), so it gets its own copy.
 */
public final class BundledTokenizer {
    static final List<String> FILES = List.of("vocab.json", "merges.txt", "special_tokens_map.json", "tokenizer_config.json");
    static final String OPENCLIP_PAD = "!";
    private static final String RESOURCE_DIR = "/com/inpaintstudio/tokenizer/";
    private static final Map<Boolean, Path> EXTRACTED = new LinkedHashMap<>();

    private BundledTokenizer() {}

    /** The SD-1.x (OpenAI CLIP ViT-L/14) tokenizer folder, extracting it on first use. */
    public static Path dir() {
        return dir(false);
    }

    /** The SD-2.x (OpenCLIP ViT-H/14) tokenizer folder: same vocabulary, padded with "!". */
    public static Path openClipDir() {
        return dir(true);
    }

    private static synchronized Path dir(boolean openClip) {
        Path known = EXTRACTED.get(openClip);
        if (known != null && FILES.stream().allMatch(f -> Files.isRegularFile(known.resolve(f)))) {
            return known;
        }
        Path dir;
        try {
            dir = extractTo(cacheRoot().resolve(openClip ? "tokenizer-openclip" : "tokenizer-clip"), files(openClip));
        } catch (IOException | UncheckedIOException e) {
            try {
                dir = extractTo(Files.createTempDirectory("inpaint-studio-tokenizer"), files(openClip));
            } catch (IOException e2) {
                throw new UncheckedIOException("Cannot write the bundled CLIP tokenizer to a cache or temporary folder: "
                        + e2.getMessage(), e2);
            }
        }
        EXTRACTED.put(openClip, dir);
        return dir;
    }

    /** The four files' contents for one variant. */
    static Map<String, byte[]> files(boolean openClip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String name : FILES) {
            byte[] bytes = resource(name);
            if (openClip && name.endsWith(".json") && !name.equals("vocab.json")) {
                JsonObject o = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
                o.addProperty("pad_token", OPENCLIP_PAD);
                bytes = new GsonBuilder().setPrettyPrinting().create().toJson(o).getBytes(StandardCharsets.UTF_8);
            }
            out.put(name, bytes);
        }
        return out;
    }

    /** Writes {@code files} into {@code dir} unless identical copies are there already (temp file + rename each). */
    static Path extractTo(Path dir, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            byte[] bytes = e.getValue();
            Path target = dir.resolve(e.getKey());
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length
                    && Arrays.equals(Files.readAllBytes(target), bytes)) {
                continue;
            }
            Path tmp = Files.createTempFile(dir, e.getKey(), ".part");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException ex) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return dir;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = BundledTokenizer.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IOException("the app is missing its bundled tokenizer file " + name + " (damaged install?)");
            }
            return in.readAllBytes();
        }
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("inpaint-studio");
    }
}
