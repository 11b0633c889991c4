package com.inpaintstudio.cli;

import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.model.hub.Bytes;
import com.inpaintstudio.model.hub.DownloadException;
import com.inpaintstudio.model.hub.DownloadProgress;
import com.inpaintstudio.model.hub.HubDownloader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code inpaint-studio download [REPO_ID]}: fetches a diffusers model from the Hugging Face hub into the models folder. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a Stable Diffusion model (or a TAESD preview decoder, e.g. madebyollin/taesd) from the",
                "Hugging Face hub into the models folder.",
                "Fetches only what inpainting needs (configs, tokenizer, fp16 safetensors weights when offered),",
                "resumes interrupted downloads and verifies every file's SHA-256.",
                "Honours HF_ENDPOINT (mirror) and HF_TOKEN (gated or private models)."})
public final class DownloadCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "REPO_ID", defaultValue = HubDownloader.DEFAULT_REPO,
            description = "Hub repository (owner/name). Default: ${DEFAULT-VALUE}")
    String repo;

    @Option(names = "--revision", defaultValue = HubDownloader.DEFAULT_REVISION,
            description = "Branch, tag or commit. Default: ${DEFAULT-VALUE}")
    String revision;

    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "Folder to download into (default: models/ beside the app if present, else ~/.local/share/inpaint-studio/models; env INPAINT_STUDIO_MODELS)")
    Path modelsDir;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Hub address (default: $HF_ENDPOINT, else https://huggingface.co)")
    String endpoint;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = modelsDir != null ? modelsDir : new ModelScanner().downloadDir();
        HubDownloader downloader;
        try {
            downloader = endpoint == null ? HubDownloader.fromEnvironment()
                    : new HubDownloader(endpoint, HubDownloader.fromEnvironment().token());
        } catch (DownloadException e) {
            err.println("error: " + e.getMessage());
            return 4;
        }
        err.println("Downloading " + repo + " (" + revision + ") from " + downloader.endpoint() + " into "
                + HubDownloader.targetDir(repo, dir));
        ProgressBar bar = new ProgressBar(err);
        try {
            Path target = downloader.download(repo, revision, dir, bar::show);
            bar.finish();
            out.println("Done: " + target);
            if (java.nio.file.Files.isRegularFile(target.resolve("model_index.json"))) {
                out.println("It now appears in the editor's model list; on the command line pass it as the model path.");
            } else {
                out.println("A TAESD preview decoder: live previews of matching models now decode through it (preview "
                        + "modes auto and taesd; `inpaint-studio models` lists it).");
            }
            return 0;
        } catch (DownloadException e) {
            bar.finish();
            err.println("error: " + e.getMessage());
            return 4;
        }
    }

    /** One line redrawn with a carriage return: {@code [3/12] unet/... [#####.....] 1.2 GB / 3.4 GB  25 MB/s  ETA 1:30}. */
    static final class ProgressBar {
        private static final int WIDTH = 24;
        private final PrintWriter err;
        private int lastLength;

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        void show(DownloadProgress p) {
            String line = render(p);
            StringBuilder sb = new StringBuilder("\r").append(line);
            for (int i = line.length(); i < lastLength; i++) {
                sb.append(' ');
            }
            lastLength = line.length();
            err.print(sb);
            err.flush();
        }

        void finish() {
            if (lastLength > 0) {
                err.println();
                lastLength = 0;
            }
        }

        static String render(DownloadProgress p) {
            int filled = (int) Math.round(p.fraction() * WIDTH);
            String file = p.file().length() > 48 ? "..." + p.file().substring(p.file().length() - 45) : p.file();
            return String.format(Locale.ROOT, "[%d/%d] %-46s [%s%s] %3.0f%% %s / %s  %s/s  ETA %s", p.fileIndex(),
                    p.fileCount(), file, "#".repeat(filled), ".".repeat(WIDTH - filled), p.fraction() * 100,
                    Bytes.format(p.done()), Bytes.format(p.total()), Bytes.format((long) p.bytesPerSecond()),
                    Bytes.duration(p.etaSeconds()));
        }
    }
}
