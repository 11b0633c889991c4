package com.inpaintstudio.app;

import com.inpaintstudio.model.hub.DownloadCancelledException;
import com.inpaintstudio.model.hub.HubDownloader;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The bar above the canvas shown while no Stable Diffusion model is available: says so, offers to choose a model
 * folder/file or to download one from the hub (repo id editable), with a progress bar (bytes, speed, ETA), cancel,
 * and the downloader's error messages in place. The built-in fill keeps working meanwhile.
 */
public final class ModelBanner extends VBox {
    final Label message = new Label("No Stable Diffusion model found. The built-in fill works now; "
            + "for AI inpainting choose a model you have, or download one (about 2 GB).");
    final Button choose = new Button("Choose a model folder or file…");
    final Button download = new Button("Download…");
    final TextField repo = new TextField(HubDownloader.DEFAULT_REPO);
    final Button start = new Button("Start download");
    final ProgressBar progress = new ProgressBar(0);
    final Label progressText = new Label();
    final Label error = new Label();
    private final HBox downloadRow;
    private final Supplier<HubDownloader> downloader;
    private final Supplier<Path> modelsDir;
    private final Consumer<Path> onDownloaded;
    private final ExecutorService workers;
    private ModelDownloadTask running;

    /**
     * @param onChoose     opens the folder/file choosers (anchored at the button)
     * @param downloader   the hub client to use (from the environment: HF_ENDPOINT, HF_TOKEN)
     * @param modelsDir    where a download goes
     * @param onDownloaded FX thread: the downloaded model folder
     */
    public ModelBanner(Consumer<Button> onChoose, Supplier<HubDownloader> downloader, Supplier<Path> modelsDir,
                       Consumer<Path> onDownloaded, ExecutorService workers) {
        this.downloader = downloader;
        this.modelsDir = modelsDir;
        this.onDownloaded = onDownloaded;
        this.workers = workers;
        getStyleClass().add("model-banner");
        setSpacing(6);
        message.setWrapText(true);
        message.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(message, Priority.ALWAYS);
        for (Button b : java.util.List.of(choose, download, start)) {
            b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // the labels must never be cut to "D…"
        }
        message.setMinWidth(200);
        choose.setOnAction(e -> onChoose.accept(choose));
        download.setOnAction(e -> showDownloadRow());
        HBox top = new HBox(8, message, choose, download);
        top.setAlignment(Pos.CENTER_LEFT);

        repo.setPrefColumnCount(28);
        LazyTooltip.set(repo, "Hugging Face repo id (owner/name) of a Stable Diffusion inpainting model");
        start.setOnAction(e -> startOrCancel());
        start.setDefaultButton(false);
        progress.setPrefWidth(220);
        progressText.getStyleClass().add("download-progress");
        HBox.setHgrow(progressText, Priority.ALWAYS);
        downloadRow = new HBox(8, new Label("Repo"), repo, start, progress, progressText);
        downloadRow.setAlignment(Pos.CENTER_LEFT);
        show(downloadRow, false);
        show(progress, false);
        error.getStyleClass().add("banner-error");
        error.setWrapText(true);
        error.setMaxWidth(Double.MAX_VALUE);
        show(error, false);
        getChildren().addAll(top, downloadRow, error);
    }

    private static void show(javafx.scene.Node n, boolean visible) {
        n.setVisible(visible);
        n.setManaged(visible);
    }

    private void showDownloadRow() {
        show(downloadRow, true);
        repo.requestFocus();
    }

    private void startOrCancel() {
        if (running != null) {
            running.requestCancel();
        } else {
            startDownload(repo.getText());
        }
    }

    /** Starts downloading {@code repoId} (FX thread); returns the task, or null if one is already running. */
    public ModelDownloadTask startDownload(String repoId) {
        if (running != null) {
            return null;
        }
        showDownloadRow();
        repo.setText(repoId.trim());
        show(error, false);
        ModelDownloadTask t = new ModelDownloadTask(downloader.get(), repoId, modelsDir.get());
        running = t;
        repo.setDisable(true);
        start.setText("Cancel");
        show(progress, true);
        progress.progressProperty().bind(t.progressProperty());
        progressText.textProperty().bind(t.messageProperty());
        t.setOnSucceeded(e -> {
            done();
            progressText.setText("Downloaded " + t.repo() + ".");
            onDownloaded.accept(t.getValue());
        });
        t.setOnFailed(e -> {
            done();
            if (t.getException() instanceof DownloadCancelledException) {
                progressText.setText("Download cancelled. Start it again to resume where it stopped.");
            } else {
                progressText.setText("");
                error.setText("⚠  " + UserMessages.describe(t.getException(), "The download failed"));
                show(error, true);
            }
        });
        workers.submit(t);
        return t;
    }

    private void done() {
        running = null;
        repo.setDisable(false);
        start.setText("Start download");
        progress.progressProperty().unbind();
        progressText.textProperty().unbind();
        show(progress, false);
    }

    public boolean isDownloading() {
        return running != null;
    }
}
