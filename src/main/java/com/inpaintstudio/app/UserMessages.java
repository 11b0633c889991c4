package com.inpaintstudio.app;

import com.inpaintstudio.errors.InpaintException;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The line a user reads for a failure: our own messages as written, anything else summarised, no stack trace. */
final class UserMessages {
    private UserMessages() {
    }

    static String describe(Throwable t, String what) {
        Throwable c = t;
        while (c instanceof CompletionException || c instanceof ExecutionException) {
            c = c.getCause();
        }
        if (c instanceof InpaintException || c instanceof IOException
                || c instanceof com.inpaintstudio.model.hub.DownloadException) {
            return TaesdHints.forEditor(c.getMessage());
        }
        if (c instanceof OutOfMemoryError) {
            return what + ": " + InpaintException.outOfMemory(null, c).getMessage();
        }
        return what + ": " + (c == null ? "unknown error" : c.getClass().getSimpleName()
                + (c.getMessage() == null ? "" : " — " + c.getMessage()));
    }
}
