package com.inpaintstudio.model;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import java.nio.file.Path;

/**
 * A loadable Stable Diffusion model: a diffusers folder or a single-file checkpoint. Gives each component's
 * diffusers-style config and its weights under diffusers keys, whatever the layout on disk.
 */
public interface ModelFiles extends AutoCloseable {
    /** Short name for the UI and PNG metadata (folder or file name). */
    String name();

    /** Where the model lives. */
    Path location();

    /** The component's config.json (for SCHEDULER: scheduler_config.json), inferred for single files. */
    JsonObject config(Component component);

    /** The component's parameters under diffusers keys, loaded into {@code manager}. Not for TOKENIZER/SCHEDULER. */
    Weights weights(Component component, NDManager manager);

    /** A folder holding the CLIP tokenizer ({@code vocab.json} + {@code merges.txt}, or {@code tokenizer.json}). */
    Path tokenizerDir();

    /** True for 9-channel inpainting UNets, false for regular 4-channel models. */
    default boolean isInpainting() {
        return config(Component.UNET).get("in_channels").getAsInt() == 9;
    }

    @Override
    default void close() { }
}
