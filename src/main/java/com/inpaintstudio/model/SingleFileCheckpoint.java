package com.inpaintstudio.model;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A Stable Diffusion model in one {@code .safetensors} file with the original (LDM) key layout, as distributed for
 * other tools ({@code sd-v1-5-inpainting.safetensors}): {@code model.diffusion_model.*} (UNet),
 * {@code first_stage_model.*} (VAE), {@code cond_stage_model.transformer.*} (SD-1.x CLIP text model) or
 * {@code cond_stage_model.model.*} (SD-2.x OpenCLIP text tower). Keys are mapped to diffusers names, configs
 * inferred from tensor shapes, the tokenizer is the one bundled with the app (SD-2.x: padded with "!", as its
 * diffusers tokenizer), and the scheduler is the PNDM config SD-1.x/2.x shipped with. Only the header is read on open; weights load on demand.
 */
public final class SingleFileCheckpoint implements ModelFiles {
    private final Path file;
    private final SafetensorsFile st;
    private final ModelFamily family;
    private final Map<String, String> unetKeys;
    private final Map<String, String> vaeKeys;
    private final Map<String, String> textKeys;
    private final Map<String, Integer> textQkv;
    private final Set<String> vaeSqueeze;
    private final JsonObject unetConfig;
    private final JsonObject vaeConfig;
    private final JsonObject textConfig;

    private SingleFileCheckpoint(Path file, SafetensorsFile st) {
        this.file = file;
        this.st = st;
        Map<String, TensorInfo> t = st.tensors();
        Layout layout = Layout.of(t.keySet());
        layout.requireSupported(file);
        CheckpointConfigs configs = new CheckpointConfigs(t);
        boolean sd2 = layout == Layout.SD2_OPENCLIP;
        this.unetConfig = configs.unet(sd2);
        this.family = sd2 ? ModelFamily.SD2 : ModelFamily.fromCrossAttentionDim(unetConfig.get("cross_attention_dim").getAsInt());
        this.unetKeys = CheckpointKeys.unet(t.keySet(), unetConfig.get("layers_per_block").getAsInt());
        this.vaeKeys = CheckpointKeys.vae(t.keySet(), configs.vaeUpBlocks());
        this.vaeConfig = configs.vae();
        if (sd2) {
            CheckpointKeys.OpenClipText open = CheckpointKeys.openClipText(t.keySet());
            this.textKeys = open.keys();
            this.textQkv = open.qkvPart();
            this.textConfig = configs.openClipText(open.layers());
        } else {
            this.textKeys = CheckpointKeys.clipText(t.keySet());
            this.textQkv = Map.of();
            this.textConfig = configs.clipText(textKeys);
        }
        Set<String> sq = new HashSet<>();
        vaeKeys.forEach((d, f) -> {
            if (CheckpointKeys.isVaeAttentionProjection(f)) {
                sq.add(d);
            }
        });
        this.vaeSqueeze = sq;
    }

    /**
     * Opens a single-file checkpoint. Pickle files ({@code .ckpt}, {@code .pt}, ...) are refused without reading them;
     * layouts other than SD-1.x get a {@link ModelFormatException} saying what the file is and what to do.
     */
    public static SingleFileCheckpoint open(Path file) {
        if (PickleFiles.isPickle(file)) {
            throw PickleFiles.refusal(file);
        }
        SafetensorsFile st = SafetensorsFile.open(file);
        try {
            return new SingleFileCheckpoint(file, st);
        } catch (RuntimeException e) {
            st.close();
            if (e instanceof ModelFormatException) {
                throw new ModelFormatException(file.getFileName() + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    @Override
    public String name() {
        String n = file.getFileName().toString();
        return n.toLowerCase().endsWith(".safetensors") ? n.substring(0, n.length() - ".safetensors".length()) : n;
    }

    @Override
    public Path location() {
        return file;
    }

    public ModelFamily family() {
        return family;
    }

    @Override
    public JsonObject config(Component component) {
        return switch (component) {
            case UNET -> unetConfig.deepCopy();
            case VAE -> vaeConfig.deepCopy();
            case TEXT_ENCODER -> textConfig.deepCopy();
            case SCHEDULER -> CheckpointConfigs.scheduler(family == ModelFamily.SD2 && !isInpainting());
            case TOKENIZER -> bundledTokenizerConfig(family == ModelFamily.SD2);
        };
    }

    @Override
    public Weights weights(Component component, NDManager manager) {
        return switch (component) {
            case UNET -> new MappedWeights(st, manager, unetKeys, Set.of());
            case VAE -> new MappedWeights(st, manager, vaeKeys, vaeSqueeze);
            case TEXT_ENCODER -> new MappedWeights(st, manager, textKeys, Set.of(), textQkv);
            default -> throw new IllegalArgumentException(component + " has no weights");
        };
    }

    /** Diffusers key -> file key for a component with weights (for tools and tests). */
    public Map<String, String> keyMap(Component component) {
        return switch (component) {
            case UNET -> unetKeys;
            case VAE -> vaeKeys;
            case TEXT_ENCODER -> textKeys;
            default -> Map.of();
        };
    }

    @Override
    public Path tokenizerDir() {
        return family == ModelFamily.SD2 ? BundledTokenizer.openClipDir() : BundledTokenizer.dir();
    }

    @Override
    public void close() {
        st.close();
    }

    private static JsonObject bundledTokenizerConfig(boolean openClip) {
        try {
            return JsonParser.parseString(new String(BundledTokenizer.files(openClip).get("tokenizer_config.json"),
                    StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
    }

    /** What kind of single file this is, from its key prefixes alone. */
    enum Layout {
        SD1, SD2_OPENCLIP, SDXL, UNET_ONLY, NOT_A_CHECKPOINT;

        static Layout of(Set<String> keys) {
            boolean unet = false;
            boolean clip = false;
            boolean openclip = false;
            boolean sdxl = false;
            for (String k : keys) {
                unet |= k.startsWith(CheckpointKeys.UNET_PREFIX);
                clip |= k.startsWith(CheckpointKeys.CLIP_PREFIX);
                openclip |= k.startsWith(CheckpointKeys.OPENCLIP_PREFIX);
                sdxl |= k.startsWith("conditioner.embedders.");
            }
            if (sdxl) {
                return SDXL;
            }
            if (!unet) {
                return NOT_A_CHECKPOINT;
            }
            if (openclip) {
                return SD2_OPENCLIP;
            }
            return clip ? SD1 : UNET_ONLY;
        }

        void requireSupported(Path file) {
            switch (this) {
                case SD1, SD2_OPENCLIP -> { }
                case SDXL -> throw new ModelFormatException("this is an SDXL checkpoint (conditioner.embedders.*); Inpaint"
                        + " Studio runs Stable Diffusion 1.x and 2.x models.");
                case UNET_ONLY -> throw new ModelFormatException("the file holds a UNet (model.diffusion_model.*) but no"
                        + " text encoder (cond_stage_model.*); it is not a complete Stable Diffusion checkpoint");
                case NOT_A_CHECKPOINT -> throw new ModelFormatException("the file has no model.diffusion_model.* weights, so it"
                        + " is not a Stable Diffusion checkpoint in the original layout (a LoRA, an embedding, a VAE alone,"
                        + " or one component of a diffusers folder?). Put complete checkpoints or diffusers folders in models/.");
                default -> throw new IllegalStateException(name());
            }
        }
    }
}
