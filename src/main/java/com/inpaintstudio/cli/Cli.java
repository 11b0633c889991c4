package com.inpaintstudio.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code inpaint-studio <command> ...}. Thin: each command builds a request and calls the pipeline. */
@Command(name = "inpaint-studio", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Stable Diffusion inpainting, offline, in pure Java. Run without arguments to open the editor.",
        subcommands = {CommandLine.HelpCommand.class, GenerateCommand.class, InfoCommand.class, DownloadCommand.class,
            ModelsCommand.class, BenchCommand.class, SoakCommand.class})
public final class Cli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the CLI and returns the exit code. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Cli());
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        // a mistyped option or value: one line, not the whole usage text
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl.execute(args);
    }
}
