package com.inpaintstudio.image;

import com.inpaintstudio.cli.Cli;
import com.inpaintstudio.errors.InpaintException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Exports: normal permissions (umask; an overwritten file keeps its mode), atomic, and the target checked first. */
class FileSafetyTest {
    @TempDir
    Path dir;

    private static RgbImage img() {
        return new RgbImage(8, 8, new int[64]);
    }

    /** The umask of this process (inherited by the shell it starts). */
    private static int umask() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "umask").start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        p.waitFor();
        return Integer.parseInt(s, 8);
    }

    private static int mode(Path f) throws IOException {
        int m = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(f)) {
            m |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0 = bit 8
        }
        return m;
    }

    @Test
    void newExportGetsTheUmaskModeNotOwnerOnly() throws Exception {
        Path f = dir.resolve("new.png");
        PngMetadata.write(img(), Map.of("parameters", "x"), f);
        assertEquals(0666 & ~umask(), mode(f), Integer.toOctalString(mode(f)));
        Path m = dir.resolve("mask.png");
        ImageFiles.writeMaskPng(new Mask(4, 4, new float[16]), m);
        assertEquals(0666 & ~umask(), mode(m));
    }

    @Test
    void overwriteKeepsTheExistingMode() throws Exception {
        for (String perms : new String[] {"rw-r-----", "rwxr-xr-x", "rw-rw-rw-"}) {
            Path f = dir.resolve("old-" + perms + ".png");
            Files.write(f, new byte[] {1, 2, 3});
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
            ImageFiles.writePng(img(), f);
            assertEquals(perms, PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            assertEquals(8, ImageFiles.readImage(f).width(), "the new content is there");
        }
    }

    @Test
    void atomicWriteLeavesNoTemporaryFiles() throws Exception {
        Path f = dir.resolve("a.bin");
        AtomicFiles.write(f, new byte[] {1});
        AtomicFiles.write(f, new byte[] {2, 3});
        assertArrayEquals(new byte[] {2, 3}, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "only the file itself");
        }
    }

    @Test
    void outputTargetRefusesFoldersMissingFoldersAndUnwritablePlaces() throws Exception {
        assertTrue(expect(dir).contains("is a folder"));
        assertTrue(expect(dir.resolve("nope/out.png")).contains("does not exist"));
        Path file = dir.resolve("plain.txt");
        Files.write(file, new byte[1]);
        assertTrue(expect(file.resolve("out.png")).contains("is a file, not a folder"));
        // sysfs refuses new files even to root: the OS reason is in the message
        String sys = expect(Path.of("/sys/inpaint-test.png"));
        assertTrue(sys.contains("permission denied") || sys.contains("read-only"), sys);
        assertEquals(dir.resolve("ok.png"), OutputTarget.check(dir.resolve("ok.png")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "the probe file is gone again");
        }
    }

    @Test
    void outputTargetRefusesWriteProtectedFilesAndFolders() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path ro = dir.resolve("ro");
        Files.createDirectories(ro);
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertTrue(expect(ro.resolve("out.png")).contains("permission denied"));
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path locked = dir.resolve("locked.png");
        Files.write(locked, new byte[1]);
        Files.setPosixFilePermissions(locked, Set.of(PosixFilePermission.OWNER_READ));
        assertTrue(expect(locked).contains("write-protected"));
    }

    @Test
    void generateChecksOutBeforeReadingAnythingOrLoadingTheModel() {
        // the model and photo do not exist: the --out error must come first, so nothing was read or loaded
        String err = cliErr("generate", "--model", dir.resolve("no-model").toString(), "--image",
                dir.resolve("no.png").toString(), "--mask", dir.resolve("no-mask.png").toString(), "--out",
                dir.toString());
        assertTrue(err.contains("is a folder"), err);
        err = cliErr("generate", "--engine", "fill", "--image", dir.resolve("no.png").toString(), "--mask",
                dir.resolve("no-mask.png").toString(), "--out", "/sys/x.png");
        assertTrue(err.startsWith("error: Cannot write '/sys/x.png'") && err.contains("permission denied"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    private static String expect(Path p) {
        return assertThrows(InpaintException.class, () -> OutputTarget.check(p)).getMessage();
    }

    private static synchronized String cliErr(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Cli.run(args));
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            System.setErr(old);
        }
    }
}
