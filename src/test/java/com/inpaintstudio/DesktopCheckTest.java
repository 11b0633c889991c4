package com.inpaintstudio;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without GTK 3 or a display the editor says what to do, exits 2 and prints no stack trace. */
class DesktopCheckTest {
    private static final Map<String, String> X11 = Map.of("DISPLAY", ":0");

    @Test
    void missingGtkSaysWhatToInstallAndThatTheCliWorks() {
        String msg = DesktopCheck.problem("Linux", X11, null, () -> false).orElseThrow();
        assertTrue(msg.contains("apt-get install libgtk-3-0"), msg);
        assertTrue(msg.contains("command line works without it"), msg);
        assertEquals(1, msg.lines().count());
    }

    @Test
    void missingDisplayIsSaidToo() {
        String msg = DesktopCheck.problem("Linux", Map.of(), null, () -> true).orElseThrow();
        assertTrue(msg.contains("DISPLAY"), msg);
        assertTrue(DesktopCheck.problem("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0"), null, () -> true).isEmpty());
    }

    @Test
    void noCheckOffLinuxOrHeadless() {
        assertTrue(DesktopCheck.problem("Linux", X11, null, () -> true).isEmpty());
        assertTrue(DesktopCheck.problem("Windows 11", Map.of(), null, () -> false).isEmpty());
        assertTrue(DesktopCheck.problem("Linux", Map.of(), "Monocle", () -> false).isEmpty());
    }

    @Test
    void findsGtkInAFolderOrTheLoaderCache(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        assertFalse(DesktopCheck.foundIn(List.of(tmp.toString(), "")));
        Files.write(tmp.resolve("libgtk-3.so.0"), new byte[0]);
        assertTrue(DesktopCheck.foundIn(List.of("/nonexistent", tmp.toString())));
        assertTrue(DesktopCheck.ldconfigKnows("1 libs found\n\tlibgtk-3.so.0 (libc6,x86-64) => /lib/libgtk-3.so.0\n"));
        assertFalse(DesktopCheck.ldconfigKnows("\tlibgtk-x11-2.0.so.0 (libc6,x86-64) => /lib/libgtk-x11-2.0.so.0\n"));
    }

    /** A real start of the editor with no display: exit 2 and one line, no JavaFX stack trace. */
    @Test
    void realEditorStartWithoutADisplayExitsTwoWithOneLine() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "com.inpaintstudio.Launcher");
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().remove("GLIBC_TUNABLES"); // through the relaunch, as a user's start goes
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        String expected = DesktopCheck.gtkInstalled() ? "DISPLAY" : "apt-get install libgtk-3-0";
        assertTrue(out.startsWith("error: the editor needs") && out.contains(expected), out);
        assertEquals(1, out.strip().lines().count(), out);
        assertFalse(out.contains("Exception") || out.contains("\tat "), out);
    }
}
