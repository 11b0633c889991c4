package com.inpaintstudio.model.hub;

import java.util.Locale;

/**
 * One file of a hub repo as the hub describes it (HEAD on its resolve URL).
 *
 * @param path   path in the repo
 * @param size   bytes ({@code X-Linked-Size} for LFS files, else {@code Content-Length}); -1 if not sent
 * @param etag   {@code X-Linked-Etag} (LFS: the SHA-256) or {@code ETag} (git: the blob SHA-1), unquoted; may be null
 * @param commit the commit the revision resolved to ({@code X-Repo-Commit}); may be null
 */
public record HubFile(String path, long size, String etag, String commit) {
    /** The SHA-256 the hub reports for LFS files, or null. */
    public String sha256() {
        return etag != null && etag.matches("[0-9a-fA-F]{64}") ? etag.toLowerCase(Locale.ROOT) : null;
    }

    /** The git blob SHA-1 the hub reports for small (non-LFS) files, or null. */
    public String gitBlobSha1() {
        return etag != null && etag.matches("[0-9a-fA-F]{40}") ? etag.toLowerCase(Locale.ROOT) : null;
    }

    /** Strips the weak prefix and quotes of an ETag header value. */
    static String cleanEtag(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim();
        if (s.startsWith("W/")) {
            s = s.substring(2);
        }
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        return s.isEmpty() ? null : s;
    }
}
