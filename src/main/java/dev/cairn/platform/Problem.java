package dev.cairn.platform;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error response. {@code code} is the stable
 * {@link ErrorCode} clients switch on ({@code type} ends with it); {@code errors} (omitted when
 * null) lists each violation of a failed validation.
 */
@JsonbPropertyOrder({"type", "code", "title", "status", "detail", "instance", "errors"})
public record Problem(
        String type, String code, String title, int status, String detail, String instance, List<Violation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(ErrorCode code, String title, int status, String detail, String instance, List<Violation> errors) {
        this(code.type(), code.code(), title, status, detail, instance, errors);
    }

    /** One violation: which check found it ({@code source}), where ({@code path}, JSON Pointer-like) and what. */
    public record Violation(String source, String path, String message) {}
}
