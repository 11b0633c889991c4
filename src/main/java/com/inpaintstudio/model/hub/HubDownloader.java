package com.inpaintstudio.model.hub;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Downloads a Stable Diffusion model from the Hugging Face hub (or the mirror in {@code HF_ENDPOINT}) into the
 * models folder, fetching only what the pipeline reads: {@code model_index.json}, the component configs, the
 * tokenizer, and the UNet/VAE/text-encoder weights as safetensors, preferring the fp16 variant. Each file is written
 * to {@code name.part}, resumed with an HTTP Range after an interruption, checked against the size and checksum
 * the hub reports (SHA-256 for LFS files, git SHA-1 for small ones) and only then renamed into place.
 * {@code model_index.json} comes last, so an unfinished download is never mistaken for a model.
 *
 * <p>A repository without {@code model_index.json} whose top-level {@code config.json} names {@code AutoencoderTiny}
 * is a TAESD preview decoder ({@code madebyollin/taesd}): its {@code config.json} and
 * {@code diffusion_pytorch_model.safetensors} are fetched the same way, checked the same way, config.json last.
 */
public final class HubDownloader {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    public static final String DEFAULT_REPO = "stable-diffusion-v1-5/stable-diffusion-inpainting";
    public static final String DEFAULT_REVISION = "main";
    static final String INDEX = "model_index.json";
    static final List<String> REQUIRED = List.of("scheduler/scheduler_config.json", "unet/config.json", "vae/config.json",
            "text_encoder/config.json", "tokenizer/vocab.json", "tokenizer/merges.txt");
    static final List<String> OPTIONAL = List.of("tokenizer/special_tokens_map.json", "tokenizer/tokenizer_config.json");
    static final Map<String, List<String>> WEIGHTS = weights();
    static final String TINY_CONFIG = "config.json";
    static final List<String> TINY_WEIGHTS = List.of("diffusion_pytorch_model.safetensors",
            "diffusion_pytorch_model.fp16.safetensors");

    private static final int BUFFER = 1 << 20;
    private static final long REPORT_EVERY_NANOS = 200_000_000L;

    private final HubClient client;
    private final String token;
    private Duration stallTimeout = Duration.ofSeconds(60);

    public HubDownloader(String endpoint, String token) {
        this.client = new HubClient(endpoint, token);
        this.token = token;
    }

    /** A connection that delivers no bytes for this long is dropped (and the download can be resumed). Default 60 s. */
    public HubDownloader stallTimeout(Duration timeout) {
        this.stallTimeout = timeout;
        return this;
    }

    /** The access token in use (from HF_TOKEN), or null. */
    public String token() {
        return token;
    }

    /** Endpoint from {@code HF_ENDPOINT} (default huggingface.co), token from {@code HF_TOKEN}, as the official clients. */
    public static HubDownloader fromEnvironment() {
        String endpoint = System.getenv("HF_ENDPOINT");
        String token = System.getenv("HF_TOKEN");
        if (token == null || token.isBlank()) {
            token = System.getenv("HUGGING_FACE_HUB_TOKEN");
        }
        return new HubDownloader(endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint, token);
    }

    public String endpoint() {
        return client.endpoint();
    }

    /** The folder a repo is downloaded into: {@code modelsDir/<name part of the repo id>}. */
    public static Path targetDir(String repo, Path modelsDir) {
        return modelsDir.resolve(repo.substring(repo.lastIndexOf('/') + 1));
    }

    public Path download(String repo, String revision, Path modelsDir, DownloadListener listener) {
        return download(repo, revision, modelsDir, listener, () -> false);
    }

    /**
     * Downloads {@code repo} at {@code revision} into {@link #targetDir}; files already there and verified are kept.
     * {@code cancelled} is polled between chunks; a cancelled or interrupted download keeps its {@code .part} files so
     * the next call resumes. Throws {@link DownloadException} with a message meant for the user.
     */
    public Path download(String repo, String revision, Path modelsDir, DownloadListener listener, BooleanSupplier cancelled) {
        checkRepoId(repo);
        String rev = revision == null || revision.isBlank() ? DEFAULT_REVISION : revision;
        List<HubFile> files;
        try {
            files = plan(repo, rev);
        } catch (IOException e) {
            throw HubErrors.offline(client, e, modelsDir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadCancelledException();
        }
        Path dir = targetDir(repo, modelsDir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DownloadException("Cannot create the model folder " + dir + ": " + e.getMessage(), e);
        }
        checkDiskSpace(files, dir);
        Progress progress = new Progress(files, listener);
        String pinned = files.get(0).commit() != null ? files.get(0).commit() : rev;
        List<HubFile> order = new ArrayList<>(files.subList(1, files.size()));
        order.add(files.get(0)); // model_index.json last
        for (HubFile f : order) {
            fetch(repo, pinned, f, dir, progress, cancelled);
        }
        return dir;
    }

    /**
     * What {@link #download} would fetch, with sizes and checksums, {@code model_index.json} first. Uses the hub's
     * file listing when the API answers, else probes each candidate with HEAD.
     */
    public List<HubFile> plan(String repo, String revision) throws IOException, InterruptedException {
        checkRepoId(repo);
        HubFile index = head(repo, revision, INDEX, false);
        if (index == null) {
            List<HubFile> tiny = planTinyAutoencoder(repo, revision);
            if (tiny != null) {
                return tiny;
            }
            index = head(repo, revision, INDEX, true); // says why: no such repo, revision or file
        }
        // pin every later request to the commit the revision resolved to, so a push mid-download cannot mix versions
        String rev = index.commit() != null ? index.commit() : revision;
        Optional<Set<String>> listing = listFiles(repo, rev);
        List<HubFile> out = new ArrayList<>();
        out.add(index);
        for (String p : REQUIRED) {
            out.add(head(repo, rev, p, true));
        }
        for (String p : OPTIONAL) {
            if (listing.isEmpty() || listing.get().contains(p)) {
                HubFile f = head(repo, rev, p, false);
                if (f != null) {
                    out.add(f);
                }
            }
        }
        for (Map.Entry<String, List<String>> w : WEIGHTS.entrySet()) {
            HubFile chosen = null;
            for (String candidate : w.getValue()) {
                if (listing.isPresent() && !listing.get().contains(candidate)) {
                    continue;
                }
                chosen = head(repo, rev, candidate, false);
                if (chosen != null) {
                    break;
                }
            }
            if (chosen == null) {
                throw new DownloadException(repo + " has no safetensors weights for its " + w.getKey() + " ("
                        + String.join(" or ", w.getValue()) + "). Inpaint Studio reads only .safetensors (pickle .bin"
                        + " files can execute code); pick a repository that provides safetensors.");
            }
            out.add(chosen);
        }
        return out;
    }

    /**
     * A TAESD repository: config.json (first in the list, so fetched last) naming AutoencoderTiny, and its safetensors
     * weights. Null when {@code repo} has no such config.json.
     */
    private List<HubFile> planTinyAutoencoder(String repo, String revision) throws IOException, InterruptedException {
        HubFile config = head(repo, revision, TINY_CONFIG, false);
        if (config == null) {
            return null;
        }
        String rev = config.commit() != null ? config.commit() : revision;
        HttpResponse<String> r = client.getText(client.resolveUrl(repo, rev, TINY_CONFIG));
        if (r.statusCode() != 200) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
            if (!o.has("_class_name") || !"AutoencoderTiny".equals(o.get("_class_name").getAsString())) {
                return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
        Optional<Set<String>> listing = listFiles(repo, rev);
        for (String candidate : TINY_WEIGHTS) {
            if (listing.isPresent() && !listing.get().contains(candidate)) {
                continue;
            }
            HubFile weights = head(repo, rev, candidate, false);
            if (weights != null) {
                return List.of(config, weights);
            }
        }
        throw new DownloadException(repo + " is a TAESD (AutoencoderTiny) but has no " + TINY_WEIGHTS.get(0)
                + ". Inpaint Studio reads only .safetensors (pickle .pth/.bin files can execute code).");
    }

    private Optional<Set<String>> listFiles(String repo, String rev) throws IOException, InterruptedException {
        HttpResponse<String> r = client.getText(client.apiUrl(repo, rev));
        if (r.statusCode() != 200) {
            return Optional.empty();
        }
        try {
            JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
            if (!o.has("siblings") || !o.get("siblings").isJsonArray()) {
                return Optional.empty();
            }
            Set<String> names = new HashSet<>();
            for (JsonElement s : o.getAsJsonArray("siblings")) {
                if (s.isJsonObject() && s.getAsJsonObject().has("rfilename")) {
                    names.add(s.getAsJsonObject().get("rfilename").getAsString());
                }
            }
            return Optional.of(names);
        } catch (RuntimeException e) {
            return Optional.empty(); // not the hub's API (a plain mirror): probe files instead
        }
    }

    private HubFile head(String repo, String rev, String path, boolean required) throws IOException, InterruptedException {
        HttpResponse<Void> r = client.head(client.resolveUrl(repo, rev, path));
        int code = r.statusCode();
        if (code == 404 && !required) {
            return null;
        }
        if (code == 404 && r.headers().firstValue("X-Error-Code").orElse("").equals("EntryNotFound")) {
            throw new DownloadException(repo + " has no " + path + ", so it is not a diffusers Stable Diffusion model."
                    + (path.equals(INDEX) ? " If the model page offers a single .safetensors checkpoint, download that file"
                    + " and put it in the models folder." : ""));
        }
        if (code >= 400) {
            throw HubErrors.http(r, repo, rev, path.equals(INDEX) ? "repository " + repo : repo + "/" + path, client);
        }
        long size = HubClient.longHeader(r, "X-Linked-Size").orElse(HubClient.longHeader(r, "Content-Length").orElse(-1));
        String etag = HubFile.cleanEtag(r.headers().firstValue("X-Linked-Etag").orElse(r.headers().firstValue("ETag").orElse(null)));
        return new HubFile(path, size, etag, r.headers().firstValue("X-Repo-Commit").orElse(null));
    }

    private void fetch(String repo, String rev, HubFile f, Path dir, Progress progress, BooleanSupplier cancelled) {
        Path dest = dir.resolve(f.path());
        Path part = dest.resolveSibling(dest.getFileName() + ".part");
        try {
            Files.createDirectories(dest.getParent());
            if (Files.isRegularFile(dest)) {
                if (FileChecksum.mismatch(dest, f) == null) {
                    progress.fileDone(f, Files.size(dest));
                    return;
                }
                Files.delete(dest);
            }
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            if (f.size() >= 0 && have > f.size()) {
                Files.delete(part);
                have = 0;
            }
            progress.startFile(f, have);
            if (f.size() < 0 || have < f.size()) {
                transfer(repo, rev, f, part, have, progress, cancelled);
            }
            String bad = FileChecksum.mismatch(part, f);
            if (bad != null) {
                Files.deleteIfExists(part);
                throw new DownloadException("The downloaded " + f.path() + " does not match what the hub reports: " + bad
                        + ". The damaged file was deleted; run the download again. If this repeats, the server at "
                        + client.endpoint() + " serves a different file than it describes.");
            }
            try {
                Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING);
            }
            progress.fileDone(f, Files.size(dest));
        } catch (IOException e) {
            throw new DownloadException("Cannot write " + dest + ": " + e.getMessage()
                    + " (disk full or no permission?)", e);
        }
    }

    private void transfer(String repo, String rev, HubFile f, Path part, long have, Progress progress,
                          BooleanSupplier cancelled) throws IOException {
        URI url = client.resolveUrl(repo, rev, f.path());
        HttpResponse<InputStream> r;
        try {
            r = client.get(url, have);
            if (r.statusCode() == 416 && have > 0) {
                r.body().close();
                Files.deleteIfExists(part);
                have = 0;
                progress.startFile(f, 0);
                r = client.get(url, 0);
            }
        } catch (IOException e) {
            throw HubErrors.interrupted(f.path(), have, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadCancelledException();
        }
        int code = r.statusCode();
        boolean append;
        if (code == 206 && have > 0 && r.headers().firstValue("Content-Range").orElse("").startsWith("bytes " + have + "-")) {
            append = true;
        } else if (code == 200) {
            append = false; // the server sent the whole file (no Range support): start over
            progress.startFile(f, 0);
        } else {
            r.body().close();
            throw code >= 400 ? HubErrors.http(r, repo, rev, repo + "/" + f.path(), client)
                    : new DownloadException("The hub answered HTTP " + code + " for " + f.path() + " with an unusable byte range");
        }
        long written = append ? have : 0;
        byte[] buf = new byte[BUFFER];
        InputStream in = r.body();
        StallWatch watch = new StallWatch(in, stallTimeout);
        try (in; watch;
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            int n;
            while (true) {
                if (cancelled.getAsBoolean()) {
                    throw new DownloadCancelledException();
                }
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    out.flush();
                    throw HubErrors.interrupted(f.path(), written,
                            watch.stalled() ? new IOException("no data for " + stallText() + " s") : e);
                }
                if (n < 0) {
                    if (watch.stalled()) {
                        throw HubErrors.interrupted(f.path(), written,
                                new IOException("no data for " + stallText() + " s"));
                    }
                    break;
                }
                watch.progressed();
                out.write(buf, 0, n);
                written += n;
                progress.bytes(n);
            }
        }
    }

    /** Free bytes where {@code dir} lives; replaceable in tests. */
    java.util.function.ToLongFunction<Path> freeSpace = d -> {
        try {
            return Files.getFileStore(d).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // unknown: let the download try
        }
    };

    private void checkDiskSpace(List<HubFile> files, Path dir) {
        long needed = 0;
        for (HubFile f : files) {
            Path dest = dir.resolve(f.path());
            Path part = dest.resolveSibling(dest.getFileName() + ".part");
            long have = 0;
            try {
                have = Files.isRegularFile(dest) ? Files.size(dest) : Files.isRegularFile(part) ? Files.size(part) : 0;
            } catch (IOException ignored) {
                // counted as missing
            }
            needed += Math.max(0, f.size() - have);
        }
        long free = freeSpace.applyAsLong(dir);
        if (free < needed) {
            throw new DownloadException("Not enough disk space in " + dir + ": the download needs " + Bytes.format(needed)
                    + " more, " + Bytes.format(free) + " is free. Free some space, or download elsewhere with"
                    + " --models-dir (or INPAINT_STUDIO_MODELS).");
        }
    }

    private String stallText() {
        double s = stallTimeout.toMillis() / 1000.0;
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    static void checkRepoId(String repo) {
        if (repo == null || !repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?") || repo.contains("..")) {
            throw new DownloadException("'" + repo + "' is not a hub repository id; use owner/name, e.g. " + DEFAULT_REPO);
        }
    }

    private static Map<String, List<String>> weights() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("unet", List.of("unet/diffusion_pytorch_model.fp16.safetensors", "unet/diffusion_pytorch_model.safetensors"));
        m.put("vae", List.of("vae/diffusion_pytorch_model.fp16.safetensors", "vae/diffusion_pytorch_model.safetensors"));
        m.put("text_encoder", List.of("text_encoder/model.fp16.safetensors", "text_encoder/model.safetensors"));
        return m;
    }

    /** Tracks bytes across files and reports to the listener at most every 200 ms (and at each file's end). */
    private static final class Progress {
        private final DownloadListener listener;
        private final List<HubFile> files;
        private final long total;
        private final Map<String, Long> finished = new LinkedHashMap<>();
        private HubFile current;
        private long currentDone;
        private long sessionBytes;
        private long firstByteNanos = -1;
        private long lastReport;

        Progress(List<HubFile> files, DownloadListener listener) {
            this.files = files;
            this.listener = listener;
            this.total = files.stream().mapToLong(f -> Math.max(0, f.size())).sum();
        }

        void startFile(HubFile f, long have) {
            current = f;
            currentDone = have;
            report(true);
        }

        void bytes(int n) {
            if (firstByteNanos < 0) {
                firstByteNanos = System.nanoTime();
            }
            currentDone += n;
            sessionBytes += n;
            report(false);
        }

        void fileDone(HubFile f, long size) {
            finished.put(f.path(), size);
            current = f;
            currentDone = size;
            report(true);
        }

        private void report(boolean force) {
            long now = System.nanoTime();
            if (!force && now - lastReport < REPORT_EVERY_NANOS) {
                return;
            }
            lastReport = now;
            long done = finished.values().stream().mapToLong(Long::longValue).sum()
                    + (finished.containsKey(current.path()) ? 0 : currentDone);
            double seconds = firstByteNanos < 0 ? 0 : (now - firstByteNanos) / 1e9;
            double speed = seconds > 0.05 ? sessionBytes / seconds : 0;
            long eta = speed > 0 ? (long) Math.ceil((total - done) / speed) : -1;
            int index = files.indexOf(current) == 0 ? files.size() : files.indexOf(current);
            listener.onProgress(new DownloadProgress(current.path(), index, files.size(), currentDone,
                    current.size(), done, total, speed, eta));
        }
    }
}
