package dev.cairn.catalog.boundary;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.catalog.control.ModelEditor;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.ModelReader;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.RequestClient;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * ERMrest's catalog resources: create, describe and delete catalogs, and read a catalog's model.
 * Access: open to every client until authentication arrives.
 */
@Path("/ermrest/catalog")
@Produces(MediaType.APPLICATION_JSON)
public class ErmrestCatalogResource {

    @Inject
    Catalogs catalogs;

    @Inject
    CatalogDatabases databases;

    @Inject
    DataAccess data;

    @Inject
    ModelEditor editor;

    @Context
    SecurityContext security;

    /** ERMrest's body is optional: {@code {"name": ..., "description": ...}}; Cairn assigns the id. */
    @POST
    public Response create(JsonObject body) {
        JsonObject request = body == null ? JsonObject.EMPTY_JSON_OBJECT : body;
        if (request.containsKey("id")) {
            throw new CairnException.BadRequest("Cairn assigns catalog ids; leave \"id\" out of the request.");
        }
        Catalog catalog = catalogs.create(request.getString("name", "catalog"),
                request.getString("description", null), null, RequestClient.of(security));
        String id = String.valueOf(catalog.id());
        return Response.created(URI.create("/ermrest/catalog/" + id)).entity(Map.of("id", id)).build();
    }

    @GET
    @Path("{cid}")
    public Map<String, Object> get(@PathParam("cid") String cid) {
        Catalogs.At at = catalogs.at(cid);
        Catalog catalog = at.catalog();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", String.valueOf(catalog.id()));
        document.put("name", catalog.name());
        document.put("description", catalog.description());
        document.put("snaptime", at.snaptime() != null ? at.snaptime() : data.snaptime(catalog.id()));
        document.put("annotations", databases.transaction(catalog.id(), RequestClient.of(security),
                ModelReader::catalogAnnotations));
        document.put("acls", Map.<String, List<String>>of());
        return document;
    }

    @DELETE
    @Path("{cid}")
    public Response delete(@PathParam("cid") String cid) {
        catalogs.delete(catalogs.get(cid).id());
        return Response.noContent().build();
    }

    /** Which table holds a RID: {@code {"schema_name", "table_name", "RID"}}. */
    @GET
    @Path("{cid}/entity_rid/{rid}")
    public Map<String, String> entityRid(@PathParam("cid") String cid, @PathParam("rid") String rid) {
        Catalog catalog = catalogs.get(cid);
        return data.resolve(catalog.id(), rid)
                .orElseThrow(() -> new CairnException.NotFound("No entity with RID " + rid + " in catalog " + cid + "."));
    }

    @POST
    @Path("{cid}/schema/{schema}")
    public Response createSchema(@PathParam("cid") String cid, @PathParam("schema") String schema, JsonObject body) {
        Catalog catalog = catalogs.get(cid);
        String comment = body != null && body.containsKey("comment") && !body.isNull("comment") ? body.getString("comment") : null;
        editor.createSchema(catalog.id(), schema, comment, RequestClient.of(security));
        return Response.status(Response.Status.CREATED).entity(model(cid).schemas().get(schema)).build();
    }

    @GET
    @Path("{cid}/schema/{schema}")
    public Model.Schema schema(@PathParam("cid") String cid, @PathParam("schema") String schema) {
        Model.Schema found = model(cid).schemas().get(schema);
        if (found == null) {
            throw new CairnException.NotFound("No schema " + schema + ".");
        }
        return found;
    }

    @DELETE
    @Path("{cid}/schema/{schema}")
    public Response dropSchema(@PathParam("cid") String cid, @PathParam("schema") String schema) {
        editor.dropSchema(catalogs.get(cid).id(), schema, RequestClient.of(security));
        return Response.noContent().build();
    }

    /** Creates a table from an ERMrest table document; 201 with the table as the model now shows it. */
    @POST
    @Path("{cid}/schema/{schema}/table")
    public Response createTable(@PathParam("cid") String cid, @PathParam("schema") String schema, JsonObject body) {
        if (body == null) {
            throw new CairnException.BadRequest("Send an ERMrest table document: {\"table_name\": ..., \"column_definitions\": [...]}.");
        }
        Catalog catalog = catalogs.get(cid);
        String table = editor.createTable(catalog.id(), schema, body, RequestClient.of(security));
        return Response.status(Response.Status.CREATED).entity(table(cid, schema, table)).build();
    }

    @GET
    @Path("{cid}/schema/{schema}/table/{table}")
    public Model.Table table(@PathParam("cid") String cid, @PathParam("schema") String schema, @PathParam("table") String table) {
        Model.Table found = schema(cid, schema).tables().get(table);
        if (found == null) {
            throw new CairnException.NotFound("No table " + schema + ":" + table + ".");
        }
        return found;
    }

    @DELETE
    @Path("{cid}/schema/{schema}/table/{table}")
    public Response dropTable(@PathParam("cid") String cid, @PathParam("schema") String schema, @PathParam("table") String table) {
        editor.dropTable(catalogs.get(cid).id(), schema, table, RequestClient.of(security));
        return Response.noContent().build();
    }

    // ---- columns, keys and foreign keys of existing tables

    @POST
    @Path("{cid}/schema/{schema}/table/{table}/column")
    public Response addColumn(@PathParam("cid") String cid, @PathParam("schema") String schema,
                              @PathParam("table") String table, JsonObject column) {
        editor.addColumn(catalogs.get(cid).id(), schema, table, required(column), RequestClient.of(security));
        return Response.status(Response.Status.CREATED).entity(table(cid, schema, table).columns().stream()
                .filter(c -> c.name().equals(column.getString("name"))).findFirst().orElseThrow()).build();
    }

    @DELETE
    @Path("{cid}/schema/{schema}/table/{table}/column/{column}")
    public Response dropColumn(@PathParam("cid") String cid, @PathParam("schema") String schema,
                               @PathParam("table") String table, @PathParam("column") String column) {
        editor.dropColumn(catalogs.get(cid).id(), schema, table, column, RequestClient.of(security));
        return Response.noContent().build();
    }

    @POST
    @Path("{cid}/schema/{schema}/table/{table}/key")
    public Response addKey(@PathParam("cid") String cid, @PathParam("schema") String schema,
                           @PathParam("table") String table, JsonObject key) {
        editor.addKey(catalogs.get(cid).id(), schema, table, required(key), RequestClient.of(security));
        return Response.status(Response.Status.CREATED).entity(table(cid, schema, table).keys()).build();
    }

    @DELETE
    @Path("{cid}/schema/{schema}/table/{table}/key/{columns}")
    public Response dropKey(@PathParam("cid") String cid, @PathParam("schema") String schema,
                            @PathParam("table") String table, @Encoded @PathParam("columns") String columns) {
        editor.dropConstraint(catalogs.get(cid).id(), schema, table, names(columns), false, RequestClient.of(security));
        return Response.noContent().build();
    }

    @POST
    @Path("{cid}/schema/{schema}/table/{table}/foreignkey")
    public Response addForeignKey(@PathParam("cid") String cid, @PathParam("schema") String schema,
                                  @PathParam("table") String table, JsonObject foreignKey) {
        editor.addForeignKey(catalogs.get(cid).id(), schema, table, required(foreignKey), RequestClient.of(security));
        return Response.status(Response.Status.CREATED).entity(table(cid, schema, table).foreignKeys()).build();
    }

    /** ERMrest's {@code /foreignkey/C1,C2/reference/S:T/K1,K2}; the foreign key is found by its columns. */
    @DELETE
    @Path("{cid}/schema/{schema}/table/{table}/foreignkey/{columns}{reference: (/reference/.*)?}")
    public Response dropForeignKey(@PathParam("cid") String cid, @PathParam("schema") String schema,
                                   @PathParam("table") String table, @Encoded @PathParam("columns") String columns) {
        editor.dropConstraint(catalogs.get(cid).id(), schema, table, names(columns), true, RequestClient.of(security));
        return Response.noContent().build();
    }

    // ---- comments and annotations

    @PUT
    @Path("{cid}/schema/{schema}{table: (/table/[^/]+)?}{column: (/column/[^/]+)?}/comment")
    @Consumes(MediaType.WILDCARD)
    public Response putComment(@PathParam("cid") String cid, @PathParam("schema") String schema,
                               @Encoded @PathParam("table") String table, @Encoded @PathParam("column") String column,
                               String comment) {
        editor.comment(catalogs.get(cid).id(), schema, part(table), part(column), comment, RequestClient.of(security));
        return Response.noContent().build();
    }

    @DELETE
    @Path("{cid}/schema/{schema}{table: (/table/[^/]+)?}{column: (/column/[^/]+)?}/comment")
    public Response deleteComment(@PathParam("cid") String cid, @PathParam("schema") String schema,
                                  @Encoded @PathParam("table") String table, @Encoded @PathParam("column") String column) {
        editor.comment(catalogs.get(cid).id(), schema, part(table), part(column), null, RequestClient.of(security));
        return Response.noContent().build();
    }

    @PUT
    @Path("{cid}{schema: (/schema/[^/]+)?}{table: (/table/[^/]+)?}{column: (/column/[^/]+)?}/annotation/{uri}")
    @Consumes(MediaType.WILDCARD)
    public Response putAnnotation(@PathParam("cid") String cid, @Encoded @PathParam("schema") String schema,
                                  @Encoded @PathParam("table") String table, @Encoded @PathParam("column") String column,
                                  @PathParam("uri") String uri, JsonValue value) {
        if (value == null) {
            throw new CairnException.BadRequest("An annotation's value is a JSON document.");
        }
        editor.annotation(catalogs.get(cid).id(), part(schema), part(table), part(column), uri, value, RequestClient.of(security));
        return Response.noContent().build();
    }

    @DELETE
    @Path("{cid}{schema: (/schema/[^/]+)?}{table: (/table/[^/]+)?}{column: (/column/[^/]+)?}/annotation/{uri}")
    public Response deleteAnnotation(@PathParam("cid") String cid, @Encoded @PathParam("schema") String schema,
                                     @Encoded @PathParam("table") String table, @Encoded @PathParam("column") String column,
                                     @PathParam("uri") String uri) {
        editor.annotation(catalogs.get(cid).id(), part(schema), part(table), part(column), uri, null, RequestClient.of(security));
        return Response.noContent().build();
    }

    private static JsonObject required(JsonObject body) {
        if (body == null) {
            throw new CairnException.BadRequest("Send the ERMrest document as JSON.");
        }
        return body;
    }

    /** The decoded name in an optional {@code /table/NAME} or {@code /column/NAME} part; null when absent. */
    private static String part(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return null;
        }
        String name = encoded.substring(encoded.indexOf('/', 1) + 1);
        return URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Comma-separated, individually percent-encoded names. */
    private static List<String> names(String encoded) {
        return java.util.Arrays.stream(encoded.split(","))
                .map(n -> URLDecoder.decode(n.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
    }

    /** The whole model; its entity tag changes with every model change ({@code If-None-Match} gives 304). */
    @GET
    @Path("{cid}/schema")
    public Response modelDocument(@PathParam("cid") String cid, @jakarta.ws.rs.HeaderParam("If-None-Match") String ifNoneMatch) {
        // snapshots read today's model: the model's own history is not kept yet
        Catalog catalog = catalogs.at(cid).catalog();
        return databases.transaction(catalog.id(), RequestClient.of(security), c -> {
            String tag = ModelReader.version(c);
            if (ifNoneMatch != null && dev.cairn.platform.EntityTags.matches(ifNoneMatch, '"' + tag + '"')) {
                return Response.notModified(tag).build();
            }
            return Response.ok(ModelReader.read(c), MediaType.APPLICATION_JSON).tag(tag).build();
        });
    }

    private Model model(String cid) {
        Catalog catalog = catalogs.at(cid).catalog();
        return databases.transaction(catalog.id(), RequestClient.of(security), ModelReader::read);
    }
}
