package dev.cairn.dataset.boundary;

import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.dataset.control.Bags;
import dev.cairn.dataset.control.DatasetDiff;
import dev.cairn.dataset.control.DatasetVersion;
import dev.cairn.dataset.control.Datasets;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.QueryParameters;
import dev.cairn.platform.ServerAddress;
import dev.cairn.store.boundary.ObjectResponses;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.VersionInfo;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Datasets (DerivaML's dataset API) under {@code /api/catalogs/{cid}/datasets}: datasets and their
 * types, element types, members, versions, diffs and bags. Access: reading needs {@code select} on
 * {@code deriva-ml:Dataset}, and members, diffs and bags show only the rows the client may read;
 * creating needs {@code insert} on it; changing a dataset (types, members, dev, release, delete)
 * needs {@code update} on it, and adding or removing members {@code insert} or {@code delete} on
 * the element's association; a new element type needs the right to create tables in the table's
 * schema.
 */
@Path("/api/catalogs/{cid}/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetsResource {

    @Inject
    CatalogRequest context;

    @Inject
    Datasets datasets;

    @Inject
    DatasetDiff diffs;

    @Inject
    Bags bags;

    @Inject
    Models models;

    @Inject
    ObjectStore store;

    @Inject
    Caller caller;

    @Context
    HttpServletRequest request;

    @Context
    HttpHeaders headers;

    // ---- datasets

    /** {@code {"description", "types": [...]}}: 201 with the dataset at version 0.1.0. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonObject body) {
        JsonObject in = JsonBodies.object(
                body, "{\"description\": \"...\", \"types\": [\"Training\"]}", "description", "types");
        long id = context.requireMl("insert", "Dataset");
        String rid = datasets.create(
                id, JsonBodies.optionalString(in, "description"), JsonBodies.strings(in, "types"), caller.client());
        return Response.created(URI.create("/api/catalogs/" + id + "/datasets/" + rid))
                .entity(datasets.get(id, rid))
                .build();
    }

    @GET
    @QueryParameters.Accepts({"deleted"})
    public JsonArray list(@QueryParam("deleted") String deleted) {
        long id = context.requireMl("select", "Dataset");
        return datasets.list(id, QueryParameters.flag("deleted", deleted, false), context.guard());
    }

    @GET
    @Path("{rid: [0-9A-Z-]+}")
    public JsonObject get(@PathParam("rid") String rid) {
        long id = context.requireMl("select", "Dataset");
        return datasets.get(id, rid, context.guard());
    }

    /** Withdraws the dataset (it stays, with {@code Deleted}); 409 while another dataset nests it. */
    @DELETE
    @Path("{rid: [0-9A-Z-]+}")
    public Response delete(@PathParam("rid") String rid) {
        datasets.delete(context.requireMl("update", "Dataset"), rid, caller.client());
        return Response.noContent().build();
    }

    /** {@code {"add": [...], "remove": [...]}}: Dataset_Type terms. */
    @POST
    @Path("{rid: [0-9A-Z-]+}/types")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject types(@PathParam("rid") String rid, JsonObject body) {
        JsonObject in =
                JsonBodies.object(body, "{\"add\": [\"Training\"], \"remove\": [\"Testing\"]}", "add", "remove");
        return datasets.types(
                context.requireMl("update", "Dataset"),
                rid,
                JsonBodies.strings(in, "add"),
                JsonBodies.strings(in, "remove"),
                caller.client());
    }

    // ---- element types

    @GET
    @Path("element-types")
    public JsonArray elementTypes() {
        JsonArrayBuilder out = JsonBodies.JSON.createArrayBuilder();
        datasets.elementTypes(context.requireMl("select", "Dataset")).forEach(t -> out.add(Datasets.describe(t)));
        return out.build();
    }

    /** {@code {"table": "Image"}} (or {@code schema:Image}): 201 with the new element type, 200 when it exists. */
    @POST
    @Path("element-types")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addElementType(JsonObject body) {
        JsonObject in = JsonBodies.object(body, "{\"table\": \"Image\"}", "table");
        long id = context.requireMl("select", "Dataset");
        String name = JsonBodies.required(in, "table");
        ModelIndex model = models.index(id);
        int colon = name.indexOf(':');
        ModelIndex.Table table =
                colon > 0 ? model.table(name.substring(0, colon), name.substring(colon + 1)) : model.table(null, name);
        boolean exists = datasets.elementTypes(model).stream()
                .anyMatch(t -> t.key().equals(table.schema() + ":" + table.name()));
        context.requireCreate(table.schema());
        JsonObject type = Datasets.describe(datasets.addElementType(id, table, caller.client()));
        return Response.status(exists ? 200 : 201).entity(type).build();
    }

    // ---- members

    /**
     * {@code {"members": ["RID", ...]}} (each RID's table is found) or
     * {@code {"members": {"Image": ["RID", ...]}}}, with an optional {@code description} for the
     * dev version the change makes.
     */
    @POST
    @Path("{rid: [0-9A-Z-]+}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject addMembers(@PathParam("rid") String rid, JsonObject body) {
        return changeMembers(rid, body, true);
    }

    /**
     * The same body as adding: the members named are removed. (A POST: Payara refuses a DELETE
     * with a body before Cairn sees it.)
     */
    @POST
    @Path("{rid: [0-9A-Z-]+}/members/remove")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject removeMembers(@PathParam("rid") String rid, JsonObject body) {
        return changeMembers(rid, body, false);
    }

    /** Removes one member. */
    @DELETE
    @Path("{rid: [0-9A-Z-]+}/members/{member: [0-9A-Z-]+}")
    public JsonObject removeMember(@PathParam("rid") String rid, @PathParam("member") String member) {
        return changeMembers(
                rid,
                JsonBodies.JSON
                        .createObjectBuilder()
                        .add("members", JsonBodies.JSON.createArrayBuilder().add(member))
                        .build(),
                false);
    }

    private JsonObject changeMembers(String rid, JsonObject body, boolean add) {
        JsonObject in = JsonBodies.object(body, "{\"members\": [\"1-ABCD\"]}", "members", "description");
        long id = context.requireMl("update", "Dataset");
        Map<String, List<String>> byTable = new LinkedHashMap<>();
        List<String> rids = List.of();
        JsonValue members = in.get("members");
        if (members instanceof JsonObject tables) {
            tables.forEach((table, list) -> byTable.put(table, JsonBodies.strings(tables, table)));
        } else if (members != null && members.getValueType() == JsonValue.ValueType.ARRAY) {
            rids = JsonBodies.strings(in, "members");
        } else {
            throw new CairnException.BadRequest(
                    "\"members\" is a list of RIDs or an object of lists of RIDs by table.");
        }
        List<Datasets.ElementType> types = datasets.elementTypes(id);
        for (String table : byTable.keySet()) {
            Datasets.ElementType type = datasets.elementType(types, table);
            context.require(
                    add ? "insert" : "delete",
                    type.association().schema(),
                    type.association().name());
        }
        if (!rids.isEmpty()) {
            for (Datasets.ElementType type : types) {
                context.require(
                        add ? "insert" : "delete",
                        type.association().schema(),
                        type.association().name());
            }
        }
        Datasets.Changed changed = datasets.changeMembers(
                id, rid, byTable, rids, add, JsonBodies.optionalString(in, "description"), caller.client());
        return JsonBodies.JSON
                .createObjectBuilder()
                .add(add ? "added" : "removed", changed.count())
                .add(
                        "Version",
                        changed.version() == null ? JsonValue.NULL : JsonBodies.JSON.createValue(changed.version()))
                .build();
    }

    /**
     * Without {@code table}: member counts per element type; with it, a page of member rows in RID
     * order ({@code after}, {@code limit}). {@code recurse=true} includes nested datasets'
     * members; {@code version} reads at that version's snapshot.
     */
    @GET
    @Path("{rid: [0-9A-Z-]+}/members")
    @QueryParameters.Accepts({"table", "recurse", "version", "after", "limit"})
    public JsonObject members(
            @PathParam("rid") String rid,
            @QueryParam("table") String table,
            @QueryParam("recurse") String recurse,
            @QueryParam("version") String version,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        long id = context.requireMl("select", "Dataset");
        return datasets.members(
                id,
                rid,
                datasets.pin(id, rid, version),
                table,
                QueryParameters.flag("recurse", recurse, false),
                after,
                QueryParameters.number("limit", limit, 1000, 1, Datasets.MAX_PAGE),
                context.guard());
    }

    // ---- versions

    @GET
    @Path("{rid: [0-9A-Z-]+}/versions")
    public JsonArray versions(@PathParam("rid") String rid) {
        return datasets.versions(context.requireMl("select", "Dataset"), rid);
    }

    /** DerivaML's {@code mark_dev}: {@code {"description"}} (optional). */
    @POST
    @Path("{rid: [0-9A-Z-]+}/dev")
    public JsonObject dev(@PathParam("rid") String rid, JsonObject body) {
        JsonObject in = body == null ? JsonValue.EMPTY_JSON_OBJECT : JsonBodies.object(body, "{}", "description");
        Datasets.Changed changed = datasets.markDev(
                context.requireMl("update", "Dataset"),
                rid,
                JsonBodies.optionalString(in, "description"),
                caller.client());
        return JsonBodies.JSON
                .createObjectBuilder()
                .add("Version", changed.version())
                .build();
    }

    /** {@code {"bump": "major" | "minor" | "patch", "description", "execution"}}: the released version. */
    @POST
    @Path("{rid: [0-9A-Z-]+}/release")
    public JsonObject release(@PathParam("rid") String rid, JsonObject body) {
        JsonObject in = body == null
                ? JsonValue.EMPTY_JSON_OBJECT
                : JsonBodies.object(
                        body, "{\"bump\": \"minor\", \"description\": \"...\"}", "bump", "description", "execution");
        long id = context.requireMl("update", "Dataset");
        context.require("update", MlSql.ML, "Dataset_Version");
        return datasets.release(
                id,
                rid,
                DatasetVersion.bump(JsonBodies.optionalString(in, "bump")),
                JsonBodies.optionalString(in, "description"),
                JsonBodies.optionalString(in, "execution"),
                caller.client());
    }

    /**
     * What changed between two versions ({@code to} defaults to the current state): members added
     * and removed per element type, and rows reachable from the dataset added, changed or deleted.
     */
    @GET
    @Path("{rid: [0-9A-Z-]+}/diff")
    @QueryParameters.Accepts({"from", "to", "limit"})
    public JsonObject diff(
            @PathParam("rid") String rid,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") String limit) {
        long id = context.requireMl("select", "Dataset");
        if (from == null) {
            throw new CairnException.BadRequest("Name the version to compare from: ?from=0.1.0.");
        }
        return diffs.diff(
                id,
                rid,
                datasets.pin(id, rid, from),
                datasets.pin(id, rid, to),
                QueryParameters.number("limit", limit, 1000, 1, Datasets.MAX_PAGE),
                context.guard());
    }

    // ---- bags

    /**
     * The dataset as a BagIt zip: {@code version} (a release, {@code dev}, or by default the current
     * one) and {@code materialize} (files inside, or listed in fetch.txt). A released version's
     * bag is built once and kept: it is served with an entity tag and byte ranges;
     * {@code Cache-Control: no-cache} builds it again (the same bytes).
     */
    @GET
    @Path("{rid: [0-9A-Z-]+}/bag")
    @Produces({"application/zip", MediaType.APPLICATION_JSON})
    @QueryParameters.Accepts({"version", "materialize"})
    public Response bag(
            @PathParam("rid") String rid,
            @QueryParam("version") String version,
            @QueryParam("materialize") String materialize)
            throws IOException {
        long id = context.requireMl("select", "Dataset");
        datasets.get(id, rid, context.guard());
        Bags.Request bag = new Bags.Request(
                id,
                rid,
                datasets.pin(id, rid, version),
                QueryParameters.flag("materialize", materialize, true),
                ServerAddress.of(request),
                context.guard());
        String disposition = "attachment; filename=\"" + Bags.name(bag) + ".zip\"";
        boolean keep = bag.pinned().released() && bags.unrestricted(id, bag.guard());
        String cacheControl = headers.getHeaderString("Cache-Control");
        boolean rebuild = cacheControl != null && cacheControl.contains("no-cache");
        if (keep && !rebuild) {
            VersionInfo kept = bags.kept(bag).orElse(null);
            if (kept == null
                    && (headers.getHeaderString("Range") != null || headers.getHeaderString("If-None-Match") != null)) {
                kept = bags.buildAndKeep(bag);
            }
            if (kept != null) {
                return Response.fromResponse(ObjectResponses.content(store, kept, headers, false))
                        .header("Content-Location", null)
                        .header("Content-Disposition", disposition)
                        .build();
            }
        }
        StreamingOutput body = keep ? out -> bags.writeAndKeep(bag, out) : out -> bags.write(bag, out);
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", disposition)
                .header("Accept-Ranges", "none")
                .header("Vary", "Authorization, Cookie")
                .build();
    }
}
