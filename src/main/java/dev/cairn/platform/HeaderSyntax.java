package dev.cairn.platform;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses, before any resource is chosen, a request whose {@code Content-Type} or {@code Accept}
 * header cannot be parsed as media types: otherwise the container answers with its own error page,
 * not a problem the client can read.
 */
@Provider
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public class HeaderSyntax implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String type = request.getHeaderString("Content-Type");
        if (type != null && !type.isBlank() && !parses(type)) {
            throw new CairnException.BadRequest("The Content-Type header '" + shown(type) + "' is not a media type such as application/json.");
        }
        String accept = request.getHeaderString("Accept");
        if (accept != null && !accept.isBlank()) {
            for (String item : accept.split(",")) {
                if (!item.isBlank() && !parses(item.trim())) {
                    throw new CairnException.BadRequest("The Accept header item '" + shown(item.trim()) + "' is not a media type.");
                }
            }
        }
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
