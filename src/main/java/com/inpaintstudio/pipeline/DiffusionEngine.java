package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.MaskOps;
import com.inpaintstudio.image.PasteBack;
import com.inpaintstudio.image.Regions;
import com.inpaintstudio.image.Resize;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.image.TensorConversions;
import com.inpaintstudio.model.ModelFiles;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.nn.AutoencoderKL;
import com.inpaintstudio.nn.AutoencoderTiny;
import com.inpaintstudio.scheduler.Scheduler;
import com.inpaintstudio.scheduler.Schedulers;
import com.inpaintstudio.tensor.ComputeScope;
import com.inpaintstudio.tensor.DjlRuntime;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Stable Diffusion inpainting, as diffusers' {@code StableDiffusionInpaintPipeline} does it (9-channel models), with
 * latent blending for regular 4-channel models, crop-to-mask, paste-back and per-step previews.
 */
public final class DiffusionEngine implements InpaintEngine {
    /** Torch's generator is global: one generation at a time draws its noise, in a fixed order. */
    private static final Object RUN_LOCK = new Object();

    private final StableDiffusionModel model;
    private final PromptEncoder prompts;
    private final Denoiser denoiser;
    private Denoiser.StepObserver trace;
    private PreviewDecoder previewDecoder;

    public DiffusionEngine(StableDiffusionModel model) {
        this.model = model;
        this.prompts = new PromptEncoder(model);
        this.denoiser = new Denoiser(model.unet());
    }

    /** Loads a model folder or single-file checkpoint. */
    public static DiffusionEngine open(ModelFiles files) {
        return new DiffusionEngine(StableDiffusionModel.load(files));
    }

    public StableDiffusionModel model() {
        return model;
    }

    @Override
    public String name() {
        return model.name();
    }

    /**
     * Uses {@code decoder} (a TAESD loaded for this model, now owned by the engine) for previews: mode taesd, and auto.
     * Null goes back to VAE / linear previews. A previous decoder is closed.
     */
    public synchronized void usePreviewDecoder(PreviewDecoder decoder) {
        synchronized (RUN_LOCK) {
            if (previewDecoder != null && previewDecoder != decoder) {
                previewDecoder.close();
            }
            previewDecoder = decoder;
        }
    }

    /** The TAESD previews decode through, or null. */
    public synchronized PreviewDecoder previewDecoder() {
        return previewDecoder;
    }

    @Override
    public int nativeSize() {
        return model.nativeSize();
    }

    @Override
    public void close() {
        synchronized (RUN_LOCK) {
            if (previewDecoder != null) {
                previewDecoder.close();
                previewDecoder = null;
            }
        }
        model.close();
    }

    /**
     * Where textual-inversion embeddings come from; by default the {@code embeddings} folders beside the models
     * ({@link com.inpaintstudio.model.EmbeddingLibrary#fromDefaultRoots()}), scanned at each generation.
     */
    public void setEmbeddings(Supplier<List<com.inpaintstudio.model.TextualInversion>> source) {
        prompts.setEmbeddings(source);
    }

    /** For parity tests: sees the latents, x0 and guided noise of every step. */
    void setTrace(Denoiser.StepObserver trace) {
        this.trace = trace;
    }

    @Override
    public InpaintResult generate(InpaintRequest request, StepListener listener, CancelToken cancel) {
        StepListener l = listener == null ? StepListener.NONE : listener;
        CancelToken c = cancel == null ? new CancelToken() : cancel;
        WorkArea area = WorkArea.plan(request, model.nativeSize());
        model.startHashing(); // the checkpoint's hash for the parameters text, computed alongside the first run
        synchronized (RUN_LOCK) {
            if (request.preview() == PreviewMode.TAESD && previewDecoder == null) {
                throw new InpaintException(PreviewDecoder.MISSING);
            }
            if (request.draftDecode() && previewDecoder == null) {
                throw new InpaintException(PreviewDecoder.MISSING_FOR_DRAFT);
            }
            long start = System.nanoTime();
            // the request's precision and fused-ops choice, for this thread and this run only
            try (ComputeScope compute = openCompute(request); NDManager run = DjlRuntime.newManager()) {
                return runLocked(request, area, l, c, run, start);
            }
        }
    }

    private static ComputeScope openCompute(InpaintRequest request) {
        try {
            return ComputeScope.open(request.compute());
        } catch (IllegalStateException e) {
            throw new InpaintException(e.getMessage(), e);
        }
    }

    private Scheduler createScheduler(InpaintRequest request, NDManager state) {
        try {
            return Schedulers.create(request.scheduler(), model.schedulerConfig(), state);
        } catch (IllegalArgumentException e) {
            throw new InpaintException(e.getMessage(), e);
        }
    }

    private InpaintResult runLocked(InpaintRequest request, WorkArea area, StepListener l, CancelToken cancel,
                                    NDManager run, long start) {
        List<LoraState.Applied> loras;
        try {
            loras = model.applyLoras(PromptLoras.with(request.loras(), request.prompt(), model.location()));
        } catch (ModelFormatException e) {
            throw new InpaintException(e.getMessage(), e);
        }
        NDManager state = run.newSubManager();
        Scheduler scheduler = createScheduler(request, state);
        if (request.strength() < 1.0) {
            scheduler.setTimesteps(request.steps(), request.strength());
        } else {
            scheduler.setTimesteps(request.steps());
        }
        if (scheduler.timesteps().length == 0) {
            throw new InpaintException("Strength " + request.strength() + " with " + request.steps()
                    + " steps leaves no denoising step; raise the strength or the steps.");
        }
        int gw = area.genWidth();
        int gh = area.genHeight();
        int scale = model.vae().downscaleFactor();
        int lw = gw / scale;
        int lh = gh / scale;
        RgbImage regionPhoto = Regions.crop(area.photo(), area.region());
        Mask regionMask = MaskOps.crop(area.mask(), area.region());
        RgbImage genImage = area.resized() ? Resize.lanczos(regionPhoto, gw, gh) : regionPhoto;
        Mask genMask = MaskOps.binarize(area.resized() ? Resize.lanczos(regionMask, gw, gh) : regionMask);
        if (request.maskedContent() == MaskedContent.FILL) {
            genImage = com.inpaintstudio.image.ClassicalFill.fill(genImage, genMask);
        }

        l.onPhase("Encoding");
        AutoencoderKL vae = model.vae();
        float sf = vae.scalingFactor();
        NDArray image = run.create(TensorConversions.toChw(genImage), new Shape(1, 3, gh, gw));
        float[] maskPx = TensorConversions.toBinaryFloats(genMask);
        NDArray maskFull = run.create(maskPx, new Shape(1, 1, gh, gw));
        NDArray maskLatent = run.create(TensorConversions.toFloats(MaskOps.resizeNearest(genMask, lw, lh)),
                new Shape(1, 1, lh, lw));
        boolean nine = model.isInpainting();
        NDArray maskedLatents = null;
        if (nine) {
            NDArray keep = maskFull.lt(0.5f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray masked = image.mul(keep);
            maskedLatents = vae.encodeMean(masked).mul(sf);
        }
        NDArray imageLatents = null;
        if (!nine || request.strength() < 1.0) {
            imageLatents = vae.encodeMean(image).mul(sf);
        }
        PromptEncoder.Encoded encoded = prompts.encode(request.prompt(), request.negativePrompt(),
                request.promptStyle(), run);
        encoded.notices().forEach(l::onNotice);
        NDArray embeddings = encoded.embeddings();

        NDArray noise = initialNoise(request, lh, lw, run);

        Mask genAlpha = PasteBack.alpha(genMask, scaledBlur(request.maskBlur(), area));
        PreviewMaker previews = new PreviewMaker(request.preview(), vae,
                previewDecoder == null ? null : previewDecoder.taesd(), gw, gh, genImage.rgb(), genAlpha.values());
        int total = scheduler.timesteps().length;
        long loopStart = System.nanoTime();
        long[] lastStepEnd = {loopStart};
        Denoiser.StepObserver observer = (i, t, latents, x0, guided) -> {
            if (trace != null) {
                trace.afterStep(i, t, latents, x0, guided);
            }
            long now = System.nanoTime();
            long stepNanos = now - lastStepEnd[0];
            long elapsed = now - loopStart;
            RgbImage preview = null;
            PreviewKind kind = PreviewKind.NONE;
            if (previews.enabled() && x0 != null) {
                kind = previews.choose(i + 1, total, elapsed, stepNanos);
                preview = previews.preview(x0, kind);
            }
            long after = System.nanoTime();
            lastStepEnd[0] = after;
            long done = after - loopStart;
            long eta = (long) ((double) done / (i + 1) * (total - i - 1));
            l.onStep(new StepEvent(i + 1, total, t, Duration.ofNanos(done), Duration.ofNanos(eta), preview,
                    area.region().x(), area.region().y(), area.region().width(), area.region().height(), kind,
                    preview == null ? null : previews.frameAlpha()));
        };
        Denoiser.Outcome outcome = denoiser.run(scheduler,
                new Denoiser.Inputs(maskLatent, maskedLatents, imageLatents, embeddings, noise),
                request.guidance(), request.strength(), cancel, observer, run);

        l.onPhase("Decoding");
        RgbImage generated;
        try (NDManager decode = run.newSubManager()) {
            NDArray lat = outcome.latents();
            lat.tempAttach(decode);
            NDArray px;
            if (request.draftDecode()) {
                AutoencoderTiny taesd = previewDecoder.taesd(); // draft: TAESD's decode, latents as the UNet sees them
                px = taesd.decode(taesd.fromPipelineLatents(lat));
            } else {
                px = vae.decode(lat.div(sf));
            }
            float[] chw = px.toFloatArray();
            for (float v : chw) {
                if (!Float.isFinite(v)) {
                    // NaN/Inf weights (a damaged file, a broken merge or LoRA) would give a black or grey picture
                    throw new InpaintException("The model '" + model.name() + "' produced invalid numbers (NaN or "
                            + "infinity): its weights are damaged. Download or convert the model again.");
                }
            }
            generated = TensorConversions.fromChw(chw, gw, gh);
        }
        RgbImage out = compose(request, area, generated, regionMask);
        Map<String, String> extra = new LinkedHashMap<>();
        String hash = model.shortHash();
        if (hash != null) {
            extra.put(GenerationParameters.MODEL_HASH, hash);
        }
        if (ComputeScope.bf16()) {
            extra.put("Precision", "bf16"); // the pixels differ slightly from an fp32 run of the same seed
        }
        if (!encoded.embeddingsUsed().isEmpty()) {
            extra.put("TI hashes", encoded.embeddingsUsed().stream()
                    .map(e -> e.name().replace(":", "").replace(",", "") + ": " + e.shortHash())
                    .collect(Collectors.joining(", ")));
        }
        InpaintRequest recorded = request;
        if (!loras.isEmpty()) {
            extra.put("Lora hashes", GenerationParameters.loraHashes(loras));
            recorded = request.toBuilder().prompt(GenerationParameters.promptWithLoraTags(request.prompt(), loras))
                    .build();
        }
        // Size: what the model generated at (A1111's meaning), not the photo it was pasted into
        String params = GenerationParameters.format(recorded, scheduler.name(), gw, gh, model.name(), extra);
        return new InpaintResult(out, request, model.name(), scheduler.name(), outcome.cancelled(),
                outcome.stepsDone(), Duration.ofNanos(System.nanoTime() - start), params);
    }

    private NDArray initialNoise(InpaintRequest request, int lh, int lw, NDManager run) {
        Shape shape = new Shape(1, 4, lh, lw);
        if (request.initNoise() != null) {
            if (request.initNoise().length != shape.size()) {
                throw new InpaintException("The initial noise has " + request.initNoise().length
                        + " values but a " + (lw * 8) + "x" + (lh * 8) + " image needs (1, 4, " + lh + ", " + lw
                        + ") = " + shape.size() + ".");
            }
            return run.create(request.initNoise(), shape);
        }
        DjlRuntime.seed(request.seed());
        return run.randomNormal(shape);
    }

    /** The user's blur is in photo pixels; the generation may be at another scale. */
    private static int scaledBlur(int blur, WorkArea area) {
        return (int) Math.round(blur * (double) area.genWidth() / area.region().width());
    }

    private static RgbImage compose(InpaintRequest request, WorkArea area, RgbImage generated, Mask regionMask) {
        RgbImage regionOut = area.resized()
                ? Resize.lanczos(generated, area.region().width(), area.region().height()) : generated;
        boolean whole = area.region().width() == area.photo().width() && area.region().height() == area.photo().height();
        if (!request.pasteBack()) {
            return whole ? generated : Regions.paste(area.photo(), regionOut, area.region().x(), area.region().y());
        }
        Mask alpha = PasteBack.alpha(MaskOps.binarize(regionMask), Math.max(0, request.maskBlur()));
        return PasteBack.blendAt(area.photo(), regionOut, area.region().x(), area.region().y(), alpha);
    }
}
