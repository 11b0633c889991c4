package com.inpaintstudio.errors;

/** The native engine could not start; the message says why and what to do. */
public class EngineUnavailableException extends RuntimeException {
    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
