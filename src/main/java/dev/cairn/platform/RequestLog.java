package dev.cairn.platform;

import java.io.IOException;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * One line per request at INFO on the logger {@code dev.cairn.requests}, written once the answer
 * is sent: method, route template ({@link Routes}), status, duration in milliseconds, client id
 * ({@code -} when anonymous), remote address, and the request id that a problem document's
 * {@code instance} and the audit log carry. Never the query string, headers or body, where
 * secrets travel. With {@code cairn.log.format=json} the line is one JSON object. Each request is
 * also counted in {@link Metrics}.
 * <p>The first filter of every request (see {@code web.xml}), so it also sees what the filters
 * after it refuse.
 */
public class RequestLog extends HttpFilter {

    static final Logger LOG = Logger.getLogger("dev.cairn.requests");

    @Inject
    Caller caller;

    @Inject
    Metrics metrics;

    private boolean json;

    @Override
    public void init() {
        json = ConfigProvider.getConfig(RequestLog.class.getClassLoader())
                .getOptionalValue("cairn.log.format", String.class).orElse("text").trim().equalsIgnoreCase("json");
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            long nanos = System.nanoTime() - started;
            String route = (String) request.getAttribute(Routes.ATTRIBUTE);
            int status = response.getStatus();
            metrics.request(api(request.getRequestURI()), request.getMethod(), status, nanos);
            if (LOG.isLoggable(Level.INFO)) {
                LOG.info(line(request.getMethod(), route != null ? route : unmatched(request.getRequestURI()), status, nanos,
                        client(), request.getRemoteAddr(), requestId(), json));
            }
        }
    }

    private String client() {
        try {
            Caller.Identity identity = caller.identity();
            return identity == null ? "-" : identity.id();
        } catch (RuntimeException noRequestScope) {
            return "-";
        }
    }

    private String requestId() {
        try {
            return caller.requestId();
        } catch (RuntimeException noRequestScope) {
            return "-";
        }
    }

    /** The API a path belongs to: its first segment when it is one of Cairn's, else {@code other}. */
    static String api(String uri) {
        String path = uri == null ? "" : uri;
        int start = path.startsWith("/") ? 1 : 0;
        int end = path.indexOf('/', start);
        String first = path.substring(start, end < 0 ? path.length() : end).toLowerCase(Locale.ROOT);
        int semicolon = first.indexOf(';');
        if (semicolon >= 0) {
            first = first.substring(0, semicolon);
        }
        return switch (first) {
            case "ermrest", "hatrac", "api", "aios", "authn", "web", "id", "openapi", "metrics", "health", "static", "webjars" -> first;
            case "", "api-docs" -> "web";
            default -> first.startsWith("hatrac") ? "hatrac" : "other";
        };
    }

    /** A path no route matched, shortened and with anything unprintable replaced, so a line stays one line. */
    static String unmatched(String uri) {
        String path = uri == null ? "" : uri.length() > 200 ? uri.substring(0, 200) + "..." : uri;
        return path.replaceAll("[^\\x21-\\x7e]", "?");
    }

    static String line(String method, String route, int status, long nanos, String client, String address, String id, boolean json) {
        String millis = String.format(Locale.ROOT, "%.1f", nanos / 1e6);
        if (!json) {
            return method + " " + route + " " + status + " " + millis + "ms client=" + client + " address=" + address + " id=" + id;
        }
        return JsonBodies.JSON.createObjectBuilder().add("method", method).add("route", route).add("status", status)
                .add("ms", Double.parseDouble(millis)).add("client", client).add("address", address == null ? "-" : address)
                .add("id", id).build().toString();
    }
}
