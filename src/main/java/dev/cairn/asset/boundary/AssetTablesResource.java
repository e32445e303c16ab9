package dev.cairn.asset.boundary;

import dev.cairn.asset.control.AssetTables;
import dev.cairn.asset.control.Assets;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.PathSegment;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asset tables ({@code create_asset}) and their rows ({@code list_assets}). Access: the list shows
 * the tables the caller may enumerate; creating one needs {@code create} on its schema (or the
 * catalog); listing assets needs {@code select} on the table. Changes are recorded with the client.
 */
@Path("/api/catalogs/{cid}/asset-tables")
@Produces(MediaType.APPLICATION_JSON)
public class AssetTablesResource {

    @Inject
    CatalogRequest context;

    @Inject
    AssetTables tables;

    @Inject
    Assets assets;

    @Inject
    Caller caller;

    @GET
    public List<Map<String, String>> list() {
        long id = context.ml().id();
        return context
                .enumerable(tables.list(id), AssetTables.AssetTable::schema, AssetTables.AssetTable::name)
                .stream()
                .map(t -> Map.of("schema", t.schema(), "name", t.name()))
                .toList();
    }

    /**
     * {@code {"name", "schema", "columns": [{"name", "type", "nullok", "comment"}],
     * "referencedTables": [...], "comment"}}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonObject body) {
        JsonObject request = JsonBodies.object(
                body,
                "{\"name\": \"Image\", \"columns\": [{\"name\": \"Width\", \"type\": \"int4\"}]}",
                "name",
                "schema",
                "columns",
                "referencedTables",
                "comment");
        Catalog catalog = context.ml();
        context.requireCreate(JsonBodies.optionalString(request, "schema"));
        AssetTables.AssetTable table = tables.create(
                catalog,
                JsonBodies.optionalString(request, "schema"),
                JsonBodies.required(request, "name"),
                columns(request),
                JsonBodies.strings(request, "referencedTables"),
                JsonBodies.optionalString(request, "comment"),
                caller.client());
        return Response.created(URI.create(
                        "/api/catalogs/" + catalog.id() + "/asset-tables/" + PathSegment.encode(table.name())))
                .entity(Map.of(
                        "schema",
                        table.schema(),
                        "name",
                        table.name(),
                        "associations",
                        List.of(table.name() + "_Asset_Type", table.name() + "_Execution")))
                .build();
    }

    private static List<AssetTables.ColumnSpec> columns(JsonObject request) {
        JsonValue value = request.get("columns");
        if (value == null || value == JsonValue.NULL) {
            return List.of();
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new CairnException.BadRequest(
                    "\"columns\" must be an array of {\"name\", \"type\", \"nullok\", \"comment\"}.");
        }
        List<AssetTables.ColumnSpec> columns = new ArrayList<>();
        for (JsonValue v : value.asJsonArray()) {
            if (v.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new CairnException.BadRequest(
                        "Each of \"columns\" is an object {\"name\", \"type\", \"nullok\", \"comment\"}.");
            }
            JsonObject c = v.asJsonObject();
            JsonBodies.only(c, "A column", "name", "type", "nullok", "comment");
            JsonValue type = c.get("type");
            String typename =
                    type instanceof JsonObject o ? JsonBodies.required(o, "typename") : JsonBodies.required(c, "type");
            columns.add(new AssetTables.ColumnSpec(
                    JsonBodies.required(c, "name"),
                    typename,
                    c.get("nullok") != JsonValue.FALSE,
                    JsonBodies.optionalString(c, "comment")));
        }
        return columns;
    }

    @GET
    @Path("{table}/assets")
    public JsonArray assets(
            @PathParam("table") String table,
            @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        long id = context.ml().id();
        AssetTables.AssetTable found = tables.find(id, table);
        context.require("select", found.schema(), found.name());
        return assets.list(id, found, after, limit);
    }
}
