package com.inpaintstudio.model.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Hugging Face hub stand-in on 127.0.0.1 serving a model folder in the hub's layout, with the headers the hub
 * sends: small files answer {@code /resolve/} directly with a git-SHA-1 ETag; LFS files (*.safetensors) answer with
 * a 302 carrying X-Linked-Size / X-Linked-Etag (SHA-256) to a CDN path that honours Range.
 */
public final class FakeHub implements AutoCloseable {
    static final String COMMIT = "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b";

    record Request(String method, String path, String range, String authorization) { }

    private final HttpServer server;
    private final String repo;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    volatile boolean apiEnabled = true;
    volatile String requiredToken;
    volatile String cutOnce;      // path whose first full GET is cut midway
    volatile String stallOnce;    // path whose first full GET sends half, then nothing for a few seconds
    volatile String corrupt;      // path served with one byte flipped (headers still describe the true file)
    private final Set<String> cutDone = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();

    public FakeHub(String repo, Path folder) throws IOException {
        this.repo = repo;
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                files.put(folder.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Serves {@code path} with one byte flipped from now on (null: intact again); for tests outside this package. */
    public void corruptFile(String path) {
        corrupt = path;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Range"),
                    ex.getRequestHeaders().getFirst("Authorization")));
            if (requiredToken != null && !("Bearer " + requiredToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("X-Error-Code", "GatedRepo");
                send(ex, 401, ("Access to model " + repo + " is restricted.").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.startsWith("/api/models/")) {
                api(ex, path);
            } else if (path.startsWith("/cdn/")) {
                cdn(ex, path.substring("/cdn/".length()));
            } else {
                resolve(ex, path);
            }
        } finally {
            ex.close();
        }
    }

    private void api(HttpExchange ex, String path) throws IOException {
        String prefix = "/api/models/" + repo + "/revision/";
        if (!apiEnabled || !path.startsWith(prefix)) {
            send(ex, 404, "{}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String siblings = files.keySet().stream().map(f -> "{\"rfilename\":\"" + f + "\"}").collect(Collectors.joining(","));
        send(ex, 200, ("{\"id\":\"" + repo + "\",\"sha\":\"" + COMMIT + "\",\"siblings\":[" + siblings + "]}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void resolve(HttpExchange ex, String path) throws IOException {
        String prefix = "/" + repo + "/resolve/";
        if (!path.startsWith(prefix)) {
            ex.getResponseHeaders().set("X-Error-Code", "RepoNotFound");
            send(ex, 401, "Repository Not Found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String rest = path.substring(prefix.length());
        String rev = rest.substring(0, rest.indexOf('/'));
        String file = rest.substring(rest.indexOf('/') + 1);
        if (!rev.equals("main") && !rev.equals(COMMIT)) {
            ex.getResponseHeaders().set("X-Error-Code", "RevisionNotFound");
            send(ex, 404, "Invalid rev id".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] data = files.get(file);
        if (data == null) {
            ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
            send(ex, 404, "Entry not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
        if (file.endsWith(".safetensors")) {
            String sha = hex("SHA-256", data);
            ex.getResponseHeaders().set("X-Linked-Size", Long.toString(data.length));
            ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha + "\"");
            ex.getResponseHeaders().set("ETag", "\"" + hex("SHA-1", data) + "\"");
            ex.getResponseHeaders().set("Location", "/cdn/" + file + "?sha=" + sha);
            send(ex, 302, new byte[0]);
            return;
        }
        byte[] blob = ("blob " + data.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[blob.length + data.length];
        System.arraycopy(blob, 0, all, 0, blob.length);
        System.arraycopy(data, 0, all, blob.length, data.length);
        ex.getResponseHeaders().set("ETag", "\"" + hex("SHA-1", all) + "\"");
        send(ex, 200, data);
    }

    private void cdn(HttpExchange ex, String file) throws IOException {
        byte[] data = files.get(file);
        if (data == null) {
            send(ex, 404, new byte[0]);
            return;
        }
        if (file.equals(corrupt)) {
            data = data.clone();
            data[data.length / 2] ^= 0x5a;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        long from = range == null ? 0 : Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
        ex.getResponseHeaders().set("ETag", "\"" + hex("SHA-256", files.get(file)) + "\"");
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(data.length));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        int code = 200;
        if (from > 0) {
            if (from >= data.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + data.length);
                send(ex, 416, new byte[0]);
                return;
            }
            code = 206;
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
        }
        int len = data.length - (int) from;
        ex.sendResponseHeaders(code, len);
        OutputStream out = ex.getResponseBody();
        if (file.equals(cutOnce) && cutDone.add(file)) {
            out.write(data, (int) from, len / 2);
            out.flush();
            // the connection drops here: closing the exchange with fewer bytes than Content-Length makes the
            // server close the socket (its "insufficient bytes written" path)
            ex.close();
            return;
        }
        if (file.equals(stallOnce) && cutDone.add(file)) {
            out.write(data, (int) from, len / 2);
            out.flush();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        out.write(data, (int) from, len);
        out.close();
    }

    private static void send(HttpExchange ex, int code, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            if (body.length > 0 && code == 200) {
                ex.getResponseHeaders().set("Content-Length", Long.toString(body.length));
            }
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String method, String pathPart) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).count();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
