package com.inpaintstudio.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Prompt and negative prompt -> the batch-2 text embeddings {@code [uncond, cond]} for classifier-free guidance.
 * The uncond embedding is the encoder output for the negative prompt ("" by default), as diffusers does.
 */
final class PromptEncoder {
    private final StableDiffusionModel model;

    PromptEncoder(StableDiffusionModel model) {
        this.model = model;
    }

    /** (2, 77, D) in {@code manager}: row 0 the negative prompt, row 1 the prompt. */
    NDArray encode(String prompt, String negativePrompt, NDManager manager) {
        long[] neg = model.tokenizer().encode(negativePrompt);
        long[] pos = model.tokenizer().encode(prompt);
        long[] both = new long[neg.length + pos.length];
        System.arraycopy(neg, 0, both, 0, neg.length);
        System.arraycopy(pos, 0, both, neg.length, pos.length);
        try (NDManager scope = manager.newSubManager()) {
            NDArray ids = scope.create(both, new Shape(2, neg.length));
            NDArray emb = model.textModel().encode(ids);
            emb.attach(manager);
            return emb;
        }
    }
}
