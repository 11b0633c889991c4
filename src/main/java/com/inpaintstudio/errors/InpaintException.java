package com.inpaintstudio.errors;

/** Bad input or a broken model, with a message written for the user: what is wrong and what to do. */
public class InpaintException extends RuntimeException {
    public InpaintException(String message) {
        super(message);
    }

    public InpaintException(String message, Throwable cause) {
        super(message, cause);
    }
}
