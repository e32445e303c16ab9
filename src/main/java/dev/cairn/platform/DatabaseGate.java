package dev.cairn.platform;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;

/**
 * While the database is away, refuses every request that needs it at once, with 503 and a
 * Retry-After, before anything else (authentication reads the database too) can wait on a pool.
 * The API document, Swagger UI and static files need no database and are still served.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class DatabaseGate implements ContainerRequestFilter {

    /** First path segments whose answers need no database. */
    private static final Set<String> WITHOUT_DATABASE = Set.of("static", "openapi", "api-docs", "metrics");

    /** Seconds a client is told to wait: the watch notices a return within half a second. */
    static final int RETRY_AFTER_SECONDS = 2;

    @Inject
    Database database;

    @Override
    public void filter(ContainerRequestContext context) {
        if (database.available()) {
            return;
        }
        String path = context.getUriInfo().getPath();
        String first = path.replaceFirst("^/", "").split("/", 2)[0];
        if (WITHOUT_DATABASE.contains(first)) {
            return;
        }
        throw new CairnException.Unavailable(
                "The database is not available right now (" + database.unavailableReason()
                        + "); nothing was changed. Try again in a few seconds.",
                null);
    }
}
