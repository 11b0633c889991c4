package com.inpaintstudio;

/**
 * Entry point of the jar and the installed app. A plain class (not a JavaFX Application) so the jar starts from the
 * classpath. No arguments: the editor. Otherwise: a CLI command ({@code generate}, {@code info}, ...).
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        AllocatorRelauncher.relaunchIfNeeded(args); // Linux: once more with glibc malloc tunables (see the class)
        // DJL must be offline before any DJL class loads: its engine start otherwise opens network connections.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (args.length == 0 || (args.length >= 1 && args[0].equals("edit"))) {
            DesktopCheck.exitIfNoDesktop(); // no GTK 3 or no display: what to install, not a JavaFX stack trace
            try {
                com.inpaintstudio.app.EditorLauncher.launch(args.length == 0 ? args : java.util.Arrays.copyOfRange(args, 1, args.length));
            } catch (RuntimeException | LinkageError e) {
                // JavaFX could not start its toolkit (e.g. a broken GTK): one line; details with INPAINT_DEBUG=1
                System.err.println("error: the editor could not start: " + e.getMessage() + ". The command line works "
                        + "without it: 'inpaint-studio generate --help'.");
                if ("1".equals(System.getenv("INPAINT_DEBUG"))) {
                    e.printStackTrace();
                }
                System.exit(DesktopCheck.EXIT);
            }
        } else {
            System.exit(com.inpaintstudio.cli.Cli.run(args));
        }
    }
}
