package com.inpaintstudio.errors;

/** Bad input or a broken model, with a message written for the user: what is wrong and what to do. */
public class InpaintException extends RuntimeException {
    public InpaintException(String message) {
        super(message);
    }

    public InpaintException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The one out-of-memory message: "Out of memory while {@code doing}." (or just "Out of memory." when
     * {@code doing} is null) and what the user can do about it.
     */
    public static InpaintException outOfMemory(String doing, Throwable cause) {
        return new InpaintException("Out of memory" + (doing == null ? "" : " while " + doing) + ". Try 'Only masked' (--only-masked), a smaller "
                + "picture or fewer batch images, close other programs, or start Inpaint Studio with more memory (-Xmx).",
                cause);
    }
}
