package com.inpaintstudio.model;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds models in the models folders: diffusers folders (a folder with {@code model_index.json}) and single-file
 * {@code .safetensors} checkpoints, up to two folder levels deep, and, apart from them, preview decoders (TAESD
 * folders: a {@code config.json} naming {@code AutoencoderTiny}). Only configs and safetensors headers are read.
 * A broken model is listed with its problem; the scan itself never fails.
 */
public final class ModelScanner {
    /** Overrides the folders to scan (and where downloads go): one or more paths separated by the path separator. */
    public static final String ENV = "INPAINT_STUDIO_MODELS";
    private static final int MAX_DEPTH = 2;
    /** Folders beside the models that hold add-ons, not models. */
    private static final Set<String> ADD_ON_FOLDERS = Set.of(EmbeddingLibrary.FOLDER, "loras", "lora");

    private final Map<String, String> env;

    public ModelScanner() {
        this(System.getenv());
    }

    ModelScanner(Map<String, String> env) {
        this.env = env;
    }

    /**
     * The folders scanned by default: {@code $INPAINT_STUDIO_MODELS} if set; else {@code models/} beside the app
     * (next to the jar and in the folder above it), {@code models/} in the working directory, and the user's data
     * folder {@code ~/.local/share/inpaint-studio/models} (or under {@code $XDG_DATA_HOME}).
     */
    public List<Path> defaultRoots() {
        Set<Path> roots = new LinkedHashSet<>();
        String override = env.get(ENV);
        if (override != null && !override.isBlank()) {
            for (String p : override.split(File.pathSeparator)) {
                if (!p.isBlank()) {
                    roots.add(Path.of(p.trim()).toAbsolutePath().normalize());
                }
            }
            return List.copyOf(roots);
        }
        Path jarDir = appDir();
        if (jarDir != null) {
            roots.add(jarDir.resolve("models"));
            if (jarDir.getParent() != null) {
                roots.add(jarDir.getParent().resolve("models"));
            }
        }
        roots.add(Path.of("").toAbsolutePath().resolve("models"));
        roots.add(userModelsDir());
        return List.copyOf(roots);
    }

    /** Where downloads go: the first {@code $INPAINT_STUDIO_MODELS} entry, else an existing writable app/working-dir {@code models/}, else the user's data folder. */
    public Path downloadDir() {
        List<Path> roots = defaultRoots();
        String override = env.get(ENV);
        if (override != null && !override.isBlank()) {
            return roots.get(0);
        }
        for (Path r : roots) {
            if (!r.equals(userModelsDir()) && Files.isDirectory(r) && Files.isWritable(r)) {
                return r;
            }
        }
        return userModelsDir();
    }

    public Path userModelsDir() {
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("inpaint-studio").resolve("models").toAbsolutePath().normalize();
    }

    private static Path appDir() {
        try {
            Path p = Path.of(ModelScanner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? p.toAbsolutePath().getParent() : null; // only when running from a jar
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Scans the default roots. */
    public List<ModelEntry> scan() {
        return scan(defaultRoots());
    }

    /** Scans the given folders (missing ones are skipped); entries sorted usable first, then by name. */
    public List<ModelEntry> scan(List<Path> roots) {
        List<ModelEntry> out = new ArrayList<>();
        walkRoots(roots, out, new ArrayList<>());
        out.sort(Comparator.comparing((ModelEntry e) -> !e.usable()).thenComparing(e -> e.name().toLowerCase(Locale.ROOT)));
        return out;
    }

    /** The TAESD preview decoders in the default roots. */
    public List<PreviewDecoderEntry> scanPreviewDecoders() {
        return scanPreviewDecoders(defaultRoots());
    }

    /** The TAESD preview decoders in the given folders (a root may itself be one), usable first, then by name. */
    public List<PreviewDecoderEntry> scanPreviewDecoders(List<Path> roots) {
        List<PreviewDecoderEntry> out = new ArrayList<>();
        walkRoots(roots, new ArrayList<>(), out);
        out.sort(Comparator.comparing((PreviewDecoderEntry e) -> !e.usable())
                .thenComparing(e -> e.name().toLowerCase(Locale.ROOT)));
        return out;
    }

    private void walkRoots(List<Path> roots, List<ModelEntry> out, List<PreviewDecoderEntry> decoders) {
        Set<Path> seen = new LinkedHashSet<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                PreviewDecoderEntry tiny;
                if (Files.isRegularFile(root.resolve("model_index.json"))) {
                    add(out, seen, inspectFolder(root));
                } else if ((tiny = inspectPreviewDecoder(root)) != null) {
                    addDecoder(decoders, seen, tiny);
                } else {
                    walk(root, 1, out, decoders, seen);
                }
            } else if (Files.isRegularFile(root)) {
                add(out, seen, inspect(root));
            }
        }
    }

    /**
     * Describes a TAESD folder (config.json whose {@code _class_name} is {@code AutoencoderTiny}), or null when
     * {@code dir} is not one.
     */
    public static PreviewDecoderEntry inspectPreviewDecoder(Path dir) {
        Path cfg = dir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            return null;
        }
        JsonObject config;
        try {
            config = readJson(cfg);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (!config.has("_class_name") || !config.get("_class_name").isJsonPrimitive()
                || !config.get("_class_name").getAsString().equals("AutoencoderTiny")) {
            return null;
        }
        String name = dir.getFileName().toString();
        String problem = null;
        if (!hasSafetensors(dir)) {
            problem = "no .safetensors weights next to config.json" + (hasPickle(dir) || listNames(dir).stream()
                    .anyMatch(n -> n.endsWith(".pth")) ? " (only pickle .bin/.pth files, which Inpaint Studio does not"
                    + " load: they can execute code)" : "") + "; download it again with `inpaint-studio download "
                    + "madebyollin/taesd`";
        }
        return new PreviewDecoderEntry(name, dir, PreviewDecoderEntry.classify(config, name), folderSize(dir), problem);
    }

    private static void addDecoder(List<PreviewDecoderEntry> out, Set<Path> seen, PreviewDecoderEntry e) {
        Path key;
        try {
            key = e.path().toRealPath();
        } catch (IOException ex) {
            key = e.path().toAbsolutePath().normalize();
        }
        if (seen.add(key)) {
            out.add(e);
        }
    }

    /** Describes one model path (folder or file), as a model path given on the command line. */
    public static ModelEntry inspect(Path path) {
        if (Files.isDirectory(path)) {
            return inspectFolder(path);
        }
        return inspectFile(path);
    }

    private void walk(Path dir, int depth, List<ModelEntry> out, List<PreviewDecoderEntry> decoders, Set<Path> seen) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        } catch (IOException e) {
            return; // unreadable folder: nothing to list
        }
        for (Path c : children) {
            String n = c.getFileName().toString();
            if (n.startsWith(".")) {
                continue;
            }
            if (Files.isDirectory(c)) {
                if (ADD_ON_FOLDERS.contains(n.toLowerCase(Locale.ROOT))) {
                    continue; // embeddings and LoRAs are not models (see EmbeddingLibrary)
                }
                PreviewDecoderEntry tiny;
                if (Files.isRegularFile(c.resolve("model_index.json"))) {
                    add(out, seen, inspectFolder(c));
                } else if ((tiny = inspectPreviewDecoder(c)) != null) {
                    addDecoder(decoders, seen, tiny); // its weights are not a checkpoint: not listed as a broken model
                } else if (depth < MAX_DEPTH) {
                    walk(c, depth + 1, out, decoders, seen);
                }
            } else if (isCandidateFile(n)) {
                add(out, seen, inspectFile(c));
            }
        }
    }

    private static boolean isCandidateFile(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".safetensors") || n.endsWith(".ckpt") || n.endsWith(".pt") || n.endsWith(".pth");
    }

    private static void add(List<ModelEntry> out, Set<Path> seen, ModelEntry e) {
        Path key;
        try {
            key = e.path().toRealPath();
        } catch (IOException ex) {
            key = e.path().toAbsolutePath().normalize();
        }
        if (seen.add(key)) {
            out.add(e);
        }
    }

    static ModelEntry inspectFolder(Path dir) {
        String name = dir.getFileName().toString();
        long size = folderSize(dir);
        Boolean inpainting = null;
        ModelFamily family = ModelFamily.UNKNOWN;
        String problem = null;
        try {
            JsonObject unet = readJson(dir.resolve("unet/config.json"));
            if (unet.has("in_channels")) {
                inpainting = unet.get("in_channels").getAsInt() == 9;
            }
            if (unet.has("cross_attention_dim") && unet.get("cross_attention_dim").isJsonPrimitive()) {
                family = ModelFamily.fromCrossAttentionDim(unet.get("cross_attention_dim").getAsInt());
            }
        } catch (IOException | RuntimeException e) {
            problem = "unet/config.json is missing or unreadable (" + e.getMessage() + "); the folder is incomplete";
        }
        if (problem == null) {
            problem = missingParts(dir);
        }
        return new ModelEntry(name, dir, ModelEntry.Kind.FOLDER, inpainting, family, size, problem);
    }

    private static String missingParts(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String part : List.of("unet", "vae", "text_encoder")) {
            if (!Files.isRegularFile(dir.resolve(part).resolve("config.json"))) {
                missing.add(part + "/config.json");
            }
            if (!hasSafetensors(dir.resolve(part))) {
                missing.add(part + "/*.safetensors" + (hasPickle(dir.resolve(part)) ? " (only a pickle .bin is there, which"
                        + " Inpaint Studio does not load: it can execute code)" : ""));
            }
        }
        if (!Files.isRegularFile(dir.resolve("scheduler/scheduler_config.json"))) {
            missing.add("scheduler/scheduler_config.json");
        }
        boolean tokenizer = Files.isRegularFile(dir.resolve("tokenizer/tokenizer.json"))
                || (Files.isRegularFile(dir.resolve("tokenizer/vocab.json")) && Files.isRegularFile(dir.resolve("tokenizer/merges.txt")));
        if (!tokenizer) {
            missing.add("tokenizer/vocab.json + merges.txt");
        }
        return missing.isEmpty() ? null : "incomplete diffusers folder, missing " + String.join(", ", missing)
                + " (unfinished download? run the download again)";
    }

    private static boolean hasSafetensors(Path dir) {
        return listNames(dir).stream().anyMatch(n -> n.endsWith(".safetensors"));
    }

    private static boolean hasPickle(Path dir) {
        return listNames(dir).stream().anyMatch(n -> n.endsWith(".bin") || n.endsWith(".ckpt"));
    }

    private static List<String> listNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static ModelEntry inspectFile(Path file) {
        String fileName = file.getFileName().toString();
        String name = fileName.replaceFirst("(?i)\\.(safetensors|ckpt|pth|pt|bin)$", "");
        long size = fileSize(file);
        if (PickleFiles.isPickle(file)) {
            return new ModelEntry(name, file, ModelEntry.Kind.SINGLE_FILE, null, ModelFamily.UNKNOWN, size,
                    PickleFiles.refusal(file).getMessage());
        }
        Boolean inpainting = null;
        ModelFamily family = ModelFamily.UNKNOWN;
        String problem = null;
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, TensorInfo> t = st.tensors();
            SingleFileCheckpoint.Layout layout = SingleFileCheckpoint.Layout.of(t.keySet());
            TensorInfo convIn = t.get(CheckpointKeys.UNET_PREFIX + "input_blocks.0.0.weight");
            if (convIn != null && convIn.shape().length == 4) {
                inpainting = convIn.shape()[1] == 9;
            }
            family = switch (layout) {
                case SD2_OPENCLIP -> ModelFamily.SD2;
                case SDXL -> ModelFamily.SDXL;
                case NOT_A_CHECKPOINT -> ModelFamily.UNKNOWN;
                default -> crossAttentionFamily(t);
            };
        } catch (ModelFormatException e) {
            problem = e.getMessage();
        }
        if (problem == null) {
            try (SingleFileCheckpoint ignored = SingleFileCheckpoint.open(file)) {
                // opens, maps the keys and infers the configs: usable
            } catch (ModelFormatException e) {
                problem = e.getMessage();
            }
        }
        return new ModelEntry(name, file, ModelEntry.Kind.SINGLE_FILE, inpainting, family, size, problem);
    }

    private static ModelFamily crossAttentionFamily(Map<String, TensorInfo> t) {
        for (Map.Entry<String, TensorInfo> e : t.entrySet()) {
            if (e.getKey().startsWith(CheckpointKeys.UNET_PREFIX) && e.getKey().endsWith("attn2.to_k.weight")
                    && e.getValue().shape().length == 2) {
                return ModelFamily.fromCrossAttentionDim((int) e.getValue().shape()[1]);
            }
        }
        return ModelFamily.UNKNOWN;
    }

    private static JsonObject readJson(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long folderSize(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".part"))
                    .mapToLong(ModelScanner::fileSize).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
