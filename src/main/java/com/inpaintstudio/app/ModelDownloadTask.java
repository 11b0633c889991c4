package com.inpaintstudio.app;

import com.inpaintstudio.model.hub.Bytes;
import com.inpaintstudio.model.hub.DownloadProgress;
import com.inpaintstudio.model.hub.HubDownloader;
import javafx.concurrent.Task;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Downloads a Stable Diffusion repo from the hub on a worker thread; its value is the model folder. Progress goes to
 * {@link #progressProperty()} (fraction of bytes) and {@link #messageProperty()} ("1.2 GB of 2.1 GB · 24 MB/s · ETA
 * 0:40 · unet/…"). {@link #requestCancel()} stops between chunks and keeps the partial files so the next run resumes.
 */
public final class ModelDownloadTask extends Task<Path> {
    private final HubDownloader downloader;
    private final String repo;
    private final Path modelsDir;
    private final AtomicBoolean cancel = new AtomicBoolean();

    public ModelDownloadTask(HubDownloader downloader, String repo, Path modelsDir) {
        this.downloader = downloader;
        this.repo = repo.trim();
        this.modelsDir = modelsDir;
    }

    public String repo() {
        return repo;
    }

    public void requestCancel() {
        cancel.set(true);
        updateMessage("Cancelling…");
    }

    public boolean isCancelRequested() {
        return cancel.get();
    }

    @Override
    protected Path call() {
        updateMessage("Asking " + downloader.endpoint() + " for " + repo + "…");
        Path dir = downloader.download(repo, HubDownloader.DEFAULT_REVISION, modelsDir, p -> {
            updateProgress(p.done(), Math.max(1, p.total()));
            updateMessage(describe(p));
        }, cancel::get);
        updateProgress(1, 1);
        updateMessage("Downloaded " + repo + " into " + dir);
        return dir;
    }

    /** "1.2 GB of 2.1 GB · 24.0 MB/s · ETA 0:40 · file 3/9 unet/diffusion_pytorch_model.fp16.safetensors". */
    public static String describe(DownloadProgress p) {
        String speed = p.bytesPerSecond() <= 0 ? "starting" : Bytes.format((long) p.bytesPerSecond()) + "/s";
        String eta = "ETA " + Bytes.duration(p.etaSeconds());
        return String.format(Locale.ROOT, "%s of %s · %s · %s · file %d/%d %s", Bytes.format(p.done()),
                Bytes.format(p.total()), speed, eta, p.fileIndex(), p.fileCount(), p.file());
    }
}
