package com.inpaintstudio.image;

import com.inpaintstudio.errors.InpaintException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Checks, before any work starts, that a file can be written where the user asked: not a folder, the folder exists
 * and lets us create files (a real probe, so read-only mounts, missing permissions and full quotas show up with the
 * operating system's reason), and an existing file there is not write-protected. Used by the CLI's {@code --out}
 * and the editor's export.
 */
public final class OutputTarget {
    private OutputTarget() {}

    /** Throws an {@link InpaintException} saying what is wrong and what to do, or returns the absolute path. */
    public static Path check(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new InpaintException("'" + out + "' is a folder: give a file name, e.g. "
                    + abs.resolve("result.png") + ".");
        }
        Path dir = abs.getParent();
        if (dir == null) {
            throw new InpaintException("'" + out + "' is not a file path: give a file name such as result.png.");
        }
        if (!Files.exists(dir)) {
            throw new InpaintException("The output folder " + dir + " does not exist: create it first or choose "
                    + "another place.");
        }
        if (!Files.isDirectory(dir)) {
            throw new InpaintException("Cannot write '" + out + "': " + dir + " is a file, not a folder.");
        }
        if (Files.exists(abs) && !Files.isWritable(abs)) {
            throw new InpaintException("Cannot overwrite '" + out + "': the file is write-protected (permission "
                    + "denied). Choose another name or make it writable.");
        }
        probe(out, dir);
        return abs;
    }

    /** Creates and deletes a hidden file in {@code dir}, as the atomic writer will. */
    private static void probe(Path out, Path dir) {
        Path probe = dir.resolve("." + abs(out).getFileName() + "." + ProcessHandle.current().pid() + ".probe");
        try {
            Files.newByteChannel(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw new InpaintException("Cannot write '" + out + "' in " + dir + ": " + reason(e)
                    + ". Choose a folder you can write to.", e);
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // the probe could not be created, or vanished: nothing to clean
            }
        }
    }

    private static Path abs(Path p) {
        return p.toAbsolutePath();
    }

    /** The operating system's reason, e.g. "permission denied" or "read-only file system". */
    static String reason(IOException e) {
        String r = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (r == null || r.isBlank()) {
            r = e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
        }
        return r.toLowerCase(Locale.ROOT);
    }
}
