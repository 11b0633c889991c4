package com.inpaintstudio.pipeline;

import java.nio.file.Path;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.inpaintstudio.model.Component;
import com.inpaintstudio.model.ModelFiles;
import com.inpaintstudio.model.SlotRegistry;
import com.inpaintstudio.nn.AutoencoderKL;
import com.inpaintstudio.nn.ClipTextModel;
import com.inpaintstudio.nn.UNet2DConditionModel;
import com.inpaintstudio.tensor.DjlRuntime;
import com.inpaintstudio.text.ClipTokenizer;

import java.util.List;

/**
 * A Stable Diffusion model ready to run: tokenizer, text encoder, UNet and VAE built from their configs, with all
 * weights in one long-lived manager that {@link #close()} frees.
 */
public final class StableDiffusionModel implements AutoCloseable {
    private final ModelFiles files;
    private final String name;
    private final NDManager weightsManager;
    private final ClipTokenizer tokenizer;
    private final ClipTextModel textModel;
    private final UNet2DConditionModel unet;
    private final AutoencoderKL vae;
    private final JsonObject schedulerConfig;
    private final int nativeSize;
    private volatile java.util.concurrent.CompletableFuture<String> hash;
    private final LoraState loras;

    private StableDiffusionModel(ModelFiles files, String name, NDManager weightsManager, ClipTokenizer tokenizer, ClipTextModel textModel,
                                 UNet2DConditionModel unet, AutoencoderKL vae, JsonObject schedulerConfig, int nativeSize,
                                 LoraState loras) {
        this.files = files;
        this.name = name;
        this.weightsManager = weightsManager;
        this.tokenizer = tokenizer;
        this.textModel = textModel;
        this.unet = unet;
        this.vae = vae;
        this.schedulerConfig = schedulerConfig;
        this.nativeSize = nativeSize;
        this.loras = loras;
    }

    /** Builds every component of {@code files}, which the model then owns. Weights are mapped from disk, not copied. */
    /** Where the model was loaded from (its folder or checkpoint file). */
    public Path location() {
        return files.location();
    }

    public static StableDiffusionModel load(ModelFiles files) {
        NDManager weights = DjlRuntime.newManager();
        try {
            ClipTokenizer tok = ClipTokenizer.load(files.tokenizerDir());
            // the registries remember the linear/conv weights, the ones a LoRA may change
            SlotRegistry textSlots = new SlotRegistry(files.weights(Component.TEXT_ENCODER, weights));
            ClipTextModel text = ClipTextModel.build(files.config(Component.TEXT_ENCODER), textSlots);
            JsonObject unetCfg = files.config(Component.UNET);
            SlotRegistry unetSlots = new SlotRegistry(files.weights(Component.UNET, weights));
            UNet2DConditionModel unet = UNet2DConditionModel.build(unetCfg, unetSlots);
            JsonObject vaeCfg = files.config(Component.VAE);
            AutoencoderKL vae = AutoencoderKL.build(vaeCfg, files.weights(Component.VAE, weights));
            int sampleSize = unetCfg.has("sample_size") ? unetCfg.get("sample_size").getAsInt() : 64;
            int nativeSize = sampleSize * vae.downscaleFactor();
            LoraState loras = new LoraState(files.name(), unet.crossAttentionDim(), unetSlots.slots(), textSlots.slots(),
                    weights);
            return new StableDiffusionModel(files, files.name(), weights, tok, text, unet, vae,
                    files.config(Component.SCHEDULER), nativeSize, loras);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    public ClipTextModel textModel() {
        return textModel;
    }

    public UNet2DConditionModel unet() {
        return unet;
    }

    public AutoencoderKL vae() {
        return vae;
    }

    public JsonObject schedulerConfig() {
        return schedulerConfig;
    }

    /** The resolution the model was trained at (512 for SD-1.x, 768 for SD-2.x v-models, 256 for the tiny one). */
    public int nativeSize() {
        return nativeSize;
    }

    /**
     * A1111's short model hash: the first 10 hex digits of the checkpoint file's SHA-256 (A1111's {@code shorthash}),
     * computed once, in the background from the first call. Null for a diffusers folder: A1111 hashes single
     * checkpoint files only, and a hash of our own making would match nothing A1111 or a model site lists.
     */
    public String shortHash() {
        startHashing();
        try {
            return hash.join();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Starts computing {@link #shortHash()} on a background thread (idempotent). */
    public void startHashing() {
        if (hash == null) {
            synchronized (this) {
                if (hash == null) {
                    java.nio.file.Path p = files.location();
                    hash = java.nio.file.Files.isRegularFile(p)
                            ? java.util.concurrent.CompletableFuture.supplyAsync(() -> FileHashes.shortSha256(p))
                            : java.util.concurrent.CompletableFuture.completedFuture(null);
                }
            }
        }
    }

    /** Arrays owned by the weights manager: constant once every weight is loaded (a leak test checks it). */
    public int liveWeightArrays() {
        return weightsManager.getManagedArrays().size();
    }

    /**
     * Makes the text encoder and UNet run with exactly these LoRAs merged (empty = the original weights); a no-op when
     * they are the ones already merged. Not while a generation runs (the engine calls it under its run lock).
     *
     * @return the LoRAs now merged, with their hashes
     */
    public List<LoraState.Applied> applyLoras(List<LoraSpec> specs) {
        return loras.apply(specs);
    }

    /** The UNet weights a LoRA may change (linear and convolution weights), key -> shape; for making test LoRAs. */
    public java.util.Map<String, long[]> unetLoraTargets() {
        return loras.unetShapes();
    }

    public boolean isInpainting() {
        return unet.inChannels() == 9;
    }

    @Override
    public void close() {
        loras.close();
        tokenizer.close();
        weightsManager.close();
        files.close();
    }
}
