package com.inpaintstudio.cli;

import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.OutputTarget;
import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.BatchRunner;
import com.inpaintstudio.pipeline.CancelToken;
import com.inpaintstudio.pipeline.Engines;
import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.pipeline.InpaintException;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.InpaintResult;
import com.inpaintstudio.pipeline.MaskedContent;
import com.inpaintstudio.pipeline.PreviewMode;
import com.inpaintstudio.pipeline.StepEvent;
import com.inpaintstudio.pipeline.StepListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    @Option(names = "--scheduler", paramLabel = "NAME", description = "pndm, ddim, euler, euler-a, dpmpp-2m, dpmpp-2m-karras, lms, unipc, ddpm. Default: the model's.")
    String scheduler;
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
    @Option(names = "--preview", paramLabel = "auto|vae|linear|none", defaultValue = "auto", description = "How step previews are made. Default: ${DEFAULT-VALUE}.")
    String preview;
    @Option(names = "--previews-dir", paramLabel = "DIR", description = "Write each step's preview as step-001.png, ...")
    Path previewsDir;
    @Option(names = "--batch", defaultValue = "1", description = "Number of variations (seeds N, N+1, ...); outputs name-1.png, name-2.png, ...")
    int batch;
    @Option(names = "--out", paramLabel = "FILE.png", required = true, description = "Where to write the PNG.")
    Path out;
    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

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
        InpaintRequest request = buildRequest(err);
        if (batch > 1 && initNoise != null) {
            throw new InpaintException("--batch varies the seed, but --init-noise fixes the noise: every picture would "
                    + "be the same. Drop one of them.");
        }
        try (InpaintEngine eng = openEngine(err)) {
            ProgressPrinter progress = new ProgressPrinter(err, quiet, previewsDir, batch);
            List<InpaintResult> results = BatchRunner.run(eng, request, batch, progress, new CancelToken());
            for (int i = 0; i < results.size(); i++) {
                InpaintResult r = results.get(i);
                Path target = batch == 1 ? out : numbered(out, i + 1);
                PngMetadata.write(r.image(), Map.of("parameters", r.parameters()), target);
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
                return Engines.open(model);
            default:
                throw new InpaintException("Unknown engine '" + engine + "'; use 'diffusion' or 'fill'.");
        }
    }

    private InpaintRequest buildRequest(PrintStream err) {
        RgbImage photo = null;
        Mask m = null;
        if (image != null) {
            photo = ImageFiles.readImage(image);
            if (mask == null) {
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
        if (width > 0 && (width % 8 != 0 || height % 8 != 0)) {
            throw new InpaintException("Width and height must both be multiples of 8 (got " + width + "x" + height
                    + "); try " + (width / 8 * 8) + "x" + (height / 8 * 8) + ".");
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
        MaskedContent content = switch (maskedContent.toLowerCase(Locale.ROOT)) {
            case "original" -> MaskedContent.ORIGINAL;
            case "fill" -> MaskedContent.FILL;
            default -> throw new InpaintException("--masked-content must be 'original' or 'fill' (got '" + maskedContent + "').");
        };
        return InpaintRequest.builder().image(photo).mask(m).prompt(prompt).negativePrompt(negativePrompt)
                .steps(steps).guidance(guidance).strength(strength).scheduler(scheduler).seed(seed).initNoise(noise)
                .size(width, height).maskBlur(maskBlur).onlyMasked(onlyMasked).padding(padding)
                .pasteBack(!noPasteBack).preview(mode).maskedContent(content).build();
    }

    static Path numbered(Path out, int n) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : ".png";
        return out.resolveSibling(stem + "-" + n + ext);
    }

    /** One progress line per step on stderr; preview PNGs into the previews folder. */
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
        public void onStep(StepEvent e) {
            if (!quiet) {
                err.printf(Locale.ROOT, "step %d/%d  t=%.0f  %.2f it/s  ETA %ds%s%n", e.step(), e.totalSteps(),
                        e.timestep(), e.itPerSecond(), e.eta().toSeconds(), e.previewDecoded() ? "  (VAE preview)" : "");
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
