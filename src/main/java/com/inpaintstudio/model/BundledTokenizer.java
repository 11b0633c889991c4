package com.inpaintstudio.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * The CLIP ViT-L/14 tokenizer shipped inside the app (vocab.json, merges.txt and its two configs: the vocabulary
 * every SD-1.x and SD-2.x model uses). Single-file checkpoints carry no tokenizer, so it is copied once to a cache
 * folder ({@code $XDG_CACHE_HOME/inpaint-studio/tokenizer-clip}, default {@code ~/.cache/...}) where the tokenizer
 * code can read it like a diffusers {@code tokenizer/} folder; a temporary folder if the cache is not writable.
 */
public final class BundledTokenizer {
    static final List<String> FILES = List.of("vocab.json", "merges.txt", "special_tokens_map.json", "tokenizer_config.json");
    private static final String RESOURCE_DIR = "/com/inpaintstudio/tokenizer/";
    private static Path extracted;

    private BundledTokenizer() {}

    /** The folder holding the bundled tokenizer files, extracting them on first use. */
    public static synchronized Path dir() {
        if (extracted != null && isComplete(extracted)) {
            return extracted;
        }
        try {
            extracted = extractTo(cacheRoot().resolve("tokenizer-clip"));
        } catch (IOException | UncheckedIOException e) {
            try {
                Path tmp = Files.createTempDirectory("inpaint-studio-tokenizer");
                extracted = extractTo(tmp);
            } catch (IOException e2) {
                throw new UncheckedIOException("Cannot write the bundled CLIP tokenizer to a cache or temporary folder: "
                        + e2.getMessage(), e2);
            }
        }
        return extracted;
    }

    /** Copies the bundled files into {@code dir} unless identical copies are there already. */
    static Path extractTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : FILES) {
            byte[] bytes = resource(name);
            Path target = dir.resolve(name);
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length
                    && Arrays.equals(Files.readAllBytes(target), bytes)) {
                continue;
            }
            Path tmp = Files.createTempFile(dir, name, ".part");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
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

    private static boolean isComplete(Path dir) {
        return FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("inpaint-studio");
    }
}
