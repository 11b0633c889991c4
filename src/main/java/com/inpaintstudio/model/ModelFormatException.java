package com.inpaintstudio.model;

/** A model file or folder is broken or incomplete. The message names the file and says what to do. */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
