package com.inpaintstudio.model.lora;

import com.inpaintstudio.model.ModelFormatException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code loras/} folders beside the models ({@code models/loras/NAME.safetensors} in each models folder): turns
 * a bare name (as {@code --lora NAME} or {@code <lora:NAME:0.8>} give it) into a file, and lists what is there.
 */
public final class LoraLibrary {
    public static final String FOLDER = "loras";
    private final List<Path> modelRoots;

    /** @param modelRoots the models folders (e.g. {@code ModelScanner#defaultRoots()}) */
    public LoraLibrary(List<Path> modelRoots) {
        this.modelRoots = List.copyOf(modelRoots);
    }

    /**
     * The library the CLI and the editor use for a model: the models folder the model lives in (its parent), then
     * every default models folder ({@code ModelScanner#defaultRoots()}). {@code modelLocation} may be null.
     */
    public static LoraLibrary forModel(Path modelLocation) {
        List<Path> roots = new ArrayList<>();
        if (modelLocation != null && modelLocation.toAbsolutePath().getParent() != null) {
            roots.add(modelLocation.toAbsolutePath().getParent());
        }
        for (Path r : new com.inpaintstudio.model.ModelScanner().defaultRoots()) {
            if (!roots.contains(r)) {
                roots.add(r);
            }
        }
        return new LoraLibrary(roots);
    }

    /** The {@code loras} folders, existing or not. */
    public List<Path> folders() {
        return modelRoots.stream().map(r -> r.resolve(FOLDER)).toList();
    }

    /**
     * A path to an existing file is taken as it is; otherwise {@code NAME} (with or without {@code .safetensors}) is
     * looked up in the {@code loras} folders. Not found: one line naming where it looked and what exists.
     */
    public Path resolve(String nameOrFile) {
        Path given = Path.of(nameOrFile);
        if (Files.isRegularFile(given)) {
            return given;
        }
        String file = nameOrFile.toLowerCase(Locale.ROOT).endsWith(".safetensors") ? nameOrFile : nameOrFile + ".safetensors";
        if (given.getParent() == null) {
            for (Path dir : folders()) {
                Path p = dir.resolve(file);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        List<String> names = list().stream().map(LoraLibrary::nameOf).distinct().toList();
        throw new ModelFormatException("No LoRA '" + nameOrFile + "': not a file, and not in "
                + folders().stream().map(Path::toString).toList() + "; "
                + (names.isEmpty() ? "those folders hold no .safetensors LoRAs" : "available: " + String.join(", ", names))
                + ".");
    }

    /** Every {@code .safetensors} file in the {@code loras} folders, by folder then name. */
    public List<Path> list() {
        Set<Path> out = new LinkedHashSet<>();
        for (Path dir : folders()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{safetensors,SAFETENSORS}")) {
                ds.forEach(files::add);
            } catch (IOException e) {
                continue; // unreadable folder: nothing to list
            }
            files.sort(null);
            for (Path f : files) {
                out.add(f.toAbsolutePath().normalize());
            }
        }
        return List.copyOf(out);
    }

    public static String nameOf(Path file) {
        String n = file.getFileName().toString();
        return n.toLowerCase(Locale.ROOT).endsWith(".safetensors") ? n.substring(0, n.length() - 12) : n;
    }
}
