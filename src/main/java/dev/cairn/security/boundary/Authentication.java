package dev.cairn.security.boundary;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.security.control.Identities;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.util.Locale;

/**
 * Authenticates every request once, before any resource runs, and fills the request's
 * {@link Caller}: a bearer token ({@code Authorization: Bearer ...}) or else a login session's
 * {@code webauthn} cookie; neither makes the request anonymous. A bearer token that is unknown,
 * expired or revoked is refused with 401 (a client that sends credentials wants them used); a
 * stale cookie counts as none, as webauthn does.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class Authentication implements ContainerRequestFilter {

    /** The cookie webauthn, and so deriva-py's credential file, uses for a login session. */
    public static final String COOKIE = "webauthn";

    @Inject
    Identities identities;

    @Inject
    Caller caller;

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) throws IOException {
        String address = request.getRemoteAddr();
        String authorization = context.getHeaderString("Authorization");
        if (authorization != null) {
            int space = authorization.indexOf(' ');
            String scheme = space < 0 ? authorization : authorization.substring(0, space);
            if (!scheme.toLowerCase(Locale.ROOT).equals("bearer") || space < 0) {
                caller.authenticate(null, address);
                throw new CairnException.Unauthorized("Only bearer tokens are accepted in Authorization "
                        + "(Authorization: Bearer <token>); make one with POST /api/tokens.");
            }
            String token = authorization.substring(space + 1).trim();
            if (token.isEmpty() || token.length() > 200) {
                caller.authenticate(null, address);
                throw new CairnException.Unauthorized("The bearer token is malformed.");
            }
            caller.authenticate(identities.authenticateToken(token), address);
            return;
        }
        Cookie cookie = context.getCookies().get(COOKIE);
        Caller.Identity identity = null;
        if (cookie != null
                && cookie.getValue() != null
                && !cookie.getValue().isEmpty()
                && cookie.getValue().length() <= 200) {
            identity = identities.authenticateSession(cookie.getValue());
        }
        caller.authenticate(identity, address);
    }
}
