package dev.cairn.registry.boundary;

import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.QueryParameters;
import dev.cairn.platform.ReadByPost;
import dev.cairn.registry.control.AssetsDbs;
import dev.cairn.registry.control.MongoFilter;
import dev.cairn.registry.control.Registry;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * AIOS's registry of Assets DBs at {@code /aios/}. Access: anyone reads and queries (it is a
 * directory); logged-in clients with a write scope add entries and run health checks; the client
 * that added an entry, or an administrator, changes or removes it.
 */
@Path("/aios")
@Produces(MediaType.APPLICATION_JSON)
public class AssetsDbRegistryResource {

    @Inject
    AssetsDbs assetsDbs;

    @GET
    @Path("health")
    public JsonObject health() {
        return JsonBodies.JSON
                .createObjectBuilder()
                .add("status", "healthy")
                .add("service", "cairn-aios-registry")
                .build();
    }

    @POST
    @Path("asset_registry")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonObject body) {
        JsonObject created = assetsDbs.create(body, null, null);
        return Response.created(URI.create("/aios/asset_registry/" + created.getString("asset_registry_id")))
                .entity(created)
                .build();
    }

    @GET
    @Path("asset_registry/{id}")
    public JsonObject get(@PathParam("id") String id) {
        return assetsDbs.get(id);
    }

    @PUT
    @Path("asset_registry/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject update(@PathParam("id") String id, JsonObject body) {
        return assetsDbs.update(id, body == null ? JsonValue.EMPTY_JSON_OBJECT : body);
    }

    @DELETE
    @Path("asset_registry/{id}")
    public JsonObject delete(@PathParam("id") String id) {
        assetsDbs.delete(id);
        return JsonBodies.JSON.createObjectBuilder().add("deleted", id).build();
    }

    /** The entries a MongoDB-style query matches, by id; {@code ?limit} (default 1000) and {@code ?after=id} page. */
    @POST
    @ReadByPost
    @Path("asset_registries")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonArray query(@QueryParam("limit") String limit, @QueryParam("after") String after, JsonObject body) {
        return assetsDbs.query(
                MongoFilter.parse(body == null ? JsonValue.EMPTY_JSON_OBJECT : body),
                after,
                QueryParameters.number("limit", limit, 1_000, 1, Registry.MAX_PAGE));
    }

    @GET
    @Path("check_health/{id}")
    public JsonObject checkHealth(@PathParam("id") String id) {
        return assetsDbs.checkHealth(id);
    }
}
