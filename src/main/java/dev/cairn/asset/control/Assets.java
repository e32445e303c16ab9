package dev.cairn.asset.control;

import dev.cairn.asset.control.AssetTables.AssetTable;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.inspect.control.BlobInfos;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Asset rows with their type names, and the executions that used or produced them. */
@ApplicationScoped
public class Assets {

    @Inject
    BlobInfos blobInfos;

    @Inject
    ObjectStore store;

    public static final int MAX_PAGE = 10_000;

    @Inject
    CatalogDatabases databases;

    @Inject
    DataAccess data;

    @Inject
    AssetTables tables;

    /**
     * DerivaML's {@code list_assets}: a page of rows in RID order, each with {@code Asset_Type}, after
     * the given RID.
     */
    public JsonArray list(long catalogId, AssetTable table, String after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new CairnException.BadRequest("limit must be between 1 and " + MAX_PAGE + ".");
        }
        return databases.transaction(
                catalogId,
                RequestClient.ANONYMOUS,
                c -> Jdbc.jsonArray(
                        c,
                        "SELECT " + withTypes(table) + " FROM " + table.sql()
                                + " a WHERE a.\"RID\" > ? ORDER BY a.\"RID\" LIMIT ?",
                        after == null ? "" : after,
                        limit));
    }

    /** One asset: its row, its types, its table and the executions related to it with their role. */
    public JsonObject get(long catalogId, String rid) {
        Map<String, String> where = data.resolve(catalogId, MlSql.rid("Asset", rid))
                .orElseThrow(() -> new CairnException.NotFound("No row has RID " + rid + "."));
        AssetTable table = tables.of(catalogId, where.get("schema_name"), where.get("table_name"))
                .orElseThrow(() -> new CairnException.NotFound("RID " + rid + " is a row of " + where.get("schema_name")
                        + ":" + where.get("table_name") + ", which is not an asset table."));
        JsonObject asset = databases
                .transaction(
                        catalogId,
                        RequestClient.ANONYMOUS,
                        c -> Jdbc.jsonObject(
                                c,
                                "SELECT " + withTypes(table)
                                        + " || jsonb_build_object('schema', ?::text, 'table', ?::text, 'Executions', "
                                        + "coalesce((SELECT jsonb_agg(jsonb_build_object('Execution', x.\"Execution\", 'Asset_Role', x.\"Asset_Role\", "
                                        + "'Status', e.\"Status\", 'Workflow', e.\"Workflow\", 'Description', e.\"Description\") ORDER BY x.\"RID\") "
                                        + "FROM " + table.executionTable() + " x JOIN " + MlSql.ml("Execution")
                                        + " e ON e.\"RID\" = x.\"Execution\" "
                                        + "WHERE x." + table.column() + " = a.\"RID\"), '[]'::jsonb)) "
                                        + "FROM " + table.sql() + " a WHERE a.\"RID\" = ?",
                                table.schema(),
                                table.name(),
                                rid))
                .orElseThrow(() -> new CairnException.NotFound("No asset has RID " + rid + "."));
        return withFileInfo(asset);
    }

    /**
     * The asset with {@code File_Info}: what was read from its file, once it has been (null until
     * then, or for no file here).
     */
    private JsonObject withFileInfo(JsonObject asset) {
        JsonValue info = JsonValue.NULL;
        if (asset.get("URL") instanceof JsonString url && url.getString().startsWith("/hatrac/")) {
            try {
                HatracPath path = HatracPath.parse(url.getString().substring("/hatrac".length()));
                if (path.version() != null) {
                    info = blobInfos
                            .find(store.version(path.name(), path.version()).sha256())
                            .map(JsonValue.class::cast)
                            .orElse(JsonValue.NULL);
                }
            } catch (CairnException gone) {
                // the file is not in this store (any more): nothing was read
            }
        }
        return JsonBodies.JSON.createObjectBuilder(asset).add("File_Info", info).build();
    }

    // ---- the one write path of asset rows

    /**
     * Makes asset rows: inserts the rows that {@code source} yields (columns {@code url},
     * {@code filename}, {@code length}, {@code md5}, {@code description} and {@code types text[]},
     * filenames unique) into the asset table, with their {@code Asset_Type} terms and a link to the
     * execution in {@code role}. Returns the new RIDs by filename.
     */
    public static Map<String, String> insert(
            Connection c, AssetTable table, String source, Object[] sourceParameters, String execution, String role)
            throws SQLException {
        Object[] parameters = Arrays.copyOf(sourceParameters, sourceParameters.length + 2);
        parameters[sourceParameters.length] = execution;
        parameters[sourceParameters.length + 1] = role;
        return Jdbc.jsonObject(
                        c,
                        "WITH src AS (" + source + "), "
                                + "ins AS (INSERT INTO " + table.sql()
                                + " (\"URL\", \"Filename\", \"Length\", \"MD5\", \"Description\") "
                                + "SELECT url, filename, length, md5, description FROM src RETURNING \"RID\", \"Filename\"), "
                                + "typed AS (INSERT INTO " + table.typeTable() + " (" + table.column()
                                + ", \"Asset_Type\") "
                                + "SELECT DISTINCT i.\"RID\", n.name FROM ins i JOIN src s ON s.filename = i.\"Filename\", "
                                + "unnest(s.types) AS n(name) RETURNING 1), "
                                + "linked AS (INSERT INTO " + table.executionTable() + " (" + table.column()
                                + ", \"Execution\", \"Asset_Role\") "
                                + "SELECT i.\"RID\", ?, ? FROM ins i RETURNING 1) "
                                + "SELECT coalesce(jsonb_object_agg(\"Filename\", \"RID\"), '{}') FROM ins",
                        parameters)
                .orElseThrow()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ((JsonString) e.getValue()).getString()));
    }

    /**
     * Records that an execution used ({@code Input}) or produced ({@code Output}) an asset; repeating
     * it changes nothing.
     */
    public static void link(Connection c, AssetTable table, String asset, String execution, String role)
            throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO " + table.executionTable() + " (" + table.column() + ", \"Execution\", \"Asset_Role\") "
                        + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                asset,
                execution,
                role);
    }

    /** The row as JSON with the names of its types as {@code Asset_Type}; the row is aliased {@code a}. */
    private static String withTypes(AssetTable table) {
        return "to_jsonb(a) || jsonb_build_object('Asset_Type', coalesce((SELECT jsonb_agg(t.\"Asset_Type\" ORDER BY t.\"Asset_Type\") "
                + "FROM " + table.typeTable() + " t WHERE t." + table.column() + " = a.\"RID\"), '[]'::jsonb))";
    }

    /**
     * Up to {@code limit} of the assets an execution used ({@code Input}) or produced
     * ({@code Output}), across every asset table, in RID order after {@code after} (null: from the
     * first), only those of {@code role} (null: both), each with its table, role and file columns.
     */
    public JsonArray ofExecution(
            Connection c, List<AssetTable> assetTables, String execution, String role, String after, int limit)
            throws SQLException {
        if (assetTables.isEmpty()) {
            return JsonBodies.JSON.createArrayBuilder().build();
        }
        List<Object> parameters = new ArrayList<>();
        String union = linked(
                assetTables,
                true,
                "jsonb_build_object('RID', a.\"RID\", 'schema', ?::text, 'table', ?::text, 'Asset_Role', x.\"Asset_Role\", "
                        + "'Filename', a.\"Filename\", 'URL', a.\"URL\", 'Length', a.\"Length\", 'MD5', a.\"MD5\") AS j, a.\"RID\" AS rid",
                execution,
                role,
                after,
                parameters);
        parameters.add(limit);
        JsonArrayBuilder out = JsonBodies.JSON.createArrayBuilder();
        Jdbc.jsonRows(c, "SELECT j FROM (" + union + ") s ORDER BY rid LIMIT ?", parameters.toArray())
                .forEach(out::add);
        return out.build();
    }

    /** How many assets an execution used and produced, across every asset table. */
    public long countOfExecution(Connection c, List<AssetTable> assetTables, String execution) throws SQLException {
        if (assetTables.isEmpty()) {
            return 0;
        }
        List<Object> parameters = new ArrayList<>();
        String union = linked(assetTables, false, "1 AS one", execution, null, null, parameters);
        return Long.parseLong(Jdbc.text(c, "SELECT count(*)::text FROM (" + union + ") s", parameters.toArray())
                .orElseThrow());
    }

    /**
     * One SELECT of {@code columns} per asset table over its rows linked to the execution, as a
     * UNION ALL; {@code named}: the columns start with two parameters, the table's schema and name.
     */
    private static String linked(
            List<AssetTable> assetTables,
            boolean named,
            String columns,
            String execution,
            String role,
            String after,
            List<Object> parameters) {
        StringBuilder sql = new StringBuilder();
        for (AssetTable t : assetTables) {
            sql.append(sql.length() == 0 ? "" : " UNION ALL ")
                    .append("SELECT ")
                    .append(columns)
                    .append(" FROM ")
                    .append(t.executionTable())
                    .append(" x JOIN ")
                    .append(t.sql())
                    .append(" a ON a.\"RID\" = x.")
                    .append(t.column())
                    .append(" WHERE x.\"Execution\" = ?");
            if (named) {
                parameters.add(t.schema());
                parameters.add(t.name());
            }
            parameters.add(execution);
            if (role != null) {
                sql.append(" AND x.\"Asset_Role\" = ?");
                parameters.add(role);
            }
            if (after != null) {
                sql.append(" AND a.\"RID\" > ?");
                parameters.add(after);
            }
        }
        return sql.toString();
    }
}
