package com.inpaintstudio.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the safetensors file(s) of one component folder of a diffusers model: a single file
 * ({@code diffusion_pytorch_model.safetensors} or {@code model.safetensors}, full precision preferred over the
 * {@code .fp16.} variant) or shards listed by a {@code *.safetensors.index*.json}. Pickle files ({@code .bin},
 * {@code .ckpt}, {@code .pt}) are refused with a message saying why and how to convert.
 */
final class ComponentWeightFiles {
    private static final List<String> SINGLE = List.of(
            "diffusion_pytorch_model.safetensors", "model.safetensors",
            "diffusion_pytorch_model.fp16.safetensors", "model.fp16.safetensors");
    private static final List<String> INDEX = List.of(
            "diffusion_pytorch_model.safetensors.index.json", "model.safetensors.index.json",
            "diffusion_pytorch_model.safetensors.index.fp16.json", "model.safetensors.index.fp16.json");

    private ComponentWeightFiles() {}

    /**
     * The weight files of {@code componentDir} ({@code label} is how messages name it, e.g. "unet"), or an empty
     * list after adding what is wrong to {@code problems}.
     */
    static List<Path> find(Path componentDir, String label, List<String> problems) {
        for (String name : SINGLE) {
            Path f = componentDir.resolve(name);
            if (Files.isRegularFile(f)) {
                return List.of(f);
            }
        }
        for (String name : INDEX) {
            Path idx = componentDir.resolve(name);
            if (Files.isRegularFile(idx)) {
                return shards(idx, label, problems);
            }
        }
        List<String> pickles = pickles(componentDir);
        if (!pickles.isEmpty()) {
            problems.add(label + " has only PyTorch pickle weights (" + String.join(", ", pickles) + "). Pickle files"
                    + " can run arbitrary code when loaded, so Inpaint Studio refuses them. Download the model's"
                    + " .safetensors files instead (most Hugging Face repositories have them), or convert once with"
                    + " Python: StableDiffusionInpaintPipeline.from_pretrained('FOLDER').save_pretrained('NEW_FOLDER',"
                    + " safe_serialization=True)");
        } else {
            problems.add(label + " has no weights: expected " + label + "/diffusion_pytorch_model.safetensors or "
                    + label + "/model.safetensors (or their .fp16.safetensors variants); the download is incomplete");
        }
        return List.of();
    }

    private static List<Path> shards(Path index, String label, List<String> problems) {
        JsonObject map;
        try {
            JsonElement el = JsonParser.parseString(Files.readString(index, StandardCharsets.UTF_8));
            map = el.isJsonObject() ? el.getAsJsonObject().getAsJsonObject("weight_map") : null;
        } catch (IOException | JsonParseException | ClassCastException e) {
            map = null;
        }
        if (map == null || map.size() == 0) {
            problems.add(label + "/" + index.getFileName() + " is not a valid shard index (no weight_map); download it again");
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (var e : map.entrySet()) {
            names.add(e.getValue().getAsString());
        }
        List<Path> files = new ArrayList<>();
        int before = problems.size();
        for (String n : names) {
            Path f = index.resolveSibling(n);
            if (!Files.isRegularFile(f) || n.contains("/") || n.contains("\\")) {
                problems.add(label + "/" + n + " is listed in " + index.getFileName() + " but missing; the download is incomplete");
            } else {
                files.add(f);
            }
        }
        return problems.size() == before ? List.copyOf(files) : List.of();
    }

    private static List<String> pickles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> {
                        String l = n.toLowerCase(Locale.ROOT);
                        return l.endsWith(".bin") || l.endsWith(".ckpt") || l.endsWith(".pt") || l.endsWith(".pth");
                    })
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
