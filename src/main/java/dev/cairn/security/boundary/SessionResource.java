package dev.cairn.security.boundary;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.security.control.Identities;
import dev.cairn.security.entity.LoginSession;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * webauthn's session API, as Deriva's clients use it: {@code POST} (form {@code username},
 * {@code password}) logs in and sets the {@code webauthn} cookie, {@code GET} describes the session
 * (also for a bearer token), {@code PUT} extends it, {@code DELETE} logs out. Access: anyone may
 * try to log in (rate-limited); the others act on the caller's own session.
 */
@Path("/authn/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    @Inject
    Identities identities;

    @Inject
    Caller caller;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@FormParam("username") String username, @FormParam("password") String password) {
        Identities.NewSession made = identities.login(username, password, request.getRemoteAddr());
        Caller.Identity identity = identities.authenticateSession(made.cookie());
        caller.authenticate(identity, request.getRemoteAddr());
        return Response.status(Response.Status.CREATED)
                .cookie(cookie(made.cookie(), made.session().expiresAt()))
                .entity(view(identity, made.session().since(), made.session().expiresAt()))
                .build();
    }

    @GET
    public Map<String, Object> get(@CookieParam(Authentication.COOKIE) String cookie) {
        if (caller.anonymous()) {
            throw new CairnException.NotFound("No login session; log in with POST /authn/session.");
        }
        LoginSession session = cookie == null || cookie.length() > 200 ? null : identities.session(cookie);
        if (session == null) {
            // a bearer token: it has no session, but clients ask this resource who they are
            OffsetDateTime now = OffsetDateTime.now();
            return view(caller.identity(), now, now.plus(Identities.SESSION_LIFETIME));
        }
        return view(caller.identity(), session.since(), session.expiresAt());
    }

    @PUT
    public Response extend(@CookieParam(Authentication.COOKIE) String cookie) {
        if (cookie == null || caller.anonymous() || cookie.length() > 200) {
            throw new CairnException.NotFound("No login session to extend.");
        }
        LoginSession session = identities.extendSession(cookie);
        return Response.ok(view(caller.identity(), session.since(), session.expiresAt()))
                .cookie(cookie(cookie, session.expiresAt()))
                .build();
    }

    @DELETE
    public Response logout(@CookieParam(Authentication.COOKIE) String cookie) {
        if (cookie == null || caller.anonymous() || cookie.length() > 200) {
            throw new CairnException.NotFound("No login session to end.");
        }
        identities.logout(cookie);
        return Response.noContent().cookie(expired()).build();
    }

    /** A cookie that removes the session's from the browser. */
    public static NewCookie expired() {
        return new NewCookie.Builder(Authentication.COOKIE)
                .value("")
                .path("/")
                .maxAge(0)
                .httpOnly(true)
                .build();
    }

    private NewCookie cookie(String value, OffsetDateTime expires) {
        return cookie(request, value, expires);
    }

    /**
     * The {@code webauthn} cookie of a session: HttpOnly, SameSite=Lax, Secure behind HTTPS. Also the
     * web catalog's login.
     */
    public static NewCookie cookie(HttpServletRequest request, String value, OffsetDateTime expires) {
        boolean secure = request.isSecure() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
        return new NewCookie.Builder(Authentication.COOKIE)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.LAX)
                .maxAge((int) Math.max(
                        0, Duration.between(OffsetDateTime.now(), expires).toSeconds()))
                .build();
    }

    /** webauthn's session document. */
    private static Map<String, Object> view(Caller.Identity identity, OffsetDateTime since, OffsetDateTime expires) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("id", identity.id());
        client.put("display_name", identity.displayName());
        client.put("full_name", identity.fullName());
        client.put("email", identity.email());
        client.put("identities", List.of(identity.id()));
        List<Map<String, Object>> attributes = new ArrayList<>();
        attributes.add(Map.of("id", identity.id(), "display_name", identity.displayName()));
        for (String group : identity.groups()) {
            attributes.add(Map.of("id", group, "display_name", group.substring(group.indexOf(':') + 1)));
        }
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("client", client);
        session.put("attributes", attributes);
        session.put("since", since.toString());
        session.put("expires", expires.toString());
        session.put(
                "seconds_remaining",
                Math.max(0, Duration.between(OffsetDateTime.now(), expires).toSeconds()));
        session.put("vary_headers", List.of("cookie"));
        return session;
    }
}
