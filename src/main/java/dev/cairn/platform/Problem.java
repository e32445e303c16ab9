package dev.cairn.platform;

import java.util.List;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * An RFC 9457 problem document, the body of every error response; {@code errors} (omitted when
 * null) lists each violation of a failed validation.
 */
@JsonbPropertyOrder({"type", "title", "status", "detail", "instance", "errors"})
public record Problem(String type, String title, int status, String detail, String instance, List<Violation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String type, String title, int status, String detail, String instance) {
        this(type, title, status, detail, instance, null);
    }

    /** One violation: which check found it ({@code source}), where ({@code path}, JSON Pointer-like) and what. */
    public record Violation(String source, String path, String message) {
    }
}
