package dev.cairn.asset.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import dev.cairn.asset.control.AssetTables.AssetTable;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/** Asset rows with their type names, and the executions that used or produced them. */
@ApplicationScoped
public class Assets {

    public static final int MAX_PAGE = 10_000;

    @Inject
    CatalogDatabases databases;

    @Inject
    DataAccess data;

    @Inject
    AssetTables tables;

    /** DerivaML's {@code list_assets}: a page of rows in RID order, each with {@code Asset_Type}, after the given RID. */
    public JsonArray list(long catalogId, AssetTable table, String after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new CairnException.BadRequest("limit must be between 1 and " + MAX_PAGE + ".");
        }
        return databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> MlSql.jsonArray(c,
                "SELECT " + withTypes(table) + " FROM " + table.sql() + " a WHERE a.\"RID\" > ? ORDER BY a.\"RID\" LIMIT ?",
                after == null ? "" : after, limit));
    }

    /** One asset: its row, its types, its table and the executions related to it with their role. */
    public JsonObject get(long catalogId, String rid) {
        Map<String, String> where = data.resolve(catalogId, MlSql.rid("Asset", rid))
                .orElseThrow(() -> new CairnException.NotFound("No row has RID " + rid + "."));
        AssetTable table = tables.of(catalogId, where.get("schema_name"), where.get("table_name"))
                .orElseThrow(() -> new CairnException.NotFound("RID " + rid + " is a row of " + where.get("schema_name") + ":"
                        + where.get("table_name") + ", which is not an asset table."));
        return databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> MlSql.jsonObject(c,
                "SELECT " + withTypes(table) + " || jsonb_build_object('schema', ?::text, 'table', ?::text, 'Executions', "
                        + "coalesce((SELECT jsonb_agg(jsonb_build_object('Execution', x.\"Execution\", 'Asset_Role', x.\"Asset_Role\", "
                        + "'Status', e.\"Status\", 'Workflow', e.\"Workflow\", 'Description', e.\"Description\") ORDER BY x.\"RID\") "
                        + "FROM " + table.executionTable() + " x JOIN " + MlSql.ml("Execution") + " e ON e.\"RID\" = x.\"Execution\" "
                        + "WHERE x." + table.column() + " = a.\"RID\"), '[]'::jsonb)) "
                        + "FROM " + table.sql() + " a WHERE a.\"RID\" = ?", table.schema(), table.name(), rid))
                .orElseThrow(() -> new CairnException.NotFound("No asset has RID " + rid + "."));
    }

    /** The row as JSON with the names of its types as {@code Asset_Type}; the row is aliased {@code a}. */
    private static String withTypes(AssetTable table) {
        return "to_jsonb(a) || jsonb_build_object('Asset_Type', coalesce((SELECT jsonb_agg(t.\"Asset_Type\" ORDER BY t.\"Asset_Type\") "
                + "FROM " + table.typeTable() + " t WHERE t." + table.column() + " = a.\"RID\"), '[]'::jsonb))";
    }

    /**
     * The assets an execution used ({@code Input}) or produced ({@code Output}), across every asset
     * table, each with its table, role and file columns.
     */
    public JsonArray ofExecution(Connection c, List<AssetTable> assetTables, String execution) throws SQLException {
        if (assetTables.isEmpty()) {
            return Json.createArrayBuilder().build();
        }
        StringBuilder sql = new StringBuilder("SELECT j FROM (");
        Object[] parameters = new Object[assetTables.size() * 3];
        int i = 0;
        for (AssetTable t : assetTables) {
            sql.append(i == 0 ? "" : " UNION ALL ")
                    .append("SELECT jsonb_build_object('RID', a.\"RID\", 'schema', ?::text, 'table', ?::text, 'Asset_Role', x.\"Asset_Role\", ")
                    .append("'Filename', a.\"Filename\", 'URL', a.\"URL\", 'Length', a.\"Length\", 'MD5', a.\"MD5\") AS j, a.\"RID\" AS rid ")
                    .append("FROM ").append(t.executionTable()).append(" x JOIN ").append(t.sql()).append(" a ON a.\"RID\" = x.")
                    .append(t.column()).append(" WHERE x.\"Execution\" = ?");
            parameters[i++] = t.schema();
            parameters[i++] = t.name();
            parameters[i++] = execution;
        }
        sql.append(") s ORDER BY rid");
        JsonArrayBuilder out = Json.createArrayBuilder();
        MlSql.jsonRows(c, sql.toString(), parameters).forEach(out::add);
        return out.build();
    }
}
