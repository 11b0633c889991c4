package com.inpaintstudio.cli;

import com.google.gson.JsonObject;
import com.inpaintstudio.model.Component;
import com.inpaintstudio.model.ModelEntry;
import com.inpaintstudio.model.ModelFiles;
import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.model.Models;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.TensorInfo;
import com.inpaintstudio.errors.InpaintException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code info --model DIR}: what a model folder or checkpoint holds, read from configs and headers only. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Describe a model: type (inpainting or regular), family, dtype, sizes. Loads no weights.")
public final class InfoCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Diffusers model folder or single-file .safetensors checkpoint.")
    Path model;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        ModelEntry entry = ModelScanner.inspect(model);
        if (!entry.usable()) {
            throw new InpaintException(entry.problem());
        }
        try (ModelFiles files = Models.open(model)) {
            JsonObject unet = files.config(Component.UNET);
            JsonObject vae = files.config(Component.VAE);
            JsonObject text = files.config(Component.TEXT_ENCODER);
            JsonObject sched = files.config(Component.SCHEDULER);
            int scale = 1 << (vae.getAsJsonArray("block_out_channels").size() - 1);
            int sample = unet.has("sample_size") ? unet.get("sample_size").getAsInt() : 64;
            out.println("Model:       " + entry.name());
            out.println("Location:    " + files.location() + " (" + entry.kind().label() + ")");
            out.println("Type:        " + (files.isInpainting() ? "inpainting (9-channel UNet)"
                    : "regular (" + unet.get("in_channels").getAsInt() + "-channel UNet; inpaints by latent blending)"));
            out.println("Family:      " + entry.family().label());
            out.println("Native size: " + sample * scale + "x" + sample * scale);
            out.println("UNet:        blocks " + unet.get("block_out_channels") + ", cross-attention "
                    + unet.get("cross_attention_dim") + ", " + unet.get("layers_per_block") + " layers per block");
            out.println("VAE:         blocks " + vae.get("block_out_channels") + ", scaling factor "
                    + (vae.has("scaling_factor") ? vae.get("scaling_factor").getAsString() : "0.18215"));
            out.println("Text:        CLIP " + text.get("hidden_size") + " wide, " + text.get("num_hidden_layers")
                    + " layers, " + (text.has("hidden_act") ? text.get("hidden_act").getAsString() : "quick_gelu"));
            out.println("Scheduler:   " + (sched.has("_class_name") ? sched.get("_class_name").getAsString() : "PNDMScheduler"));
            out.println("Weights:     " + weightsSummary(model));
            out.println("Size:        " + human(entry.sizeBytes()));
        }
        return 0;
    }

    /** Parameter counts per dtype over every safetensors file of the model. */
    static String weightsSummary(Path model) throws IOException {
        List<Path> files;
        if (Files.isDirectory(model)) {
            try (Stream<Path> s = Files.walk(model, 2)) {
                files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
            }
        } else {
            files = List.of(model);
        }
        Map<String, Long> byType = new TreeMap<>();
        for (Path p : files) {
            try (SafetensorsFile f = SafetensorsFile.open(p)) {
                for (TensorInfo t : f.tensors().values()) {
                    byType.merge(t.dtype().name(), t.elementCount(), Long::sum);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        byType.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(count(v)).append(" values"));
        return sb.toString();
    }

    private static String count(long n) {
        if (n >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f M", n / 1e6);
        }
        if (n >= 1_000) {
            return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        }
        return Long.toString(n);
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    }
}
