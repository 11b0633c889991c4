package com.inpaintstudio.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A textual-inversion embedding: {@code vectors} rows of width {@code width} that a prompt word stands for.
 * Reads A1111 {@code .safetensors} files (tensor {@code emb_params}, shape (n, width)) and diffusers'
 * {@code learned_embeds.safetensors} (one tensor named after its token, shape (width) or (n, width)). The name
 * used in prompts is the file name without extension; for a file called {@code learned_embeds.safetensors} it
 * is the folder's name. Pickle files ({@code .pt}, {@code .bin}) are refused: unpickling can run code.
 *
 * @param values row-major (vectors x width), float32
 * @param sha256 hex SHA-256 of the file; A1111's "TI hashes" use its first 12 characters
 */
public record TextualInversion(String name, Path file, int vectors, int width, float[] values, String sha256) {

    /** A1111's short hash of an embedding (first 12 hex digits of the file's SHA-256). */
    public String shortHash() {
        return sha256.substring(0, 12);
    }

    /** The name a prompt uses for {@code file}. */
    public static String nameOf(Path file) {
        String n = file.getFileName().toString();
        String stem = n.replaceFirst("(?i)\\.(safetensors|pt|bin|pth|ckpt|pkl)$", "");
        if (stem.equalsIgnoreCase("learned_embeds") && file.toAbsolutePath().getParent() != null
                && file.toAbsolutePath().getParent().getFileName() != null) {
            return file.toAbsolutePath().getParent().getFileName().toString();
        }
        return stem;
    }

    public static boolean isCandidate(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".safetensors") || PickleFiles.isPickle(file);
    }

    /** Reads an embedding file; a {@link ModelFormatException} says what is wrong with it. */
    public static TextualInversion read(Path file) {
        String name = nameOf(file);
        if (PickleFiles.isPickle(file)) {
            throw new ModelFormatException("Refusing to load the embedding " + file.getFileName() + ": it is a PyTorch"
                    + " pickle file, and loading a pickle can execute any code hidden in it. Get the .safetensors"
                    + " version of the embedding instead (most embedding pages offer one).");
        }
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, TensorInfo> t = st.tensors();
            String key;
            if (t.containsKey("emb_params")) {
                key = "emb_params";
            } else if (t.containsKey("clip_l") || t.containsKey("clip_g")) {
                throw new ModelFormatException("The embedding " + file.getFileName() + " is for SDXL (clip_l/clip_g);"
                        + " Inpaint Studio runs SD-1.x and SD-2.x models, which need an SD-1.x or SD-2.x embedding.");
            } else if (t.size() == 1) {
                key = t.keySet().iterator().next();
            } else {
                throw new ModelFormatException("The file " + file.getFileName() + " is not a textual-inversion"
                        + " embedding: it has neither 'emb_params' (A1111) nor a single token tensor (diffusers'"
                        + " learned_embeds.safetensors), but " + t.size() + " tensors. Is it a LoRA or a model?");
            }
            TensorInfo info = t.get(key);
            long[] shape = info.shape();
            int vectors;
            int width;
            if (shape.length == 1) {
                vectors = 1;
                width = (int) shape[0];
            } else if (shape.length == 2) {
                vectors = (int) shape[0];
                width = (int) shape[1];
            } else {
                throw new ModelFormatException("The embedding " + file.getFileName() + " has a tensor of shape "
                        + java.util.Arrays.toString(shape) + "; an embedding is (vectors, width).");
            }
            if (vectors < 1 || vectors > 75 || width < 1) {
                throw new ModelFormatException("The embedding " + file.getFileName() + " has " + vectors
                        + " vectors of width " + width + "; usable embeddings have 1 to 75 vectors.");
            }
            return new TextualInversion(name, file, vectors, width, st.readFloats(key), sha256(file));
        }
    }

    static String sha256(Path file) {
        try {
            return FileDigests.sha256(file);
        } catch (IOException e) {
            throw new ModelFormatException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
