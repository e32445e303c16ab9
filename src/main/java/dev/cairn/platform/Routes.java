package dev.cairn.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The route a request took, as a path template such as
 * {@code /api/catalogs/{cid}/executions/{rid}}: what the request log, the metrics and the OpenAPI
 * document call an endpoint. A template is the resource class's and method's {@link Path}s
 * joined, with regular expressions dropped ({@code {cid: [0-9]+}} is {@code {cid}}); a resource
 * whose path is a grammar rather than a template says what to show instead with {@link Shown}.
 * Marks each matched request with its template for {@link RequestLog}.
 */
@Provider
public class Routes implements ContainerRequestFilter {

    /**
     * The template to show for a resource whose {@link Path} is a regular expression over the whole
     * rest of the URL.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Shown {
        String value();
    }

    /** The request attribute holding the matched template. */
    static final String ATTRIBUTE = Routes.class.getName();

    private static final Map<Method, String> TEMPLATES = new ConcurrentHashMap<>();

    @Context
    ResourceInfo resource;

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) throws IOException {
        Method method = resource.getResourceMethod();
        // Jersey answers OPTIONS (and HEAD where no method takes it) with handlers of its own, which have no @Path
        if (method != null && resource.getResourceClass().isAnnotationPresent(Path.class)) {
            request.setAttribute(ATTRIBUTE, template(resource.getResourceClass(), method));
        }
    }

    /** The template of a resource method of a resource class. */
    public static String template(Class<?> type, Method method) {
        return TEMPLATES.computeIfAbsent(method, m -> {
            Shown shown = type.getAnnotation(Shown.class);
            if (shown != null) {
                return shown.value();
            }
            Path own = m.getAnnotation(Path.class);
            return join(type.getAnnotation(Path.class).value(), own == null ? "" : own.value());
        });
    }

    /** Two {@link Path} values joined into one template, regular expressions dropped. */
    static String join(String outer, String inner) {
        String joined = "/" + strip(outer) + (inner.isEmpty() ? "" : "/" + strip(inner));
        joined = joined.replaceAll("/{2,}", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** A {@link Path} value without its parameters' regular expressions (which may hold braces of their own). */
    private static String strip(String path) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c != '{') {
                out.append(c);
                i++;
                continue;
            }
            int depth = 0;
            int end = i;
            int colon = -1;
            for (; end < path.length(); end++) {
                char d = path.charAt(end);
                if (d == '{') {
                    depth++;
                } else if (d == '}' && --depth == 0) {
                    break;
                } else if (d == ':' && depth == 1 && colon < 0) {
                    colon = end;
                }
            }
            String name = path.substring(i + 1, colon > 0 ? colon : end).trim();
            out.append('{').append(name).append('}');
            i = end + 1;
        }
        return out.toString().replaceAll("^/+", "");
    }
}
