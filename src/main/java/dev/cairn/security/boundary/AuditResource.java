package dev.cairn.security.boundary;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.security.control.Audit;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The audit log. Access: administrators only. {@code GET /api/audit} reads entries in order
 * ({@code since} a time, {@code client} a client id, {@code target} a path prefix, {@code after}
 * a sequence number to page on, {@code limit} up to 10,000); {@code GET /api/audit/verify}
 * recomputes the hash chain and names the first broken entry.
 */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private static final int MAX_LIMIT = 10_000;

    @Inject
    Audit audit;

    @Inject
    Caller caller;

    @GET
    public List<Audit.Entry> read(
            @QueryParam("since") String since,
            @QueryParam("client") String client,
            @QueryParam("target") String target,
            @QueryParam("after") Long after,
            @QueryParam("limit") Integer limit) {
        caller.requireAdministrator("Reading the audit log");
        Instant from = null;
        if (since != null) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new CairnException.BadRequest("\"since\" is an ISO-8601 UTC time such as 2026-12-01T00:00:00Z.");
            }
        }
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw new CairnException.BadRequest("\"limit\" is between 1 and " + MAX_LIMIT + ".");
        }
        return audit.read(from, client, target, after == null ? 0 : after, limit == null ? 1000 : limit);
    }

    @GET
    @Path("verify")
    public Audit.Verification verify() {
        caller.requireAdministrator("Verifying the audit log");
        return audit.verify();
    }
}
