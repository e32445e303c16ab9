package dev.cairn.catalog.boundary;

import dev.cairn.catalog.control.Access;
import dev.cairn.catalog.control.Acls;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.catalog.control.HistoryRanges;
import dev.cairn.catalog.control.ModelDocuments;
import dev.cairn.catalog.control.ModelReader;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.control.Rid;
import dev.cairn.catalog.entity.Catalog;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.JsonBodies;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ERMrest's catalog resources: create, describe and delete catalogs, and find the table of a RID.
 * The model lives in {@link ErmrestModelResource}, the data in {@link ErmrestDataResource}.
 * Access: any logged-in client creates catalogs (and owns them); reading a catalog needs
 * {@code enumerate} on it, deleting it {@code owner}; {@code entity_rid} needs {@code select} on the
 * table that holds the row.
 */
@Path("/ermrest/catalog")
@Produces(MediaType.APPLICATION_JSON)
public class ErmrestCatalogResource {

    @Inject
    CatalogRequest context;

    @Inject
    Catalogs catalogs;

    @Inject
    CatalogDatabases databases;

    @Inject
    DataAccess data;

    @Inject
    Caller caller;

    @Inject
    Access access;

    @Inject
    Models models;

    /** ERMrest's body is optional: {@code {"name": ..., "description": ...}}; Cairn assigns the id. */
    @POST
    public Response create(JsonObject body) {
        requireCatalogCreator(caller);
        JsonObject request = body == null ? JsonObject.EMPTY_JSON_OBJECT : body;
        if (request.containsKey("id")) {
            throw new CairnException.BadRequest("Cairn assigns catalog ids; leave \"id\" out of the request.");
        }
        JsonBodies.only(request, "A catalog", "name", "description", "owner", "is_persistent", "clone_source");
        for (String unsupported : List.of("is_persistent", "clone_source")) {
            if (request.containsKey(unsupported) && !request.isNull(unsupported)) {
                throw new CairnException.BadRequest("\"" + unsupported + "\" is not supported (yet); leave it out.");
            }
        }
        String name = JsonBodies.optionalString(request, "name");
        String description = JsonBodies.optionalString(request, "description");
        List<String> owners = null;
        if (request.containsKey("owner") && !request.isNull("owner")) {
            // ERMrest's owner: the new catalog's owner ACL, which must keep its creator (or be an administrator's
            // choice)
            owners = ModelDocuments.roles(request.get("owner"), "\"owner\"");
            if (!caller.administrator() && !caller.matches(owners)) {
                throw new CairnException.BadRequest(
                        "\"owner\" must name you (or a group of yours): you create the catalog.");
            }
        }
        Catalog catalog =
                catalogs.create(name == null ? "catalog" : name, description, null, false, caller.client(), owners);
        String id = String.valueOf(catalog.id());
        return Response.created(URI.create("/ermrest/catalog/" + id))
                .entity(Map.of("id", id))
                .build();
    }

    @GET
    @Path("{cid}")
    public Map<String, Object> get() {
        Catalogs.At at = context.at();
        Catalog catalog = at.catalog();
        context.require("enumerate");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", String.valueOf(catalog.id()));
        document.put("name", catalog.name());
        document.put("description", catalog.description());
        document.put("snaptime", at.snaptime() != null ? at.snaptime() : data.snaptime(catalog.id()));
        document.put(
                "annotations", databases.transaction(catalog.id(), caller.client(), ModelReader::catalogAnnotations));
        Map<String, Boolean> rights = access.rights(catalog.id(), Acls.catalog(models.model(catalog.id())));
        // ACLs name users and groups: they show to owners only
        document.put("acls", rights.get("owner") ? models.model(catalog.id()).acls() : Map.of());
        document.put("rights", rights);
        return document;
    }

    @DELETE
    @Path("{cid}")
    public Response delete() {
        long id = context.catalog().id();
        context.require("owner");
        catalogs.delete(id);
        return Response.noContent().build();
    }

    @Inject
    HistoryRanges histories;

    /**
     * ERMrest's history range discovery, {@code GET /history/from,until} (either bound may be
     * empty): the first and last snapshot in the range, and its latest amendment.
     */
    @GET
    @Path("{cid}/history/{range}")
    public Map<String, Object> history(@PathParam("range") String range) {
        Catalog catalog = context.catalog();
        context.require("enumerate");
        Instant[] bounds = bounds(range);
        HistoryRanges.Range found = histories.range(catalog.id(), bounds[0], bounds[1]);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("amendver", found.amendver() == null ? null : Rid.snaptime(found.amendver()));
        document.put("snaprange", List.of(Rid.snaptime(found.from()), Rid.snaptime(found.until())));
        return document;
    }

    /** ERMrest's history truncation, {@code DELETE /history/,until}: owners only; irreversible. */
    @DELETE
    @Path("{cid}/history/{range}")
    public Response truncate(@PathParam("range") String range) {
        Catalog catalog = context.catalog();
        context.require("owner");
        Instant[] bounds = bounds(range);
        if (bounds[0] != null) {
            throw new CairnException.BadRequest("History truncation takes no lower bound: DELETE /history/,until.");
        }
        if (bounds[1] == null) {
            throw new CairnException.BadRequest("History truncation needs an upper bound: DELETE /history/,until.");
        }
        histories.truncate(catalog.id(), bounds[1], caller.client());
        return Response.noContent().build();
    }

    /** {@code from,until}: two snaptimes, either of which may be empty. */
    private static Instant[] bounds(String range) {
        String[] parts = range.split(",", -1);
        if (parts.length != 2) {
            throw new CairnException.BadRequest(
                    "A history range is 'from,until' (snaptimes, either may be empty), not '" + range + "'.");
        }
        Instant[] bounds = new Instant[2];
        for (int i = 0; i < 2; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            try {
                bounds[i] = Rid.instant(parts[i]);
            } catch (IllegalArgumentException e) {
                throw new CairnException.BadRequest(
                        "'" + parts[i] + "' is not a snaptime (ERMrest's encoded time, such as 2TA-YJZG-0A5W).");
            }
        }
        return bounds;
    }

    /** Which table holds a RID: {@code {"schema_name", "table_name", "RID"}}. */
    @GET
    @Path("{cid}/entity_rid/{rid}")
    public Map<String, String> entityRid(@PathParam("cid") String cid, @PathParam("rid") String rid) {
        Catalog catalog = context.catalog();
        context.require("enumerate");
        Map<String, String> found = data.resolve(catalog.id(), rid)
                .orElseThrow(
                        () -> new CairnException.NotFound("No entity with RID " + rid + " in catalog " + cid + "."));
        context.require("select", found.get("schema_name"), found.get("table_name"));
        return found;
    }

    /** Any logged-in client may create catalogs, unless its token is read-only or scoped to catalogs. */
    static void requireCatalogCreator(Caller caller) {
        caller.requireLogin("Creating a catalog");
        caller.requireWriteScope();
        if (caller.identity().catalogs() != null) {
            throw new CairnException.Forbidden(
                    ErrorCode.TOKEN_SCOPE, "A token scoped to catalogs cannot create catalogs.");
        }
    }
}
