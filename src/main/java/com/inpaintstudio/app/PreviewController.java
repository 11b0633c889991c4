package com.inpaintstudio.app;

import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.model.PreviewDecoderEntry;
import com.inpaintstudio.model.hub.HubDownloader;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Preview menu: says which live-preview decoder the editor has; when there is no TAESD (the tiny decoder that
 * makes a real decoded preview of every step cheap) it offers to download madebyollin/taesd ({@link TaesdDownload},
 * cancellable while it runs; the item is gone once a TAESD is there); and it holds the optional
 * {@linkplain DraftDecode draft decode}, usable only with a TAESD.
 */
final class PreviewController {
    static final String REPO = TaesdDownload.REPO;
    static final String DOWNLOAD = "Download TAESD for live previews (~10 MB)…";
    static final String CANCEL = "Cancel the TAESD download";

    final Menu menu = new Menu("Preview");
    final MenuItem state = new MenuItem();
    final MenuItem download = new MenuItem(DOWNLOAD);
    final CheckMenuItem draft = new CheckMenuItem(DraftDecode.MENU_TEXT);
    private final EditorContext ctx;
    private Supplier<HubDownloader> hub = HubDownloader::fromEnvironment;
    private Supplier<Path> downloadDir = Services::downloadDir;
    private Supplier<List<Path>> roots = () -> new ModelScanner().defaultRoots();
    private TaesdDownload running;

    PreviewController(EditorContext ctx) {
        this.ctx = ctx;
        state.setDisable(true);
        download.setOnAction(e -> downloadOrCancel());
        menu.getItems().addAll(state, download, new SeparatorMenuItem(), draft);
        menu.setOnShowing(e -> refresh());
        refresh();
    }

    /**
     * Where the download fetches from and saves to (tests use a local hub and a temporary folder, which is then the
     * only folder searched for a TAESD).
     */
    void setDownloadTarget(Supplier<HubDownloader> hub, Supplier<Path> dir) {
        this.hub = hub;
        this.downloadDir = dir;
        this.roots = List::of;
        refresh();
    }

    /** The usable TAESD for SD-1/2 latents in the models folders (and the download folder), or null. */
    PreviewDecoderEntry installed() {
        List<Path> folders = new ArrayList<>(roots.get());
        folders.add(downloadDir.get());
        return new ModelScanner().scanPreviewDecoders(folders).stream()
                .filter(d -> d.usable() && d.space() == PreviewDecoderEntry.LatentSpace.SD).findFirst().orElse(null);
    }

    /** Brings the items up to date with the folders and the download (cheap: reads config files only). */
    void refresh() {
        PreviewDecoderEntry found = installed();
        if (running != null) {
            state.setText("Downloading TAESD… (" + running.message() + ")");
        } else if (found != null) {
            state.setText("Live previews: TAESD (" + found.name() + ") decodes every step");
        } else {
            state.setText("No TAESD: Auto previews decode with the VAE now and then, a fast colour map between");
        }
        download.setText(running != null ? CANCEL : DOWNLOAD);
        download.setVisible(found == null || running != null);
        draft.setDisable(found == null);
        if (found == null) {
            draft.setSelected(false);
        }
        draft.setText(found == null ? DraftDecode.MENU_TEXT + " — needs TAESD" : DraftDecode.MENU_TEXT);
    }

    /** True when the next generation should decode its final picture through TAESD (a draft). */
    boolean draftDecode() {
        return draft.isSelected() && !draft.isDisable();
    }

    private void downloadOrCancel() {
        if (running != null) {
            cancelDownload();
        } else {
            download();
        }
    }

    /** Starts the download of madebyollin/taesd (or returns the running one); the status bar shows its progress. */
    ModelDownloadTask download() {
        if (running == null) {
            running = TaesdDownload.start(ctx, hub.get(), downloadDir.get(), d -> {
                running = null;
                refresh();
            });
            refresh();
        }
        return running.task();
    }

    /** Asks the running download to stop; its partial files stay, so the next download resumes. */
    void cancelDownload() {
        if (running != null) {
            running.cancel();
        }
    }
}
