package dev.cairn.platform;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** An RFC 9457 problem document, the body of every error response. */
@JsonbPropertyOrder({"type", "title", "status", "detail", "instance"})
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
