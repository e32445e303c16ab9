package dev.cairn.store.spi;

import java.io.IOException;

/**
 * A backend's own failure. {@link Reason#MISSING}: what was named is not there;
 * {@link Reason#REJECTED}: the content does not fit what was asked (a chunk of the wrong length);
 * {@link Reason#UNAVAILABLE}: the backend could not do it now (a full disk, a network error, a 5xx
 * from S3), which a later try may not meet.
 */
public class StorageException extends IOException {

    public enum Reason {
        MISSING,
        REJECTED,
        UNAVAILABLE
    }

    private final Reason reason;

    public StorageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public StorageException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }

    /** True when the same call may succeed later. */
    public boolean retryable() {
        return reason == Reason.UNAVAILABLE;
    }
}
