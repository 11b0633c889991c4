package com.inpaintstudio.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Opens whatever a user points at: a diffusers folder or a single-file checkpoint. */
public final class Models {
    private Models() {}

    public static ModelFiles open(Path path) {
        if (Files.isDirectory(path)) {
            return DiffusersFolder.open(path);
        }
        if (!Files.exists(path)) {
            throw new ModelFormatException("No model at " + path + ": give a diffusers folder (with model_index.json) "
                    + "or a .safetensors checkpoint, or put one into the models/ folder.");
        }
        if (PickleFiles.isPickle(path)) {
            throw PickleFiles.refusal(path);
        }
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            return SingleFileCheckpoint.open(path);
        }
        throw new ModelFormatException(path.getFileName() + " is not a model Inpaint Studio can read: give a diffusers "
                + "folder (with model_index.json) or a single-file .safetensors checkpoint.");
    }
}
