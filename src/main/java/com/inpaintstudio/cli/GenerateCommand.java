package com.inpaintstudio.cli;

import com.inpaintstudio.image.CanvasExtension;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.OutputTarget;
import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.EmbeddingLibrary;
import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.model.lora.LoraLibrary;
import com.inpaintstudio.pipeline.BatchRunner;
import com.inpaintstudio.pipeline.DiffusionEngine;
import com.inpaintstudio.pipeline.InfotextParser;
import com.inpaintstudio.pipeline.InfotextSettings;
import com.inpaintstudio.pipeline.PromptStyle;
import com.inpaintstudio.pipeline.CancelToken;
import com.inpaintstudio.pipeline.Engines;
import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.InpaintResult;
import com.inpaintstudio.pipeline.LoraSpec;
import com.inpaintstudio.pipeline.MaskedContent;
import com.inpaintstudio.pipeline.Outpaint;
import com.inpaintstudio.pipeline.PreviewMode;
import com.inpaintstudio.pipeline.StepEvent;
import com.inpaintstudio.pipeline.StepListener;
import com.inpaintstudio.pipeline.TilingEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code generate}: photo + mask + prompt -> PNG, with a progress line and optional per-step preview PNGs. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Repaint the white part of a mask over a photo with Stable Diffusion (or the built-in fill).",
            "Without --image: text-to-image at --width x --height."})
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "Diffusers model folder or single-file .safetensors checkpoint.")
    Path model;
    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "diffusion",
            description = "diffusion (Stable Diffusion, needs --model) or fill (built-in, no model). Default: ${DEFAULT-VALUE}.")
    String engine;
    @Option(names = "--image", paramLabel = "FILE", description = "The photo (PNG, JPEG, BMP, GIF).")
    Path image;
    @Option(names = "--mask", paramLabel = "FILE", description = "Mask image: white = repaint. Default with --image: none (error); without --image: all white.")
    Path mask;
    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "", description = "What the masked part should show.")
    String prompt;
    @Option(names = "--negative-prompt", paramLabel = "TEXT", defaultValue = "", description = "What to avoid.")
    String negativePrompt;
    @Option(names = "--steps", defaultValue = "25", description = "Denoising steps. Default: ${DEFAULT-VALUE}.")
    int steps;
    @Option(names = "--guidance", defaultValue = "7.5", description = "Classifier-free guidance scale. Default: ${DEFAULT-VALUE}.")
    double guidance;
    @Option(names = "--strength", defaultValue = "1.0", description = "1 = repaint from scratch; lower keeps more of the photo. Default: ${DEFAULT-VALUE}.")
    double strength;
    @Option(names = "--scheduler", paramLabel = "NAME", completionCandidates = SchedulerNames.class, description = "${COMPLETION-CANDIDATES} (lcm, tcd: for LCM/TCD LoRAs, 4-8 steps, --guidance 1). Default: the model's.")
    String scheduler;
    @Option(names = "--lora", paramLabel = "FILE[:STRENGTH]", description = "Merge a LoRA (.safetensors) at STRENGTH (-4..4, default 1); a bare NAME is looked up in the models folders' loras/ (models/loras/NAME.safetensors). Repeatable.")
    List<String> loras;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of the initial noise (torch.manual_seed). Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--init-noise", paramLabel = "FILE.safetensors", description = "Initial noise: a float32 tensor 'latents' of shape (1,4,H/8,W/8), standard normal; it fixes the size unless --width/--height are given (then they must match).")
    Path initNoise;
    @Option(names = "--width", defaultValue = "0", description = "Output width (multiple of 8). Default: from the photo / the model.")
    int width;
    @Option(names = "--height", defaultValue = "0", description = "Output height (multiple of 8).")
    int height;
    @Option(names = "--mask-blur", paramLabel = "PX", defaultValue = "4", description = "Feather of the paste-back edge, in pixels. Default: ${DEFAULT-VALUE}.")
    int maskBlur;
    @Option(names = "--only-masked", description = "Generate only the mask's bounding box (plus --padding) at model size and paste it back.")
    boolean onlyMasked;
    @Option(names = "--padding", paramLabel = "PX", defaultValue = "32", description = "Context around the mask with --only-masked. Default: ${DEFAULT-VALUE}.")
    int padding;
    @Option(names = "--no-paste-back", description = "Write the raw decoded output (as diffusers returns it) instead of keeping the original pixels outside the mask.")
    boolean noPasteBack;
    @Option(names = "--masked-content", paramLabel = "original|fill", defaultValue = "original", description = "Pre-fill the masked area with the built-in fill before encoding. Default: ${DEFAULT-VALUE}.")
    String maskedContent;
    @Option(names = "--preview", paramLabel = "auto|taesd|vae|linear|none", defaultValue = "auto", description = "How step previews are made: auto (TAESD every step when one is in the models folder, else VAE decodes within ~10 %% of the run and the linear map between), taesd (TAESD every step), vae, linear, none. Default: ${DEFAULT-VALUE}.")
    String preview;
    @Option(names = "--preview-model", paramLabel = "DIR", description = "TAESD folder (config.json + diffusion_pytorch_model.safetensors, e.g. from 'inpaint-studio download madebyollin/taesd') for previews. Default: the first fitting one in the models folders.")
    Path previewModel;
    @Option(names = "--final-decode", paramLabel = "vae|taesd", defaultValue = "vae", description = "Optional draft mode: 'taesd' decodes the final picture through the TAESD (a fraction of the VAE's time, softer detail) for the fastest iterations. Default: ${DEFAULT-VALUE}.")
    String finalDecode;
    @Option(names = "--previews-dir", paramLabel = "DIR", description = "Write each step's preview as step-001.png, ...")
    Path previewsDir;
    @Option(names = "--batch", defaultValue = "1", description = "Number of variations (seeds N, N+1, ...); outputs name-1.png, name-2.png, ...")
    int batch;
    @Option(names = "--extend", paramLabel = "L,T,R,B", description = "Outpaint: grow the canvas by these pixels on the left, top, right and bottom and paint the new area (no --mask needed; a mask still repaints what it covers). Large areas are generated in overlapping tiles at the model's size.")
    String extend;
    @Option(names = "--extend-fill", paramLabel = "stretch|fill|noise", defaultValue = "stretch", description = "What the new area starts from: the photo's edge stretched and blurred, the built-in fill, or grey noise. Default: ${DEFAULT-VALUE}.")
    String extendFill;
    @Option(names = "--extend-feather", paramLabel = "PX", defaultValue = "32", description = "How far into the photo the seam is repainted, in pixels. Default: ${DEFAULT-VALUE}.")
    int extendFeather;
    @Option(names = "--out", paramLabel = "FILE.png", required = true, description = "Where to write the PNG.")
    Path out;
    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;
    @Option(names = "--prompt-style", paramLabel = "a1111|diffusers", defaultValue = "a1111",
            description = "a1111: (word:1.2) weights, [word], BREAK and long prompts in 75-token chunks; diffusers: the text as written, cut after 75 tokens (with a warning). Default: ${DEFAULT-VALUE}.")
    String promptStyle;
    @picocli.CommandLine.Mixin
    ComputeFlags computeFlags = new ComputeFlags();
    @Option(names = "--params-from", paramLabel = "FILE", description = "Take prompt and settings from an A1111/Inpaint Studio PNG (its 'parameters' text) or a text file holding such text; options given on the command line win.")
    Path paramsFrom;
    @Option(names = "--embeddings", paramLabel = "DIR", description = "Folder of textual-inversion embeddings (.safetensors), repeatable. Default: the 'embeddings' folder beside the models.")
    List<Path> embeddingDirs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        if (batch < 1 || batch > 100) {
            throw new InpaintException("--batch must be between 1 and 100 (got " + batch + ").");
        }
        // where the results go is checked before anything is read or computed (a model load takes seconds)
        for (int i = 1; i <= batch; i++) {
            OutputTarget.check(batch == 1 ? out : numbered(out, i));
        }
        if (previewsDir != null) {
            if (Files.exists(previewsDir) && !Files.isDirectory(previewsDir)) {
                throw new InpaintException("--previews-dir '" + previewsDir + "' is a file, not a folder.");
            }
            Files.createDirectories(previewsDir);
            OutputTarget.check(previewsDir.resolve("step-001.png"));
        }
        if (paramsFrom != null) {
            applyParamsFrom(err);
        }
        InpaintRequest request = buildRequest(err);
        if (batch > 1 && initNoise != null) {
            throw new InpaintException("--batch varies the seed, but --init-noise fixes the noise: every picture would "
                    + "be the same. Drop one of them.");
        }
        String outpaint = null;
        if (extend != null) {
            CanvasExtension.Sides sides = Outpaint.parseSides(extend);
            CanvasExtension.Prefill prefill;
            try {
                prefill = CanvasExtension.Prefill.parse(extendFill);
            } catch (IllegalArgumentException e) {
                throw new InpaintException("--extend-fill: " + e.getMessage() + ".");
            }
            request = Outpaint.prepare(request, sides, prefill, extendFeather);
            outpaint = Outpaint.describe(sides, prefill, extendFeather);
            if (!quiet) {
                err.printf(Locale.ROOT, "outpainting: canvas %dx%d%n", request.image().width(), request.image().height());
            }
        }
        try (InpaintEngine eng = extend != null ? new TilingEngine(openEngine(err)) : openEngine(err)) {
            ProgressPrinter progress = new ProgressPrinter(err, quiet, previewsDir, batch);
            List<InpaintResult> results = BatchRunner.run(eng, request, batch, progress, new CancelToken());
            for (int i = 0; i < results.size(); i++) {
                InpaintResult r = results.get(i);
                Path target = batch == 1 ? out : numbered(out, i + 1);
                String params = outpaint == null ? r.parameters() : r.parameters() + ", " + outpaint;
                PngMetadata.write(r.image(), Map.of("parameters", params), target);
                if (!quiet) {
                    err.printf(Locale.ROOT, "wrote %s (%dx%d, seed %d, %.1f s)%n", target, r.image().width(),
                            r.image().height(), r.request().seed(), r.elapsed().toMillis() / 1000.0);
                }
            }
        }
        return 0;
    }

    private InpaintEngine openEngine(PrintStream err) {
        switch (engine.toLowerCase(Locale.ROOT)) {
            case "fill":
                if (previewModel != null) {
                    throw new InpaintException("--preview-model is for the diffusion engine; the built-in fill has no latents to preview.");
                }
                return Engines.builtInFill();
            case "diffusion":
            case "sd":
                if (model == null) {
                    throw new InpaintException("--model is required for the diffusion engine: give a diffusers folder "
                            + "or a .safetensors checkpoint (see 'inpaint-studio download'), or use --engine fill.");
                }
                if (!quiet) {
                    err.println("loading " + model + " ...");
                }
                InpaintEngine eng = Engines.open(model, previewModel);
                if (embeddingDirs != null && !embeddingDirs.isEmpty() && eng instanceof DiffusionEngine d) {
                    EmbeddingLibrary lib = new EmbeddingLibrary(embeddingDirs);
                    d.setEmbeddings(lib::usable);
                }
                if (!quiet && eng instanceof DiffusionEngine d && d.previewDecoder() != null) {
                    err.println("previews: TAESD " + d.previewDecoder().path());
                }
                return eng;
            default:
                throw new InpaintException("Unknown engine '" + engine + "'; use 'diffusion' or 'fill'.");
        }
    }

    private InpaintRequest buildRequest(PrintStream err) {
        RgbImage photo = null;
        Mask m = null;
        if (image != null) {
            photo = ImageFiles.readImage(image);
            if (mask == null && extend == null) {
                throw new InpaintException("--mask is required with --image: a picture whose white part is repainted.");
            }
        }
        if (photo != null && !onlyMasked && width == 0 && (long) photo.width() * photo.height() > 4_000_000L && !quiet) {
            err.printf("note: the whole %dx%d photo is generated at about the model's size and scaled back up; "
                    + "--only-masked repaints just the masked area at full detail.%n", photo.width(), photo.height());
        }
        if (mask != null) {
            m = ImageFiles.readMask(mask);
            if (photo != null && (m.width() != photo.width() || m.height() != photo.height()) && !quiet) {
                err.printf("note: the mask is %dx%d but the photo is %dx%d; the mask was resized to fit.%n",
                        m.width(), m.height(), photo.width(), photo.height());
            }
        }
        if ((width > 0) != (height > 0)) {
            throw new InpaintException("Give both --width and --height, or neither.");
        }
        // checked before the model loads (seconds to minutes), with the same messages the pipeline gives
        if (width > 0) {
            InpaintRequest.checkSize(width, height);
        }
        if (scheduler != null && !com.inpaintstudio.scheduler.Schedulers.names()
                .contains(scheduler.trim().toLowerCase(Locale.ROOT))) {
            throw new InpaintException("Unknown scheduler \"" + scheduler + "\"; valid names: "
                    + String.join(", ", com.inpaintstudio.scheduler.Schedulers.names()));
        }
        float[] noise = null;
        if (initNoise != null) {
            InitNoiseFile.Noise n = InitNoiseFile.read(initNoise);
            if (width > 0) {
                n.checkSize(initNoise, width, height);
            } else {
                // the noise fixes the generation size, as diffusers' latents= does
                width = n.width();
                height = n.height();
            }
            noise = n.values();
        }
        PreviewMode mode;
        try {
            mode = PreviewMode.parse(preview);
        } catch (IllegalArgumentException e) {
            throw new InpaintException(e.getMessage());
        }
        if (previewsDir != null && mode == PreviewMode.NONE) {
            throw new InpaintException("--previews-dir needs previews: drop '--preview none'.");
        }
        PromptStyle style;
        try {
            style = PromptStyle.parse(promptStyle);
        } catch (IllegalArgumentException e) {
            throw new InpaintException("--prompt-style: " + e.getMessage());
        }
        MaskedContent content = switch (maskedContent.toLowerCase(Locale.ROOT)) {
            case "original" -> MaskedContent.ORIGINAL;
            case "fill" -> MaskedContent.FILL;
            default -> throw new InpaintException("--masked-content must be 'original' or 'fill' (got '" + maskedContent + "').");
        };
        boolean draft = switch (finalDecode.toLowerCase(Locale.ROOT)) {
            case "vae" -> false;
            case "taesd", "draft" -> true;
            default -> throw new InpaintException("--final-decode must be 'vae' or 'taesd' (got '" + finalDecode + "').");
        };
        return InpaintRequest.builder().draftDecode(draft).image(photo).mask(m).prompt(prompt).negativePrompt(negativePrompt)
                .steps(steps).guidance(guidance).strength(strength).scheduler(scheduler).seed(seed).initNoise(noise)
                .size(width, height).maskBlur(maskBlur).onlyMasked(onlyMasked).padding(padding)
                .pasteBack(!noPasteBack).preview(mode).maskedContent(content).promptStyle(style).loras(loraSpecs())
                .compute(computeFlags.options(quiet ? null : err)).build();
    }

    /**
     * Fills every option the user did not give from the parameters text of {@code --params-from}: what a PNG's
     * text says is taken, what the command line says wins. Notes on what could not be taken go to stderr.
     */
    private void applyParamsFrom(PrintStream err) {
        InfotextSettings s = InfotextParser.toSettings(ParamsFile.read(paramsFrom));
        picocli.CommandLine.ParseResult given = spec.commandLine().getParseResult();
        java.util.function.Predicate<String> free = name -> !given.hasMatchedOption(name);
        if (free.test("--prompt")) prompt = s.prompt();
        if (free.test("--negative-prompt")) negativePrompt = s.negativePrompt();
        if (free.test("--steps") && s.steps() != null) steps = s.steps();
        if (free.test("--guidance") && s.guidance() != null) guidance = s.guidance();
        if (free.test("--seed") && s.seed() != null) seed = s.seed();
        if (free.test("--scheduler") && s.scheduler() != null) scheduler = s.scheduler();
        if (free.test("--mask-blur") && s.maskBlur() != null) maskBlur = s.maskBlur();
        if (free.test("--only-masked") && s.onlyMasked() != null) onlyMasked = s.onlyMasked();
        if (free.test("--padding") && s.padding() != null) padding = s.padding();
        if (free.test("--prompt-style") && s.promptStyle() != null) promptStyle = s.promptStyle().label();
        if (free.test("--masked-content") && s.maskedContent() != null) {
            maskedContent = s.maskedContent() == MaskedContent.FILL ? "fill" : "original";
        }
        if (free.test("--precision") && s.precision() != null) {
            computeFlags.takePrecisionFrom(s.precision(), paramsFrom.getFileName().toString(), err);
        }
        if (image != null) {
            if (free.test("--strength") && s.strength() != null) strength = s.strength();
        } else if (free.test("--width") && free.test("--height") && initNoise == null && s.width() != null
                && s.height() != null) {
            width = s.width(); // text-to-image: the picture's size; with a photo the size comes from the photo
            height = s.height();
        }
        if (model == null && s.model() != null && engine.equalsIgnoreCase("diffusion")) {
            model = new ModelScanner().scan().stream()
                    .filter(e -> e.usable() && e.name().equals(s.model())).map(e -> e.path()).findFirst()
                    .orElseThrow(() -> new InpaintException(paramsFrom.getFileName() + " was made with the model '"
                            + s.model() + "', which is not in the models folders; give one with --model."));
            if (!quiet) {
                err.println("note: using the model " + s.model() + " named in " + paramsFrom.getFileName());
            }
        }
        s.notes().forEach(n -> err.println("note: " + n));
    }

    static Path numbered(Path out, int n) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : ".png";
        return out.resolveSibling(stem + "-" + n + ext);
    }

    /** One progress line per step on stderr; preview PNGs into the previews folder. */
    /** {@code --lora} values: FILE or NAME, optionally {@code :STRENGTH}. */
    private List<LoraSpec> loraSpecs() {
        if (loras == null || loras.isEmpty()) {
            return List.of();
        }
        if (!engine.equalsIgnoreCase("diffusion") && !engine.equalsIgnoreCase("sd")) {
            throw new InpaintException("--lora needs the diffusion engine (a LoRA changes a Stable Diffusion model).");
        }
        LoraLibrary library = LoraLibrary.forModel(model); // the models folder the model lives in, then the default ones
        List<LoraSpec> out = new ArrayList<>();
        for (String v : loras) {
            String file = v;
            double strength = 1.0;
            int colon = v.lastIndexOf(':');
            if (colon > 0) {
                try {
                    strength = Double.parseDouble(v.substring(colon + 1));
                    file = v.substring(0, colon);
                } catch (NumberFormatException e) {
                    // no strength suffix: the colon belongs to the name
                }
            }
            Path p = library.resolve(file);
            out.add(new LoraSpec(LoraLibrary.nameOf(p), p, strength));
        }
        return out;
    }

    private static final class ProgressPrinter implements StepListener {
        private final PrintStream err;
        private final boolean quiet;
        private final Path dir;
        private final int batch;
        private int image = 1;

        ProgressPrinter(PrintStream err, boolean quiet, Path dir, int batch) {
            this.err = err;
            this.quiet = quiet;
            this.dir = dir;
            this.batch = batch;
        }

        @Override
        public void onPhase(String phase) {
            if (!quiet) {
                err.println(phase.toLowerCase(Locale.ROOT) + " ...");
            }
        }

        @Override
        public void onNotice(String message) {
            err.println("warning: " + message);
        }

        @Override
        public void onStep(StepEvent e) {
            if (!quiet) {
                err.printf(Locale.ROOT, "step %d/%d  t=%.0f  %.2f it/s  ETA %ds%s%n", e.step(), e.totalSteps(),
                        e.timestep(), e.itPerSecond(), e.eta().toSeconds(), e.previewDecoded() ? "  (" + e.previewKind().label() + ")" : "");
            }
            if (dir != null && e.preview() != null) {
                String prefix = batch > 1 ? "image-" + image + "-" : "";
                ImageFiles.writePng(e.preview(), dir.resolve(String.format(Locale.ROOT, "%sstep-%03d.png", prefix, e.step())));
            }
            if (e.step() == e.totalSteps()) {
                image++;
            }
        }
    }
}
