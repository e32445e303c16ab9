package dev.cairn.grant.boundary;

import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.grant.control.Grants;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.QueryParameters;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Grants on a catalog, its schemas and its namespaces: {@code POST} {@code {"principal", "role":
 * "READ" | "READ_WRITE" | "ADMIN", "scope": "catalog" | "schema:NAME" | "/hatrac/..." |
 * "registry:NAMESPACE" | "asset:ID",
 * "expires"}} ({@code ?pending=true} for a principal Cairn does not know),
 * {@code GET} lists them (read from the ACLs), {@code DELETE .../{id}} revokes one. Access: owners of
 * the scope (of the catalog to list).
 */
@Path("/api/catalogs/{cid}/grants")
@Produces(MediaType.APPLICATION_JSON)
public class GrantsResource {

    @Inject
    CatalogRequest context;

    @Inject
    Grants grants;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response grant(@QueryParam("pending") String pending, JsonObject body) {
        long id = context.catalog().id();
        if (body == null) {
            throw new CairnException.BadRequest(
                    "Send {\"principal\": \"group:curators\", \"role\": \"READ\", \"scope\": \"catalog\"}.");
        }
        JsonBodies.only(body, "A grant", "principal", "role", "scope", "expires");
        String roleName = JsonBodies.optionalString(body, "role");
        Grants.Role role;
        try {
            role = Grants.Role.valueOf(roleName == null ? "" : roleName);
        } catch (IllegalArgumentException e) {
            throw new CairnException.BadRequest("\"role\" is READ, READ_WRITE or ADMIN.");
        }
        OffsetDateTime expires = JsonBodies.optionalTime(body, "expires");
        Grants.Grant grant = grants.grant(
                id,
                JsonBodies.optionalString(body, "principal"),
                role,
                JsonBodies.optionalString(body, "scope"),
                expires,
                QueryParameters.flag("pending", pending, false));
        return Response.created(URI.create("/api/catalogs/" + id + "/grants/" + grant.id()))
                .entity(grant)
                .build();
    }

    @GET
    public List<Grants.Grant> list() {
        return grants.list(context.catalog().id());
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String grant) {
        grants.revoke(context.catalog().id(), grant);
        return Response.noContent().build();
    }
}
