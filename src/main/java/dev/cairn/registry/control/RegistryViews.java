package dev.cairn.registry.control;

import dev.cairn.catalog.control.AclBindings;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ways to look at the registry beyond one asset: Pangolin's namespace tree, ranked free-text
 * search with metadata filters, and flowyml's metrics compared across assets and versions. All
 * read only the rows the caller may select.
 */
@ApplicationScoped
public class RegistryViews {

    private static final String R = AclBindings.ROW;
    private static final String RA = MlSql.ml(Registry.TABLE);

    @Inject
    CatalogDatabases databases;

    @Inject
    CatalogRequest context;

    /**
     * The namespaces at and below {@code under} (all when empty), each with its parent, the live
     * assets directly in it, those in it and below it, and its distinct names.
     */
    public JsonArray namespaces(long catalogId, String under) {
        String rows = context.rows("select", MlSql.ML, Registry.TABLE);
        Map<String, long[]> counts = new TreeMap<>();
        JsonArray direct = databases.transaction(
                catalogId,
                context.client(),
                c -> Jdbc.jsonArray(
                        c,
                        "SELECT jsonb_build_object('namespace', "
                                + col("Namespace") + ", 'assets', count(*), 'names', count(DISTINCT " + col("Name")
                                + ")) FROM " + RA + " " + R + " WHERE "
                                + col("Deleted") + " IS NULL" + (rows == null ? "" : " AND (" + rows + ")")
                                + " GROUP BY " + col("Namespace")));
        for (JsonValue v : direct) {
            JsonObject o = v.asJsonObject();
            String ns = o.getString("namespace");
            long assets = o.getJsonNumber("assets").longValue();
            counts.computeIfAbsent(ns, k -> new long[3])[0] += assets;
            counts.get(ns)[2] += o.getJsonNumber("names").longValue();
            for (String prefix = ns; ; prefix = parent(prefix)) {
                counts.computeIfAbsent(prefix, k -> new long[3])[1] += assets;
                if (prefix.isEmpty()) {
                    break;
                }
            }
        }
        JsonArrayBuilder out = JsonBodies.JSON.createArrayBuilder();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            String ns = e.getKey();
            if (under.isEmpty() || ns.equals(under) || ns.startsWith(under + "/")) {
                JsonObjectBuilder b = JsonBodies.JSON
                        .createObjectBuilder()
                        .add("namespace", ns)
                        .add("assets", e.getValue()[0])
                        .add("assets_below", e.getValue()[1])
                        .add("names", e.getValue()[2]);
                if (!ns.isEmpty()) {
                    b.add("parent", parent(ns));
                }
                out.add(b);
            }
        }
        JsonArray result = out.build();
        if (result.isEmpty() && !under.isEmpty()) {
            throw new CairnException.NotFound("No namespace " + under + " holds assets you may read.");
        }
        return result;
    }

    private static String parent(String ns) {
        int slash = ns.lastIndexOf('/');
        return slash < 0 ? "" : ns.substring(0, slash);
    }

    /**
     * Pangolin's search: live assets whose name, description, tags or metadata match the words of
     * {@code query} (web-search syntax: words, "phrases", -exclusions, or), ranked by relevance, and
     * that meet every filter: {@code kind}, {@code namespace} (and below), {@code tag}, and any
     * other key, compared with that key of the metadata or of what was read from the bytes
     * ({@code framework}, {@code deployment_status}, {@code performance.accuracy}...).
     */
    public JsonArray search(long catalogId, String query, Map<String, String> filters, int limit) {
        String rows = context.rows("select", MlSql.ML, Registry.TABLE);
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder(col("Deleted") + " IS NULL");
        if (rows != null) {
            where.append(" AND (").append(rows).append(")");
        }
        for (Map.Entry<String, String> f : filters.entrySet()) {
            String key = f.getKey();
            switch (key) {
                case "kind", "asset_kind" -> {
                    where.append(" AND ").append(col("Kind")).append(" = ?");
                    parameters.add(f.getValue());
                }
                case "namespace" -> {
                    where.append(" AND (")
                            .append(col("Namespace"))
                            .append(" = ? OR starts_with(")
                            .append(col("Namespace"))
                            .append(", ?))");
                    parameters.add(f.getValue());
                    parameters.add(f.getValue() + "/");
                }
                case "tag" -> {
                    where.append(" AND ").append(col("Tags")).append(" @> ARRAY[?]::text[]");
                    parameters.add(f.getValue());
                }
                case "name" -> {
                    where.append(" AND ").append(col("Name")).append(" = ?");
                    parameters.add(f.getValue());
                }
                default -> {
                    if (!key.matches("[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}")) {
                        throw new CairnException.BadRequest(
                                "A search filter is a metadata key such as framework or performance.accuracy; not '"
                                        + key + "'.");
                    }
                    String[] path = key.split("\\.");
                    where.append(" AND (")
                            .append(col("Metadata"))
                            .append(" #>> ?::text[] = ? OR ")
                            .append(col("File_Info"))
                            .append(" #>> ?::text[] = ?)");
                    parameters.add(path);
                    parameters.add(f.getValue());
                    parameters.add(path);
                    parameters.add(f.getValue());
                }
            }
        }
        // the indexed expression of migration ml/V6, written exactly as the index has it
        String document = "\"_deriva_ml\".search_document(" + col("Name") + ", " + col("Tags") + ", "
                + col("Description") + ", " + col("Metadata") + ", " + col("Namespace") + ")";
        String rank = "0.0";
        List<Object> all = new ArrayList<>();
        if (query != null && !query.isBlank()) {
            if (query.length() > 1000) {
                throw new CairnException.BadRequest("A search query is at most 1000 characters.");
            }
            rank = "ts_rank_cd(" + document + ", q.q)";
            where.append(" AND (").append(document).append(") @@ q.q");
            all.add(query);
        }
        all.addAll(parameters);
        all.add(limit);
        String sql = "SELECT jsonb_build_object('asset_id', " + col("RID") + ", 'asset_uri', " + col("Name")
                + " || ':' || " + col("Version")
                + " || CASE WHEN " + col("Tag") + " = '' THEN '' ELSE '-' || " + col("Tag")
                + " END, 'asset_namespace', " + col("Namespace")
                + ", 'asset_name', " + col("Name") + ", 'asset_kind', " + col("Kind") + ", 'asset_description', "
                + col("Description")
                + ", 'asset_tags', to_jsonb(" + col("Tags") + "), 'asset_metadata', " + col("Metadata")
                + ", 'score', round(" + rank
                + "::numeric, 6)) FROM " + RA + " " + R
                + (query != null && !query.isBlank() ? ", websearch_to_tsquery('english', ?) q(q)" : "")
                + " WHERE " + where + " ORDER BY " + (query != null && !query.isBlank() ? rank + " DESC, " : "")
                + col("RCT") + " DESC, "
                + col("RID") + " LIMIT ?";
        return databases.transaction(catalogId, context.client(), c -> Jdbc.jsonArray(c, sql, all.toArray()));
    }

    /**
     * Metrics side by side: for the given assets (ids), or every live version of a name (newest
     * first), the values of the named metrics (all when none are named), and per metric the
     * asset with the highest and the lowest value.
     */
    public JsonObject metrics(long catalogId, List<String> names, List<String> assets, String namespace, String name) {
        String rows = context.rows("select", MlSql.ML, Registry.TABLE);
        if ((assets.isEmpty()) == (name == null)) {
            throw new CairnException.BadRequest(
                    "Name the assets to compare with ?assets=ID,ID... or one asset name with ?name= (every version).");
        }
        assets.forEach(a -> MlSql.rid("assets", a));
        String which = assets.isEmpty()
                ? col("Namespace") + " = ? AND " + col("Name") + " = ? AND " + col("Deleted") + " IS NULL"
                : col("RID") + " = ANY (?::text[])";
        List<Object> parameters = new ArrayList<>();
        parameters.add(names.toArray(String[]::new));
        parameters.add(names.toArray(String[]::new));
        if (assets.isEmpty()) {
            parameters.add(namespace);
            parameters.add(name);
        } else {
            parameters.add(assets.toArray(String[]::new));
        }
        String sql = "SELECT jsonb_build_object('asset_id', " + col("RID") + ", 'asset_uri', " + col("Name")
                + " || ':' || " + col("Version")
                + " || CASE WHEN " + col("Tag") + " = '' THEN '' ELSE '-' || " + col("Tag") + " END, 'version', "
                + col("Version")
                + ", 'metrics', coalesce((SELECT jsonb_object_agg(m.\"Name\", m.\"Value\" ORDER BY m.\"Name\") FROM "
                + MlSql.ml("Registered_Asset_Metric") + " m WHERE m.\"Asset\" = " + col("RID")
                + " AND (cardinality(?::text[]) = 0 OR m.\"Name\" = ANY (?::text[]))), '{}')) "
                + "FROM " + RA + " " + R + " WHERE " + which + (rows == null ? "" : " AND (" + rows + ")")
                + " ORDER BY \"_deriva_ml\".version_key(" + col("Version") + ") COLLATE \"C\" DESC, " + col("RCT")
                + " DESC LIMIT " + Registry.MAX_PAGE;
        JsonArray found =
                databases.transaction(catalogId, context.client(), c -> Jdbc.jsonArray(c, sql, parameters.toArray()));
        if (found.isEmpty()) {
            throw new CairnException.NotFound("No asset you may read matches.");
        }
        Map<String, JsonObjectBuilder> best = new TreeMap<>();
        Map<String, double[]> range = new TreeMap<>();
        Map<String, String[]> at = new TreeMap<>();
        for (JsonValue v : found) {
            JsonObject a = v.asJsonObject();
            for (Map.Entry<String, JsonValue> m : a.getJsonObject("metrics").entrySet()) {
                double value = ((JsonNumber) m.getValue()).doubleValue();
                double[] r = range.computeIfAbsent(
                        m.getKey(), k -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
                String[] ids = at.computeIfAbsent(m.getKey(), k -> new String[2]);
                if (value < r[0]) {
                    r[0] = value;
                    ids[0] = a.getString("asset_id");
                }
                if (value > r[1]) {
                    r[1] = value;
                    ids[1] = a.getString("asset_id");
                }
            }
        }
        range.forEach((metric, r) -> best.put(
                metric,
                JsonBodies.JSON
                        .createObjectBuilder()
                        .add("min", r[0])
                        .add("min_asset", at.get(metric)[0])
                        .add("max", r[1])
                        .add("max_asset", at.get(metric)[1])));
        JsonObjectBuilder summary = JsonBodies.JSON.createObjectBuilder();
        best.forEach(summary::add);
        return JsonBodies.JSON
                .createObjectBuilder()
                .add("assets", found)
                .add("summary", summary)
                .build();
    }

    private static String col(String column) {
        return R + "." + MlSql.quote(column);
    }
}
