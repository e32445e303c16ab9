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
 * made from it?). Relationships between registered assets ({@code derived_from}, {@code trained_on}...)
 * are edges from the related asset to the asset, with the relationship as their role. Depth counts
 * edges; RIDs are unique in a catalog, so a node is its RID. The graph holds the nodes reached and
 * the edges walked to reach them.
 */
@ApplicationScoped
public class Lineage {

    public enum Direction { up, down, both }

    /** The bound of a walk without a depth: far beyond real provenance, and it stops a cycle. */
    public static final int MAX_DEPTH = 100_000;

    /** Relationships between registered assets (built in, migration ml V5). */
    private static final String RELATIONSHIPS = "Registered_Asset_Relationship";

    @Inject
    CatalogDatabases databases;

    @Inject
    AssetTables assetTables;

    /**
     * The nodes one edge away from {@code node} ({@code downstream}: along the flow of data, else
     * against it) with the edge's role, as a union of lookups that each use an index.
     */
    private static String neighbours(List<AssetTable> tables, boolean downstream, String node) {
        StringBuilder sql = new StringBuilder();
        for (AssetTable t : tables) {
            String x = t.executionTable();
            String asset = "x." + t.column();
            // Input: asset -> execution; Output: execution -> asset
            sql.append(downstream
                    ? "SELECT x.\"Execution\" AS node, 'Input'::text AS role FROM " + x + " x WHERE " + asset + " = " + node
                            + " AND x.\"Asset_Role\" = 'Input' UNION ALL SELECT " + asset + ", 'Output' FROM " + x
                            + " x WHERE x.\"Execution\" = " + node + " AND x.\"Asset_Role\" = 'Output' UNION ALL "
                    : "SELECT " + asset + " AS node, 'Input'::text AS role FROM " + x + " x WHERE x.\"Execution\" = " + node
                            + " AND x.\"Asset_Role\" = 'Input' UNION ALL SELECT x.\"Execution\", 'Output' FROM " + x
                            + " x WHERE " + asset + " = " + node + " AND x.\"Asset_Role\" = 'Output' UNION ALL ");
        }
        // registered assets: "Asset derived_from Related_Asset" means data flowed from the related asset
        String related = MlSql.ml(RELATIONSHIPS);
        sql.append(downstream
                ? "SELECT r.\"Asset\" AS node, r.\"Relationship\" AS role FROM " + related + " r WHERE r.\"Related_Asset\" = " + node
                : "SELECT r.\"Related_Asset\" AS node, r.\"Relationship\" AS role FROM " + related + " r WHERE r.\"Asset\" = " + node)
                .append(" UNION ALL ");
        String datasetExecution = MlSql.ml("Dataset_Execution");
        String version = MlSql.ml("Dataset_Version");
        sql.append(downstream
                ? "SELECT d.\"Execution\" AS node, 'Input'::text AS role FROM " + datasetExecution + " d WHERE d.\"Dataset\" = " + node
                        + " UNION ALL SELECT v.\"Dataset\", 'Output' FROM " + version + " v WHERE v.\"Execution\" = " + node
                : "SELECT d.\"Dataset\" AS node, 'Input'::text AS role FROM " + datasetExecution + " d WHERE d.\"Execution\" = " + node
                        + " UNION ALL SELECT v.\"Execution\", 'Output' FROM " + version + " v WHERE v.\"Dataset\" = " + node
                        + " AND v.\"Execution\" IS NOT NULL");
        return sql.toString();
    }

    public JsonObject graph(long catalogId, String rid, Direction direction, int depth) {
        MlSql.rid("RID", rid);
        if (depth < 0 || depth > MAX_DEPTH) {
            throw new CairnException.BadRequest("depth must be between 0 and " + MAX_DEPTH + ".");
        }
        List<AssetTable> tables = assetTables.list(catalogId);
        List<Object> parameters = new ArrayList<>();
        StringBuilder details = new StringBuilder();
        for (AssetTable t : tables) {
            details.append("SELECT a.\"RID\" AS rid, jsonb_build_object('kind', 'asset', 'schema', ?::text, 'table', ?::text, ")
                    .append("'Filename', a.\"Filename\", 'URL', a.\"URL\", 'Length', a.\"Length\", 'MD5', a.\"MD5\")")
                    .append(t.equals(AssetTable.REGISTERED)
                            ? " || jsonb_build_object('Namespace', a.\"Namespace\", 'Name', a.\"Name\", 'Version', a.\"Version\", "
                                    + "'Tag', a.\"Tag\", 'Deleted', a.\"Deleted\")" : "")
                    .append(" AS j FROM ")
                    .append(t.sql()).append(" a WHERE a.\"RID\" IN (SELECT node FROM nodes) UNION ALL ");
            parameters.add(t.schema());
            parameters.add(t.name());
        }
        details.append("SELECT e.\"RID\", jsonb_build_object('kind', 'execution', 'Status', e.\"Status\", 'Workflow', e.\"Workflow\", ")
                .append("'Description', e.\"Description\") FROM ").append(MlSql.ml("Execution"))
                .append(" e WHERE e.\"RID\" IN (SELECT node FROM nodes) UNION ALL ")
                .append("SELECT d.\"RID\", jsonb_build_object('kind', 'dataset', 'Description', d.\"Description\", 'Version', d.\"Version\") FROM ")
                .append(MlSql.ml("Dataset")).append(" d WHERE d.\"RID\" IN (SELECT node FROM nodes)");

        // each step looks up the neighbours of one node through the indexes of every association
        // each step looks up the neighbours of one node through the indexes of every association;
        // walk rows keep the edge they came along
        String sql = "WITH RECURSIVE "
                + "up(node, depth, next, role) AS (SELECT ?::text, 0, NULL::text, NULL::text UNION "
                + "SELECT e.node, u.depth + 1, u.node, e.role FROM up u CROSS JOIN LATERAL ("
                + neighbours(tables, false, "u.node") + ") e WHERE u.depth < ?), "
                + "down(node, depth, previous, role) AS (SELECT ?::text, 0, NULL::text, NULL::text UNION "
                + "SELECT e.node, dn.depth + 1, dn.node, e.role FROM down dn CROSS JOIN LATERAL ("
                + neighbours(tables, true, "dn.node") + ") e WHERE dn.depth < ?), "
                + "nodes AS MATERIALIZED (SELECT node, min(depth) AS depth FROM (SELECT node, depth FROM up UNION ALL "
                + "SELECT node, depth FROM down) w GROUP BY node), "
                + "edges AS (SELECT node AS src, next AS dst, role FROM up WHERE next IS NOT NULL UNION "
                + "SELECT previous, node, role FROM down WHERE previous IS NOT NULL), "
                + "details AS MATERIALIZED (" + details + ") "
                + "SELECT jsonb_build_object('root', ?::text, 'direction', ?::text, 'depth', ?::int, "
                + "'found', EXISTS (SELECT 1 FROM details WHERE rid = ?), "
                + "'nodes', coalesce((SELECT jsonb_agg(jsonb_build_object('RID', n.node, 'depth', n.depth) || coalesce(d.j, '{}'::jsonb) "
                + "ORDER BY n.depth, n.node) FROM nodes n LEFT JOIN details d ON d.rid = n.node), '[]'::jsonb), "
                + "'edges', coalesce((SELECT jsonb_agg(jsonb_build_object('from', e.src, 'to', e.dst, 'role', e.role) "
                + "ORDER BY e.src, e.dst) FROM edges e), '[]'::jsonb))";
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
        JsonObject graph = databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            // every step is a lookup by key; right after a bulk load, before statistics catch up,
            // the planner would otherwise scan whole association tables at each of thousands of steps
            MlSql.execute(c, "SET LOCAL enable_seqscan = off");
            return MlSql.jsonObject(c, sql, all.toArray()).orElseThrow();
        });
        if (!graph.getBoolean("found")) {
            throw new CairnException.NotFound("No asset, execution or dataset has RID " + rid + ".");
        }
        return jakarta.json.Json.createObjectBuilder(graph).remove("found").build();
    }
}
