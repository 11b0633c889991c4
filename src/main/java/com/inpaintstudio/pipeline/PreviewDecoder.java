package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.model.ModelFamily;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.model.PreviewDecoderEntry;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.SafetensorsWeights;
import com.inpaintstudio.nn.AutoencoderTiny;
import com.inpaintstudio.tensor.DjlRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A TAESD (tiny preview decoder) loaded for one Stable Diffusion model: its decoder half only, with its own weights
 * manager and mapped file, freed by {@link #close()}. Loading checks that it decodes the model's latent space.
 */
public final class PreviewDecoder implements AutoCloseable {
    /** What to tell a user who asks for TAESD previews without having a TAESD. */
    public static final String MISSING = "Preview mode taesd needs a TAESD preview decoder (about 10 MB): run "
            + "`inpaint-studio download madebyollin/taesd`, or point --preview-model at a TAESD folder; "
            + "or choose another preview mode (auto, vae, linear, none).";
    /** What to tell a user who asks for the draft final decode without having a TAESD. */
    public static final String MISSING_FOR_DRAFT = "The draft final decode (--final-decode taesd) needs a TAESD "
            + "(about 10 MB): run `inpaint-studio download madebyollin/taesd`, or point --preview-model at a TAESD "
            + "folder; or decode with the VAE (--final-decode vae, the default).";

    private final String name;
    private final Path path;
    private final NDManager manager;
    private final SafetensorsFile file;
    private final AutoencoderTiny taesd;

    private PreviewDecoder(String name, Path path, NDManager manager, SafetensorsFile file, AutoencoderTiny taesd) {
        this.name = name;
        this.path = path;
        this.manager = manager;
        this.file = file;
        this.taesd = taesd;
    }

    /**
     * Loads the TAESD folder {@code dir} for {@code model}. Throws {@link InpaintException} with a message for the user
     * when it is not a TAESD folder, is incomplete, or decodes another latent space (taesdxl, taesd3, ...).
     */
    public static PreviewDecoder load(Path dir, StableDiffusionModel model) {
        if (!Files.isDirectory(dir)) {
            throw new InpaintException("No TAESD folder at " + dir + ": give the folder holding TAESD's config.json and "
                    + "diffusion_pytorch_model.safetensors (get it with `inpaint-studio download madebyollin/taesd`).");
        }
        PreviewDecoderEntry entry = ModelScanner.inspectPreviewDecoder(dir);
        if (entry == null) {
            throw new InpaintException(dir + " is not a TAESD folder: it needs a config.json whose _class_name is "
                    + "AutoencoderTiny (get one with `inpaint-studio download madebyollin/taesd`).");
        }
        if (!entry.usable()) {
            throw new InpaintException("TAESD " + dir + ": " + entry.problem());
        }
        String refusal = entry.refusalFor(family(model), model.name());
        if (refusal != null) {
            throw new InpaintException(refusal);
        }
        NDManager manager = DjlRuntime.newManager();
        SafetensorsFile file = null;
        try {
            file = SafetensorsFile.open(weightsFile(dir));
            JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
            AutoencoderTiny taesd = AutoencoderTiny.build(config,
                    new SafetensorsWeights(List.of(file), manager, UnaryOperator.identity(), false), true);
            if (taesd.latentChannels() != model.vae().latentChannels()
                    || taesd.downscaleFactor() != model.vae().downscaleFactor()) {
                throw new InpaintException("TAESD " + entry.name() + " decodes " + taesd.latentChannels()
                        + "-channel latents at 1/" + taesd.downscaleFactor() + " size, but " + model.name() + " has "
                        + model.vae().latentChannels() + " channels at 1/" + model.vae().downscaleFactor()
                        + ": use madebyollin/taesd.");
            }
            return new PreviewDecoder(entry.name(), dir, manager, file, taesd);
        } catch (ModelFormatException | IOException e) {
            close(manager, file);
            throw new InpaintException("TAESD " + dir + " cannot be loaded: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(manager, file);
            throw e;
        }
    }

    /**
     * The first usable TAESD among {@code entries} that fits {@code model}, loaded; null when there is none (TAESDs
     * for other latent spaces and broken ones are passed over).
     */
    public static PreviewDecoder findFor(StableDiffusionModel model, List<PreviewDecoderEntry> entries) {
        for (PreviewDecoderEntry e : entries) {
            if (e.usable() && e.refusalFor(family(model), model.name()) == null) {
                try {
                    return load(e.path(), model);
                } catch (InpaintException ignored) {
                    // damaged weights: try the next one; `models` shows what is wrong with it
                }
            }
        }
        return null;
    }

    static ModelFamily family(StableDiffusionModel model) {
        return ModelFamily.fromCrossAttentionDim(model.unet().crossAttentionDim());
    }

    private static Path weightsFile(Path dir) throws IOException {
        for (String n : List.of("diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.fp16.safetensors")) {
            if (Files.isRegularFile(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no .safetensors file"));
        }
    }

    private static void close(NDManager manager, SafetensorsFile file) {
        manager.close();
        if (file != null) {
            file.close();
        }
    }

    /** Folder name, e.g. "taesd". */
    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    public AutoencoderTiny taesd() {
        return taesd;
    }

    @Override
    public void close() {
        close(manager, file);
    }
}
