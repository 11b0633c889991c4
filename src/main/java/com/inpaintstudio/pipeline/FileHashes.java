package com.inpaintstudio.pipeline;

import com.inpaintstudio.model.FileDigests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A1111's checkpoint hash ({@code modules/hashes.py}: {@code sha256(file)[:10]}). */
final class FileHashes {
    private FileHashes() {}

    static String shortSha256(Path file) {
        try {
            return FileDigests.sha256(file).substring(0, 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
