package com.inpaintstudio.model.hub;

/** A download failed; the message says what happened and what to do (set HF_TOKEN, check the repo id, retry...). */
public class DownloadException extends RuntimeException {
    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
