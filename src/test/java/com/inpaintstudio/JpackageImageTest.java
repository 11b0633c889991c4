package com.inpaintstudio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relaunch child of the app image: the image's java with the launcher's .cfg, else the launcher again. */
class JpackageImageTest {
    @TempDir
    Path tmp;

    /** What jpackage 17 writes for this app (abridged), with the build's class-data options; shared by the launcher tests. */
    static final List<String> CFG = List.of(
            "[Application]",
            "app.classpath=$APPDIR/inpaint-studio.jar",
            "app.mainclass=com.inpaintstudio.Launcher",
            "app.classpath=$APPDIR/lib/api-0.36.0.jar",
            "",
            "[JavaOptions]",
            "java-options=-Djpackage.app-version=0.1.0",
            "java-options=-DENGINE_CACHE_DIR=$APPDIR/engines",
            "java-options=-XX:SharedArchiveFile=$APPDIR/inpaint-studio.jsa",
            "java-options=-Xlog:cds=off");

    private Path image() throws Exception {
        Path root = tmp.resolve("inpaint-studio");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("lib/app"));
        Path java = Files.createDirectories(root.resolve("lib/runtime/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(root.resolve("lib/app/inpaint-studio.cfg"), CFG);
        return root;
    }

    @Test
    void theImagesJavaGetsTheCfgOptionsClassPathAndTheUsersArguments() throws Exception {
        Path root = image();
        String launcher = root.resolve("bin/inpaint-studio").toString();
        String app = root.resolve("lib/app").toString();
        assertEquals(Optional.of(List.of(root.resolve("lib/runtime/bin/java").toString(),
                        "-Djpackage.app-version=0.1.0", "-DENGINE_CACHE_DIR=" + app + "/engines",
                        "-XX:SharedArchiveFile=" + app + "/inpaint-studio.jsa", "-Xlog:cds=off",
                        "-Djpackage.app-path=" + launcher,
                        "-cp", app + "/inpaint-studio.jar:" + app + "/lib/api-0.36.0.jar",
                        "com.inpaintstudio.Launcher", "generate", "--prompt", "a red door")),
                JpackageImage.javaCommand(launcher, new String[] {"generate", "--prompt", "a red door"}));
        AllocatorRelauncher.StartInfo s = new AllocatorRelauncher.StartInfo(launcher, null, List.of(), null, null, null);
        assertEquals(root.resolve("lib/runtime/bin/java").toString(),
                AllocatorRelauncher.childCommand(s, new String[0]).orElseThrow().get(0), "the relaunch uses it");
    }

    @Test
    void anythingItDoesNotUnderstandFallsBackToTheLauncher() throws Exception {
        Path root = image();
        String launcher = root.resolve("bin/inpaint-studio").toString();
        for (List<String> cfg : List.of(
                List.of("[Application]", "app.mainmodule=com.inpaintstudio/com.inpaintstudio.Launcher"),
                List.of("[Application]", "app.classpath=$APPDIR/a.jar", "app.mainclass=A", "[ArgOptions]",
                        "arguments=--default"),
                List.of("[Application]", "app.classpath=$APPDIR/a.jar"),
                List.of("[Application]", "app.classpath=$APPDIR/a.jar", "app.mainclass=A", "[JavaOptions]",
                        "java-options=-Dx=$HOMEDIR"))) {
            assertEquals(Optional.empty(), JpackageImage.javaCommand(launcher, cfg, new String[0], p -> true), cfg.toString());
        }
        assertEquals(Optional.empty(), JpackageImage.javaCommand(launcher, CFG, new String[0], p -> false),
                "no java in the image (a runtime without bin/java)");
        Files.delete(root.resolve("lib/app/inpaint-studio.cfg"));
        assertEquals(Optional.empty(), JpackageImage.javaCommand(launcher, new String[0]));
        AllocatorRelauncher.StartInfo s = new AllocatorRelauncher.StartInfo(launcher, null, List.of(), null, null, null);
        assertEquals(List.of(launcher, "edit"), AllocatorRelauncher.childCommand(s, new String[] {"edit"}).orElseThrow());
    }

    @Test
    void aDirectChildKeepsTheLaunchersLibraryPathAndDropsItsSecondStageMarker() {
        String launcher = "/opt/inpaint-studio/bin/inpaint-studio";
        Map<String, String> env = Map.of("LD_LIBRARY_PATH", "/x:/opt/inpaint-studio/lib/app", "_JPACKAGE_LAUNCHER", "1",
                "JAVA_TOOL_OPTIONS", "-Dy=2");
        Map<String, String> direct = AllocatorRelauncher.childEnvironment(env, launcher, false);
        assertEquals("/x:/opt/inpaint-studio/lib/app", direct.get("LD_LIBRARY_PATH"));
        assertFalse(direct.containsKey("_JPACKAGE_LAUNCHER"));
        assertEquals("-Dy=2", direct.get("JAVA_TOOL_OPTIONS"), "not part of the .cfg: the child still needs it");
        assertTrue(direct.containsKey(AllocatorRelauncher.MARKER_ENV));
        assertEquals("/x", AllocatorRelauncher.childEnvironment(env, launcher, true).get("LD_LIBRARY_PATH"),
                "a launcher child adds the app folder itself");
    }
}
