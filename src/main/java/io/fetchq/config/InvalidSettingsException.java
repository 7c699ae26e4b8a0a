package io.fetchq.config;

/** A setting is out of range or malformed; the message names it and says what is allowed. */
public class InvalidSettingsException extends IllegalArgumentException {
    public InvalidSettingsException(String message) {
        super(message);
    }
}
