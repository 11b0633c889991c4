package com.inpaintstudio.app;

import com.inpaintstudio.pipeline.PreviewDecoder;

/** The engine's "you need a TAESD" messages name the CLI's download; in the editor they point at the Preview menu. */
final class TaesdHints {
    static final String MISSING = "Preview mode \"TAESD every step\" needs TAESD, a ~10 MB preview decoder: choose "
            + "Preview ▸ Download TAESD for live previews, or another preview mode.";
    static final String MISSING_FOR_DRAFT = "The draft decode needs TAESD, a ~10 MB preview decoder: choose "
            + "Preview ▸ Download TAESD for live previews, or turn Preview ▸ Draft decode off.";

    private TaesdHints() {
    }

    /** {@code message} as the editor says it. */
    static String forEditor(String message) {
        if (PreviewDecoder.MISSING.equals(message)) {
            return MISSING;
        }
        if (PreviewDecoder.MISSING_FOR_DRAFT.equals(message)) {
            return MISSING_FOR_DRAFT;
        }
        return message;
    }
}
