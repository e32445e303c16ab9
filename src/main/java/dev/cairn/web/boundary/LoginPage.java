package dev.cairn.web.boundary;

import dev.cairn.platform.CairnException;
import dev.cairn.security.boundary.Authentication;
import dev.cairn.security.boundary.SessionResource;
import dev.cairn.security.control.Identities;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;

/**
 * Logging in and out in a browser: the same login sessions (and rate limits) as webauthn's
 * {@code /authn/session}, with a form and a redirect back to where the visitor was. Forms
 * posted from another site are refused (their {@code Origin} must be this server's).
 * Access: open to every client; logout ends the caller's own session.
 */
@Path("/web")
public class LoginPage {

    @Inject
    PageContext page;

    @Inject
    Identities identities;

    @Context
    HttpServletRequest request;

    @GET
    @Path("login")
    @Produces(PageContext.HTML)
    public Response form(@QueryParam("next") String next) {
        return form(next, null, 200);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(PageContext.HTML)
    public Response login(
            @FormParam("username") String username,
            @FormParam("password") String password,
            @FormParam("next") String next) {
        page.sameOrigin("log in or out");
        Identities.NewSession made;
        try {
            made = identities.login(username, password, request.getRemoteAddr());
        } catch (CairnException.Unauthorized | CairnException.BadRequest e) {
            return form(next, "The username or password is not right.", 401);
        } catch (CairnException.TooManyRequests e) {
            return form(
                    next, "Too many failed attempts; wait " + e.retryAfterSeconds() + " seconds and try again.", 429);
        }
        return Response.seeOther(URI.create(safe(next)))
                .cookie(SessionResource.cookie(
                        request, made.cookie(), made.session().expiresAt()))
                .build();
    }

    @POST
    @Path("logout")
    public Response logout(@CookieParam(Authentication.COOKIE) String cookie) {
        page.sameOrigin("log in or out");
        if (cookie != null && !cookie.isEmpty() && cookie.length() <= 200) {
            identities.logout(cookie);
        }
        return Response.seeOther(URI.create("/"))
                .cookie(SessionResource.expired())
                .build();
    }

    private Response form(String next, String error, int status) {
        Map<String, Object> scope = page.scope("Log in");
        scope.put("next", safe(next));
        scope.put("error", error);
        return Response.status(status)
                .type(PageContext.HTML)
                .entity(page.render("login.mustache", scope))
                .build();
    }

    /** Only a path on this server: never another site (an open redirect). */
    static String safe(String next) {
        if (next == null
                || !next.startsWith("/")
                || next.startsWith("//")
                || next.startsWith("/\\")
                || next.length() > 4000
                || next.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return next;
    }
}
