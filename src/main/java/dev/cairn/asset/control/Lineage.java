package dev.cairn.asset.control;

import static dev.cairn.platform.JsonBodies.JSON;

import dev.cairn.asset.control.AssetTables.AssetTable;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    public enum Direction {
        up,
        down,
        both
    }

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
            sql.append(
                    downstream
                            ? "SELECT x.\"Execution\" AS node, 'Input'::text AS role FROM " + x + " x WHERE " + asset
                                    + " = " + node
                                    + " AND x.\"Asset_Role\" = 'Input' UNION ALL SELECT " + asset + ", 'Output' FROM "
                                    + x
                                    + " x WHERE x.\"Execution\" = " + node
                                    + " AND x.\"Asset_Role\" = 'Output' UNION ALL "
                            : "SELECT " + asset + " AS node, 'Input'::text AS role FROM " + x
                                    + " x WHERE x.\"Execution\" = " + node
                                    + " AND x.\"Asset_Role\" = 'Input' UNION ALL SELECT x.\"Execution\", 'Output' FROM "
                                    + x
                                    + " x WHERE " + asset + " = " + node
                                    + " AND x.\"Asset_Role\" = 'Output' UNION ALL ");
        }
        // registered assets: "Asset derived_from Related_Asset" means data flowed from the related asset
        String related = MlSql.ml(RELATIONSHIPS);
        sql.append(
                        downstream
                                ? "SELECT r.\"Asset\" AS node, r.\"Relationship\" AS role FROM " + related
                                        + " r WHERE r.\"Related_Asset\" = " + node
                                : "SELECT r.\"Related_Asset\" AS node, r.\"Relationship\" AS role FROM " + related
                                        + " r WHERE r.\"Asset\" = " + node)
                .append(" UNION ALL ");
        String datasetExecution = MlSql.ml("Dataset_Execution");
        String version = MlSql.ml("Dataset_Version");
        sql.append(
                downstream
                        ? "SELECT d.\"Execution\" AS node, 'Input'::text AS role FROM " + datasetExecution
                                + " d WHERE d.\"Dataset\" = " + node + " UNION ALL SELECT v.\"Dataset\", 'Output' FROM "
                                + version + " v WHERE v.\"Execution\" = " + node
                        : "SELECT d.\"Dataset\" AS node, 'Input'::text AS role FROM " + datasetExecution
                                + " d WHERE d.\"Execution\" = " + node
                                + " UNION ALL SELECT v.\"Execution\", 'Output' FROM " + version
                                + " v WHERE v.\"Dataset\" = " + node
                                + " AND v.\"Execution\" IS NOT NULL");
        return sql.toString();
    }

    /**
     * Every edge of the graph in the flow of data ({@code src} to {@code dst}, with its role), the
     * same edges {@link #neighbours} finds one node at a time.
     */
    private static String allEdges(List<AssetTable> tables) {
        StringBuilder sql = new StringBuilder();
        for (AssetTable t : tables) {
            String x = t.executionTable();
            String asset = "x." + t.column();
            sql.append("SELECT ")
                    .append(asset)
                    .append(" AS src, x.\"Execution\" AS dst, 'Input'::text AS role FROM ")
                    .append(x)
                    .append(" x WHERE x.\"Asset_Role\" = 'Input' UNION ALL SELECT x.\"Execution\", ")
                    .append(asset)
                    .append(", 'Output' FROM ")
                    .append(x)
                    .append(" x WHERE x.\"Asset_Role\" = 'Output' UNION ALL ");
        }
        return sql.append("SELECT r.\"Related_Asset\", r.\"Asset\", r.\"Relationship\" FROM ")
                .append(MlSql.ml(RELATIONSHIPS))
                .append(" r UNION ALL SELECT d.\"Dataset\", d.\"Execution\", 'Input' FROM ")
                .append(MlSql.ml("Dataset_Execution"))
                .append(" d UNION ALL SELECT v.\"Execution\", v.\"Dataset\", 'Output' FROM ")
                .append(MlSql.ml("Dataset_Version"))
                .append(" v WHERE v.\"Execution\" IS NOT NULL")
                .toString();
    }

    /** Walks deeper than this load the catalog's edges and walk them in memory (see {@link #walkInMemory}). */
    static final int IN_MEMORY_DEPTH = 1_000;

    /** The most edges a walk in memory loads; a catalog with more is walked by SQL. */
    static final int IN_MEMORY_EDGES = 500_000;

    /** An edge in the flow of data. */
    private record Edge(String src, String dst, String role) {}

    /** What a walk reached: each node at its least depth, and the edges walked. */
    private record Walk(Map<String, Integer> nodes, Set<Edge> edges) {}

    /**
     * The walk in memory: a recursive query spends tens of microseconds on every step, so a long
     * chain (a full lineage of 20,000 nodes) took a second; loading every edge once and walking
     * them here takes a fraction of that. Returns null when the catalog has more than
     * {@link #IN_MEMORY_EDGES} edges.
     */
    private static Walk walkInMemory(Connection c, List<AssetTable> tables, String rid, int upDepth, int downDepth)
            throws SQLException {
        Map<String, List<Edge>> forward = new HashMap<>();
        Map<String, List<Edge>> backward = new HashMap<>();
        int count = 0;
        try (PreparedStatement s = c.prepareStatement(allEdges(tables))) {
            s.setFetchSize(10_000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (++count > IN_MEMORY_EDGES) {
                        return null;
                    }
                    Edge e = new Edge(r.getString(1), r.getString(2), r.getString(3));
                    if (e.src() == null || e.dst() == null) {
                        continue;
                    }
                    forward.computeIfAbsent(e.src(), k -> new ArrayList<>()).add(e);
                    backward.computeIfAbsent(e.dst(), k -> new ArrayList<>()).add(e);
                }
            }
        }
        Map<String, Integer> nodes = new HashMap<>();
        nodes.put(rid, 0);
        Set<Edge> edges = new LinkedHashSet<>();
        walk(rid, upDepth, backward, false, nodes, edges);
        walk(rid, downDepth, forward, true, nodes, edges);
        return new Walk(nodes, edges);
    }

    /** Breadth first from the root: every node at its least depth, every edge leaving a node above the bound. */
    private static void walk(
            String root,
            int bound,
            Map<String, List<Edge>> adjacent,
            boolean downstream,
            Map<String, Integer> nodes,
            Set<Edge> edges) {
        Map<String, Integer> seen = new HashMap<>();
        seen.put(root, 0);
        ArrayDeque<String> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            String node = queue.poll();
            int depth = seen.get(node);
            if (depth >= bound) {
                continue;
            }
            for (Edge e : adjacent.getOrDefault(node, List.of())) {
                edges.add(e);
                String next = downstream ? e.dst() : e.src();
                if (seen.putIfAbsent(next, depth + 1) == null) {
                    queue.add(next);
                    nodes.merge(next, depth + 1, Math::min);
                }
            }
        }
    }

    /**
     * What the rows of the nodes in {@code nodes} say, as (rid, j); each asset table's schema and
     * name are bound before it.
     */
    private static String details(List<AssetTable> tables) {
        StringBuilder details = new StringBuilder();
        for (AssetTable t : tables) {
            details.append(
                            "SELECT a.\"RID\" AS rid, jsonb_build_object('kind', 'asset', 'schema', ?::text, 'table', ?::text, ")
                    .append("'Filename', a.\"Filename\", 'URL', a.\"URL\", 'Length', a.\"Length\", 'MD5', a.\"MD5\")")
                    .append(
                            t.equals(AssetTable.REGISTERED)
                                    ? " || jsonb_build_object('Namespace', a.\"Namespace\", 'Name', a.\"Name\", 'Version', a.\"Version\", "
                                            + "'Tag', a.\"Tag\", 'Deleted', a.\"Deleted\")"
                                    : "")
                    .append(" AS j FROM ")
                    .append(t.sql())
                    .append(" a WHERE a.\"RID\" IN (SELECT node FROM nodes) UNION ALL ");
        }
        return details.append(
                        "SELECT e.\"RID\", jsonb_build_object('kind', 'execution', 'Status', e.\"Status\", 'Workflow', ")
                .append("e.\"Workflow\", 'Description', e.\"Description\") FROM ")
                .append(MlSql.ml("Execution"))
                .append(
                        " e WHERE e.\"RID\" IN (SELECT node FROM nodes) UNION ALL SELECT d.\"RID\", jsonb_build_object('kind', ")
                .append("'dataset', 'Description', d.\"Description\", 'Version', d.\"Version\") FROM ")
                .append(MlSql.ml("Dataset"))
                .append(" d WHERE d.\"RID\" IN (SELECT node FROM nodes)")
                .toString();
    }

    /**
     * The graph of a walk made in memory, in the form the recursive query gives: nodes by depth,
     * then RID, each with what its row says; edges by their ends and role. RIDs order as bytes,
     * as the query orders them ({@code COLLATE "C"}).
     */
    private static JsonObject described(
            Connection c,
            Walk walk,
            String details,
            List<Object> detailParameters,
            String rid,
            Direction direction,
            int depth)
            throws SQLException {
        List<Object> parameters = new ArrayList<>();
        parameters.add(walk.nodes().keySet().toArray(String[]::new));
        parameters.addAll(detailParameters);
        Map<String, JsonObject> described = new HashMap<>();
        try (PreparedStatement s = Jdbc.prepare(c, details, parameters.toArray());
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                described.put(r.getString(1), Jdbc.parse(r.getString(2)).asJsonObject());
            }
        }
        JsonArrayBuilder nodes = JSON.createArrayBuilder();
        walk.nodes().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .forEach(n -> nodes.add(
                        JSON.createObjectBuilder(described.getOrDefault(n.getKey(), JsonValue.EMPTY_JSON_OBJECT))
                                .add("RID", n.getKey())
                                .add("depth", n.getValue())));
        JsonArrayBuilder edges = JSON.createArrayBuilder();
        walk.edges().stream()
                .sorted(Comparator.comparing(Edge::src)
                        .thenComparing(Edge::dst)
                        .thenComparing(Edge::role, Comparator.nullsLast(Comparator.naturalOrder())))
                .forEach(e -> {
                    JsonObjectBuilder edge =
                            JSON.createObjectBuilder().add("from", e.src()).add("to", e.dst());
                    edges.add(e.role() == null ? edge.addNull("role") : edge.add("role", e.role()));
                });
        return JSON.createObjectBuilder()
                .add("root", rid)
                .add("direction", direction.name())
                .add("depth", depth)
                .add("found", described.containsKey(rid))
                .add("nodes", nodes)
                .add("edges", edges)
                .build();
    }

    public JsonObject graph(long catalogId, String rid, Direction direction, int depth) {
        MlSql.rid("RID", rid);
        if (depth < 0 || depth > MAX_DEPTH) {
            throw new CairnException.BadRequest("depth must be between 0 and " + MAX_DEPTH + ".");
        }
        List<AssetTable> tables = assetTables.list(catalogId);
        List<Object> parameters = new ArrayList<>();
        for (AssetTable t : tables) {
            parameters.add(t.schema());
            parameters.add(t.name());
        }
        String details = details(tables);
        String result = "details AS MATERIALIZED (" + details + ") "
                + "SELECT jsonb_build_object('root', ?::text, 'direction', ?::text, 'depth', ?::int, "
                + "'found', EXISTS (SELECT 1 FROM details WHERE rid = ?), "
                + "'nodes', coalesce((SELECT jsonb_agg(jsonb_build_object('RID', n.node, 'depth', n.depth) || coalesce(d.j, '{}'::jsonb) "
                + "ORDER BY n.depth, n.node COLLATE \"C\") FROM nodes n LEFT JOIN details d ON d.rid = n.node), '[]'::jsonb), "
                + "'edges', coalesce((SELECT jsonb_agg(jsonb_build_object('from', e.src, 'to', e.dst, 'role', e.role) "
                + "ORDER BY e.src COLLATE \"C\", e.dst COLLATE \"C\", e.role COLLATE \"C\") FROM edges e), '[]'::jsonb))";
        List<Object> tail = new ArrayList<>(parameters);
        tail.add(rid);
        tail.add(direction.name());
        tail.add(depth);
        tail.add(rid);
        int upDepth = direction == Direction.down ? 0 : depth;
        int downDepth = direction == Direction.up ? 0 : depth;
        JsonObject graph = databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            Walk walk = depth > IN_MEMORY_DEPTH ? walkInMemory(c, tables, rid, upDepth, downDepth) : null;
            if (walk != null) {
                return described(
                        c,
                        walk,
                        "WITH nodes AS MATERIALIZED (SELECT unnest(?::text[]) AS node) SELECT rid, j::text FROM ("
                                + details + ") AS x",
                        parameters,
                        rid,
                        direction,
                        depth);
            }
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
                    + "SELECT previous, node, role FROM down WHERE previous IS NOT NULL), " + result;
            List<Object> all = new ArrayList<>(List.of(rid, upDepth, rid, downDepth));
            all.addAll(tail);
            // every step is a lookup by key; right after a bulk load, before statistics catch up,
            // the planner would otherwise scan whole association tables at each of thousands of steps
            Jdbc.execute(c, "SET LOCAL enable_seqscan = off");
            return Jdbc.jsonObject(c, sql, all.toArray()).orElseThrow();
        });
        if (!graph.getBoolean("found")) {
            throw new CairnException.NotFound("No asset, execution or dataset has RID " + rid + ".");
        }
        return JSON.createObjectBuilder(graph).remove("found").build();
    }
}
