package com.inpaintstudio.model.hub;

import com.inpaintstudio.model.FileDigests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a downloaded file against the hub's checksum: SHA-256 for LFS files, git's blob SHA-1 for small files. */
final class FileChecksum {
    private FileChecksum() {}

    /** Null when the file matches (or the hub sent no checksum), else a description of the mismatch. */
    static String mismatch(Path file, HubFile expected) throws IOException {
        long size = Files.size(file);
        if (expected.size() >= 0 && size != expected.size()) {
            return "it has " + size + " bytes, the hub says " + expected.size();
        }
        if (expected.sha256() != null) {
            String actual = hash(file, "SHA-256", null);
            return actual.equals(expected.sha256()) ? null
                    : "its SHA-256 is " + actual + ", the hub says " + expected.sha256();
        }
        if (expected.gitBlobSha1() != null) {
            String actual = hash(file, "SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
            return actual.equals(expected.gitBlobSha1()) ? null
                    : "its git SHA-1 is " + actual + ", the hub says " + expected.gitBlobSha1();
        }
        return null;
    }

    static String hash(Path file, String algorithm, byte[] prefix) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return FileDigests.hex(in, algorithm, prefix);
        }
    }
}
