package dev.cairn.registry.boundary;

import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.QueryParameters;
import dev.cairn.platform.ServerAddress;
import dev.cairn.registry.control.Arrivals;
import dev.cairn.registry.control.AssetJson;
import dev.cairn.registry.control.AssetNotes;
import dev.cairn.registry.control.Registry;
import dev.cairn.registry.control.RegistryAliases;
import dev.cairn.registry.control.RegistryChanges;
import dev.cairn.registry.control.RegistryQueries;
import dev.cairn.registry.control.RegistryViews;
import dev.cairn.registry.control.TableData;
import dev.cairn.registry.control.Validation;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.StoreAccess;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry core beyond AIOS's API, under {@code /api/catalogs/{cid}/registry}: an asset with its
 * aliases, relationships and executions; the versions of a name, newest first; aliases moved
 * atomically with their history; relationships between assets; append-only annotations. Names
 * are addressed within a namespace ({@code ?namespace=}, the root by default). Typed assets add
 * namespaces, search, metrics, compatibility, references, tables written and read, and a
 * connection's secret. Access: reads need {@code select} on {@code deriva-ml:Registered_Asset}
 * (row rights, and so namespace grants, apply); writing a table needs {@code insert} there for its
 * namespace; moving aliases, annotating and reading a connection string need {@code update} on
 * the asset; relationships need {@code insert} on {@code Registered_Asset_Relationship}.
 */
@Path("/api/catalogs/{cid}/registry")
@Produces(MediaType.APPLICATION_JSON)
public class RegistryResource {

    @Inject
    CatalogRequest context;

    @Inject
    RegistryAliases aliases;

    @Inject
    AssetNotes notes;

    @Inject
    Registry registry;

    @Inject
    RegistryChanges changes;

    @Inject
    RegistryQueries registryQueries;

    @Inject
    Caller caller;

    @Inject
    RegistryViews views;

    @Inject
    Arrivals arrivals;

    @Inject
    TableData tables;

    @Inject
    StoreAccess storeAccess;

    @Inject
    ObjectStore store;

    @Context
    HttpServletRequest request;

    @GET
    @Path("assets/{id}")
    public JsonObject asset(@PathParam("id") String id) {
        return registryQueries.get(context.ml().id(), id);
    }

    @GET
    @Path("names/{name}/versions")
    public JsonArray versions(
            @PathParam("name") String name, @QueryParam("namespace") @DefaultValue("") String namespace) {
        return registryQueries.versions(context.ml().id(), namespace, name);
    }

    @GET
    @Path("names/{name}/aliases")
    public JsonArray aliases(
            @PathParam("name") String name, @QueryParam("namespace") @DefaultValue("") String namespace) {
        return aliases.aliases(context.ml().id(), namespace, name);
    }

    /** The alias now and every move it made (who, when, from, to). */
    @GET
    @Path("names/{name}/aliases/{alias}")
    public JsonObject alias(
            @PathParam("name") String name,
            @PathParam("alias") String alias,
            @QueryParam("namespace") @DefaultValue("") String namespace) {
        return aliases.alias(context.ml().id(), namespace, name, alias);
    }

    /** Points the alias at {@code {"asset_id": ...}}, a version of the name; one atomic move, recorded. */
    @PUT
    @Path("names/{name}/aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject setAlias(
            @PathParam("name") String name,
            @PathParam("alias") String alias,
            @QueryParam("namespace") @DefaultValue("") String namespace,
            JsonObject body) {
        caller.requireWriteScope();
        String asset =
                JsonBodies.required(JsonBodies.object(body, "{\"asset_id\": \"1-ABCD\"}", "asset_id"), "asset_id");
        return aliases.setAlias(context.ml().id(), namespace, name, alias, MlSql.rid("asset_id", asset));
    }

    @DELETE
    @Path("names/{name}/aliases/{alias}")
    public Response removeAlias(
            @PathParam("name") String name,
            @PathParam("alias") String alias,
            @QueryParam("namespace") @DefaultValue("") String namespace) {
        caller.requireWriteScope();
        aliases.removeAlias(context.ml().id(), namespace, name, alias);
        return Response.noContent().build();
    }

    /** {@code {"relationship": "derived_from", "related_asset": "1-ABCD"}}: this asset is derived from that one. */
    @POST
    @Path("assets/{id}/relationships")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response relate(@PathParam("cid") String cid, @PathParam("id") String id, JsonObject body) {
        caller.requireWriteScope();
        JsonObject b = JsonBodies.object(
                body,
                "{\"relationship\": \"derived_from\", \"related_asset\": \"1-ABCD\"}",
                "relationship",
                "related_asset");
        JsonObject created = notes.relate(
                context.ml().id(),
                MlSql.rid("asset_id", id),
                JsonBodies.required(b, "relationship"),
                JsonBodies.required(b, "related_asset"));
        return Response.created(URI.create("/api/catalogs/" + cid + "/registry/assets/" + id))
                .entity(created)
                .build();
    }

    @GET
    @Path("assets/{id}/annotations")
    public JsonArray annotations(@PathParam("id") String id) {
        return notes.annotations(context.ml().id(), id);
    }

    /** {@code {"note": "..."}}: appends a note with its author and time; notes never change. */
    @POST
    @Path("assets/{id}/annotations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response annotate(@PathParam("id") String id, JsonObject body) {
        caller.requireWriteScope();
        JsonObject b = JsonBodies.object(body, "{\"note\": \"checked by hand\"}", "note");
        if (!(b.get("note") instanceof JsonString)) {
            throw new CairnException.BadRequest("\"note\" is a string.");
        }
        return Response.status(201)
                .entity(notes.annotate(context.ml().id(), MlSql.rid("asset_id", id), b.getString("note")))
                .build();
    }

    // ---- typed assets (Pangolin, the Asset Manager design and flowyml)

    /** Pangolin's namespaces: each with its parent and counts, at and below {@code ?under=} (all by default). */
    @GET
    @Path("namespaces")
    public JsonArray namespaces(@QueryParam("under") @DefaultValue("") String under) {
        return views.namespaces(context.ml().id(), under);
    }

    /**
     * Ranked search: {@code ?q=} words (web-search syntax), {@code ?limit=} (default 100), and any
     * other parameter a filter: {@code kind}, {@code namespace} (and below), {@code tag},
     * {@code name}, or a metadata key ({@code framework}, {@code deployment_status},
     * {@code performance.accuracy}...).
     */
    @GET
    @Path("search")
    @QueryParameters.Accepts("*")
    public JsonArray search(@Context UriInfo uri) {
        long id = context.ml().id();
        Map<String, String> filters = new LinkedHashMap<>();
        String q = null;
        int limit = 100;
        for (Map.Entry<String, List<String>> p : uri.getQueryParameters().entrySet()) {
            String value = p.getValue().get(0);
            switch (p.getKey()) {
                case "q" -> q = value;
                case "limit" -> limit = QueryParameters.number("limit", value, 100, 1, Registry.MAX_PAGE);
                default -> filters.put(p.getKey(), value);
            }
        }
        if (filters.size() > 32) {
            throw new CairnException.BadRequest("A search takes at most 32 filters.");
        }
        return views.search(id, q, filters, limit);
    }

    /**
     * flowyml's metrics compared: {@code ?assets=ID,ID} or {@code ?name=} (every version, with
     * {@code ?namespace=}), and {@code ?names=accuracy,f1} (all by default).
     */
    @GET
    @Path("metrics")
    public JsonObject metrics(
            @QueryParam("names") String names,
            @QueryParam("assets") String assets,
            @QueryParam("name") String name,
            @QueryParam("namespace") @DefaultValue("") String namespace) {
        return views.metrics(context.ml().id(), split(names), split(assets), namespace, name);
    }

    /**
     * Whether a model's input specs are met by a dataset's specs (the cz-benchmarks Asset Manager
     * design): {@code ?model=REF&dataset=REF}.
     */
    @GET
    @Path("compatibility")
    public JsonObject compatibility(@QueryParam("model") String model, @QueryParam("dataset") String dataset) {
        long id = context.ml().id();
        if (model == null || dataset == null) {
            throw new CairnException.BadRequest("Name both: ?model=REF&dataset=REF (asset ids or asset_uris).");
        }
        JsonObject m = registryQueries.find(id, model);
        JsonObject d = registryQueries.find(id, dataset);
        List<String> problems = Validation.compatibility(m, d);
        return JsonBodies.JSON
                .createObjectBuilder()
                .add("model", m.getString("asset_id"))
                .add("dataset", d.getString("asset_id"))
                .add("compatible", problems.isEmpty())
                .add("problems", JsonBodies.JSON.createArrayBuilder(problems))
                .build();
    }

    /**
     * The asset a reference names: an id, an asset_uri, a bare name (latest), optionally {@code
     * @snapshot-<snaptime>} or {@code @YYYY-MM-DD}.
     */
    @GET
    @Path("resolve")
    public JsonObject resolve(@QueryParam("ref") String ref) {
        return registryQueries.find(context.ml().id(), ref);
    }

    /**
     * Pangolin's {@code write}: the posted table (text/csv, application/json array, application/x-ndjson
     * or Parquet) becomes a new CSV or Parquet asset ({@code ?format=}, parquet by default), inspected
     * and validated like any upload.
     */
    @POST
    @Path("tables")
    @Consumes(MediaType.WILDCARD)
    public Response write(
            @PathParam("cid") String cid,
            @QueryParam("name") String name,
            @QueryParam("version") String version,
            @QueryParam("tag") @DefaultValue("") String tag,
            @QueryParam("namespace") @DefaultValue("") String namespace,
            @QueryParam("format") @DefaultValue("parquet") String format,
            @QueryParam("kind") String kind,
            @QueryParam("description") String description,
            @QueryParam("declarative_schema") String schema,
            @QueryParam("compression") String compression,
            @QueryParam("location") String location,
            @HeaderParam("Content-Type") String contentType,
            InputStream body) {
        long id = context.ml().id();
        caller.requireWriteScope();
        TableData.Format as = TableData.Format.of(format, "?format=");
        if (name == null || name.isEmpty()) {
            throw new CairnException.BadRequest(
                    "Name the table: ?name=... (no '/'; the path goes in ?namespace=), and ?version= unless it "
                            + "is to get the next one.");
        }
        AssetJson.checkName(name, version == null || version.isEmpty() ? null : version, tag);
        Registry.Asset asset = new Registry.Asset(
                namespace,
                name,
                version == null || version.isEmpty() ? null : version,
                tag,
                null,
                null,
                null,
                null,
                kind == null ? (as == TableData.Format.PARQUET ? "Parquet" : "CSV") : kind,
                description,
                null,
                Registry.Typed.withSchema(schema));
        String objectName =
                location == null || location.isEmpty() ? null : objectName(id, location, name + as.extension);
        Arrivals.Plan plan = arrivals.plan(id, asset);
        JsonObject created = tables.write(
                id,
                plan,
                body,
                contentType,
                as,
                compression,
                objectName,
                ServerAddress.of(request) + "/aios/" + id + "/asset-object/");
        return Response.created(
                        URI.create("/api/catalogs/" + cid + "/registry/assets/" + created.getString("asset_id")))
                .entity(created)
                .build();
    }

    /**
     * Pangolin's {@code location}: a namespace of this catalog's part of the store where the table
     * is kept as {@code {location}/{name}.{format}}, for callers who may create there. Either a
     * Hatrac URL ({@code /hatrac/{cid}/...}) or, when the store is S3, an {@code s3://} URL inside
     * Cairn's bucket and prefix ({@code s3://bucket/prefix/{cid}/...}), which names the same
     * namespace (the bytes are kept by content in the bucket, and read through Cairn).
     */
    private String objectName(long catalogId, String location, String filename) {
        if (location.startsWith("s3://")) {
            location = store.nameOfS3Url(location)
                    .map(name -> "/hatrac" + name)
                    .orElseThrow(() -> new CairnException.BadRequest(
                            "An s3:// location must be inside the bucket (and prefix) of Cairn's own store, which must be S3 (CAIRN_STORE=s3); "
                                    + "Cairn writes to no other bucket. A Hatrac namespace (/hatrac/" + catalogId
                                    + "/...) works on any store."));
        }
        if (!location.startsWith("/hatrac/" + catalogId + "/") && !location.equals("/hatrac/" + catalogId)) {
            throw new CairnException.BadRequest("?location= names a namespace of this catalog's store: /hatrac/"
                    + catalogId + "/..., or " + "on an S3 store s3://<its bucket>/<its prefix>/" + catalogId
                    + "/...; not '" + location + "'.");
        }
        HatracPath path =
                HatracPath.parse(location.substring("/hatrac".length()).replaceAll("/+$", ""));
        if (path.version() != null || path.sub() != HatracPath.Sub.NONE) {
            throw new CairnException.BadRequest("?location= names a namespace, not an object version or upload.");
        }
        String name = HatracPath.nameOf(
                List.of((path.name() + "/" + filename).substring(1).split("/")));
        storeAccess.requireWrite(storeAccess.target(name, null));
        return name;
    }

    /**
     * Pangolin's {@code read} by name: the rows of the table a reference names ({@code
     * namespace/name}, with {@code :version} or not).
     */
    @GET
    @Path("tables/{ref: .+}")
    @Produces(MediaType.WILDCARD)
    public Response readByName(@PathParam("ref") String ref, @QueryParam("format") @DefaultValue("csv") String format) {
        return read(registryQueries.find(context.ml().id(), ref).getString("asset_id"), format);
    }

    /**
     * Pangolin's {@code read}: a tabular asset's rows as {@code ?format=} csv, json (an array), jsonl
     * or parquet, streamed.
     */
    @GET
    @Path("assets/{id}/data")
    @Produces(MediaType.WILDCARD)
    public Response read(@PathParam("id") String assetId, @QueryParam("format") @DefaultValue("csv") String format) {
        long id = context.ml().id();
        TableData.Format as = TableData.Format.of(format, "?format=");
        registryQueries.get(id, MlSql.rid("asset_id", assetId)); // 404 before the stream starts
        StreamingOutput out = sink -> tables.read(id, assetId, as, sink);
        return Response.ok(out, as.mediaType)
                .header("Content-Disposition", "attachment; filename=\"" + assetId + as.extension + "\"")
                .build();
    }

    /**
     * A Database_Connection asset's connection string, for callers with the update right on the asset;
     * never cached.
     */
    @GET
    @Path("assets/{id}/connection")
    public Response connection(@PathParam("id") String assetId) {
        String secret = changes.connectionString(context.ml().id(), MlSql.rid("asset_id", assetId));
        return Response.ok(JsonBodies.JSON
                        .createObjectBuilder()
                        .add("asset_id", assetId)
                        .add("connection_string", secret)
                        .build())
                .header("Cache-Control", "no-store")
                .build();
    }

    private static List<String> split(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        List<String> out = Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .distinct()
                .toList();
        if (out.size() > 1_000) {
            throw new CairnException.BadRequest("A list names at most 1000 items.");
        }
        return out;
    }
}
