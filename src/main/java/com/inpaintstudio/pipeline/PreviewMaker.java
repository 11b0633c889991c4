package com.inpaintstudio.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.nn.AutoencoderKL;
import com.inpaintstudio.nn.AutoencoderTiny;

/**
 * Turns a step's predicted x0 into a picture of the region being generated, composed with the original pixels
 * outside the mask. Real decodes (VAE or TAESD) cover the mask's latent bounding box plus a margin only.
 * {@link PreviewMode#AUTO} spends at most ~10 % of the run on real decodes, through TAESD when one is given (cheap
 * enough to fit every step), else through the VAE, and uses the linear latent->RGB map on the steps between.
 */
final class PreviewMaker {
    /** Share of the run's time that AUTO may spend on VAE decodes. */
    static final double DECODE_BUDGET = 0.10;
    /** Latent cells of context around the mask's box: the VAE decoder needs surroundings to decode a crop well. */
    static final int MARGIN = 6;

    private final PreviewMode mode;
    private final AutoencoderKL vae;
    private final AutoencoderTiny taesd;
    private final int width;
    private final int height;
    private final int[] original;
    private final float[] alpha;
    private final byte[] frameAlpha;
    private final int scale;
    private final int[] box; // latent box x0, y0, x1, y1 (exclusive)
    private long decodeNanos;
    private int decodes;
    private long estimateDecodeNanos = -1;

    /**
     * @param original RGB of the generated region at generation resolution (width x height)
     * @param alpha    paste-back weight per pixel at generation resolution (1 = generated)
     */
    PreviewMaker(PreviewMode mode, AutoencoderKL vae, int width, int height, int[] original, float[] alpha) {
        this(mode, vae, null, width, height, original, alpha);
    }

    /** @param taesd the tiny preview decoder, or null; {@link PreviewMode#TAESD} needs one */
    PreviewMaker(PreviewMode mode, AutoencoderKL vae, AutoencoderTiny taesd, int width, int height, int[] original,
                 float[] alpha) {
        if (mode == PreviewMode.TAESD && taesd == null) {
            throw new IllegalArgumentException("preview mode taesd needs a TAESD");
        }
        this.mode = mode;
        this.vae = vae;
        this.taesd = taesd;
        this.width = width;
        this.height = height;
        this.original = original;
        this.alpha = alpha;
        this.frameAlpha = new byte[alpha.length];
        for (int i = 0; i < alpha.length; i++) {
            frameAlpha[i] = (byte) (alpha[i] > 0f ? 255 : 0);
        }
        this.scale = vae.downscaleFactor();
        this.box = latentBox(alpha, width, height, scale);
    }

    /** The alpha of every preview frame: 255 where it shows generated pixels, 0 where it is the original. */
    byte[] frameAlpha() {
        return frameAlpha;
    }

    boolean enabled() {
        return mode != PreviewMode.NONE;
    }

    /** The decoder real decodes go through: TAESD when given (and the mode is AUTO or TAESD), else the VAE. */
    PreviewKind decoderKind() {
        return taesd != null && mode != PreviewMode.VAE ? PreviewKind.TAESD : PreviewKind.VAE;
    }

    /** How this step's preview is made, given the run's elapsed time so far. */
    PreviewKind choose(int step, int total, long elapsedNanos, long stepNanos) {
        if (mode == PreviewMode.NONE) {
            return PreviewKind.NONE;
        }
        return shouldDecode(step, total, elapsedNanos, stepNanos) ? decoderKind() : PreviewKind.LINEAR;
    }

    /** Whether this step should get a real decode ({@link #decoderKind}), given the run's elapsed time so far. */
    boolean shouldDecode(int step, int total, long elapsedNanos, long stepNanos) {
        switch (mode) {
            case VAE:
            case TAESD:
                return true;
            case AUTO: {
                if (step == total) {
                    return false; // the final decode follows at once
                }
                if (estimateDecodeNanos < 0) {
                    // no decode timed yet: probe once as soon as the guess fits in the whole run's budget, so a cheap
                    // decode (GPU, small crop) is found early and then runs every step
                    return guessDecodeNanos(stepNanos) <= DECODE_BUDGET * stepNanos * total;
                }
                return decodeNanos + estimateDecodeNanos <= DECODE_BUDGET * (elapsedNanos + estimateDecodeNanos);
            }
            default:
                return false;
        }
    }

    /** x0 is (1,4,h,w) latents already scaled (as the UNet sees them); decode = through {@link #decoderKind}. */
    RgbImage preview(NDArray x0, boolean decode) {
        return preview(x0, decode ? decoderKind() : PreviewKind.LINEAR);
    }

    /** x0 is (1,4,h,w) latents already scaled (as the UNet sees them); kind VAE, TAESD or LINEAR. */
    RgbImage preview(NDArray x0, PreviewKind kind) {
        float[] rgb = new float[3 * width * height];
        if (kind == PreviewKind.TAESD && taesd == null) {
            throw new IllegalArgumentException("no TAESD to decode with");
        }
        if (kind.decoded()) {
            long t = System.nanoTime();
            decodeInto(x0, rgb, kind);
            long took = System.nanoTime() - t;
            decodeNanos += took;
            decodes++;
            estimateDecodeNanos = decodeNanos / decodes;
        } else {
            linearInto(x0, rgb);
        }
        return compose(rgb);
    }

    int decodes() {
        return decodes;
    }

    long decodeNanos() {
        return decodeNanos;
    }

    private long guessDecodeNanos(long stepNanos) {
        // A full VAE decode at the UNet's size costs ~1.5 guided steps on a CPU, a full TAESD decode ~0.1 (bench
        // taesd-decode); a crop costs its share of the area.
        double area = (double) (box[2] - box[0]) * (box[3] - box[1]) / ((double) (width / scale) * (height / scale));
        double full = decoderKind() == PreviewKind.TAESD ? 0.1 : 1.5;
        return (long) (full * stepNanos * Math.max(0.05, area));
    }

    private void decodeInto(NDArray x0, float[] rgb, PreviewKind kind) {
        try (NDManager scope = x0.getManager().newSubManager()) {
            x0.tempAttach(scope);
            NDArray lat = x0.get(new NDIndex(":, :, {}:{}, {}:{}", box[1], box[3], box[0], box[2]));
            // TAESD decodes latents as the UNet sees them (its scaling_factor is 1.0), the VAE takes them / 0.18215
            NDArray pixels = kind == PreviewKind.TAESD ? taesd.decode(taesd.fromPipelineLatents(lat))
                    : vae.decode(lat.div(vae.scalingFactor()));
            float[] px = pixels.toFloatArray();
            int bw = (box[2] - box[0]) * scale;
            int bh = (box[3] - box[1]) * scale;
            int ox = box[0] * scale;
            int oy = box[1] * scale;
            // outside the decoded box the linear map fills in (it is outside the mask anyway)
            linearInto(x0, rgb);
            int n = width * height;
            int bn = bw * bh;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < bh; y++) {
                    System.arraycopy(px, c * bn + y * bw, rgb, c * n + (oy + y) * width + ox, bw);
                }
            }
        }
    }

    private void linearInto(NDArray x0, float[] rgb) {
        long[] s = x0.getShape().getShape();
        int lh = (int) s[2];
        int lw = (int) s[3];
        float[] small = LatentRgbMap.toRgb(x0.toFloatArray(), lh, lw);
        upsampleBilinear(small, lw, lh, rgb, width, height);
    }

    private RgbImage compose(float[] rgb) {
        int n = width * height;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            float a = alpha[i];
            int o = original[i];
            if (a <= 0f) {
                out[i] = o;
                continue;
            }
            int r = mix((o >> 16) & 0xff, rgb[i], a);
            int g = mix((o >> 8) & 0xff, rgb[n + i], a);
            int b = mix(o & 0xff, rgb[2 * n + i], a);
            out[i] = (r << 16) | (g << 8) | b;
        }
        return new RgbImage(width, height, out);
    }

    private static int mix(int orig, float gen, float a) {
        float g = Math.max(0f, Math.min(1f, gen / 2f + 0.5f)) * 255f;
        return Math.round(orig * (1f - a) + g * a);
    }

    /** Bilinear upsampling with half-pixel centres (align_corners=False). */
    static void upsampleBilinear(float[] src, int sw, int sh, float[] dst, int dw, int dh) {
        int sn = sw * sh;
        int dn = dw * dh;
        float fx = (float) sw / dw;
        float fy = (float) sh / dh;
        for (int y = 0; y < dh; y++) {
            float sy = Math.max(0f, (y + 0.5f) * fy - 0.5f);
            int y0 = Math.min((int) sy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            float wy = sy - y0;
            for (int x = 0; x < dw; x++) {
                float sx = Math.max(0f, (x + 0.5f) * fx - 0.5f);
                int x0 = Math.min((int) sx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                float wx = sx - x0;
                for (int c = 0; c < 3; c++) {
                    int o = c * sn;
                    float top = src[o + y0 * sw + x0] * (1 - wx) + src[o + y0 * sw + x1] * wx;
                    float bot = src[o + y1 * sw + x0] * (1 - wx) + src[o + y1 * sw + x1] * wx;
                    dst[c * dn + y * dw + x] = top * (1 - wy) + bot * wy;
                }
            }
        }
    }

    /** The latent-cell box around alpha > 0, plus the margin, clamped; the whole latent if alpha is empty. */
    static int[] latentBox(float[] alpha, int width, int height, int scale) {
        int lw = width / scale;
        int lh = height / scale;
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (alpha[y * width + x] > 0f) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            return new int[] {0, 0, lw, lh};
        }
        return new int[] {
            Math.max(0, minX / scale - MARGIN), Math.max(0, minY / scale - MARGIN),
            Math.min(lw, maxX / scale + 1 + MARGIN), Math.min(lh, maxY / scale + 1 + MARGIN)};
    }
}
