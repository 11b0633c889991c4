package com.inpaintstudio.cli;

import com.inpaintstudio.model.EmbeddingLibrary;
import com.inpaintstudio.model.ModelEntry;
import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.model.TextualInversion;
import com.inpaintstudio.model.PreviewDecoderEntry;
import com.inpaintstudio.model.hub.Bytes;
import com.inpaintstudio.model.lora.LoraFile;
import com.inpaintstudio.model.lora.LoraLibrary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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
        boolean anyLora = listLoras(out, roots);
        List<PreviewDecoderEntry> decoders = scanner.scanPreviewDecoders(roots);
        if (found.isEmpty() && decoders.isEmpty()) {
            out.println("No models found in:");
            roots.forEach(r -> out.println("  " + r));
            out.println("Get one with `inpaint-studio download` (default: " + com.inpaintstudio.model.hub.HubDownloader.DEFAULT_REPO
                    + "), or put a diffusers folder or a .safetensors checkpoint into one of these folders.");
            listEmbeddings(out, roots);
            return 0;
        }
        if (anyLora) {
            out.println("Models:");
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
        listEmbeddings(out, roots);
        return 0;
    }

    /** The textual-inversion embeddings in {@code <root>/embeddings}, usable by file name in prompts. */
    private static void listEmbeddings(PrintWriter out, List<Path> roots) {
        List<EmbeddingLibrary.Entry> embeddings = new EmbeddingLibrary(EmbeddingLibrary.foldersIn(roots)).scan();
        if (embeddings.isEmpty()) {
            return;
        }
        out.println("Embeddings (write the name in a prompt):");
        for (EmbeddingLibrary.Entry e : embeddings) {
            if (e.usable()) {
                TextualInversion t = e.embedding();
                String family = t.width() == 768 ? "SD-1.x" : t.width() == 1024 ? "SD-2.x" : "width " + t.width();
                out.printf("  %-34s %-8s %2d vector%s  %s%n", e.name(), family, t.vectors(), t.vectors() == 1 ? " " : "s",
                        e.file());
            } else {
                out.printf("  %-34s not usable: %s  %s%n", e.name(), e.problem(), e.file());
            }
        }
    }

    /** The LoRAs in the {@code loras/} folders: name, base family, rank, modules, size; broken ones say why. */
    private static boolean listLoras(PrintWriter out, List<Path> roots) {
        List<Path> files = new LoraLibrary(roots).list();
        if (files.isEmpty()) {
            return false;
        }
        out.println("LoRAs (use with --lora NAME[:STRENGTH] or <lora:NAME:STRENGTH> in the prompt):");
        for (Path f : files) {
            long size;
            try {
                size = Files.size(f);
            } catch (IOException e) {
                size = -1;
            }
            try (LoraFile lora = LoraFile.open(f)) {
                out.printf("%-36s %-7s rank %-4d %-26s %10s  %s%n", lora.name(), lora.family().label(), lora.rank(),
                        lora.moduleCounts().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                                .reduce((a, b) -> a + ", " + b).orElse(""), Bytes.format(size), f);
            } catch (RuntimeException e) {
                out.printf("%-36s %-7s %-36s %10s  %s%n", LoraLibrary.nameOf(f), "?", "", Bytes.format(size), f);
                out.println("    not usable: " + e.getMessage());
            }
        }
        out.println();
        return true;
    }
}
