package com.inpaintstudio.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hex digests of files and streams, read in 1 MiB blocks: the one place the app hashes model files (A1111's
 * checkpoint, embedding and LoRA hashes, the hub's download checks).
 */
public final class FileDigests {
    private FileDigests() {}

    /** Lower-case hex SHA-256 of the whole file. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return hex(in, "SHA-256", null);
        }
    }

    /** Lower-case hex digest ({@code algorithm}, e.g. SHA-256 or SHA-1) of {@code prefix} (may be null) then the rest of {@code in}. */
    public static String hex(InputStream in, String algorithm, byte[] prefix) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
        if (prefix != null) {
            md.update(prefix);
        }
        byte[] buf = new byte[1 << 20];
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
