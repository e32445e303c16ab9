package dev.cairn.security.boundary;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.JsonBodies;
import dev.cairn.security.boundary.IdentityViews.TokenView;
import dev.cairn.security.control.Identities;
import dev.cairn.security.entity.User;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The calling user's personal API tokens. Access: any logged-in user, for its own tokens; a token
 * scoped to catalogs or read-only cannot make or revoke tokens (it would widen itself).
 */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokensResource {

    @Inject
    Identities identities;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonObject body) {
        String username = unscopedUser("Making a token");
        if (body == null) {
            throw new CairnException.BadRequest(
                    "Send {\"name\": ..., \"expires\": ISO-8601 time, \"scopes\": {\"catalogs\": [...], \"read_only\": true}}.");
        }
        JsonBodies.only(body, "A token", "name", "expires", "scopes");
        OffsetDateTime expires = JsonBodies.optionalTime(body, "expires");
        Set<Long> catalogs = null;
        boolean readOnly = false;
        JsonValue scopes = body.get("scopes");
        if (scopes != null && scopes != JsonValue.NULL) {
            if (!(scopes instanceof JsonObject scope)) {
                throw new CairnException.BadRequest(
                        "\"scopes\" is an object: {\"catalogs\": [ids], \"read_only\": true}.");
            }
            JsonBodies.only(scope, "\"scopes\"", "catalogs", "read_only");
            readOnly = Boolean.TRUE.equals(JsonBodies.optionalBoolean(scope, "read_only"));
            JsonValue ids = scope.get("catalogs");
            if (ids != null && ids != JsonValue.NULL) {
                if (!(ids instanceof JsonArray array)
                        || array.isEmpty()
                        || array.size() > 1000
                        || !array.stream()
                                .allMatch(v -> v instanceof JsonNumber n && n.isIntegral() && n.longValue() > 0)) {
                    throw new CairnException.BadRequest("\"catalogs\" is a non-empty array of catalog ids.");
                }
                catalogs = new TreeSet<>(array.getValuesAs(JsonNumber.class).stream()
                        .map(JsonNumber::longValue)
                        .toList());
            }
        }
        Identities.NewToken made =
                identities.createToken(username, JsonBodies.optionalString(body, "name"), expires, catalogs, readOnly);
        return Response.created(URI.create("/api/tokens/" + made.token().id()))
                .entity(TokenView.of(made.token(), made.secret()))
                .build();
    }

    @GET
    public List<TokenView> list() {
        caller.requireLogin("Listing tokens");
        return identities.tokens(username()).stream()
                .map(t -> TokenView.of(t, null))
                .toList();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        unscopedUser("Revoking a token");
        identities.revokeToken(id, username(), caller.administrator());
        return Response.noContent().build();
    }

    private String unscopedUser(String what) {
        caller.requireLogin(what);
        Caller.Identity identity = caller.identity();
        if (identity.readOnly() || identity.catalogs() != null) {
            throw new CairnException.Forbidden(ErrorCode.TOKEN_SCOPE, what + " needs a login or an unscoped token.");
        }
        return username();
    }

    private String username() {
        return caller.client().id().substring(User.ID_PREFIX.length());
    }
}
