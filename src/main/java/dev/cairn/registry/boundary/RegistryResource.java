package dev.cairn.registry.boundary;

import java.net.URI;

import dev.cairn.catalog.control.Catalogs;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.registry.control.Registry;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The registry core beyond seed 001, under {@code /api/catalogs/{cid}/registry}: an asset with its
 * aliases, relationships and executions; the versions of a name, newest first; aliases moved
 * atomically with their history; relationships between assets; append-only annotations. Names
 * are addressed within a namespace ({@code ?namespace=}, the root by default). Access: reads need
 * {@code select} on {@code deriva-ml:Registered_Asset}; moving aliases and annotating need
 * {@code update} on the asset; relationships need {@code insert} on
 * {@code Registered_Asset_Relationship}.
 */
@Path("/api/catalogs/{cid}/registry")
@Produces(MediaType.APPLICATION_JSON)
public class RegistryResource {

    @Inject
    Catalogs catalogs;

    @Inject
    Registry registry;

    @Inject
    Caller caller;

    @GET
    @Path("assets/{id}")
    public JsonObject asset(@PathParam("cid") String cid, @PathParam("id") String id) {
        return registry.get(catalogs.ml(cid).id(), id);
    }

    @GET
    @Path("names/{name}/versions")
    public JsonArray versions(@PathParam("cid") String cid, @PathParam("name") String name,
                              @QueryParam("namespace") @DefaultValue("") String namespace) {
        return registry.versions(catalogs.ml(cid).id(), namespace, name);
    }

    @GET
    @Path("names/{name}/aliases")
    public JsonArray aliases(@PathParam("cid") String cid, @PathParam("name") String name,
                             @QueryParam("namespace") @DefaultValue("") String namespace) {
        return registry.aliases(catalogs.ml(cid).id(), namespace, name);
    }

    /** The alias now and every move it made (who, when, from, to). */
    @GET
    @Path("names/{name}/aliases/{alias}")
    public JsonObject alias(@PathParam("cid") String cid, @PathParam("name") String name, @PathParam("alias") String alias,
                            @QueryParam("namespace") @DefaultValue("") String namespace) {
        return registry.alias(catalogs.ml(cid).id(), namespace, name, alias);
    }

    /** Points the alias at {@code {"asset_id": ...}}, a version of the name; one atomic move, recorded. */
    @PUT
    @Path("names/{name}/aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject setAlias(@PathParam("cid") String cid, @PathParam("name") String name, @PathParam("alias") String alias,
                               @QueryParam("namespace") @DefaultValue("") String namespace, JsonObject body) {
        caller.requireWriteScope();
        String asset = MlSql.required(MlSql.body(body, "{\"asset_id\": \"1-ABCD\"}", "asset_id"), "asset_id");
        return registry.setAlias(catalogs.ml(cid).id(), namespace, name, alias, MlSql.rid("asset_id", asset));
    }

    @DELETE
    @Path("names/{name}/aliases/{alias}")
    public Response removeAlias(@PathParam("cid") String cid, @PathParam("name") String name, @PathParam("alias") String alias,
                                @QueryParam("namespace") @DefaultValue("") String namespace) {
        caller.requireWriteScope();
        registry.removeAlias(catalogs.ml(cid).id(), namespace, name, alias);
        return Response.noContent().build();
    }

    /** {@code {"relationship": "derived_from", "related_asset": "1-ABCD"}}: this asset is derived from that one. */
    @POST
    @Path("assets/{id}/relationships")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response relate(@PathParam("cid") String cid, @PathParam("id") String id, JsonObject body) {
        caller.requireWriteScope();
        JsonObject b = MlSql.body(body, "{\"relationship\": \"derived_from\", \"related_asset\": \"1-ABCD\"}", "relationship", "related_asset");
        JsonObject created = registry.relate(catalogs.ml(cid).id(), MlSql.rid("asset_id", id), MlSql.required(b, "relationship"),
                MlSql.required(b, "related_asset"));
        return Response.created(URI.create("/api/catalogs/" + cid + "/registry/assets/" + id)).entity(created).build();
    }

    @GET
    @Path("assets/{id}/annotations")
    public JsonArray annotations(@PathParam("cid") String cid, @PathParam("id") String id) {
        return registry.annotations(catalogs.ml(cid).id(), id);
    }

    /** {@code {"note": "..."}}: appends a note with its author and time; notes never change. */
    @POST
    @Path("assets/{id}/annotations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response annotate(@PathParam("cid") String cid, @PathParam("id") String id, JsonObject body) {
        caller.requireWriteScope();
        JsonObject b = MlSql.body(body, "{\"note\": \"checked by hand\"}", "note");
        if (!(b.get("note") instanceof jakarta.json.JsonString)) {
            throw new CairnException.BadRequest("\"note\" is a string.");
        }
        return Response.status(201).entity(registry.annotate(catalogs.ml(cid).id(), MlSql.rid("asset_id", id), b.getString("note"))).build();
    }
}
