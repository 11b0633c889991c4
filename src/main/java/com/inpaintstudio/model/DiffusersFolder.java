package com.inpaintstudio.model;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Stable Diffusion model in the diffusers folder layout: {@code model_index.json} plus {@code unet/},
 * {@code vae/}, {@code text_encoder/}, {@code tokenizer/}, {@code scheduler/}. {@link #open} checks everything
 * up front (configs parse, weights are safetensors with sound headers) and reports every problem at once.
 */
public final class DiffusersFolder implements ModelFiles {
    private static final Component[] NETWORKS = {Component.UNET, Component.VAE, Component.TEXT_ENCODER};

    private final Path dir;
    private final Map<Component, JsonObject> configs;
    private final Map<Component, List<SafetensorsFile>> weightFiles;

    private DiffusersFolder(Path dir, Map<Component, JsonObject> configs, Map<Component, List<SafetensorsFile>> weightFiles) {
        this.dir = dir;
        this.configs = configs;
        this.weightFiles = weightFiles;
    }

    /** Opens and validates a diffusers model folder; a {@link ModelFormatException} lists what is missing or broken. */
    public static DiffusersFolder open(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.exists(d)) {
            throw new ModelFormatException("Model folder not found: " + d);
        }
        if (!Files.isDirectory(d)) {
            throw new ModelFormatException(d + " is a file, not a diffusers model folder. Open a single-file checkpoint"
                    + " (.safetensors) as a file, or choose the folder that holds model_index.json.");
        }
        if (!Files.isRegularFile(d.resolve("model_index.json"))) {
            Path parent = d.getParent();
            if (parent != null && Files.isRegularFile(parent.resolve("model_index.json"))) {
                throw new ModelFormatException(d + " is the '" + d.getFileName() + "' part of a model; choose its parent"
                        + " folder " + parent + " instead.");
            }
            throw new ModelFormatException(d + " has no model_index.json, so it is not a diffusers model folder. Choose the"
                    + " folder that holds model_index.json, unet/, vae/, text_encoder/, tokenizer/ and scheduler/ (download"
                    + " every file of the model's repository), or open a single-file checkpoint (.safetensors) instead.");
        }
        List<String> problems = new ArrayList<>();
        readJson(d, "model_index.json", problems);
        Map<Component, JsonObject> configs = new EnumMap<>(Component.class);
        for (Component c : Component.values()) {
            Path cd = d.resolve(c.folder());
            if (!Files.isDirectory(cd)) {
                problems.add("the '" + c.folder() + "' folder is missing");
                continue;
            }
            if (c == Component.TOKENIZER) {
                checkTokenizer(cd, problems);
                JsonObject tc = Files.isRegularFile(cd.resolve("tokenizer_config.json"))
                        ? readJson(d, "tokenizer/tokenizer_config.json", problems) : new JsonObject();
                configs.put(c, tc == null ? new JsonObject() : tc);
                continue;
            }
            String cfgName = c == Component.SCHEDULER ? "scheduler_config.json" : "config.json";
            if (!Files.isRegularFile(cd.resolve(cfgName))) {
                problems.add(c.folder() + "/" + cfgName + " is missing");
            } else {
                JsonObject cfg = readJson(d, c.folder() + "/" + cfgName, problems);
                if (cfg != null) {
                    configs.put(c, cfg);
                }
            }
        }
        JsonObject unet = configs.get(Component.UNET);
        if (unet != null && !(unet.has("in_channels") && unet.get("in_channels").isJsonPrimitive())) {
            problems.add("unet/config.json lacks in_channels; it is not a UNet2DConditionModel config");
        }
        Map<Component, List<Path>> found = new EnumMap<>(Component.class);
        for (Component c : NETWORKS) {
            Path cd = d.resolve(c.folder());
            if (Files.isDirectory(cd)) {
                List<Path> files = ComponentWeightFiles.find(cd, c.folder(), problems);
                if (!files.isEmpty()) {
                    found.put(c, files);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw incomplete(d, problems);
        }
        Map<Component, List<SafetensorsFile>> opened = new EnumMap<>(Component.class);
        try {
            for (Map.Entry<Component, List<Path>> e : found.entrySet()) {
                List<SafetensorsFile> files = new ArrayList<>();
                opened.put(e.getKey(), files);
                for (Path f : e.getValue()) {
                    files.add(SafetensorsFile.open(f)); // validates the header, names the file if broken
                }
            }
        } catch (RuntimeException ex) {
            closeAll(opened);
            throw ex;
        }
        Map<Component, List<SafetensorsFile>> frozen = new EnumMap<>(Component.class);
        opened.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new DiffusersFolder(d, configs, frozen);
    }

    @Override
    public String name() {
        return dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    }

    @Override
    public Path location() {
        return dir;
    }

    /** A copy of the parsed config (TOKENIZER: tokenizer_config.json, or empty if the folder has none). */
    @Override
    public JsonObject config(Component component) {
        return configs.get(component).deepCopy();
    }

    @Override
    public Weights weights(Component component, NDManager manager) {
        List<SafetensorsFile> files = weightFiles.get(component);
        if (files == null) {
            throw new IllegalArgumentException(component + " has no weights; only UNET, VAE and TEXT_ENCODER do");
        }
        // fp16 files (what the hub download prefers) stay fp16 in memory; the layers compute in fp32
        return new SafetensorsWeights(files, manager, java.util.function.UnaryOperator.identity(), true);
    }

    @Override
    public Path tokenizerDir() {
        return dir.resolve(Component.TOKENIZER.folder());
    }

    /**
     * One line for the UI/CLI, e.g. {@code "sd-inpaint: inpainting UNet (9-channel), SD-1.x (cross_attention_dim
     * 768), F16 weights, 2.1 GB"}.
     */
    public String describe() {
        JsonObject unet = configs.get(Component.UNET);
        int in = unet.get("in_channels").getAsInt();
        String kind = in == 9 ? "inpainting UNet (9-channel)"
                : in == 4 ? "regular UNet (4-channel)" : "UNet with " + in + " input channels";
        String family;
        if (unet.has("cross_attention_dim") && unet.get("cross_attention_dim").isJsonPrimitive()) {
            int cad = unet.get("cross_attention_dim").getAsInt();
            family = switch (cad) {
                case 768 -> "SD-1.x";
                case 1024 -> "SD-2.x";
                case 2048 -> "SDXL";
                default -> "unknown family";
            } + " (cross_attention_dim " + cad + ")";
        } else {
            family = "unknown family";
        }
        Map<String, Long> bytesByDtype = new TreeMap<>();
        long total = 0;
        for (List<SafetensorsFile> files : weightFiles.values()) {
            for (SafetensorsFile f : files) {
                total += f.fileSize();
                for (TensorInfo t : f.tensors().values()) {
                    if (t.dtype().isFloat()) {
                        bytesByDtype.merge(t.dtype().name(), t.byteLength(), Long::sum);
                    }
                }
            }
        }
        String dtype = bytesByDtype.isEmpty() ? "no float" : String.join("/", bytesByDtype.keySet());
        return name() + ": " + kind + ", " + family + ", " + dtype + " weights, " + humanSize(total);
    }

    static String humanSize(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }

    @Override
    public void close() {
        closeAll(weightFiles);
    }

    private static void checkTokenizer(Path cd, List<String> problems) {
        if (Files.isRegularFile(cd.resolve("tokenizer.json"))) {
            return;
        }
        for (String f : List.of("vocab.json", "merges.txt")) {
            if (!Files.isRegularFile(cd.resolve(f))) {
                problems.add("tokenizer/" + f + " is missing");
            }
        }
    }

    private static JsonObject readJson(Path dir, String rel, List<String> problems) {
        try {
            JsonElement el = JsonParser.parseString(Files.readString(dir.resolve(rel), StandardCharsets.UTF_8));
            if (el.isJsonObject()) {
                ConfigSanity.check(rel, el.getAsJsonObject(), problems);
                return el.getAsJsonObject();
            }
            problems.add(rel + " is not a JSON object");
        } catch (IOException | JsonParseException e) {
            problems.add(rel + " is not valid JSON (" + e.getMessage() + ")");
        }
        return null;
    }

    private static ModelFormatException incomplete(Path d, List<String> problems) {
        StringBuilder sb = new StringBuilder("The model folder ").append(d).append(" is incomplete or broken:");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        sb.append("\nDownload every file of the model's repository again (or copy the missing parts).");
        return new ModelFormatException(sb.toString());
    }

    private static void closeAll(Map<Component, List<SafetensorsFile>> files) {
        for (List<SafetensorsFile> list : files.values()) {
            for (SafetensorsFile f : list) {
                f.close();
            }
        }
    }
}
