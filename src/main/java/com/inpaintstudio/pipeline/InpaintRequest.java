package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.tensor.ComputeOptions;
import com.inpaintstudio.tensor.Precision;

import java.util.List;

/**
 * Everything one generation needs. Built by the CLI and the editor alike ({@link #builder()}).
 *
 * @param image          the photo; null = text-to-image on a blank canvas of {@code width x height}
 * @param mask           white = repaint, same size as the photo (resized with a warning otherwise); null = all white
 * @param scheduler      a scheduler name ({@code pndm}, {@code ddim}, {@code euler}, ...); null = the model's own
 * @param seed           seed of the initial noise ({@code torch.manual_seed(seed); randn(1,4,h/8,w/8)})
 * @param initNoise      explicit standard-normal initial noise, shape (1,4,h/8,w/8) flattened; overrides the seed
 * @param width          output width; 0 = derived from the photo (multiple of 8, model's native size)
 * @param maskBlur       feather radius of the paste-back blend, in photo pixels
 * @param onlyMasked     crop the mask's bounding box plus {@code padding}, generate at model size, paste back
 * @param pasteBack      keep original pixels outside the (feathered) mask; false = raw decoded output
 * @param promptStyle    A1111 weights and long-prompt chunks (default), or diffusers' plain text cut at 75 tokens
 * @param loras          LoRAs merged for this generation, each with its strength (empty = none)
 * @param draftDecode    optional, "draft" quality: decode the final latents through the engine's TAESD instead of
 *                       the VAE (a fraction of the time, softer detail); needs a TAESD
 * @param compute        how the UNet and VAE compute: precision fp32 / bf16 / auto and fused libtorch ops on / off.
 *                       The builder's default is {@link ComputeOptions#DEFAULT} (fp32, fused ops on: the reference
 *                       arithmetic); the CLI and the editor ask for {@code auto}, which is fp32 on CPUs without
 *                       native bfloat16
 */
public record InpaintRequest(RgbImage image, Mask mask, String prompt, String negativePrompt, int steps,
                             double guidance, double strength, String scheduler, long seed, float[] initNoise,
                             int width, int height, int maskBlur, boolean onlyMasked, int padding,
                             boolean pasteBack, PreviewMode preview, MaskedContent maskedContent,
                             PromptStyle promptStyle, List<LoraSpec> loras, boolean draftDecode,
                             ComputeOptions compute) {

    public InpaintRequest {
        prompt = prompt == null ? "" : prompt;
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        preview = preview == null ? PreviewMode.AUTO : preview;
        maskedContent = maskedContent == null ? MaskedContent.ORIGINAL : maskedContent;
        promptStyle = promptStyle == null ? PromptStyle.A1111 : promptStyle;
        loras = loras == null ? List.of() : List.copyOf(loras);
        compute = compute == null ? ComputeOptions.DEFAULT : compute;
    }

    /** Generation sizes are multiples of this (the VAE's downscale factor). */
    public static final int SIZE_MULTIPLE = 8;

    /** Refuses a generation size whose sides are not positive multiples of 8, naming the nearest sizes that work. */
    public static void checkSize(int w, int h) {
        int m = SIZE_MULTIPLE;
        if (w <= 0 || h <= 0 || w % m != 0 || h % m != 0) {
            int lw = Math.max(m, w / m * m);
            int lh = Math.max(m, h / m * m);
            throw new InpaintException("Width and height must both be multiples of 8 (got " + w + "x" + h
                    + "); try " + lw + "x" + lh + " or " + (lw + m) + "x" + (lh + m) + ".");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.image = image; b.mask = mask; b.prompt = prompt; b.negativePrompt = negativePrompt; b.steps = steps;
        b.guidance = guidance; b.strength = strength; b.scheduler = scheduler; b.seed = seed; b.initNoise = initNoise;
        b.width = width; b.height = height; b.maskBlur = maskBlur; b.onlyMasked = onlyMasked; b.padding = padding;
        b.pasteBack = pasteBack; b.preview = preview; b.maskedContent = maskedContent;
        b.promptStyle = promptStyle;
        b.loras = loras;
        b.draftDecode = draftDecode;
        b.compute = compute;
        return b;
    }

    /** Defaults are those of the editor and the CLI. */
    public static final class Builder {
        private RgbImage image;
        private Mask mask;
        private String prompt = "";
        private String negativePrompt = "";
        private int steps = 25;
        private double guidance = 7.5;
        private double strength = 1.0;
        private String scheduler;
        private long seed;
        private float[] initNoise;
        private int width;
        private int height;
        private int maskBlur = 4;
        private boolean onlyMasked;
        private int padding = 32;
        private boolean pasteBack = true;
        private PreviewMode preview = PreviewMode.AUTO;
        private MaskedContent maskedContent = MaskedContent.ORIGINAL;
        private PromptStyle promptStyle = PromptStyle.A1111;
        private List<LoraSpec> loras = List.of();
        private boolean draftDecode;
        private ComputeOptions compute = ComputeOptions.DEFAULT;

        public Builder image(RgbImage v) { image = v; return this; }
        public Builder mask(Mask v) { mask = v; return this; }
        public Builder prompt(String v) { prompt = v; return this; }
        public Builder negativePrompt(String v) { negativePrompt = v; return this; }
        public Builder steps(int v) { steps = v; return this; }
        public Builder guidance(double v) { guidance = v; return this; }
        public Builder strength(double v) { strength = v; return this; }
        public Builder scheduler(String v) { scheduler = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder initNoise(float[] v) { initNoise = v; return this; }
        public Builder size(int w, int h) { width = w; height = h; return this; }
        public Builder maskBlur(int v) { maskBlur = v; return this; }
        public Builder onlyMasked(boolean v) { onlyMasked = v; return this; }
        public Builder padding(int v) { padding = v; return this; }
        public Builder pasteBack(boolean v) { pasteBack = v; return this; }
        public Builder preview(PreviewMode v) { preview = v; return this; }
        public Builder maskedContent(MaskedContent v) { maskedContent = v; return this; }
        public Builder promptStyle(PromptStyle v) { promptStyle = v; return this; }
        public Builder loras(List<LoraSpec> v) { loras = v; return this; }
        public Builder draftDecode(boolean v) { draftDecode = v; return this; }
        public Builder compute(ComputeOptions v) { compute = v; return this; }
        public Builder precision(Precision v) { compute = compute.withPrecision(v); return this; }
        public Builder fusedOps(boolean v) { compute = compute.withFusedOps(v); return this; }

        public InpaintRequest build() {
            return new InpaintRequest(image, mask, prompt, negativePrompt, steps, guidance, strength, scheduler, seed,
                    initNoise, width, height, maskBlur, onlyMasked, padding, pasteBack, preview, maskedContent,
                    promptStyle, loras, draftDecode, compute);
        }
    }
}
