package com.inpaintstudio.pipeline;

/**
 * The linear latent -> RGB approximation of the SD-1.x VAE (a published 4x3 map applied to x0 latents; output in
 * about [-1, 1]). Nearly free, so previews can be shown at every step between real VAE decodes.
 */
final class LatentRgbMap {
    private static final float[][] SD1_MAP = {
        {0.298f, 0.207f, 0.208f},
        {0.187f, 0.286f, 0.173f},
        {-0.158f, 0.189f, 0.264f},
        {-0.184f, -0.271f, -0.473f},
    };

    private LatentRgbMap() {}

    /**
     * Maps latents (4, h, w), flattened CHW and already divided by nothing (x0 in latent space), to pixels
     * at latent resolution, as CHW floats in [-1, 1].
     */
    static float[] toRgb(float[] latents, int h, int w) {
        int n = h * w;
        float[] rgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float v = 0;
                for (int k = 0; k < 4; k++) {
                    v += latents[k * n + i] * SD1_MAP[k][c];
                }
                rgb[c * n + i] = Math.max(-1f, Math.min(1f, v));
            }
        }
        return rgb;
    }
}
