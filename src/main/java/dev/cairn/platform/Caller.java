package dev.cairn.platform;

import jakarta.enterprise.context.RequestScoped;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The one request context: who the request acts for, as authentication established it once at the
 * start of the request (see {@code dev.cairn.security.boundary.Authentication}), its id (the
 * {@code instance} of its problem document and its audit entry), and what it produced for the
 * audit log. Every boundary reads the client from here.
 */
@RequestScoped
public class Caller {

    /** The group whose members administer Cairn. */
    public static final String ADMIN_GROUP = "group:admin";

    /**
     * An authenticated identity: a client id ({@code user:<name>}), display and full name, e-mail,
     * its group attributes ({@code group:<name>}) and a token's scope: the catalogs it may reach
     * (null for any) and whether it may only read.
     */
    public record Identity(
            String id,
            String displayName,
            String fullName,
            String email,
            List<String> groups,
            Set<Long> catalogs,
            boolean readOnly) {}

    private final String requestId = "urn:uuid:" + UUID.randomUUID();
    private Identity identity;
    private String address;
    private String snaptime;

    public String requestId() {
        return requestId;
    }

    /** Called once, by authentication. */
    public void authenticate(Identity identity, String address) {
        this.identity = identity;
        this.address = address;
    }

    /** The identity, or null for an anonymous request. */
    public Identity identity() {
        return identity;
    }

    public boolean anonymous() {
        return identity == null;
    }

    public RequestClient client() {
        return identity == null
                ? RequestClient.ANONYMOUS
                : new RequestClient(identity.id(), identity.displayName(), identity.fullName(), identity.email());
    }

    public String address() {
        return address;
    }

    public boolean administrator() {
        return identity != null && identity.groups().contains(ADMIN_GROUP);
    }

    /**
     * True when an ACL (client ids, group attributes, {@code *}) names this caller. Anonymous
     * callers match only {@code *}.
     */
    public boolean matches(List<String> acl) {
        if (acl == null || acl.isEmpty()) {
            return false;
        }
        if (acl.contains("*")) {
            return true;
        }
        if (identity == null) {
            return false;
        }
        if (acl.contains(identity.id())) {
            return true;
        }
        for (String group : identity.groups()) {
            if (acl.contains(group)) {
                return true;
            }
        }
        return false;
    }

    /** Refuses an anonymous caller with 401. */
    public void requireLogin(String what) {
        if (identity == null) {
            throw new CairnException.Unauthorized(
                    what + " needs a login: send Authorization: Bearer <token> or log in at /authn/session.");
        }
    }

    /** Refuses with 401 when anonymous, with 403 otherwise: the caller lacks a right. */
    public CairnException refused(String detail) {
        return identity == null
                ? new CairnException.Unauthorized(detail
                        + " Log in (Authorization: Bearer <token>, or /authn/session) and retry if you have access.")
                : new CairnException.Forbidden(ErrorCode.ACL_DENIED, detail);
    }

    /** Refuses a caller that is not an administrator. */
    public void requireAdministrator(String what) {
        if (!administrator()) {
            throw refused(what + " is for administrators.");
        }
    }

    /** Refuses a write by a read-only token. */
    public void requireWriteScope() {
        if (identity != null && identity.readOnly()) {
            throw new CairnException.Forbidden(ErrorCode.TOKEN_SCOPE, "This token is read-only.");
        }
    }

    /** True unless the caller's token is scoped to other catalogs. */
    public boolean mayReach(long catalogId) {
        return identity == null
                || identity.catalogs() == null
                || identity.catalogs().contains(catalogId);
    }

    /** The catalog snaptime a write produced, for the audit log. */
    public void produced(String snaptime) {
        this.snaptime = snaptime;
    }

    public String snaptime() {
        return snaptime;
    }
}
