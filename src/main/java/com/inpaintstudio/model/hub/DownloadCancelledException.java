package com.inpaintstudio.model.hub;

/** The user cancelled; finished files stay, the current one stays as {@code .part} so a later download resumes it. */
public final class DownloadCancelledException extends DownloadException {
    public DownloadCancelledException() {
        super("Download cancelled. Start it again to resume where it stopped.");
    }
}
