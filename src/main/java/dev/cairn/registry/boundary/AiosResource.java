package dev.cairn.registry.boundary;

import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.grant.control.Grants;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.FormParts;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.PathSegment;
import dev.cairn.platform.QueryParameters;
import dev.cairn.platform.ReadByPost;
import dev.cairn.platform.ServerAddress;
import dev.cairn.registry.control.Arrivals;
import dev.cairn.registry.control.AssetJson;
import dev.cairn.registry.control.AssetUri;
import dev.cairn.registry.control.AssetsDbs;
import dev.cairn.registry.control.MongoFilter;
import dev.cairn.registry.control.Registry;
import dev.cairn.registry.control.RegistryChanges;
import dev.cairn.registry.control.RegistryQueries;
import dev.cairn.store.boundary.ObjectResponses;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.StoreAccess;
import dev.cairn.store.control.VersionInfo;
import dev.cairn.store.entity.StoreName;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * AIOS's Assets DB API, verbatim, for one catalog at {@code /aios/{cid}/}. Access: reads need
 * {@code select} on {@code deriva-ml:Registered_Asset} (row rights apply), uploads and
 * registrations {@code insert}, changes {@code update}, deletes {@code delete}; a forced delete of
 * an asset in lineage needs catalog {@code owner}; registering the catalog in the registry of
 * Assets DBs needs catalog {@code owner}. {@code /health} answers anyone.
 */
@Path("/aios/{cid: (?!(asset_registry|asset_registries|check_health|health)(/|$))[^/]+}")
@Produces(MediaType.APPLICATION_JSON)
public class AiosResource {

    @Inject
    CatalogRequest context;

    private static final int MAX_METADATA = 1 << 20;
    private static final int DEFAULT_PAGE = 1_000;

    @Inject
    Registry registry;

    @Inject
    RegistryChanges changes;

    @Inject
    RegistryQueries registryQueries;

    @Inject
    AssetsDbs assetsDbs;

    @Inject
    Arrivals arrivals;

    @Inject
    Grants grants;

    @Inject
    ObjectStore store;

    @Inject
    StoreAccess storeAccess;

    @Inject
    Caller caller;

    @Context
    HttpServletRequest request;

    @Context
    UriInfo uriInfo;

    @GET
    @Path("health")
    public JsonObject health() {
        Catalog catalog = context.ml();
        var out = JsonBodies.JSON.createObjectBuilder().add("status", "healthy").add("service", "cairn-aios");
        // the id and number only to those who may read the catalog's registry: a private catalog stays private
        if (context.allowed("select") || context.allowed("select", MlSql.ML, Registry.TABLE)) {
            out.add("assets_db_id", registryQueries.assetsDbId(catalog.id())).add("catalog", catalog.id());
        }
        return out.build();
    }

    /**
     * {@code POST /upload_asset}: multipart {@code asset} (the file) and {@code asset_metadata} (the
     * AssetObject as JSON).
     */
    @POST
    @Path("upload_asset")
    public Response upload(
            @PathParam("cid") String cid, @HeaderParam("Content-Type") String contentType, InputStream body) {
        long id = context.ml().id();
        // the table's right, or a binding (a namespace grant) that may give it
        context.rows("insert", MlSql.ML, Registry.TABLE);
        caller.requireWriteScope();
        FormParts parts = new FormParts(contentType, body, 2);
        ObjectStore.Received received = null;
        String filename = null;
        String fileType = null;
        Arrivals.Plan plan = null;
        try {
            for (FormParts.Part part = parts.next(); part != null; part = parts.next()) {
                switch (part.name() == null ? "" : part.name()) {
                    case "asset" -> {
                        if (received != null) {
                            throw new CairnException.BadRequest("Send one 'asset' part.");
                        }
                        filename = part.filename() == null || part.filename().isBlank()
                                ? null
                                : part.filename().replaceAll(".*[/\\\\]", "");
                        if (filename != null
                                && (filename.length() > 255
                                        || filename.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f))) {
                            throw new CairnException.BadRequest("The file name '" + HatracPath.printable(filename)
                                    + "' has control characters or more than 255 characters; rename the file.");
                        }
                        fileType = part.contentType();
                        try (InputStream in = part.body()) {
                            received = store.receive(in);
                        }
                    }
                    case "asset_metadata" -> {
                        if (plan != null) {
                            throw new CairnException.BadRequest("Send one 'asset_metadata' part.");
                        }
                        JsonValue json;
                        try (InputStream in = part.body()) {
                            json = JsonBodies.parse(JsonBodies.text(in, MAX_METADATA));
                        }
                        if (json.getValueType() != JsonValue.ValueType.OBJECT) {
                            throw new CairnException.BadRequest("asset_metadata is a JSON object (the AssetObject).");
                        }
                        Registry.Asset asset = AssetJson.newAsset(json.asJsonObject(), "");
                        if (asset.publicUrl() != null && !asset.publicUrl().isEmpty()) {
                            throw new CairnException.BadRequest(
                                    "An uploaded asset's asset_public_url is assigned by the server.");
                        }
                        plan = arrivals.plan(id, asset); // before any byte is committed, whichever part came first
                    }
                    default ->
                        throw new CairnException.BadRequest("Unknown part '" + part.name()
                                + "': upload_asset takes 'asset' (the file) and 'asset_metadata' (JSON).");
                }
            }
            if (received == null || plan == null) {
                throw new CairnException.BadRequest(
                        "upload_asset needs an 'asset' part (the file, curl -F asset=@file) and an "
                                + "'asset_metadata' part (JSON).");
            }
            ObjectStore.Received arriving = received;
            received = null; // from here the arrival owns it
            return created(cid, arrivals.arrive(id, plan, arriving, filename, fileType, objectUrlBase(cid)));
        } catch (IOException e) {
            throw new CairnException.BadRequest("The upload could not be read: " + e.getMessage());
        } finally {
            if (received != null) {
                store.discard(received);
            }
        }
    }

    /**
     * {@code POST /asset}: registers an asset without uploading it: by {@code asset_public_url}
     * (external), by a version already in this store ({@code /hatrac/...}, e.g. a large file sent
     * through Hatrac's resumable chunked upload jobs), or with metadata only.
     */
    @POST
    @Path("asset")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@PathParam("cid") String cid, JsonObject body) {
        long id = context.ml().id();
        caller.requireWriteScope();
        Registry.Asset asset = AssetJson.newAsset(
                JsonBodies.object(
                        body,
                        "{\"asset_name\": \"SampleAsset\", \"asset_version\": "
                                + "{\"version\": \"1.0\", \"tag\": \"initial\"}}",
                        AssetJson.FIELDS.toArray(String[]::new)),
                "");
        Arrivals.Plan plan = arrivals.plan(id, asset);
        String url = asset.publicUrl();
        if (url != null && url.startsWith("/hatrac/")) {
            HatracPath path = HatracPath.parse(url.substring("/hatrac".length()));
            if (!path.name().startsWith("/" + id + "/")) {
                throw new CairnException.BadRequest("A stored asset's bytes must be under /hatrac/" + id + "/.");
            }
            if (!storeAccess.mayRead(storeAccess.target(path.name(), path.version()))) {
                throw caller.refused("Registering " + url + " needs the right to read it.");
            }
            if (path.version() == null
                    && path.sub() == HatracPath.Sub.NONE
                    && store.kindOf(path.name()) == StoreName.Kind.namespace) {
                // a directory of files (a Lance or Vortex dataset): registered by its namespace, its files stay where
                // they are
                return created(cid, arrivals.arriveWithout(id, plan));
            }
            VersionInfo v =
                    path.version() == null ? store.current(path.name()) : store.version(path.name(), path.version());
            return created(cid, arrivals.arriveStored(id, plan, v, objectUrlBase(cid)));
        }
        return created(cid, arrivals.arriveWithout(id, plan));
    }

    @GET
    @Path("asset/{uri: .+}")
    public JsonObject get(@PathParam("uri") String uri) {
        return registryQueries.resolve(context.ml().id(), AssetUri.parse(uri));
    }

    @PUT
    @Path("asset/{uri: .+}")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject update(@PathParam("uri") String uri, JsonObject body) {
        long id = context.ml().id();
        caller.requireWriteScope();
        if (body == null) {
            throw new CairnException.BadRequest("Send the fields to change, e.g. {\"asset_tags\": [\"updated\"]}.");
        }
        JsonObject asset = registryQueries.resolve(id, AssetUri.parse(uri));
        // the Asset Manager's set_access_control: the grants on this asset become exactly these ({} takes them all
        // back)
        Map<String, String> access = null;
        if (body.get("access_control") instanceof JsonObject given) {
            access = Objects.requireNonNullElse(AssetJson.accessControl(given), Map.of());
            grants.checkAssetGrants(id, access);
        }
        JsonObject updated = changes.update(id, asset.getString("asset_id"), body);
        if (access != null) {
            grants.setAssetGrants(id, asset.getString("asset_id"), access);
        }
        return strip(updated);
    }

    /** Deletes an asset; {@code ?force=true} (catalog owners) deletes one in lineage, keeping a tombstone. */
    @DELETE
    @Path("asset/{uri: .+}")
    public JsonObject delete(@PathParam("uri") String uri, @QueryParam("force") String forced) {
        boolean force = QueryParameters.flag("force", forced, false);
        long id = context.ml().id();
        caller.requireWriteScope();
        JsonObject asset = registryQueries.resolve(id, AssetUri.parse(uri));
        RegistryChanges.Deleted deleted = changes.delete(id, asset.getString("asset_id"), force);
        changes.release(deleted.url());
        return JsonBodies.JSON
                .createObjectBuilder()
                .add("deleted", asset.getString("asset_uri"))
                .add("asset_id", asset.getString("asset_id"))
                .add("tombstone", deleted.tombstone())
                .build();
    }

    /**
     * {@code POST /assets}: the assets a query matches (the equality form or MongoDB-style
     * filters), in {@code asset_id} order; {@code ?limit} (default 1000, at most 10000) and
     * {@code ?after=asset_id} page, and a {@code Link: rel="next"} header points at the next page.
     */
    @POST
    @ReadByPost
    @Path("assets")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response query(@QueryParam("limit") String limit, @QueryParam("after") String after, JsonObject body) {
        long id = context.ml().id();
        int page = QueryParameters.number("limit", limit, DEFAULT_PAGE, 1, Registry.MAX_PAGE);
        RegistryQueries.Page found = registryQueries.query(
                id, MongoFilter.parse(body == null ? JsonValue.EMPTY_JSON_OBJECT : body), after, page);
        Response.ResponseBuilder reply = Response.ok(found.json(), MediaType.APPLICATION_JSON_TYPE);
        if (found.count() == page) {
            reply.header(
                    "Link",
                    "<"
                            + uriInfo.getRequestUriBuilder()
                                    .replaceQueryParam("after", found.last())
                                    .replaceQueryParam("limit", page)
                                    .build()
                            + ">; rel=\"next\"");
        }
        return reply.build();
    }

    /**
     * The bytes of an asset ({@code Range}, {@code ETag}, {@code If-None-Match}); an external asset
     * redirects to its URL.
     */
    @GET
    @Path("asset-object/{id}")
    @Produces(MediaType.WILDCARD)
    public Response object(@PathParam("id") String assetId, @Context HttpHeaders headers) {
        return object(assetId, headers, false);
    }

    @HEAD
    @Path("asset-object/{id}")
    @Produces(MediaType.WILDCARD)
    public Response objectHead(@PathParam("id") String assetId, @Context HttpHeaders headers) {
        return object(assetId, headers, true);
    }

    private Response object(String assetId, HttpHeaders headers, boolean head) {
        long id = context.ml().id();
        MlSql.rid("asset_id", assetId);
        var version = registry.bytes(id, assetId);
        if (version.isPresent()) {
            return ObjectResponses.content(store, version.get(), headers, head);
        }
        JsonObject asset = registryQueries.get(id, assetId);
        String url = asset.isNull("url") ? "" : asset.getString("url");
        if (url.matches("(?i)https?://.*")) {
            return Response.seeOther(URI.create(url)).build();
        }
        throw new CairnException.NotFound("Asset " + assetId + " has no bytes in this store"
                + (url.isEmpty() ? "" : " (it is at " + url + ")") + ".");
    }

    /**
     * Registers this catalog in the registry of Assets DBs ({@code /aios/asset_registry}) under its
     * {@code assets_db_id}; repeating it updates the entry. The body may set the seed's
     * {@code asset_registry_name}, {@code _metadata} and {@code _tags}.
     */
    @POST
    @Path("register")
    public Response registerSelf(JsonObject body) {
        Catalog catalog = context.ml();
        context.require("owner");
        var entry = JsonBodies.JSON.createObjectBuilder(body == null ? JsonValue.EMPTY_JSON_OBJECT : body);
        if (body == null || !body.containsKey("asset_registry_name")) {
            entry.add("asset_registry_name", catalog.name() != null ? catalog.name() : "Cairn catalog " + catalog.id());
        }
        if (body != null && body.containsKey("asset_registry_public_url")) {
            throw new CairnException.BadRequest(
                    "A catalog registers itself at its own URL; register other DBs through /aios/asset_registry.");
        }
        if (body == null || !body.containsKey("asset_registry_metadata")) {
            var metadata =
                    JsonBodies.JSON.createObjectBuilder().add("server", "cairn").add("catalog", catalog.id());
            if (catalog.description() != null) {
                metadata.add("description", catalog.description());
            }
            entry.add("asset_registry_metadata", metadata);
        }
        entry.add("asset_registry_public_url", ServerAddress.of(request) + "/aios/" + catalog.id());
        JsonObject created = assetsDbs.create(
                entry.build(), UUID.fromString(registryQueries.assetsDbId(catalog.id())), catalog.id());
        return Response.created(URI.create("/aios/asset_registry/" + created.getString("asset_registry_id")))
                .entity(created)
                .build();
    }

    private String objectUrlBase(String cid) {
        return ServerAddress.of(request) + "/aios/" + cid + "/asset-object/";
    }

    private static Response created(String cid, JsonObject asset) {
        return Response.created(URI.create("/aios/" + cid + "/asset/"
                        + encode(asset.getString("asset_namespace"), asset.getString("asset_uri"))))
                .entity(strip(asset))
                .build();
    }

    /**
     * The AssetObject without Cairn's details (aliases, executions...), which {@code
     * /api/catalogs/{cid}/registry} shows.
     */
    private static JsonObject strip(JsonObject asset) {
        var out = JsonBodies.JSON.createObjectBuilder(asset);
        List.of(
                        "aliases",
                        "relationships",
                        "executions",
                        "url",
                        "deleted",
                        "created",
                        "created_by",
                        "specs",
                        "declarative_schema",
                        "metrics",
                        "has_secret",
                        "parents",
                        "children",
                        "producer",
                        "resolved_at",
                        "provenance")
                .forEach(out::remove);
        return out.build();
    }

    private static String encode(String namespace, String uri) {
        return Arrays.stream((namespace.isEmpty() ? uri : namespace + "/" + uri).split("/"))
                .map(PathSegment::encode)
                .collect(Collectors.joining("/"));
    }
}
