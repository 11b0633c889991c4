package com.inpaintstudio.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The textual-inversion embeddings in the {@code embeddings} folders: {@code <models root>/embeddings} of every
 * models root ({@link ModelScanner#defaultRoots()}), searched two levels deep. Files are read once and re-read
 * when they change; a broken or pickle file is listed with its problem and never used.
 */
public final class EmbeddingLibrary {
    public static final String FOLDER = "embeddings";

    /** One file found: the embedding, or why it cannot be used. */
    public record Entry(String name, Path file, TextualInversion embedding, String problem) {
        public boolean usable() {
            return embedding != null;
        }
    }

    private record Cached(FileTime modified, long size, Entry entry) {}

    private final List<Path> dirs;
    private final Map<Path, Cached> cache = new ConcurrentHashMap<>();

    public EmbeddingLibrary(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    /** The {@code embeddings} folder of each default models root. */
    public static EmbeddingLibrary fromDefaultRoots() {
        return new EmbeddingLibrary(foldersIn(new ModelScanner().defaultRoots()));
    }

    /** {@code root/embeddings} for each root. */
    public static List<Path> foldersIn(List<Path> roots) {
        return roots.stream().map(r -> r.resolve(FOLDER)).toList();
    }

    public List<Path> dirs() {
        return dirs;
    }

    /** Every embedding file, sorted by name; the first file of a name wins (later ones are reported as hidden). */
    public List<Entry> scan() {
        Map<String, Entry> byName = new LinkedHashMap<>();
        List<Entry> shadowed = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(dir, 2)) {
                files = s.filter(Files::isRegularFile).filter(TextualInversion::isCandidate).sorted().toList();
            } catch (IOException | RuntimeException e) {
                continue;
            }
            for (Path f : files) {
                Entry e = load(f);
                String key = e.name().toLowerCase(Locale.ROOT);
                if (byName.containsKey(key)) {
                    shadowed.add(new Entry(e.name(), f, null, "another embedding has the same name: "
                            + byName.get(key).file()));
                } else {
                    byName.put(key, e);
                }
            }
        }
        List<Entry> out = new ArrayList<>(byName.values());
        out.addAll(shadowed);
        out.sort(Comparator.comparing((Entry e) -> e.name().toLowerCase(Locale.ROOT)));
        return out;
    }

    /** The usable embeddings. */
    public List<TextualInversion> usable() {
        return scan().stream().filter(Entry::usable).map(Entry::embedding).toList();
    }

    private Entry load(Path f) {
        try {
            FileTime mod = Files.getLastModifiedTime(f);
            long size = Files.size(f);
            Cached c = cache.get(f);
            if (c != null && c.modified().equals(mod) && c.size() == size) {
                return c.entry();
            }
            Entry e;
            try {
                e = new Entry(TextualInversion.nameOf(f), f, TextualInversion.read(f), null);
            } catch (ModelFormatException ex) {
                e = new Entry(TextualInversion.nameOf(f), f, null, ex.getMessage());
            }
            cache.put(f, new Cached(mod, size, e));
            return e;
        } catch (IOException ex) {
            return new Entry(TextualInversion.nameOf(f), f, null, "cannot read the file: " + ex.getMessage());
        }
    }
}
