package com.inpaintstudio.model.hub;

/** Receives download progress, from the downloading thread, a few times a second at most. */
@FunctionalInterface
public interface DownloadListener {
    void onProgress(DownloadProgress progress);

    DownloadListener NONE = p -> { };
}
