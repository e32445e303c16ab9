package dev.cairn.platform;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.StatusType;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes every exception that leaves a resource as {@code application/problem+json}, or as an
 * HTML page when a browser asked for a page of the web catalog ({@link ProblemPages}). Client errors
 * are logged quietly; server errors loudly, with the problem's {@code instance} id so that an
 * operator can find the stack trace a user reports.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());
    /** Request bodies up to this size are read to their end before an error is answered. */
    private static final long DRAIN_LIMIT = 100L << 20;

    @Context
    HttpServletRequest request;

    @Inject
    Caller caller;

    @Inject
    Instance<ProblemPages> pages;

    @Override
    public Response toResponse(Throwable error) {
        String instance = requestId();
        Problem problem = problemOf(error, instance);
        if (problem.status() == 503) {
            // the database or the store is away: expected, and said once by whoever watches it
            LOG.warning(() -> instance + ": 503 " + problem.detail());
        } else if (problem.status() >= 500) {
            LOG.log(Level.SEVERE, instance + ": " + error, error);
        } else {
            LOG.fine(() -> instance + ": " + problem.status() + " " + problem.detail());
        }
        Optional<String> html = pages.isResolvable() ? pages.get().render(request, problem) : Optional.empty();
        Response.ResponseBuilder response = html.isPresent()
                ? Response.status(problem.status())
                        .type("text/html;charset=UTF-8")
                        .entity(html.get())
                : Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (error instanceof CairnException.Unauthorized) {
            response.header("WWW-Authenticate", "Bearer realm=\"cairn\"");
        }
        if (error instanceof CairnException.TooManyRequests tooMany) {
            response.header("Retry-After", tooMany.retryAfterSeconds());
        }
        if (problem.status() == 503) {
            response.header("Retry-After", DatabaseGate.RETRY_AFTER_SECONDS);
        }
        if (error instanceof NotAllowedException notAllowed) {
            response.allow(notAllowed.getResponse().getAllowedMethods());
        }
        drainUnreadBody();
        return response.build();
    }

    private String requestId() {
        try {
            return caller.requestId();
        } catch (RuntimeException noRequestScope) {
            return "urn:uuid:" + UUID.randomUUID();
        }
    }

    /**
     * A request refused before its body was read would otherwise see its connection closed while
     * still sending, and many clients then report a broken pipe instead of the problem. Bodies too
     * large to be worth reading are left: those connections close.
     */
    private void drainUnreadBody() {
        try {
            long declared = request.getContentLengthLong();
            boolean chunked = "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
            if ((declared <= 0 && !chunked) || declared > DRAIN_LIMIT) {
                return;
            }
            InputStream body = request.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while (total < DRAIN_LIMIT && (n = body.read(buffer)) >= 0) {
                total += n;
            }
        } catch (Exception unreadable) {
            // the body is consumed or broken: nothing to drain
        }
    }

    /**
     * JSON-B for problems written outside JAX-RS, made at the first such answer (in the server, which
     * has a provider).
     */
    private static final class Outside {
        static final Jsonb JSONB = JsonbBuilder.create();
    }

    /**
     * The problem document of a Cairn exception as UTF-8 JSON, for answers written outside JAX-RS:
     * the HTTP layer's {@link EscapeGuard} and the servlet filter {@link HeaderSyntax}.
     */
    static byte[] json(CairnException error, String instance) {
        return Outside.JSONB.toJson(problemOf(error, instance)).getBytes(StandardCharsets.UTF_8);
    }

    private static Problem problemOf(Throwable error, String instance) {
        if (error instanceof CairnException e) {
            return new Problem(
                    e.code(),
                    e.title(),
                    e.status(),
                    e.getMessage(),
                    instance,
                    e instanceof CairnException.Unprocessable u ? u.violations() : null);
        }
        if (lostDatabase(error)) {
            return problem(
                    ErrorCode.UNAVAILABLE,
                    "The database went away during the request; its change, if any, was not committed. "
                            + "Try again in a few seconds.",
                    instance);
        }
        if (error.getClass().getName().startsWith("org.glassfish.jersey.server.ParamException")) {
            // Jersey answers a path, query or header value it cannot convert with 404; it is the client's mistake
            return problem(
                    ErrorCode.INVALID_PARAMETER, "A parameter of the request has a value of the wrong kind.", instance);
        }
        if (isTooDeep(error)) {
            return problem(
                    ErrorCode.INVALID_JSON,
                    "The request body is nested too deeply (more than 1,000 levels).",
                    instance);
        }
        if (error instanceof NotFoundException) {
            return problem(ErrorCode.NO_ROUTE, "No resource at this path.", instance);
        }
        if (error instanceof WebApplicationException e) {
            StatusType status = e.getResponse().getStatusInfo();
            Throwable cause = e.getCause();
            if (status.getStatusCode() == 400 && isBadJson(cause)) {
                return problem(
                        ErrorCode.INVALID_JSON,
                        "The request body is not valid JSON for this resource: " + rootMessage(cause),
                        instance);
            }
            return problem(ErrorCode.forStatus(status.getStatusCode()), status.getStatusCode(), detailOf(e), instance);
        }
        if (isBadJson(error)) {
            return problem(
                    ErrorCode.INVALID_JSON,
                    "The request body is not valid JSON for this resource: " + rootMessage(error),
                    instance);
        }
        return problem(
                ErrorCode.INTERNAL_ERROR,
                "An unexpected error occurred; quote " + instance + " when reporting it.",
                instance);
    }

    /**
     * A connection to the database that broke or could not be had, anywhere in the causes: the
     * database is away, which is a 503, not a bug.
     */
    static boolean lostDatabase(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && lostConnection(sql)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an SQL error says the connection is gone: SQLSTATE class 08, an administrator's or a
     * crash's shutdown (57P01-57P03), a pool that timed out waiting for one, or a connection the pool
     * had already closed after it broke (HikariCP says so without a state).
     */
    public static boolean lostConnection(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || state.startsWith("08")
                || state.equals("57P01")
                || state.equals("57P02")
                || state.equals("57P03")
                || (state.isEmpty() && "Connection is closed".equals(e.getMessage()));
    }

    private static Problem problem(ErrorCode code, String detail, String instance) {
        return problem(code, code.status(), detail, instance);
    }

    /** A problem of a status the code may not name exactly (a status Cairn never answers by itself keeps its own). */
    private static Problem problem(ErrorCode code, int status, String detail, String instance) {
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : "HTTP " + status;
        return new Problem(code, title, status, detail, instance, null);
    }

    private static String detailOf(WebApplicationException e) {
        String message = e.getMessage();
        if (message != null
                && !message.startsWith("HTTP ")
                && !message.equals(e.getResponse().getStatusInfo().getReasonPhrase())) {
            return message;
        }
        return switch (e.getResponse().getStatus()) {
            case 400 -> "The request could not be read; check that its body is the JSON this resource expects.";
            case 405 -> "This resource does not support the request's method; see the Allow header.";
            case 406 -> "This resource cannot answer in any of the media types the Accept header lists.";
            case 415 -> "This resource does not accept the request's Content-Type.";
            default -> e.getResponse().getStatusInfo().getReasonPhrase();
        };
    }

    /**
     * Parsson refuses input nested beyond its limit with a plain RuntimeException; anything deeper
     * overflows the stack.
     */
    private static boolean isTooDeep(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if ((t instanceof StackOverflowError && inParser(t))
                    || (t.getClass() == RuntimeException.class
                            && t.getMessage() != null
                            && t.getMessage().startsWith("Input is too deeply nested"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a stack overflow happened while a JSON or YAML parser read a body (its frames are the
     * parser's): the client's deep input. An overflow elsewhere is a recursion bug in Cairn, a 500.
     */
    static boolean inParser(Throwable overflow) {
        for (StackTraceElement frame : overflow.getStackTrace()) {
            String type = frame.getClassName();
            if (type.startsWith("org.eclipse.parsson.")
                    || type.startsWith("org.eclipse.yasson.")
                    || type.startsWith("com.fasterxml.jackson.")
                    || type.startsWith("org.yaml.snakeyaml.")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A JSON error while reading a request body is the client's; one while writing a response
     * (a message body writer's {@code writeTo} on the stack) is Cairn's, and stays a 500.
     */
    private static boolean isBadJson(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof JsonbException || t instanceof JsonException) {
                return Arrays.stream(t.getStackTrace())
                        .noneMatch(frame -> frame.getMethodName().equals("writeTo"));
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
