package dev.cairn.platform;

import jakarta.ejb.ApplicationException;
import java.util.List;

/**
 * The root of Cairn's errors. Each subclass knows its HTTP status and problem title; the message is
 * the problem's {@code detail} and must say what was wrong in terms the client can act on. EJBs
 * pass these through unwrapped and roll back their transaction.
 */
@ApplicationException(inherited = true, rollback = true)
public abstract class CairnException extends RuntimeException {

    private final int status;
    private final String title;
    private final ErrorCode code;

    protected CairnException(ErrorCode code, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.status = code.status();
        this.title = title;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem's stable code, which clients switch on. */
    public ErrorCode code() {
        return code;
    }

    /** A code of the status the exception class stands for: no exception answers another status than its class's. */
    private static ErrorCode checked(ErrorCode code, int status) {
        if (code.status() != status) {
            throw new IllegalArgumentException(code + " is a " + code.status() + ", not a " + status);
        }
        return code;
    }

    /** 400: the request itself is malformed or invalid. */
    public static class BadRequest extends CairnException {
        public BadRequest(String detail) {
            this(ErrorCode.BAD_REQUEST, detail);
        }

        public BadRequest(ErrorCode code, String detail) {
            super(checked(code, 400), "Bad Request", detail, null);
        }
    }

    /** 401: the request needs a login (or its credentials are not valid). */
    public static class Unauthorized extends CairnException {
        public Unauthorized(String detail) {
            this(ErrorCode.UNAUTHORIZED, detail);
        }

        public Unauthorized(ErrorCode code, String detail) {
            super(checked(code, 401), "Unauthorized", detail, null);
        }
    }

    /** 429: too many attempts; {@link #retryAfterSeconds} says when to try again. */
    public static class TooManyRequests extends CairnException {
        private final long retryAfterSeconds;

        public TooManyRequests(String detail, long retryAfterSeconds) {
            super(ErrorCode.TOO_MANY_REQUESTS, "Too Many Requests", detail, null);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * 422: the request is well formed, but what it would store fails validation; every violation
     * is listed in the problem's {@code errors}.
     */
    public static class Unprocessable extends CairnException {
        private final List<Problem.Violation> violations;

        public Unprocessable(String detail, List<Problem.Violation> violations) {
            super(ErrorCode.VALIDATION_FAILED, "Unprocessable Content", detail, null);
            this.violations = List.copyOf(violations);
        }

        public List<Problem.Violation> violations() {
            return violations;
        }
    }

    /** 403: the request is understood but not allowed (for this client, or whoever asks). */
    public static class Forbidden extends CairnException {
        public Forbidden(String detail) {
            this(ErrorCode.FORBIDDEN, detail);
        }

        public Forbidden(ErrorCode code, String detail) {
            super(checked(code, 403), "Forbidden", detail, null);
        }
    }

    /** 404: a named resource (catalog, schema, table, object...) does not exist. */
    public static class NotFound extends CairnException {
        public NotFound(String detail) {
            this(ErrorCode.NOT_FOUND, detail);
        }

        public NotFound(ErrorCode code, String detail) {
            super(checked(code, 404), "Not Found", detail, null);
        }
    }

    /** 406: the client accepts none of the media types the resource can answer in. */
    public static class NotAcceptable extends CairnException {
        public NotAcceptable(String detail) {
            this(ErrorCode.NOT_ACCEPTABLE, detail);
        }

        public NotAcceptable(ErrorCode code, String detail) {
            super(checked(code, 406), "Not Acceptable", detail, null);
        }
    }

    /** 409: the request conflicts with the current state (a duplicate, a non-empty container...). */
    public static class Conflict extends CairnException {
        public Conflict(String detail) {
            this(ErrorCode.CONFLICT, detail);
        }

        public Conflict(ErrorCode code, String detail) {
            super(checked(code, 409), "Conflict", detail, null);
        }

        public Conflict(String detail, Throwable cause) {
            this(ErrorCode.CONFLICT, detail, cause);
        }

        public Conflict(ErrorCode code, String detail, Throwable cause) {
            super(checked(code, 409), "Conflict", detail, cause);
        }
    }

    /** 412: an {@code If-Match} or {@code If-None-Match} precondition failed. */
    public static class PreconditionFailed extends CairnException {
        public PreconditionFailed(String detail) {
            this(ErrorCode.PRECONDITION_FAILED, detail);
        }

        public PreconditionFailed(ErrorCode code, String detail) {
            super(checked(code, 412), "Precondition Failed", detail, null);
        }
    }

    /** 501: a part of a protocol that Cairn does not implement (yet). */
    public static class NotImplemented extends CairnException {
        public NotImplemented(String detail) {
            this(ErrorCode.NOT_IMPLEMENTED, detail);
        }

        public NotImplemented(ErrorCode code, String detail) {
            super(checked(code, 501), "Not Implemented", detail, null);
        }
    }

    /** 503: a dependency (the database, the store) is not available right now. */
    public static class Unavailable extends CairnException {
        public Unavailable(String detail, Throwable cause) {
            this(ErrorCode.UNAVAILABLE, detail, cause);
        }

        public Unavailable(ErrorCode code, String detail, Throwable cause) {
            super(checked(code, 503), "Service Unavailable", detail, cause);
        }
    }
}
