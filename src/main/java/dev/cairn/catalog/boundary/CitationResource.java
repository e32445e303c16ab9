package dev.cairn.catalog.boundary;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.cairn.catalog.control.Access;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.catalog.control.DataQuery;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.RequestClient;
import dev.cairn.platform.ServerAddress;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * The citation resolver: {@code /id/{cid}/{RID}} and {@code /id/{cid}/{RID}@{snaptime}} name a row
 * now or as it was at a snapshot (a released dataset version's citation is its RID at its
 * snapshot). The answer says where the row lives, its stable citation and the ERMrest URL that
 * reads it, and the row itself. Access: the row must be readable by the client, as through
 * ERMrest; a row it may not read is not found.
 */
@Path("/id/{cid}/{rid}")
@Produces(MediaType.APPLICATION_JSON)
public class CitationResource {

    @Inject
    Catalogs catalogs;

    @Inject
    CatalogDatabases databases;

    @Inject
    DataAccess data;

    @Inject
    Models models;

    @Inject
    Access access;

    @Context
    HttpServletRequest request;

    @GET
    public JsonObject resolve(@PathParam("cid") String cid, @PathParam("rid") String ridAt) {
        int at = ridAt.indexOf('@');
        String rid = at < 0 ? ridAt : ridAt.substring(0, at);
        if (!rid.matches("[0-9A-Z]{1,16}(-[0-9A-Z]{1,16}){0,4}")) {
            throw new CairnException.NotFound("'" + rid + "' is not a RID.");
        }
        Catalogs.At catalog = catalogs.at(at < 0 ? cid : cid + ridAt.substring(at));
        long id = catalog.catalog().id();
        DataQuery.Guard guard = access.guard(id);
        String snaptime = catalog.snaptime() != null ? catalog.snaptime() : data.snaptime(id);
        Instant instant = new Catalogs.At(catalog.catalog(), snaptime).instant();
        ModelIndex model = models.at(id, catalog.snaptime() == null ? null : instant).index();
        ModelIndex.Table table = table(id, model, rid, catalog.snaptime() == null ? null : instant)
                .orElseThrow(() -> new CairnException.NotFound("No row of catalog " + id + " has RID " + rid
                        + (catalog.snaptime() == null ? "" : " at " + catalog.snaptime()) + "."));
        String source = DataQuery.source(model, table, catalog.snaptime() != null, guard);
        JsonObject row = databases.transaction(id, RequestClient.ANONYMOUS, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT set_config('cairn.snaptime', ?, true)")) {
                s.setString(1, catalog.snaptime() == null ? "" : instant.toString());
                s.execute();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT to_jsonb(r)::text FROM " + source + " AS r WHERE r.\"RID\" = ?")) {
                s.setString(1, rid);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? dev.cairn.platform.JsonBodies.JSON.createReader(new java.io.StringReader(r.getString(1))).readObject() : null;
                }
            }
        });
        if (row == null) {
            throw new CairnException.NotFound("No row of catalog " + id + " that you may read has RID " + rid + ".");
        }
        String base = ServerAddress.of(request);
        return dev.cairn.platform.JsonBodies.JSON.createObjectBuilder()
                .add("RID", rid).add("catalog", String.valueOf(id)).add("schema", table.schema()).add("table", table.name())
                .add("snaptime", snaptime)
                .add("citation", base + "/id/" + id + "/" + rid + "@" + snaptime)
                .add("data", base + "/ermrest/catalog/" + id + "@" + snaptime + "/entity/" + segment(table.schema()) + ":"
                        + segment(table.name()) + "/RID=" + rid)
                .add("row", row).build();
    }

    private static String segment(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The table that holds (or held, at the time) the row: today's tables first, then the row history. */
    private Optional<ModelIndex.Table> table(long id, ModelIndex model, String rid, Instant at) {
        Optional<Map<String, String>> now = data.resolve(id, rid);
        if (now.isPresent()) {
            Optional<ModelIndex.Table> found = model.tables().stream().filter(t -> t.schema().equals(now.get().get("schema_name"))
                    && t.name().equals(now.get().get("table_name"))).findFirst();
            if (found.isPresent() || at == null) {
                return found;
            }
        }
        if (at == null) {
            return Optional.empty();
        }
        Optional<Long> oid = databases.transaction(id, RequestClient.ANONYMOUS, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT table_oid::int8 FROM _ermrest.row_history WHERE rid = ? "
                    + "AND lower(during) <= CAST(? AS timestamptz) AND (upper_inf(during) OR upper(during) > CAST(? AS timestamptz)) LIMIT 1")) {
                s.setString(1, rid);
                s.setString(2, at.toString());
                s.setString(3, at.toString());
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
        return oid.flatMap(o -> model.tables().stream().filter(t -> o.equals(t.oid())).findFirst());
    }
}
