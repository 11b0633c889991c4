package com.inpaintstudio.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.model.RandomWeights;
import com.inpaintstudio.nn.AutoencoderKL;
import com.inpaintstudio.nn.AutoencoderTiny;
import com.inpaintstudio.nn.ClipTextModel;
import com.inpaintstudio.nn.UNet2DConditionModel;
import com.inpaintstudio.tensor.DjlRuntime;
import com.inpaintstudio.nn.layers.Attention;
import com.inpaintstudio.nn.layers.AttentionCore;
import com.inpaintstudio.nn.layers.Winograd;
import com.inpaintstudio.tensor.NativeHeap;
import com.inpaintstudio.tensor.TorchOps;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code inpaint-studio bench}: speed and memory of the full-size networks, without a download. Builds the SD-1.5
 * inpainting architecture from the bundled config.json files with random weights and prints the median time of
 * each figure over N runs (after one untimed warm-up run) and the peak RSS.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the full-size SD-1.5 inpainting networks (random weights, no download): a guided UNet step "
                + "(batch 2) at 512 and 256 px, VAE decode and encode at 512 px, a TAESD preview decode at 512 px and its "
                + "share of the guided step, the text encoder (batch 2); end to end "
                + "(e2e): the whole pipeline at 25 steps, guidance 7.5 vs the fast preset (6 steps, guidance 1, LCM, "
                + "a rank-64 LoRA merged) and the unguided/guided step ratio; peak RSS.")
public final class BenchCommand implements Callable<Integer> {
    static final List<String> FIGURES = List.of("unet512", "unet256", "vae-decode", "vae-encode", "taesd-decode", "text",
            "attention", "e2e");
    private static final String BUNDLED = "/com/inpaintstudio/configs/sd15-inpaint/";
    /** madebyollin/taesd's config.json: the TAESD preview decoder at full size. */
    private static final String BUNDLED_TAESD = "/com/inpaintstudio/configs/taesd/config.json";

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Timed runs per figure (default 3)")
    int runs;

    @Option(names = "--only", split = ",", paramLabel = "FIGURE",
            description = "Figures to measure, comma separated: unet512, unet256, vae-decode, vae-encode, taesd-decode, text, "
                    + "attention (one UNet self-attention at the large size's latents, 8 heads x 40, fused and chunked "
                    + "alternating), e2e (default all; "
                    + "e2e takes minutes at 512 px: 'bench --only e2e --runs 1' gives just the end-to-end figures); "
                    + "with --size, unet512 and unet256 stand for the large and the half size")
    List<String> only;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "512",
            description = "Image size of the large figures in pixels (default 512); the small UNet figure uses half")
    int size;

    @Option(names = "--configs", paramLabel = "DIR",
            description = "A model folder whose unet/, vae/, text_encoder/ config.json to use instead of the bundled SD-1.5 inpainting ones")
    Path configs;

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads (default: DJL's choice)")
    Integer threads;

    @Option(names = "--malloc", paramLabel = "MODE", defaultValue = "tuned",
            description = "tuned (default: the app already runs under GLIBC_TUNABLES that make glibc reuse freed memory, "
                    + "see AllocatorRelauncher; mallopt in process otherwise) or default (glibc as the process has it; "
                    + "with INPAINT_STUDIO_NO_RELAUNCH=1 that is glibc's defaults)")
    String malloc;

    @Option(names = "--weights", paramLabel = "TYPE", defaultValue = "fp16",
            description = "fp16 (default: parameters kept in float16 as the downloaded fp16 model serves them, "
                    + "upcast per layer; compute is float32) or fp32")
    String weightType;

    @Option(names = "--attention", paramLabel = "MODE", defaultValue = "fused",
            description = "fused (default: libtorch's scaled_dot_product_attention) or chunked (the exact bmm + softmax path)")
    String attention;

    @Option(names = "--winograd", paramLabel = "ON", defaultValue = "on",
            description = "on (default: NNPACK Winograd for 3x3 convolutions from 128x128 px up, i.e. the VAE at 512 px) or off")
    String winograd;

    @CommandLine.Mixin
    ComputeFlags computeFlags = new ComputeFlags();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Set<String> figures = selectedFigures();
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        if (size < 16 || size % 16 != 0) {
            throw new IllegalArgumentException("--size must be a positive multiple of 16 (so half of it is a multiple of 8), got " + size);
        }
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
        }
        if (!List.of("tuned", "default").contains(malloc)) {
            throw new IllegalArgumentException("--malloc must be 'tuned' or 'default', got '" + malloc + "'");
        }
        if (!List.of("fp16", "fp32").contains(weightType)) {
            throw new IllegalArgumentException("--weights must be 'fp16' or 'fp32', got '" + weightType + "'");
        }
        for (String[] o : new String[][] {{"--attention", attention, "fused", "chunked"}, {"--winograd", winograd, "on", "off"}}) {
            if (!o[1].equals(o[2]) && !o[1].equals(o[3])) {
                throw new IllegalArgumentException(o[0] + " must be '" + o[2] + "' or '" + o[3] + "', got '" + o[1] + "'");
            }
        }
        boolean fp16 = weightType.equals("fp16");
        com.inpaintstudio.tensor.ComputeOptions compute = computeFlags.options(null);
        com.inpaintstudio.tensor.Precision requested = compute.precision();
        String allocator = malloc.equals("default") ? NativeHeap.describeEnvironment() : NativeHeap.tune();
        DjlRuntime.engine();
        // this thread's options for every figure (the e2e engine opens the same ones from its requests)
        try (com.inpaintstudio.tensor.ComputeScope scope = com.inpaintstudio.tensor.ComputeScope.open(compute)) {
            return measureAll(out, figures, fp16, allocator, requested);
        }
    }

    private Integer measureAll(PrintWriter out, Set<String> figures, boolean fp16, String allocator,
                               com.inpaintstudio.tensor.Precision requested) throws IOException {
        AttentionCore.setFused(attention.equals("fused"));
        if (winograd.equals("off")) {
            Winograd.setMinPixels(0);
        }
        out.printf("Inpaint Studio bench: %s, random weights, %s, CPU%n",
                configs == null ? "SD-1.5 inpainting architecture (bundled configs)" : configs,
                (fp16 ? "fp16 weights (as the downloaded fp16 model), " : "fp32 weights, ")
                        + (com.inpaintstudio.tensor.ComputeScope.bf16() ? "bfloat16 UNet/VAE compute" : "float32 compute"));
        out.printf("threads: %s intra-op; allocator: %s; %d timed run(s) per figure after 1 warm-up%n",
                System.getProperty("ai.djl.pytorch.num_threads", "default"), allocator, runs);
        out.printf("fused libtorch ops: %s; attention: %s; Winograd 3x3 convs: %s%n",
                com.inpaintstudio.tensor.ComputeScope.fusedOps() ? "on"
                        : "off" + (TorchOps.failure() != null ? " (" + TorchOps.failure() + ")" : ""),
                AttentionCore.fused() ? "fused" : "chunked",
                Winograd.minPixels() > 0 && com.inpaintstudio.tensor.ComputeScope.fusedOps() && Winograd.runsHere()
                        ? Winograd.describeThreshold(com.inpaintstudio.tensor.ComputeScope.bf16()) + ", "
                                + Winograd.describe() : "off");
        if (com.inpaintstudio.tensor.ComputeScope.bf16()) {
            out.printf("bf16 attention kernel: %s%n", com.inpaintstudio.tensor.Bf16AttentionKernel.describe());
        }
        out.printf("MKL (libtorch's sgemm, e.g. inside the fused attention): %s%n",
                com.inpaintstudio.tensor.MklAnyCpu.describe());
        out.printf("precision: %s (asked %s; %s)%n", com.inpaintstudio.tensor.ComputeScope.current().precision(),
                requested, com.inpaintstudio.tensor.CpuFeatures.host().describeBf16());
        out.flush();

        int half = size / 2;
        double unetLarge = Double.NaN;
        if (figures.contains("unet512") || figures.contains("unet256")) {
            try (NDManager weights = DjlRuntime.newManager()) {
                long t0 = System.nanoTime();
                UNet2DConditionModel unet = UNet2DConditionModel.build(config("unet"), new RandomWeights(weights, fp16));
                report(out, "UNet built", "", List.of(ms(t0)));
                if (figures.contains("unet512")) {
                    unetLarge = unetFigure(out, unet, size);
                }
                if (figures.contains("unet256")) {
                    unetFigure(out, unet, half);
                }
            }
        }
        if (figures.contains("vae-decode") || figures.contains("vae-encode")) {
            try (NDManager weights = DjlRuntime.newManager()) {
                long t0 = System.nanoTime();
                AutoencoderKL vae = AutoencoderKL.build(config("vae"), new RandomWeights(weights, fp16));
                report(out, "VAE built", "", List.of(ms(t0)));
                int f = vae.downscaleFactor();
                if (figures.contains("vae-decode")) {
                    measure(out, "vae-decode", String.format("VAE decode, %dx%d px", size, size), m -> {
                        NDArray z = m.randomNormal(new Shape(1, vae.latentChannels(), size / f, size / f));
                        return () -> vae.decode(z);
                    });
                }
                if (figures.contains("vae-encode")) {
                    measure(out, "vae-encode", String.format("VAE encode, %dx%d px", size, size), m -> {
                        NDArray img = m.randomUniform(-1f, 1f, new Shape(1, 3, size, size));
                        return () -> vae.encodeMean(img);
                    });
                }
            }
        }
        if (figures.contains("taesd-decode")) {
            taesdFigure(out, fp16, unetLarge);
        }
        if (figures.contains("text")) {
            try (NDManager weights = DjlRuntime.newManager()) {
                long t0 = System.nanoTime();
                ClipTextModel text = ClipTextModel.build(config("text_encoder"), new RandomWeights(weights, fp16));
                report(out, "text encoder built", "", List.of(ms(t0)));
                measure(out, "text", "text encoder, batch 2 x " + text.maxPositions() + " tokens", m -> {
                    long[] ids = new long[2 * text.maxPositions()];
                    Arrays.fill(ids, 49407L);
                    ids[0] = 49406L;
                    ids[text.maxPositions()] = 49406L;
                    NDArray in = m.create(ids, new Shape(2, text.maxPositions()));
                    return () -> text.encode(in);
                });
            }
        }
        if (figures.contains("e2e")) {
            Path tokenizer = configs != null && Files.isDirectory(configs.resolve("tokenizer"))
                    ? configs.resolve("tokenizer") : com.inpaintstudio.model.BundledTokenizer.dir();
            new PipelineBench(out, c -> {
                try {
                    return config(c);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, tokenizer, fp16, size, runs, com.inpaintstudio.tensor.ComputeScope.current()).run();
        }
        if (figures.contains("attention")) {
            attentionFigure(out, size / 8);
        }
        out.printf(Locale.ROOT, "peak RSS (VmHWM): %.2f GiB%n", vmHwmKiB() / (1024.0 * 1024.0));
        out.flush();
        return 0;
    }

    /** TAESD (full madebyollin/taesd config, random weights) decoding a whole {@code size} latent; its share of a step. */
    private void taesdFigure(PrintWriter out, boolean fp16, double unetLarge) throws IOException {
        try (NDManager weights = DjlRuntime.newManager()) {
            long t0 = System.nanoTime();
            AutoencoderTiny taesd = AutoencoderTiny.build(bundled(BUNDLED_TAESD), new RandomWeights(weights, fp16), true);
            report(out, "TAESD built", "(decoder only)", List.of(ms(t0)));
            int f = taesd.downscaleFactor();
            double median = measure(out, "taesd-decode", String.format("TAESD preview decode, %dx%d px", size, size),
                    m -> {
                        NDArray z = m.randomNormal(new Shape(1, taesd.latentChannels(), size / f, size / f));
                        return () -> taesd.decode(z);
                    });
            if (!Double.isNaN(unetLarge)) {
                out.printf(Locale.ROOT, "taesd-share       %.1f %% of a guided %d px UNet step (target <= 3 %%)%n",
                        100 * median / unetLarge, size);
                out.flush();
            }
            if (com.inpaintstudio.nn.taesd.OneDnnPath.enabled() && TorchOps.onednnAvailable()) {
                taesdPaths(out, taesd);
            }
        }
    }

    /** The oneDNN channels-last decoder against the plain one, alternating in this run (other load hits both). */
    private void taesdPaths(PrintWriter out, AutoencoderTiny taesd) {
        List<Double> plain = new ArrayList<>();
        List<Double> fused = new ArrayList<>();
        int f = taesd.downscaleFactor();
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(0);
            NDArray z = m.randomNormal(new Shape(1, taesd.latentChannels(), size / f, size / f));
            try {
                for (int i = 0; i < runs; i++) {
                    for (boolean on : new boolean[] {false, true}) {
                        com.inpaintstudio.nn.taesd.OneDnnPath.setEnabled(on);
                        long t = System.nanoTime();
                        taesd.decode(z).close();
                        (on ? fused : plain).add(ms(t));
                    }
                }
            } finally {
                com.inpaintstudio.nn.taesd.OneDnnPath.setEnabled(true);
            }
        }
        report(out, "taesd-plain", "TAESD decode, DJL convs (Winograd from 128 px) + separate ReLU/add, alternating", plain);
        report(out, "taesd-fused", "TAESD decode, oneDNN channels-last, ReLU and skip add fused (default), alternating", fused);
    }

    private double unetFigure(PrintWriter out, UNet2DConditionModel unet, int px) {
        String name = "unet" + px;
        int lat = px / 8;
        return measure(out, name, String.format("guided UNet step, batch 2, %dx%d px (%dx%dx%d latents, 77x%d text)", px, px,
                unet.inChannels(), lat, lat, unet.crossAttentionDim()), m -> {
            NDArray sample = m.randomNormal(new Shape(2, unet.inChannels(), lat, lat));
            NDArray text = m.randomNormal(new Shape(2, 77, unet.crossAttentionDim()));
            return () -> unet.forward(sample, 500, text);
        });
    }

    /**
     * One self-attention of the first UNet level (8 heads x 40), fused and chunked alternating in this run, in the
     * run's precision.
     */
    private void attentionFigure(PrintWriter out, int lat) {
        if (!com.inpaintstudio.tensor.ComputeScope.fusedOps()) {
            out.println("attention          skipped: fused libtorch ops off or unavailable ("
                    + (TorchOps.failure() != null ? TorchOps.failure() : "--fused-ops off") + ")");
            return;
        }
        boolean was = AttentionCore.fused();
        try (NDManager weights = DjlRuntime.newManager(); NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(0);
            Attention attn = Attention.load(new RandomWeights(weights), "attn1", 320, 320, 8, 40, false);
            NDArray x = m.randomNormal(new Shape(2, (long) lat * lat, 320));
            boolean bf16 = com.inpaintstudio.tensor.ComputeScope.bf16();
            if (bf16) {
                // as inside a bf16 UNet: the layer meets bf16 activations, so its projections and products run in bf16
                x = TorchOps.toBf16(x);
            }
            List<Double> fused = new ArrayList<>();
            List<Double> chunked = new ArrayList<>();
            for (int i = 0; i <= runs; i++) {
                for (boolean f : new boolean[] {true, false}) {
                    AttentionCore.setFused(f);
                    long t = System.nanoTime();
                    attn.forward(x, null).close();
                    if (i > 0) {
                        (f ? fused : chunked).add(ms(t));
                    }
                }
            }
            String label = String.format("self-attention, batch 2 x %d tokens x 8 heads x 40, %s", lat * lat,
                    bf16 ? "bf16" : "fp32");
            report(out, "attention fused", label, fused);
            report(out, "attention chunked", label, chunked);
        } finally {
            AttentionCore.setFused(was);
        }
    }

    /** Makes the inputs once, then runs warm-up + N timed calls, each result closed before the next call. */
    private double measure(PrintWriter out, String figure, String label,
                           java.util.function.Function<NDManager, Supplier<NDArray>> setup) {
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.seed(0);
            Supplier<NDArray> call = setup.apply(m);
            long t0 = System.nanoTime();
            call.get().close();
            double warm = ms(t0);
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                call.get().close();
                times.add(ms(t));
            }
            return report(out, figure, label + String.format(Locale.ROOT, " (warm-up %.0f ms)", warm), times);
        }
    }

    static double report(PrintWriter out, String figure, String label, List<Double> times) {
        List<Double> sorted = new ArrayList<>(times);
        sorted.sort(null);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        StringBuilder all = new StringBuilder();
        for (double t : times) {
            all.append(all.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", t));
        }
        out.printf(Locale.ROOT, "%-18s median %9.0f ms  [%s]  %s  RSS %.2f GiB%n", figure, median, all, label,
                vmRssKiB() / (1024.0 * 1024.0));
        out.flush();
        return median;
    }

    private Set<String> selectedFigures() {
        if (only == null || only.isEmpty()) {
            return new LinkedHashSet<>(FIGURES);
        }
        Set<String> s = new LinkedHashSet<>();
        for (String f : only) {
            String k = f.trim().toLowerCase(Locale.ROOT);
            if (!FIGURES.contains(k)) {
                throw new IllegalArgumentException("unknown figure '" + f + "'; choose from " + String.join(", ", FIGURES));
            }
            s.add(k);
        }
        return s;
    }

    private static JsonObject bundled(String resource) throws IOException {
        try (InputStream in = BenchCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled config " + resource + " missing from the jar");
            }
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private JsonObject config(String component) throws IOException {
        String text;
        if (configs != null) {
            Path p = configs.resolve(component).resolve(component.equals("scheduler") ? "scheduler_config.json" : "config.json");
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(p + " does not exist; --configs must be a diffusers model folder "
                        + "with unet/, vae/ and text_encoder/ config.json files");
            }
            text = Files.readString(p);
        } else {
            String file = component.equals("scheduler") ? "/scheduler_config.json" : "/config.json";
            try (InputStream in = BenchCommand.class.getResourceAsStream(BUNDLED + component + file)) {
                if (in == null) {
                    throw new IllegalStateException("bundled config " + component + " missing from the jar");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return JsonParser.parseString(text).getAsJsonObject();
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    static long vmHwmKiB() {
        return statusKiB("VmHWM:");
    }

    static long vmRssKiB() {
        return statusKiB("VmRSS:");
    }

    private static long statusKiB(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux
        }
        return 0;
    }
}
