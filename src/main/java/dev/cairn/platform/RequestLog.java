package dev.cairn.platform;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * One line per request at INFO on the logger {@code dev.cairn.requests}, written once the answer
 * is sent: method, route template ({@link Routes}), status, duration in milliseconds, client id
 * ({@code -} when anonymous), remote address, and the request id that a problem document's
 * {@code instance} and the audit log carry. Never the query string, headers or body, where
 * secrets travel. The same fields go with the record as a map parameter, which a JSON log
 * formatter (Payara's, chosen by {@code CAIRN_LOG_FORMAT=json} in {@code bin/run}) writes as keys
 * of the line's object. Each request is also counted in {@link Metrics}.
 * <p>The first filter of every request (see {@code web.xml}), so it also sees what the filters
 * after it refuse.
 */
public class RequestLog extends HttpFilter {

    static final Logger LOG = Logger.getLogger("dev.cairn.requests");

    @Inject
    Caller caller;

    @Inject
    Metrics metrics;

    private boolean logged;

    @Override
    public void init() {
        // cairn.log.requests=false: no request lines (a proxy in front keeps an access log); metrics still count
        logged = ConfigProvider.getConfig(RequestLog.class.getClassLoader())
                .getOptionalValue("cairn.log.requests", Boolean.class)
                .orElse(true);
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
            String method = method(request.getMethod());
            metrics.request(api(request.getRequestURI()), method, status, nanos);
            if (logged && LOG.isLoggable(Level.INFO)) {
                LOG.log(record(
                        method,
                        route != null ? route : unmatched(request.getRequestURI()),
                        status,
                        nanos,
                        client(),
                        request.getRemoteAddr(),
                        requestId()));
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

    /**
     * HTTP's methods as they are; anything else (any token a client makes up) as {@code OTHER}, so
     * that it makes no new meter.
     */
    static String method(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT" -> method;
            default -> "OTHER";
        };
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
            case "ermrest", "hatrac", "api", "aios", "authn", "web", "id", "openapi", "metrics", "health", "static" ->
                first;
            case "", "api-docs" -> "web";
            default -> "other";
        };
    }

    /**
     * A path no route matched, shortened, with anything unprintable replaced so that a line stays
     * one line, and without braces, which a formatter would take for message parameters.
     */
    static String unmatched(String uri) {
        String path = uri == null ? "" : uri.length() > 200 ? uri.substring(0, 200) + "..." : uri;
        return path.replaceAll("[^\\x21-\\x7e]|[{}]", "?");
    }

    static LogRecord record(
            String method, String route, int status, long nanos, String client, String address, String id) {
        double millis = Math.round(nanos / 1e5) / 10.0;
        LogRecord record = new LogRecord(
                Level.INFO,
                method + " " + route + " " + status + " " + millis + "ms client=" + client + " address=" + address
                        + " id=" + id);
        record.setLoggerName(LOG.getName());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("method", method);
        fields.put("route", route);
        fields.put("status", status);
        fields.put("ms", millis);
        fields.put("client", client);
        fields.put("address", address == null ? "-" : address);
        fields.put("id", id);
        record.setParameters(new Object[] {fields});
        return record;
    }
}
