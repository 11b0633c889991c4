package com.inpaintstudio.cli;

import com.inpaintstudio.model.ModelEntry;
import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.model.PreviewDecoderEntry;
import com.inpaintstudio.model.hub.Bytes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code inpaint-studio models}: lists the models found in the models folders, and why broken ones cannot be used. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the Stable Diffusion models found in the models folders (diffusers folders and .safetensors "
                + "checkpoints), and the TAESD preview decoders.")
public final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "Folder to scan instead of the default ones (repeatable)")
    List<Path> dirs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelScanner scanner = new ModelScanner();
        List<Path> roots = dirs == null || dirs.isEmpty() ? scanner.defaultRoots() : dirs;
        List<ModelEntry> found = scanner.scan(roots);
        List<PreviewDecoderEntry> decoders = scanner.scanPreviewDecoders(roots);
        if (found.isEmpty() && decoders.isEmpty()) {
            out.println("No models found in:");
            roots.forEach(r -> out.println("  " + r));
            out.println("Get one with `inpaint-studio download` (default: " + com.inpaintstudio.model.hub.HubDownloader.DEFAULT_REPO
                    + "), or put a diffusers folder or a .safetensors checkpoint into one of these folders.");
            return 0;
        }
        for (ModelEntry e : found) {
            out.printf("%-36s %-12s %-7s %-16s %10s  %s%n", e.name(), e.typeLabel(), e.family().label(), e.kind().label(),
                    Bytes.format(e.sizeBytes()), e.path());
            if (!e.usable()) {
                out.println("    not usable: " + e.problem());
            }
        }
        if (decoders.isEmpty()) {
            out.println("No TAESD preview decoder (live previews use the VAE and the linear map); get one with "
                    + "`inpaint-studio download madebyollin/taesd` (about 10 MB).");
        } else {
            out.println("Preview decoders (TAESD, used for live previews of matching models):");
            for (PreviewDecoderEntry d : decoders) {
                out.printf("%-36s %-12s %-24s %10s  %s%n", d.name(), "TAESD", "for " + d.space().label(),
                        Bytes.format(d.sizeBytes()), d.path());
                if (!d.usable()) {
                    out.println("    not usable: " + d.problem());
                }
            }
        }
        return 0;
    }
}
