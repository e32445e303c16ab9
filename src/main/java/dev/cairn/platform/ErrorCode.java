package dev.cairn.platform;

import java.util.Arrays;
import java.util.Optional;

/**
 * The stable codes of Cairn's problems. A problem document carries its code in {@code code}, and
 * its {@code type} is {@value #TYPE_BASE} followed by the code. Clients switch on the code, never on
 * the title or the detail, whose words may change. A code, once published, keeps its meaning and
 * its status; new codes may be added. {@code docs/errors.md} and {@code /openapi} list them all
 * ({@code ErrorCodeTest} keeps both true).
 */
public enum ErrorCode {

    // 400
    BAD_REQUEST("bad-request", 400, "The request is malformed or invalid; the detail says what to change."),
    INVALID_JSON(
            "invalid-json",
            400,
            "The body is not JSON, or not the JSON this resource takes (a wrong type, an unknown field, nested too deeply)."),
    INVALID_PARAMETER("invalid-parameter", 400, "A query parameter is unknown, repeated or of the wrong kind."),
    INVALID_HEADER("invalid-header", 400, "A header's value does not follow its syntax."),
    MALFORMED_ESCAPE("malformed-escape", 400, "The path has a percent sign not followed by two hex digits."),
    INVALID_PATH(
            "invalid-path",
            400,
            "An ERMrest data or model path does not follow ERMrest's grammar, or names no column of the table it reaches."),
    STATEMENT_TIMEOUT("statement-timeout", 400, "The query ran longer than the catalog's statement limit; narrow it."),
    // 401, 403
    UNAUTHORIZED("unauthorized", 401, "The request needs a login, or its credentials are not valid."),
    FORBIDDEN("forbidden", 403, "The request is not allowed here, whoever sends it."),
    ACL_DENIED("acl-denied", 403, "The client lacks the right (an ACL, an ACL binding or a grant) to do this."),
    TOKEN_SCOPE("token-scope", 403, "The token is read-only or scoped to other catalogs."),
    SYSTEM_OWNED(
            "system-owned",
            403,
            "The element belongs to the catalog or the store (a system column, schema or namespace) and cannot be changed this way."),
    // 404, 405, 406
    NOT_FOUND("not-found", 404, "The resource named by the path does not exist, or the client may not see it."),
    NO_ROUTE("no-route", 404, "No API has a resource at this path."),
    METHOD_NOT_ALLOWED(
            "method-not-allowed",
            405,
            "The resource does not take this method; the Allow header lists those it takes."),
    NOT_ACCEPTABLE("not-acceptable", 406, "The resource cannot answer in any media type the Accept header lists."),
    LENGTH_REQUIRED("length-required", 411, "The request needs a Content-Length."),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "The body is larger than this resource takes."),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "The resource does not take the body's Content-Type."),
    RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "The Range asked for lies outside the content."),
    // 409
    CONFLICT("conflict", 409, "The request conflicts with what is stored; the detail says how."),
    ALREADY_EXISTS(
            "already-exists",
            409,
            "Something with this name or key exists already: a row, table, column, key, namespace, object, user or group."),
    AMBIGUOUS_NAME(
            "ambiguous-name",
            409,
            "A name given means several things (catalogs, assets, namespaces or foreign keys); name one exactly."),
    WRONG_KIND("wrong-kind", 409, "The name is a namespace where an object is needed, or the reverse."),
    VERSION_EXISTS("version-exists", 409, "An object version exists with other content, or was renamed already."),
    IN_USE("in-use", 409, "Something else depends on it: a row, a RID, an asset in a lineage, a nested dataset."),
    IMMUTABLE(
            "immutable",
            409,
            "What is addressed never changes: a snapshot, a fixed field of a registered asset, a deleted dataset."),
    EXECUTION_STATE(
            "execution-state",
            409,
            "The execution's status does not allow this step (see the state machine in docs/derivaml.md)."),
    COMMIT_IN_PROGRESS(
            "commit-in-progress", 409, "A commit of this execution's outputs is under way; follow it, then retry."),
    DATASET_STATE(
            "dataset-state",
            409,
            "The dataset's state does not allow this: nothing changed since its release, or the dev version is no longer current."),
    CYCLE("cycle", 409, "The change would make a dataset contain itself."),
    UPLOAD_INCOMPLETE("upload-incomplete", 409, "An upload job still lacks chunks, or its chunks are gone."),
    CHECKSUM_MISMATCH(
            "checksum-mismatch", 409, "The bytes received do not match the MD5 or SHA-256 declared for them."),
    TRY_AGAIN(
            "try-again",
            409,
            "The request met a concurrent one and was rolled back with nothing changed; send it again."),
    LAST_ADMINISTRATOR(
            "last-administrator",
            409,
            "The change would leave no enabled administrator, or take a catalog's ownership from its last owner."),
    NOT_INSTALLED("not-installed", 409, "The catalog lacks what this needs (DerivaML's schema, the asset registry)."),
    SECRET_KEY("secret-key", 409, "A stored secret was sealed with another server key than this server holds."),
    // 412, 422, 429
    PRECONDITION_FAILED("precondition-failed", 412, "An If-Match or If-None-Match precondition failed."),
    VALIDATION_FAILED("validation-failed", 422, "What would be stored fails validation; errors lists every violation."),
    TOO_MANY_REQUESTS("too-many-requests", 429, "Too many attempts; Retry-After says when to try again."),
    // 5xx
    INTERNAL_ERROR("internal-error", 500, "A bug in Cairn; quote the problem's instance when reporting it."),
    NOT_IMPLEMENTED("not-implemented", 501, "A part of a protocol that Cairn does not implement."),
    UNAVAILABLE("unavailable", 503, "A dependency (the database, the store) cannot serve now; try again later.");

    public static final String TYPE_BASE = "https://cairn.dev/problems/";

    private final String code;
    private final int status;
    private final String meaning;

    ErrorCode(String code, int status, String meaning) {
        this.code = code;
        this.status = status;
        this.meaning = meaning;
    }

    /** The code as clients see it, in {@code code} and at the end of {@code type}. */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** One sentence on when a client meets it. */
    public String meaning() {
        return meaning;
    }

    public String type() {
        return TYPE_BASE + code;
    }

    /**
     * The code of an HTTP error that no Cairn exception names (one raised by JAX-RS or the
     * container): the first code listed for its status; a status Cairn never answers by itself is
     * {@link #BAD_REQUEST} when 4xx, else {@link #INTERNAL_ERROR}.
     */
    public static ErrorCode forStatus(int status) {
        return Arrays.stream(values())
                .filter(c -> c.status == status)
                .findFirst()
                .orElse(status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL_ERROR);
    }

    /** The code with this name, if any. */
    public static Optional<ErrorCode> of(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }
}
