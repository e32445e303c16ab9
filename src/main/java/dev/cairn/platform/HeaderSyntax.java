package dev.cairn.platform;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;

/**
 * Refuses, before any resource is chosen, a request whose {@code Content-Type} or {@code Accept}
 * header cannot be parsed as media types, with a problem the client can read. It must be a servlet
 * filter: the JAX-RS runtime parses {@code Content-Type} before its own filters run and answers an
 * unparsable one with the container's HTML error page. Mapped in {@code web.xml}, after {@link RequestLog}.
 */
public class HeaderSyntax extends HttpFilter {

    @Inject
    Caller caller;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String problem = problem(request.getHeader("Content-Type"), request.getHeader("Accept"));
        if (problem == null) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = ProblemMapper.json(
                new CairnException.BadRequest(ErrorCode.INVALID_HEADER, problem), caller.requestId());
        response.setStatus(400);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(body);
    }

    /** What is wrong with the headers, or null. */
    static String problem(String contentType, String accept) {
        if (contentType != null && !contentType.isBlank() && !parses(contentType)) {
            return "The Content-Type header '" + shown(contentType) + "' is not a media type such as application/json.";
        }
        if (accept != null && !accept.isBlank()) {
            for (String item : accept.split(",")) {
                if (!item.isBlank() && !parses(item.trim())) {
                    return "The Accept header item '" + shown(item.trim()) + "' is not a media type.";
                }
            }
        }
        return null;
    }

    private static boolean parses(String value) {
        try {
            MediaType parsed = MediaType.valueOf(value);
            return !parsed.getType().isEmpty() && !parsed.getSubtype().isEmpty() && value.indexOf('/') > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String shown(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "..." : value;
    }
}
