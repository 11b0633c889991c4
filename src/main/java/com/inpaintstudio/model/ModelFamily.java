package com.inpaintstudio.model;

/** Which Stable Diffusion generation a model belongs to (what text encoder and UNet width it pairs). */
public enum ModelFamily {
    SD1("SD-1.x"), SD2("SD-2.x"), SDXL("SDXL"), UNKNOWN("unknown");

    private final String label;

    ModelFamily(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** From a UNet's cross_attention_dim: 768 CLIP ViT-L (SD-1.x), 1024 OpenCLIP ViT-H (SD-2.x), 2048 SDXL. */
    public static ModelFamily fromCrossAttentionDim(int dim) {
        return switch (dim) {
            case 1024 -> SD2;
            case 2048 -> SDXL;
            default -> SD1; // 768, and the small test models built in the SD-1 layout
        };
    }
}
