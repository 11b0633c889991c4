package com.inpaintstudio.model;

import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A TAESD (diffusers {@code AutoencoderTiny}) folder found on disk: a config.json naming {@code AutoencoderTiny} and
 * its safetensors weights. It decodes live previews for models whose latents it was trained on.
 *
 * @param name      folder name
 * @param path      the folder
 * @param space     which latent space it decodes
 * @param sizeBytes size on disk
 * @param problem   why it cannot be used, or null when it can
 */
public record PreviewDecoderEntry(String name, Path path, LatentSpace space, long sizeBytes, String problem) {
    /** The latent spaces published TAESDs decode. */
    public enum LatentSpace {
        SD("SD-1.x/2.x", "madebyollin/taesd"),
        SDXL("SDXL", "madebyollin/taesdxl"),
        SIXTEEN_CHANNELS("16-channel (SD3 / FLUX)", "madebyollin/taesd3 or taef1"),
        OTHER("unknown", "");

        private final String label;
        private final String repo;

        LatentSpace(String label, String repo) {
            this.label = label;
            this.repo = repo;
        }

        public String label() {
            return label;
        }

        /** The hub repository of the TAESD for this space. */
        public String repo() {
            return repo;
        }

        /** The space of the models of a family: SD-1.x and SD-2.x share one VAE latent space. */
        public static LatentSpace of(ModelFamily family) {
            return family == ModelFamily.SDXL ? SDXL : SD;
        }
    }

    public boolean usable() {
        return problem == null;
    }

    /**
     * Which latent space a TAESD config decodes. taesd3 and taef1 have 16 latent channels; taesd and taesdxl have
     * identical configs (4 channels, scaling 1.0) and weights of the same shapes, so only the name tells them apart:
     * a folder whose name contains "xl" (as {@code taesdxl}) is taken for SDXL.
     */
    public static LatentSpace classify(JsonObject config, String folderName) {
        int channels = config.has("latent_channels") ? config.get("latent_channels").getAsInt() : 4;
        if (channels == 16) {
            return LatentSpace.SIXTEEN_CHANNELS;
        }
        double scaling = config.has("scaling_factor") ? config.get("scaling_factor").getAsDouble() : 1.0;
        double shift = config.has("shift_factor") && !config.get("shift_factor").isJsonNull()
                ? config.get("shift_factor").getAsDouble() : 0.0;
        if (channels != 4 || scaling != 1.0 || shift != 0.0) {
            return LatentSpace.OTHER;
        }
        return folderName.toLowerCase(Locale.ROOT).contains("xl") ? LatentSpace.SDXL : LatentSpace.SD;
    }

    /** Null when it can decode previews of a model of {@code family}; otherwise why not, said for the user. */
    public String refusalFor(ModelFamily family, String modelName) {
        LatentSpace wanted = LatentSpace.of(family);
        if (space == wanted) {
            return null;
        }
        String what = space == LatentSpace.OTHER ? "a TAESD for an unknown latent space (its config.json has other "
                + "latent_channels / scaling_factor / shift_factor than TAESD for SD)"
                : "a TAESD for " + space.label() + " latents";
        return name + " is " + what + ", but " + modelName + " is an " + family.label() + " model: its previews"
                + " would show wrong colours and shapes. Use " + wanted.repo() + " (inpaint-studio download "
                + wanted.repo() + ").";
    }
}
