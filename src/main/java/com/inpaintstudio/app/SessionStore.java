package com.inpaintstudio.app;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.inpaintstudio.image.AtomicFiles;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.JsonFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The autosaved editor session on disk: {@code photo.png}, {@code mask.png} (8-bit, exact), one PNG per result (with
 * its parameters), and {@code session.json} naming them with the settings, written last and atomically, so a crash at
 * any moment leaves the previous complete session. Its presence at start means the last run did not end cleanly.
 * A {@code lock} file keeps a second editor from writing the same session. All methods run on a worker thread,
 * except where said.
 */
final class SessionStore {
    static final String SESSION_JSON = "session.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** What is saved: plain data, copied on the FX thread. */
    record Snapshot(RgbImage photo, String photoPath, int maskWidth, int maskHeight, byte[] mask,
                    List<SavedResult> results, int selected, Map<String, String> settings, long maskVersion) {
        /** A snapshot whose mask is always written (no version known). */
        Snapshot(RgbImage photo, String photoPath, int maskWidth, int maskHeight, byte[] mask,
                 List<SavedResult> results, int selected, Map<String, String> settings) {
            this(photo, photoPath, maskWidth, maskHeight, mask, results, selected, settings, -1);
        }
    }

    /** One result: its picture and what the strip shows about it. */
    record SavedResult(long id, RgbImage image, String parameters, long seed, int steps, boolean cancelled,
                       int stepsCompleted, String model, String sampler) { }

    private final Path dir;
    private FileChannel lockChannel;
    private FileLock lock;
    private RgbImage photoWritten;
    private long maskVersionWritten = -1;
    private final Set<Long> resultsWritten = new HashSet<>();

    SessionStore(Path dir) {
        this.dir = dir;
    }

    /** The folder: {@code INPAINT_STUDIO_SESSION_DIR}, else {@code $XDG_DATA_HOME/inpaint-studio/session}, else ~/.local/share/… */
    static Path defaultDir() {
        String env = System.getenv("INPAINT_STUDIO_SESSION_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return data.resolve("inpaint-studio").resolve("session");
    }

    Path dir() {
        return dir;
    }

    /** Takes the session for this process; false when another editor holds it (then nothing is written). */
    synchronized boolean acquire() {
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
            if (lock == null) {
                lockChannel.close();
                lockChannel = null;
            }
            return lock != null;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    /** True when a session was left behind by a run that did not end cleanly. */
    boolean hasSession() {
        return Files.isRegularFile(dir.resolve(SESSION_JSON));
    }

    /** Writes the snapshot: new pictures first, then the session file, then removes pictures no longer named. */
    synchronized void save(Snapshot s) throws IOException {
        Files.createDirectories(dir.resolve("results"));
        // the mask is encoded again only when the document changed (a prompt edit leaves it as it was)
        if (s.maskVersion() < 0 || s.maskVersion() != maskVersionWritten || s.photo() != photoWritten) {
            float[] m = new float[s.mask().length];
            for (int i = 0; i < m.length; i++) {
                m[i] = (s.mask()[i] & 0xff) / 255f;
            }
            ImageFiles.writeMaskPng(new Mask(s.maskWidth(), s.maskHeight(), m), dir.resolve("mask.png"));
            maskVersionWritten = s.maskVersion();
        }
        if (s.photo() != photoWritten) {
            ImageFiles.writePng(s.photo(), dir.resolve("photo.png"));
            photoWritten = s.photo();
        }
        JsonArray results = new JsonArray();
        Set<String> keep = new HashSet<>();
        for (SavedResult r : s.results()) {
            String name = "result-" + r.id() + ".png";
            keep.add(name);
            if (resultsWritten.add(r.id())) {
                PngMetadata.write(r.image(), Map.of(PngMetadata.PARAMETERS, r.parameters() == null ? "" : r.parameters()),
                        dir.resolve("results").resolve(name));
            }
            JsonObject o = new JsonObject();
            o.addProperty("file", name);
            o.addProperty("seed", r.seed());
            o.addProperty("steps", r.steps());
            o.addProperty("cancelled", r.cancelled());
            o.addProperty("stepsCompleted", r.stepsCompleted());
            o.addProperty("model", r.model());
            o.addProperty("sampler", r.sampler());
            results.add(o);
        }
        JsonObject root = new JsonObject();
        root.addProperty("version", 1);
        root.addProperty("photoPath", s.photoPath());
        root.add("results", results);
        root.addProperty("selected", s.selected());
        root.add("settings", GSON.toJsonTree(s.settings()));
        AtomicFiles.write(dir.resolve(SESSION_JSON), GSON.toJson(root).getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(dir.resolve("results"))) {
            for (Path f : files.toList()) {
                if (!keep.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
        }
        resultsWritten.removeIf(id -> !keep.contains("result-" + id + ".png"));
    }

    /** Reads the session left behind. Any damage is one {@link IOException} saying what is wrong. */
    Snapshot load() throws IOException {
        JsonObject root;
        try {
            root = JsonFiles.readObject(dir.resolve(SESSION_JSON), "The autosaved session");
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
        try {
            RgbImage photo = ImageFiles.readImage(dir.resolve("photo.png"));
            Mask mask = ImageFiles.readMask(dir.resolve("mask.png"));
            if (mask.width() != photo.width() || mask.height() != photo.height()) {
                throw new IOException("the saved mask is " + mask.width() + "x" + mask.height() + " but the photo is "
                        + photo.width() + "x" + photo.height());
            }
            byte[] bytes = new byte[mask.values().length];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) Math.round(Math.max(0, Math.min(1, mask.values()[i])) * 255);
            }
            List<SavedResult> results = new ArrayList<>();
            JsonArray arr = root.has("results") && root.get("results").isJsonArray() ? root.getAsJsonArray("results")
                    : new JsonArray();
            long id = 0;
            for (JsonElement el : arr) {
                JsonObject o = el.getAsJsonObject();
                String file = o.get("file").getAsString();
                if (!file.matches("result-\\d+\\.png")) {
                    throw new IOException("a result file is named '" + file + "'");
                }
                Path f = dir.resolve("results").resolve(file);
                RgbImage img = ImageFiles.readImage(f);
                String params = PngMetadata.read(f).getOrDefault(PngMetadata.PARAMETERS, "");
                results.add(new SavedResult(id++, img, params, o.get("seed").getAsLong(), o.get("steps").getAsInt(),
                        o.get("cancelled").getAsBoolean(), o.get("stepsCompleted").getAsInt(),
                        str(o, "model"), str(o, "sampler")));
            }
            Map<String, String> settings = new LinkedHashMap<>();
            if (root.has("settings") && root.get("settings").isJsonObject()) {
                for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("settings").entrySet()) {
                    settings.put(e.getKey(), e.getValue().getAsString());
                }
            }
            int selected = root.has("selected") ? root.get("selected").getAsInt() : -1;
            return new Snapshot(photo, str(root, "photoPath"), photo.width(), photo.height(), bytes, results, selected,
                    settings);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    private static String str(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
    }

    /** Moves a session that could not be read aside (kept for the user), so the next start does not ask again. */
    void setAside() throws IOException {
        Path aside = dir.resolveSibling("session-unreadable-" + System.currentTimeMillis());
        Files.createDirectories(aside);
        for (String f : new String[] {SESSION_JSON, "photo.png", "mask.png"}) {
            if (Files.exists(dir.resolve(f))) {
                Files.move(dir.resolve(f), aside.resolve(f));
            }
        }
    }

    /** A clean exit (or Discard): the session files go; the lock is released. */
    synchronized void clear() {
        try {
            Files.deleteIfExists(dir.resolve(SESSION_JSON));
            Files.deleteIfExists(dir.resolve("photo.png"));
            Files.deleteIfExists(dir.resolve("mask.png"));
            if (Files.isDirectory(dir.resolve("results"))) {
                try (Stream<Path> files = Files.list(dir.resolve("results"))) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            // nothing to lose: the next start may offer an old session, which the user can discard
        }
        photoWritten = null;
        maskVersionWritten = -1;
        resultsWritten.clear();
    }

    synchronized void release() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            // the process is ending
        }
        lock = null;
        lockChannel = null;
    }
}
