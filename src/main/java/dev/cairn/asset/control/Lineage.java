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
     * The walk by one recursive query: each step looks up the neighbours of one node through the
     * indexes of every association; walk rows keep the edge they came along. Answers the nodes
     * reached, at their least depth, and the edges walked.
     */
    private static Walk walkBySql(Connection c, List<AssetTable> tables, String rid, int upDepth, int downDepth)
            throws SQLException {
        String sql = "WITH RECURSIVE "
                + "up(node, depth, next, role) AS (SELECT ?::text, 0, NULL::text, NULL::text UNION "
                + "SELECT e.node, u.depth + 1, u.node, e.role FROM up u CROSS JOIN LATERAL ("
                + neighbours(tables, false, "u.node") + ") e WHERE u.depth < ?), "
                + "down(node, depth, previous, role) AS (SELECT ?::text, 0, NULL::text, NULL::text UNION "
                + "SELECT e.node, dn.depth + 1, dn.node, e.role FROM down dn CROSS JOIN LATERAL ("
                + neighbours(tables, true, "dn.node") + ") e WHERE dn.depth < ?) "
                + "SELECT node, min(depth), NULL::text, NULL::text FROM (SELECT node, depth FROM up UNION ALL "
                + "SELECT node, depth FROM down) w GROUP BY node UNION ALL "
                + "(SELECT node, NULL::int, next, role FROM up WHERE next IS NOT NULL UNION "
                + "SELECT previous, NULL::int, node, role FROM down WHERE previous IS NOT NULL)";
        // every step is a lookup by key; right after a bulk load, before statistics catch up,
        // the planner would otherwise scan whole association tables at each of thousands of steps
        Jdbc.execute(c, "SET LOCAL enable_seqscan = off");
        Map<String, Integer> nodes = new HashMap<>();
        Set<Edge> edges = new LinkedHashSet<>();
        try (PreparedStatement s = Jdbc.prepare(c, sql, rid, upDepth, rid, downDepth);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String dst = r.getString(3);
                if (dst == null) {
                    nodes.put(r.getString(1), r.getInt(2));
                } else {
                    edges.add(new Edge(r.getString(1), dst, r.getString(4)));
                }
            }
        }
        Jdbc.execute(c, "SET LOCAL enable_seqscan = on");
        return new Walk(nodes, edges);
    }

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
     * What the rows of the nodes in {@code nodes} say, one row per node in plain columns (no JSON
     * is built or parsed per node): rid, kind, the asset's schema and table (bound before each asset
     * table), file columns, a registered asset's name columns, an execution's, a dataset's.
     */
    private static String details(List<AssetTable> tables) {
        StringBuilder details = new StringBuilder("WITH nodes AS MATERIALIZED (SELECT unnest(?::text[]) AS node) ");
        for (AssetTable t : tables) {
            boolean registered = t.equals(AssetTable.REGISTERED);
            details.append("SELECT a.\"RID\", 'asset', ?::text, ?::text, a.\"Filename\"::text, a.\"URL\"::text, ")
                    .append("a.\"Length\"::int8, a.\"MD5\"::text, ")
                    .append(
                            registered
                                    ? "true, a.\"Namespace\", a.\"Name\", a.\"Version\", a.\"Tag\", "
                                            + "to_jsonb(a.\"Deleted\") #>> '{}', "
                                    : "false, NULL, NULL, NULL, NULL, NULL, ")
                    .append("NULL, NULL, NULL FROM ")
                    .append(t.sql())
                    .append(" a WHERE a.\"RID\" IN (SELECT node FROM nodes) UNION ALL ");
        }
        return details.append("SELECT e.\"RID\", 'execution', NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, ")
                .append("NULL, NULL, NULL, e.\"Status\"::text, e.\"Workflow\"::text, e.\"Description\"::text FROM ")
                .append(MlSql.ml("Execution"))
                .append(" e WHERE e.\"RID\" IN (SELECT node FROM nodes) UNION ALL SELECT d.\"RID\", 'dataset', NULL, ")
                .append(
                        "NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, d.\"Version\"::text, NULL, NULL, NULL, NULL, ")
                .append("d.\"Description\"::text FROM ")
                .append(MlSql.ml("Dataset"))
                .append(" d WHERE d.\"RID\" IN (SELECT node FROM nodes)")
                .toString();
    }

    /** One node's description from a row of {@link #details}, after its RID and depth. */
    private static void describe(JsonObjectBuilder node, ResultSet r) throws SQLException {
        String kind = r.getString(2);
        node.add("kind", kind);
        switch (kind) {
            case "asset" -> {
                node.add("schema", r.getString(3)).add("table", r.getString(4));
                text(node, "Filename", r.getString(5));
                text(node, "URL", r.getString(6));
                long length = r.getLong(7);
                if (r.wasNull()) {
                    node.addNull("Length");
                } else {
                    node.add("Length", length);
                }
                text(node, "MD5", r.getString(8));
                if (r.getBoolean(9)) {
                    text(node, "Namespace", r.getString(10));
                    text(node, "Name", r.getString(11));
                    text(node, "Version", r.getString(12));
                    text(node, "Tag", r.getString(13));
                    text(node, "Deleted", r.getString(14));
                }
            }
            case "execution" -> {
                text(node, "Status", r.getString(15));
                text(node, "Workflow", r.getString(16));
                text(node, "Description", r.getString(17));
            }
            default -> {
                text(node, "Description", r.getString(17));
                text(node, "Version", r.getString(12));
            }
        }
    }

    private static void text(JsonObjectBuilder node, String name, String value) {
        if (value == null) {
            node.addNull(name);
        } else {
            node.add(name, value);
        }
    }

    /**
     * The graph of a walk: nodes by depth, then RID, each with what its row says; edges by their
     * ends and role. RIDs order as bytes ({@code COLLATE "C"}).
     */
    private static JsonObject described(
            Connection c, Walk walk, List<AssetTable> tables, String rid, Direction direction, int depth)
            throws SQLException {
        List<Object> parameters = new ArrayList<>();
        parameters.add(walk.nodes().keySet().toArray(String[]::new));
        for (AssetTable t : tables) {
            parameters.add(t.schema());
            parameters.add(t.name());
        }
        Map<String, JsonObjectBuilder> described = new HashMap<>();
        try (PreparedStatement s = Jdbc.prepare(c, details(tables), parameters.toArray());
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String node = r.getString(1);
                JsonObjectBuilder b = JSON.createObjectBuilder()
                        .add("RID", node)
                        .add("depth", walk.nodes().get(node));
                describe(b, r);
                described.put(node, b);
            }
        }
        JsonArrayBuilder nodes = JSON.createArrayBuilder();
        walk.nodes().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .forEach(n -> {
                    JsonObjectBuilder b = described.get(n.getKey());
                    nodes.add(
                            b != null
                                    ? b
                                    : JSON.createObjectBuilder()
                                            .add("RID", n.getKey())
                                            .add("depth", n.getValue()));
                });
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
        int upDepth = direction == Direction.down ? 0 : depth;
        int downDepth = direction == Direction.up ? 0 : depth;
        JsonObject graph = databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            Walk walk = depth > IN_MEMORY_DEPTH ? walkInMemory(c, tables, rid, upDepth, downDepth) : null;
            if (walk == null) {
                walk = walkBySql(c, tables, rid, upDepth, downDepth);
            }
            return described(c, walk, tables, rid, direction, depth);
        });
        if (!graph.getBoolean("found")) {
            throw new CairnException.NotFound("No asset, execution or dataset has RID " + rid + ".");
        }
        return JSON.createObjectBuilder(graph).remove("found").build();
    }
}
