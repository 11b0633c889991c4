package com.inpaintstudio.model;

/** The parts of a Stable Diffusion model, named as the diffusers folder names them. */
public enum Component {
    UNET("unet"), VAE("vae"), TEXT_ENCODER("text_encoder"), TOKENIZER("tokenizer"), SCHEDULER("scheduler");

    private final String folder;

    Component(String folder) {
        this.folder = folder;
    }

    /** The sub-folder name in a diffusers model folder. */
    public String folder() {
        return folder;
    }
}
