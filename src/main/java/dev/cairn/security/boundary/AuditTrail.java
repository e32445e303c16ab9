package dev.cairn.security.boundary;

import dev.cairn.platform.Caller;
import dev.cairn.platform.ReadByPost;
import dev.cairn.security.control.Audit;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Appends every write (any method but GET, HEAD and OPTIONS, and POSTs marked
 * {@link dev.cairn.platform.ReadByPost}), whatever its outcome, and every request refused for want
 * of a login or a right (401, 403, 429), to the audit log.
 */
@Provider
@Priority(Priorities.USER)
public class AuditTrail implements ContainerResponseFilter {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<Integer> REFUSALS = Set.of(401, 403, 429);
    /** Query parameters that may carry a secret (sent there by mistake): their values are not kept. */
    private static final Pattern SECRET_VALUES =
            Pattern.compile("(?i)([^&=]*(?:password|token|secret|cookie)[^&=]*)=[^&]*");

    @Inject
    Audit audit;

    @Inject
    Caller caller;

    @Context
    HttpServletRequest request;

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext requestContext, ContainerResponseContext response) throws IOException {
        String method = requestContext.getMethod();
        int status = response.getStatus();
        boolean read = READS.contains(method)
                || (resource.getResourceMethod() != null
                        && resource.getResourceMethod().isAnnotationPresent(ReadByPost.class));
        if (read && !REFUSALS.contains(status)) {
            return;
        }
        String query = request.getQueryString();
        String target = request.getRequestURI()
                + (query == null ? "" : "?" + SECRET_VALUES.matcher(query).replaceAll("$1=***"));
        try {
            String address = caller.address() != null ? caller.address() : request.getRemoteAddr();
            audit.append(
                    caller.client().id(),
                    address,
                    caller.requestId(),
                    method,
                    target,
                    status,
                    status < 300 ? caller.snaptime() : null);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "audit entry lost for " + caller.requestId() + " " + method + " " + target, e);
        }
    }
}
