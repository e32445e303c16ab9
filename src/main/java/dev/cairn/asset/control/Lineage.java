package dev.cairn.asset.control;

import java.util.ArrayList;
import java.util.List;

import dev.cairn.asset.control.AssetTables.AssetTable;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

/**
 * The provenance graph around a row, computed by one recursive query. Edges follow the flow of
 * data: an input asset or dataset points to the execution that used it ({@code Input}), an
 * execution points to the assets and dataset versions it produced ({@code Output}). Going
 * {@code up} follows edges backwards (where did this come from?), {@code down} forwards (what was
 * made from it?). Depth counts edges; RIDs are unique in a catalog, so a node is its RID.
 */
@ApplicationScoped
public class Lineage {

    public enum Direction { up, down, both }

    /** The bound of a walk without a depth: far beyond real provenance, and it stops a cycle. */
    public static final int MAX_DEPTH = 100_000;

    @Inject
    CatalogDatabases databases;

    @Inject
    AssetTables assetTables;

    public JsonObject graph(long catalogId, String rid, Direction direction, int depth) {
        MlSql.rid("RID", rid);
        if (depth < 0 || depth > MAX_DEPTH) {
            throw new CairnException.BadRequest("depth must be between 0 and " + MAX_DEPTH + ".");
        }
        List<AssetTable> tables = assetTables.list(catalogId);
        List<Object> parameters = new ArrayList<>();
        StringBuilder edges = new StringBuilder();
        for (AssetTable t : tables) {
            edges.append("SELECT x.").append(t.column()).append(" AS src, x.\"Execution\" AS dst, 'Input'::text AS role FROM ")
                    .append(t.executionTable()).append(" x WHERE x.\"Asset_Role\" = 'Input' UNION ALL ")
                    .append("SELECT x.\"Execution\", x.").append(t.column()).append(", 'Output' FROM ")
                    .append(t.executionTable()).append(" x WHERE x.\"Asset_Role\" = 'Output' UNION ALL ");
        }
        edges.append("SELECT d.\"Dataset\", d.\"Execution\", 'Input' FROM ").append(MlSql.ml("Dataset_Execution")).append(" d UNION ALL ")
                .append("SELECT v.\"Execution\", v.\"Dataset\", 'Output' FROM ").append(MlSql.ml("Dataset_Version"))
                .append(" v WHERE v.\"Execution\" IS NOT NULL");

        StringBuilder details = new StringBuilder();
        for (AssetTable t : tables) {
            details.append("SELECT a.\"RID\" AS rid, jsonb_build_object('kind', 'asset', 'schema', ?::text, 'table', ?::text, ")
                    .append("'Filename', a.\"Filename\", 'URL', a.\"URL\", 'Length', a.\"Length\", 'MD5', a.\"MD5\") AS j FROM ")
                    .append(t.sql()).append(" a WHERE a.\"RID\" IN (SELECT node FROM nodes) UNION ALL ");
            parameters.add(t.schema());
            parameters.add(t.name());
        }
        details.append("SELECT e.\"RID\", jsonb_build_object('kind', 'execution', 'Status', e.\"Status\", 'Workflow', e.\"Workflow\", ")
                .append("'Description', e.\"Description\") FROM ").append(MlSql.ml("Execution"))
                .append(" e WHERE e.\"RID\" IN (SELECT node FROM nodes) UNION ALL ")
                .append("SELECT d.\"RID\", jsonb_build_object('kind', 'dataset', 'Description', d.\"Description\", 'Version', d.\"Version\") FROM ")
                .append(MlSql.ml("Dataset")).append(" d WHERE d.\"RID\" IN (SELECT node FROM nodes)");

        String sql = "WITH RECURSIVE edge AS NOT MATERIALIZED (" + edges + "), "
                + "up(node, depth) AS (SELECT ?::text, 0 UNION SELECT e.src, u.depth + 1 FROM up u JOIN edge e ON e.dst = u.node "
                + "WHERE u.depth < ?), "
                + "down(node, depth) AS (SELECT ?::text, 0 UNION SELECT e.dst, d.depth + 1 FROM down d JOIN edge e ON e.src = d.node "
                + "WHERE d.depth < ?), "
                + "nodes AS MATERIALIZED (SELECT node, min(depth) AS depth FROM (SELECT * FROM up UNION ALL SELECT * FROM down) w "
                + "GROUP BY node), "
                + "details AS MATERIALIZED (" + details + ") "
                + "SELECT jsonb_build_object('root', ?::text, 'direction', ?::text, 'depth', ?::int, "
                + "'found', EXISTS (SELECT 1 FROM details WHERE rid = ?), "
                + "'nodes', coalesce((SELECT jsonb_agg(jsonb_build_object('RID', n.node, 'depth', n.depth) || coalesce(d.j, '{}'::jsonb) "
                + "ORDER BY n.depth, n.node) FROM nodes n LEFT JOIN details d ON d.rid = n.node), '[]'::jsonb), "
                + "'edges', coalesce((SELECT jsonb_agg(jsonb_build_object('from', e.src, 'to', e.dst, 'role', e.role) "
                + "ORDER BY e.src, e.dst) FROM edge e WHERE e.src IN (SELECT node FROM nodes) AND e.dst IN (SELECT node FROM nodes)), "
                + "'[]'::jsonb))";
        List<Object> all = new ArrayList<>();
        all.add(rid);
        all.add(direction == Direction.down ? 0 : depth);
        all.add(rid);
        all.add(direction == Direction.up ? 0 : depth);
        all.addAll(parameters);
        all.add(rid);
        all.add(direction.name());
        all.add(depth);
        all.add(rid);
        JsonObject graph = databases.transaction(catalogId, RequestClient.ANONYMOUS,
                c -> MlSql.jsonObject(c, sql, all.toArray()).orElseThrow());
        if (!graph.getBoolean("found")) {
            throw new CairnException.NotFound("No asset, execution or dataset has RID " + rid + ".");
        }
        return jakarta.json.Json.createObjectBuilder(graph).remove("found").build();
    }
}
