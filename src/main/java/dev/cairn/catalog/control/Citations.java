package dev.cairn.catalog.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a RID to its row, now or at a snapshot, wherever the row lives (or lived then): the
 * citation resolver's reading. The row is read through the client's guard, so a row it may not
 * read is not found.
 */
@ApplicationScoped
public class Citations {

    @Inject
    CatalogDatabases databases;

    @Inject
    DataAccess data;

    @Inject
    Models models;

    /**
     * A row found: its table, the snaptime it is cited at (the catalog's current one when none was
     * asked), and the row.
     */
    public record Cited(ModelIndex.Table table, String snaptime, JsonObject row) {}

    public Cited resolve(Catalogs.At catalog, String rid, DataQuery.Guard guard) {
        long id = catalog.catalog().id();
        boolean past = catalog.snaptime() != null;
        String snaptime = past ? catalog.snaptime() : data.snaptime(id);
        Instant instant = new Catalogs.At(catalog.catalog(), snaptime).instant();
        ModelIndex model = models.at(id, past ? instant : null).index();
        ModelIndex.Table table = table(id, model, rid, past ? instant : null)
                .orElseThrow(() -> new CairnException.NotFound("No row of catalog " + id + " has RID " + rid
                        + (past ? " at " + catalog.snaptime() : "") + "."));
        String source = DataQuery.source(model, table, past, guard);
        JsonObject row = databases.transaction(id, RequestClient.ANONYMOUS, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT set_config('cairn.snaptime', ?, true)")) {
                s.setString(1, past ? instant.toString() : "");
                s.execute();
            }
            try (PreparedStatement s =
                    c.prepareStatement("SELECT to_jsonb(r)::text FROM " + source + " AS r WHERE r.\"RID\" = ?")) {
                s.setString(1, rid);
                try (ResultSet r = s.executeQuery()) {
                    return r.next()
                            ? JsonBodies.JSON
                                    .createReader(new StringReader(r.getString(1)))
                                    .readObject()
                            : null;
                }
            }
        });
        if (row == null) {
            throw new CairnException.NotFound("No row of catalog " + id + " that you may read has RID " + rid + ".");
        }
        return new Cited(table, snaptime, row);
    }

    /** The table that holds (or held, at the time) the row: today's tables first, then the row history. */
    private Optional<ModelIndex.Table> table(long id, ModelIndex model, String rid, Instant at) {
        Optional<Map<String, String>> now = data.resolve(id, rid);
        if (now.isPresent()) {
            Optional<ModelIndex.Table> found = model.tables().stream()
                    .filter(t -> t.schema().equals(now.get().get("schema_name"))
                            && t.name().equals(now.get().get("table_name")))
                    .findFirst();
            if (found.isPresent() || at == null) {
                return found;
            }
        }
        if (at == null) {
            return Optional.empty();
        }
        Optional<Long> oid = databases.transaction(id, RequestClient.ANONYMOUS, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT table_oid::int8 FROM _ermrest.row_history WHERE rid = ? "
                            + "AND lower(during) <= CAST(? AS timestamptz) AND (upper_inf(during) OR upper(during) > CAST(? AS timestamptz)) LIMIT 1")) {
                s.setString(1, rid);
                s.setString(2, at.toString());
                s.setString(3, at.toString());
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
        return oid.flatMap(
                o -> model.tables().stream().filter(t -> o.equals(t.oid())).findFirst());
    }
}
