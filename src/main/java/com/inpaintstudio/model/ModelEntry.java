package com.inpaintstudio.model;

import java.nio.file.Path;

/**
 * A model found on disk, described without loading weights.
 *
 * @param name       folder or file name (without .safetensors)
 * @param path       the diffusers folder or the checkpoint file
 * @param kind       folder or single file
 * @param inpainting true for 9-channel inpainting UNets, false for regular ones, null when unknown (broken entry)
 * @param family     SD-1.x / SD-2.x / ...
 * @param sizeBytes  size on disk (a folder: all its files)
 * @param problem    why it cannot be used, or null when it can
 */
public record ModelEntry(String name, Path path, Kind kind, Boolean inpainting, ModelFamily family, long sizeBytes,
                         String problem) {
    public enum Kind {
        FOLDER("diffusers folder"), SINGLE_FILE("single file");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public boolean usable() {
        return problem == null;
    }

    /** "inpainting", "regular" or "unknown type". */
    public String typeLabel() {
        return inpainting == null ? "unknown type" : inpainting ? "inpainting" : "regular";
    }
}
