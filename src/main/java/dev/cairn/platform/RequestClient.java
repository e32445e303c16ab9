package dev.cairn.platform;

import jakarta.ws.rs.core.SecurityContext;

/**
 * The client a request acts for, as recorded in ERMrest's {@code RCB} and {@code RMB} columns.
 * Anonymous requests have no id (null) until authentication arrives.
 */
public record RequestClient(String id) {

    public static final RequestClient ANONYMOUS = new RequestClient(null);

    public static RequestClient of(SecurityContext security) {
        if (security == null || security.getUserPrincipal() == null) {
            return ANONYMOUS;
        }
        return new RequestClient(security.getUserPrincipal().getName());
    }
}
