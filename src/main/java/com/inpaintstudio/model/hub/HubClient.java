package com.inpaintstudio.model.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * HTTP access to a Hugging Face hub (or a mirror) in the hub's URL layout: {@code {endpoint}/{repo}/resolve/{revision}/{path}}
 * and {@code {endpoint}/api/models/{repo}/revision/{revision}}. Sends {@code Authorization: Bearer <token>} to the
 * endpoint's host only (never to the CDN a file redirects to). Redirects are followed by hand so HEAD can read the
 * hub's {@code X-Linked-*} headers on the redirect itself, as the official client does.
 */
final class HubClient {
    private static final int MAX_REDIRECTS = 8;

    private final URI endpoint;
    private final String token;
    private final HttpClient http;

    HubClient(String endpoint, String token) {
        String e = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        try {
            this.endpoint = URI.create(e);
        } catch (IllegalArgumentException ex) {
            throw new DownloadException("The hub address '" + endpoint + "' (HF_ENDPOINT) is not a valid URL");
        }
        if (this.endpoint.getScheme() == null || !this.endpoint.getScheme().matches("https?")) {
            throw new DownloadException("The hub address '" + endpoint + "' (HF_ENDPOINT) must start with https:// or http://");
        }
        this.token = token == null || token.isBlank() ? null : token.trim();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    String endpoint() {
        return endpoint.toString();
    }

    boolean hasToken() {
        return token != null;
    }

    URI resolveUrl(String repo, String revision, String path) {
        return URI.create(endpoint + "/" + repo + "/resolve/" + URLEncoder.encode(revision, StandardCharsets.UTF_8)
                + "/" + encodePath(path));
    }

    URI apiUrl(String repo, String revision) {
        return URI.create(endpoint + "/api/models/" + repo + "/revision/" + URLEncoder.encode(revision, StandardCharsets.UTF_8));
    }

    /** HEAD without following the hub's LFS redirect (its headers carry the size and hash); follows relative ones. */
    HttpResponse<Void> head(URI url) throws IOException, InterruptedException {
        URI u = url;
        for (int i = 0; i < MAX_REDIRECTS; i++) {
            HttpResponse<Void> r = http.send(request(u).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (!isRedirect(r.statusCode()) || r.headers().firstValue("X-Linked-Size").isPresent()
                    || r.headers().firstValue("X-Linked-Etag").isPresent()) {
                return r;
            }
            u = location(u, r);
        }
        throw new IOException("too many redirects from " + url);
    }

    /** GET following redirects; {@code fromByte > 0} asks for the rest of the file with a Range header. */
    HttpResponse<InputStream> get(URI url, long fromByte) throws IOException, InterruptedException {
        URI u = url;
        for (int i = 0; i < MAX_REDIRECTS; i++) {
            HttpRequest.Builder b = request(u).timeout(Duration.ofSeconds(60)).GET();
            if (fromByte > 0) {
                b.header("Range", "bytes=" + fromByte + "-");
            }
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (!isRedirect(r.statusCode())) {
                return r;
            }
            r.body().close();
            u = location(u, r);
        }
        throw new IOException("too many redirects from " + url);
    }

    /** GET of a small text document (the API listing). */
    HttpResponse<String> getText(URI url) throws IOException, InterruptedException {
        return http.send(request(url).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(URI u) {
        HttpRequest.Builder b = HttpRequest.newBuilder(u).header("User-Agent", "inpaint-studio");
        if (token != null && Objects.equals(u.getHost(), endpoint.getHost()) && u.getPort() == endpoint.getPort()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }

    private static URI location(URI base, HttpResponse<?> r) throws IOException {
        Optional<String> loc = r.headers().firstValue("Location");
        if (loc.isEmpty()) {
            throw new IOException("redirect without a Location from " + base);
        }
        return base.resolve(loc.get());
    }

    static OptionalLong longHeader(HttpResponse<?> r, String name) {
        Optional<String> v = r.headers().firstValue(name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v.get().trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String part : path.split("/")) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }
}
