package dev.cairn.dataset.control;

import static dev.cairn.ml.control.MlSql.quote;

import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.DataQuery;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import dev.cairn.platform.SqlIdentifiers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What changed in a dataset between two versions, computed in the catalog's database from its
 * row history: the members added and removed per element type, and, over everything a bag of
 * either version holds, the rows that entered or left the dataset's reach, the rows changed, and
 * those deleted from the catalog since. DerivaML compares member lists only; rows reached through
 * members and deletions are what a reproduction needs to know about.
 */
@ApplicationScoped
public class DatasetDiff {

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    @Inject
    Datasets datasets;

    /** The diff from {@code from} to {@code to}; each list of RIDs holds at most {@code limit}. */
    public JsonObject diff(
            long catalogId,
            String dataset,
            Datasets.Pinned from,
            Datasets.Pinned to,
            int limit,
            DataQuery.Guard guard) {
        if (limit < 1 || limit > Datasets.MAX_PAGE) {
            throw new CairnException.BadRequest("limit is between 1 and " + Datasets.MAX_PAGE + ".");
        }
        return databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            Jdbc.execute(c, "SELECT set_config('statement_timeout', '5min', true)");
            Jdbc.execute(
                    c,
                    "CREATE TEMP TABLE diff_reach (side int, tbl text, oid oid, rid text, row jsonb) ON COMMIT DROP");
            Jdbc.execute(c, "CREATE TEMP TABLE diff_member (side int, tbl text, rid text) ON COMMIT DROP");
            load(c, catalogId, dataset, from, 0, guard);
            load(c, catalogId, dataset, to, 1, guard);
            Jdbc.execute(c, "CREATE INDEX ON diff_reach (tbl, rid, side)");
            String until = to.instant() == null ? "now()" : "CAST(? AS timestamptz)";
            Object[] untilParameter = to.instant() == null
                    ? new Object[0]
                    : new Object[] {to.instant().toString()};
            JsonArrayBuilder members = JsonBodies.JSON.createArrayBuilder();
            Jdbc.jsonRows(
                            c,
                            "SELECT jsonb_build_object('table', tbl, "
                                    + "'added', count(*) FILTER (WHERE s = 2), 'removed', count(*) FILTER (WHERE s = 1), "
                                    + "'added_rids', coalesce(jsonb_agg(rid ORDER BY rid) FILTER (WHERE s = 2 AND n <= ?), '[]'), "
                                    + "'removed_rids', coalesce(jsonb_agg(rid ORDER BY rid) FILTER (WHERE s = 1 AND n <= ?), '[]')) "
                                    + "FROM (SELECT tbl, rid, sum(side + 1) AS s, row_number() OVER (PARTITION BY tbl, sum(side + 1) ORDER BY rid) AS n "
                                    + "FROM diff_member GROUP BY tbl, rid) m WHERE s <> 3 GROUP BY tbl ORDER BY tbl",
                            limit,
                            limit)
                    .forEach(members::add);
            JsonArrayBuilder rows = JsonBodies.JSON.createArrayBuilder();
            Object[] parameters = new Object[untilParameter.length + 4];
            System.arraycopy(untilParameter, 0, parameters, 0, untilParameter.length);
            for (int i = untilParameter.length; i < parameters.length; i++) {
                parameters[i] = limit;
            }
            Jdbc.jsonRows(
                            c,
                            "WITH pairs AS (SELECT tbl, rid, max(oid) FILTER (WHERE side = 0) AS oid, "
                                    + "bool_or(side = 0) AS before, bool_or(side = 1) AS after, "
                                    + "(array_agg(row) FILTER (WHERE side = 0))[1] IS DISTINCT FROM (array_agg(row) FILTER (WHERE side = 1))[1] AS differs "
                                    + "FROM diff_reach GROUP BY tbl, rid), "
                                    + "kinds AS (SELECT tbl, rid, CASE WHEN before AND after THEN CASE WHEN differs THEN 'changed' END "
                                    + "WHEN after THEN 'added' WHEN NOT EXISTS (SELECT 1 FROM _ermrest.row_history h WHERE h.table_oid = p.oid "
                                    + "AND h.rid = p.rid AND lower(h.during) <= " + until
                                    + " AND (upper_inf(h.during) OR upper(h.during) > " + until + ")) "
                                    + "THEN 'deleted' ELSE 'removed' END AS kind FROM pairs p), "
                                    + "numbered AS (SELECT tbl, rid, kind, row_number() OVER (PARTITION BY tbl, kind ORDER BY rid) AS n FROM kinds "
                                    + "WHERE kind IS NOT NULL) "
                                    + "SELECT jsonb_build_object('table', tbl, "
                                    + "'added', count(*) FILTER (WHERE kind = 'added'), 'changed', count(*) FILTER (WHERE kind = 'changed'), "
                                    + "'removed', count(*) FILTER (WHERE kind = 'removed'), 'deleted', count(*) FILTER (WHERE kind = 'deleted'), "
                                    + "'added_rids', coalesce(jsonb_agg(rid ORDER BY rid) FILTER (WHERE kind = 'added' AND n <= ?), '[]'), "
                                    + "'changed_rids', coalesce(jsonb_agg(rid ORDER BY rid) FILTER (WHERE kind = 'changed' AND n <= ?), '[]'), "
                                    + "'removed_rids', coalesce(jsonb_agg(rid ORDER BY rid) FILTER (WHERE kind = 'removed' AND n <= ?), '[]'), "
                                    + "'deleted_rids', coalesce(jsonb_agg(rid ORDER BY rid) FILTER (WHERE kind = 'deleted' AND n <= ?), '[]')) "
                                    + "FROM numbered GROUP BY tbl ORDER BY tbl",
                            until.equals("now()") ? parameters : doubled(parameters))
                    .forEach(rows::add);
            return JsonBodies.JSON
                    .createObjectBuilder()
                    .add("Dataset", dataset)
                    .add("from", side(from))
                    .add("to", side(to))
                    .add("members", members)
                    .add("rows", rows)
                    .build();
        });
    }

    /** The snapshot appears twice in the statement. */
    private static Object[] doubled(Object[] parameters) {
        Object[] out = new Object[parameters.length + 1];
        out[0] = parameters[0];
        System.arraycopy(parameters, 0, out, 1, parameters.length);
        return out;
    }

    private static JsonObject side(Datasets.Pinned pinned) {
        return JsonBodies.JSON
                .createObjectBuilder()
                .add(
                        "Version",
                        pinned.version() == null ? JsonValue.NULL : JsonBodies.JSON.createValue(pinned.version()))
                .add(
                        "Snapshot",
                        pinned.snaptime() == null ? JsonValue.NULL : JsonBodies.JSON.createValue(pinned.snaptime()))
                .build();
    }

    /** Loads one side: the dataset's direct members and every row its bag would hold, at that version. */
    private void load(
            Connection c, long catalogId, String dataset, Datasets.Pinned pinned, int side, DataQuery.Guard guard)
            throws SQLException {
        Datasets.readAt(c, pinned.instant());
        ModelIndex model = models.at(catalogId, pinned.instant()).index();
        boolean snapshot = pinned.released();
        String[] anchors = Datasets.anchors(c, model, snapshot, guard, dataset, true);
        Bags.Sources sources = new Bags.Sources(c, model, snapshot, guard, "diff_" + side + "_", anchors);
        List<Datasets.ElementType> types = datasets.elementTypes(model);
        for (Datasets.ElementType type : types) {
            Optional<String> source = sources.of(type.association());
            if (source.isPresent()) {
                Jdbc.update(
                        c,
                        "INSERT INTO diff_member SELECT ?, ?, a." + quote(type.column()) + " FROM " + source.get()
                                + " AS a WHERE a.\"Dataset\" = ?",
                        side,
                        type.key(),
                        dataset);
            }
        }
        for (Bags.Part part : Bags.parts(sources, Bags.paths(c, sources, types, anchors))) {
            ModelIndex.Table t = part.table();
            String oid = t.oid() != null
                    ? "CAST(" + t.oid() + " AS oid)"
                    : "to_regclass(" + SqlIdentifiers.literal(quote(t.schema()) + "." + quote(t.name())) + ")::oid";
            Jdbc.update(
                    c,
                    "INSERT INTO diff_reach SELECT ?, ?, " + oid + ", r.\"RID\", to_jsonb(r) - 'RMT' - 'RMB' FROM ("
                            + part.sql() + ") AS r",
                    side,
                    t.schema() + ":" + t.name());
        }
    }
}
