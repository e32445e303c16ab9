package dev.cairn.platform;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/ready}: 204 once Cairn's own routes answer. Readiness ({@link DatabaseHealth})
 * asks it over loopback, because Payara answers {@code /health} before it routes requests to
 * Cairn. Access: open; it tells nothing.
 */
@Path("/api/ready")
public class Ready {

    @GET
    public Response ready() {
        return Response.noContent().build();
    }
}
