package dev.cairn.catalog.control;

import static dev.cairn.platform.SqlIdentifiers.quote;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Changes to a catalog's model (DDL over REST): schemas, and tables from ERMrest table documents
 * with their columns, keys, foreign keys, comments and annotations. Every table gets the five
 * system columns and its history. Names are checked and quoted; types come from a fixed list;
 * defaults and comments are SQL string literals with quotes doubled.
 */
@ApplicationScoped
public class ModelEditor {

    private static final Set<String> BASE_TYPES = Set.of("text", "int2", "int4", "int8", "float4", "float8", "numeric",
            "boolean", "date", "timestamptz", "timestamp", "time", "json", "jsonb", "uuid");
    private static final Set<String> DOMAINS = Set.of("markdown", "longtext", "gene_sequence", "color_rgb_hex",
            "ermrest_uri", "ermrest_curie", "ermrest_rid", "ermrest_rcb", "ermrest_rmb", "ermrest_rct", "ermrest_rmt");
    private static final Set<String> SYSTEM_COLUMNS = Set.of("RID", "RCT", "RMT", "RCB", "RMB");
    private static final Set<String> ACTIONS = Set.of("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    public void createSchema(long catalogId, String schema, String comment, RequestClient client) {
        checkName("schema", schema);
        if (schema.startsWith("_") || schema.startsWith("pg_") || schema.equals("information_schema")) {
            throw new CairnException.BadRequest("Schema names starting with '_' or 'pg_' are reserved.");
        }
        change(catalogId, client, s -> {
            s.execute("CREATE SCHEMA " + quote(schema));
            if (comment != null) {
                s.execute("COMMENT ON SCHEMA " + quote(schema) + " IS " + literal(comment));
            }
        });
    }

    public void dropSchema(long catalogId, String schema, RequestClient client) {
        if (Set.of("public", "_ermrest").contains(schema)) {
            throw new CairnException.Forbidden("Schema " + schema + " belongs to the catalog.");
        }
        change(catalogId, client, s -> s.execute("DROP SCHEMA " + quote(schema)));
    }

    /** Creates a table from an ERMrest table document ({@code table_name}, {@code column_definitions}, ...). */
    public String createTable(long catalogId, String schema, JsonObject doc, RequestClient client) {
        return createTables(catalogId, List.of(new NewTable(schema, doc)), client, c -> null).get(0);
    }

    /** A table to create: its schema and its ERMrest table document. */
    public record NewTable(String schema, JsonObject doc) {
    }

    /**
     * Creates tables in one transaction, in order (so later ones may refer to earlier ones), then
     * runs {@code then} in the same transaction: all of it happens, or none.
     */
    public List<String> createTables(long catalogId, List<NewTable> tables, RequestClient client,
                                     CatalogDatabases.Work<?> then) {
        List<TableDdl> ddl = tables.stream().map(t -> tableDdl(t.schema(), t.doc())).toList();
        change(catalogId, client, s -> {
            for (TableDdl table : ddl) {
                table.run(s);
            }
            then.apply(s.getConnection());
        });
        return ddl.stream().map(TableDdl::table).toList();
    }

    /** The statements that create one table, checked before any of them runs. */
    private record TableDdl(String schema, String table, String create, List<String> statements,
                            List<String[]> annotations) {

        void run(Statement s) throws SQLException {
            s.execute(create);
            try (PreparedStatement register = s.getConnection().prepareStatement(
                    "SELECT _ermrest.register_table(?, ?), _ermrest.refresh_rid_templates(?, ?)")) {
                register.setString(1, schema);
                register.setString(2, table);
                register.setString(3, schema);
                register.setString(4, table);
                register.execute();
            }
            for (String statement : statements) {
                s.execute(statement);
            }
            for (String[] a : annotations) {
                annotate(s.getConnection(), schema, table, a[0], a[1], a[2], jakarta.json.Json.createReader(
                        new java.io.StringReader(a[3])).readValue());
            }
        }
    }

    private static TableDdl tableDdl(String schema, JsonObject doc) {
        String table = string(doc, "table_name");
        checkName("table", table);
        String target = quote(schema) + "." + quote(table);
        List<String> parts = new ArrayList<>(List.of("LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS"));
        List<String> statements = new ArrayList<>();
        List<String[]> annotations = new ArrayList<>();
        for (JsonObject column : array(doc, "column_definitions").getValuesAs(JsonObject.class)) {
            String name = string(column, "name");
            checkName("column", name);
            if (SYSTEM_COLUMNS.contains(name)) {
                continue; // every table has them already
            }
            parts.add(columnDefinition(column));
            if (column.containsKey("comment") && !column.isNull("comment")) {
                statements.add("COMMENT ON COLUMN " + target + "." + quote(name) + " IS " + literal(string(column, "comment")));
            }
            annotationsOf(column).forEach((uri, value) -> annotations.add(new String[] {name, "", uri, value.toString()}));
        }
        for (JsonObject key : optionalArray(doc, "keys").getValuesAs(JsonObject.class)) {
            parts.add(keyDefinition(key));
        }
        for (JsonObject fk : optionalArray(doc, "foreign_keys").getValuesAs(JsonObject.class)) {
            parts.add(foreignKeyDefinition(fk));
        }
        if (doc.containsKey("comment") && !doc.isNull("comment")) {
            statements.add("COMMENT ON TABLE " + target + " IS " + literal(string(doc, "comment")));
        }
        annotationsOf(doc).forEach((uri, value) -> annotations.add(new String[] {"", "", uri, value.toString()}));
        return new TableDdl(schema, table, "CREATE TABLE " + target + " (" + String.join(", ", parts) + ")",
                statements, annotations);
    }

    /** {@code "Name" text NOT NULL DEFAULT '...'::text} from an ERMrest column document. */
    private static String columnDefinition(JsonObject column) {
        String name = string(column, "name");
        checkName("column", name);
        String type = sqlType(column.getJsonObject("type"));
        StringBuilder definition = new StringBuilder(quote(name)).append(' ').append(type);
        if (column.containsKey("default") && !column.isNull("default")) {
            definition.append(" DEFAULT ").append(literal(scalar(column.get("default")))).append("::").append(type);
        }
        if (column.containsKey("nullok") && column.get("nullok") == JsonValue.FALSE) {
            definition.append(" NOT NULL");
        }
        return definition.toString();
    }

    private static String keyDefinition(JsonObject key) {
        List<String> columns = strings(array(key, "unique_columns"));
        String name = constraintName(key);
        return (name == null ? "" : "CONSTRAINT " + quote(name) + " ") + "UNIQUE (" + quoted(columns) + ")";
    }

    private static String foreignKeyDefinition(JsonObject fk) {
        List<String> columns = columnNames(array(fk, "foreign_key_columns"));
        JsonArray referenced = array(fk, "referenced_columns");
        JsonObject first = referenced.getJsonObject(0);
        String name = constraintName(fk);
        return (name == null ? "" : "CONSTRAINT " + quote(name) + " ") + "FOREIGN KEY (" + quoted(columns) + ") REFERENCES "
                + quote(string(first, "schema_name")) + "." + quote(string(first, "table_name"))
                + " (" + quoted(columnNames(referenced)) + ") ON DELETE " + action(fk, "on_delete")
                + " ON UPDATE " + action(fk, "on_update");
    }

    // ---- changes to existing tables

    public void addColumn(long catalogId, String schema, String table, JsonObject column, RequestClient client) {
        String target = target(catalogId, schema, table);
        String name = string(column, "name");
        change(catalogId, client, s -> {
            s.execute("ALTER TABLE " + target + " ADD COLUMN " + columnDefinition(column));
            try (PreparedStatement templates = s.getConnection().prepareStatement(
                    "SELECT _ermrest.refresh_rid_templates(?, ?)")) {
                templates.setString(1, schema);
                templates.setString(2, table);
                templates.execute();
            }
            if (column.containsKey("comment") && !column.isNull("comment")) {
                s.execute("COMMENT ON COLUMN " + target + "." + quote(name) + " IS " + literal(string(column, "comment")));
            }
            for (Map.Entry<String, JsonValue> a : annotationsOf(column).entrySet()) {
                annotate(s.getConnection(), schema, table, name, "", a.getKey(), a.getValue());
            }
        });
    }

    public void dropColumn(long catalogId, String schema, String table, String column, RequestClient client) {
        if (SYSTEM_COLUMNS.contains(column)) {
            throw new CairnException.Forbidden("System column " + column + " cannot be dropped.");
        }
        String target = target(catalogId, schema, table);
        models.index(catalogId).table(schema, table).column(column);
        change(catalogId, client, s -> {
            s.execute("ALTER TABLE " + target + " DROP COLUMN " + quote(column));
            forget(s.getConnection(), schema, table, column, null);
        });
    }

    public void addKey(long catalogId, String schema, String table, JsonObject key, RequestClient client) {
        String target = target(catalogId, schema, table);
        change(catalogId, client, s -> s.execute("ALTER TABLE " + target + " ADD " + keyDefinition(key)));
    }

    public void addForeignKey(long catalogId, String schema, String table, JsonObject fk, RequestClient client) {
        String target = target(catalogId, schema, table);
        change(catalogId, client, s -> s.execute("ALTER TABLE " + target + " ADD " + foreignKeyDefinition(fk)));
    }

    /** Drops the key on exactly these columns, or the foreign key from them (to the given table, when named). */
    public void dropConstraint(long catalogId, String schema, String table, List<String> columns, boolean foreign,
                               RequestClient client) {
        Model.Schema inSchema = databases.transaction(catalogId, RequestClient.ANONYMOUS, ModelReader::read).schemas().get(schema);
        Model.Table model = inSchema == null ? null : inSchema.tables().get(table);
        if (model == null) {
            throw new CairnException.NotFound("No table " + schema + ":" + table + ".");
        }
        String name = foreign
                ? model.foreignKeys().stream()
                        .filter(fk -> fk.columns().stream().map(Model.ColumnRef::columnName).toList().equals(columns))
                        .map(fk -> fk.names().get(0).get(1)).findFirst().orElse(null)
                : model.keys().stream().filter(k -> k.columns().equals(columns))
                        .map(k -> k.names().get(0).get(1)).findFirst().orElse(null);
        if (name == null) {
            throw new CairnException.NotFound("No " + (foreign ? "foreign key" : "key") + " on (" + String.join(",", columns)
                    + ") in " + schema + ":" + table + ".");
        }
        if (!foreign && columns.equals(List.of("RID"))) {
            throw new CairnException.Forbidden("The RID key belongs to the table.");
        }
        String target = target(catalogId, schema, table);
        change(catalogId, client, s -> {
            s.execute("ALTER TABLE " + target + " DROP CONSTRAINT " + quote(name));
            forget(s.getConnection(), schema, table, null, name);
        });
    }

    /** Sets or clears (null) the comment of a schema, table or column. */
    public void comment(long catalogId, String schema, String table, String column, String comment, RequestClient client) {
        String target = table == null ? "SCHEMA " + quote(schema)
                : column == null ? "TABLE " + target(catalogId, schema, table)
                : "COLUMN " + target(catalogId, schema, table) + "." + quote(column);
        change(catalogId, client, s -> s.execute("COMMENT ON " + target + " IS " + (comment == null ? "NULL" : literal(comment))));
    }

    /** Sets (value) or removes (null) one annotation of a schema, table or column. */
    public void annotation(long catalogId, String schema, String table, String column, String uri, JsonValue value,
                           RequestClient client) {
        if (table != null) {
            target(catalogId, schema, table);
        }
        change(catalogId, client, s -> {
            if (value == null) {
                try (PreparedStatement delete = s.getConnection().prepareStatement("DELETE FROM _ermrest.annotation "
                        + "WHERE schema_name = ? AND table_name = ? AND column_name = ? AND constraint_name = '' AND uri = ?")) {
                    delete.setString(1, schema == null ? "" : schema);
                    delete.setString(2, table == null ? "" : table);
                    delete.setString(3, column == null ? "" : column);
                    delete.setString(4, uri);
                    delete.execute();
                }
            } else {
                annotate(s.getConnection(), schema == null ? "" : schema, table == null ? "" : table,
                        column == null ? "" : column, "", uri, value);
            }
        });
    }

    private static void annotate(Connection c, String schema, String table, String column, String constraint, String uri,
                                 JsonValue value) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO _ermrest.annotation (schema_name, table_name, column_name, constraint_name, uri, value) "
                        + "VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb)) ON CONFLICT (schema_name, table_name, column_name, "
                        + "constraint_name, uri) DO UPDATE SET value = EXCLUDED.value")) {
            upsert.setString(1, schema);
            upsert.setString(2, table);
            upsert.setString(3, column);
            upsert.setString(4, constraint);
            upsert.setString(5, uri);
            upsert.setString(6, value.toString());
            upsert.execute();
        }
    }

    /** Removes the annotations of a dropped column (or, with column null, of a dropped constraint). */
    private static void forget(Connection c, String schema, String table, String column, String constraint) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM _ermrest.annotation WHERE schema_name = ? "
                + "AND table_name = ? AND " + (column != null ? "column_name" : "constraint_name") + " = ?")) {
            delete.setString(1, schema);
            delete.setString(2, table);
            delete.setString(3, column != null ? column : constraint);
            delete.execute();
        }
    }

    /** The quoted name of an existing table, or 404. */
    private String target(long catalogId, String schema, String table) {
        models.index(catalogId).table(schema, table);
        return quote(schema) + "." + quote(table);
    }

    public void dropTable(long catalogId, String schema, String table, RequestClient client) {
        models.index(catalogId).table(schema, table);
        change(catalogId, client, s -> {
            s.execute("DROP TABLE " + quote(schema) + "." + quote(table));
            try (PreparedStatement forget = s.getConnection().prepareStatement(
                    "DELETE FROM _ermrest.annotation WHERE schema_name = ? AND table_name = ?")) {
                forget.setString(1, schema);
                forget.setString(2, table);
                forget.execute();
            }
        });
    }

    /** A model change in one transaction, recorded for the snaptime, and the cached model dropped. */
    private void change(long catalogId, RequestClient client, Ddl ddl) {
        try {
            databases.transaction(catalogId, client, (Connection c) -> {
                try (Statement s = c.createStatement()) {
                    ddl.run(s);
                    s.execute("INSERT INTO _ermrest.model_modified VALUES (now()) ON CONFLICT DO NOTHING");
                }
                return null;
            });
        } finally {
            models.invalidate(catalogId);
        }
    }

    @FunctionalInterface
    private interface Ddl {
        void run(Statement s) throws SQLException;
    }

    // ---- document parsing

    private static String sqlType(JsonObject type) {
        if (type == null || !type.containsKey("typename")) {
            throw new CairnException.BadRequest("Each column needs \"type\": {\"typename\": ...}.");
        }
        String name = type.getString("typename");
        boolean array = name.endsWith("[]");
        String base = array ? name.substring(0, name.length() - 2) : name;
        String sql = switch (base) {
            case "serial2" -> "smallserial";
            case "serial4" -> "serial";
            case "serial8" -> "bigserial";
            default -> {
                if (BASE_TYPES.contains(base)) {
                    yield base;
                }
                if (DOMAINS.contains(base)) {
                    yield "public." + base;
                }
                throw new CairnException.BadRequest("Unsupported column type '" + name + "'.");
            }
        };
        if (array && sql.contains("serial")) {
            throw new CairnException.BadRequest("Serial columns cannot be arrays.");
        }
        return array ? sql + "[]" : sql;
    }

    private static String action(JsonObject fk, String field) {
        String action = fk.containsKey(field) && !fk.isNull(field) ? fk.getString(field).toUpperCase() : "NO ACTION";
        if (!ACTIONS.contains(action)) {
            throw new CairnException.BadRequest(field + " must be one of " + ACTIONS + ".");
        }
        return action;
    }

    private static String constraintName(JsonObject doc) {
        if (!doc.containsKey("names") || doc.getJsonArray("names").isEmpty()) {
            return null;
        }
        JsonArray name = doc.getJsonArray("names").getJsonArray(0);
        String value = name.getString(name.size() - 1);
        checkName("constraint", value);
        return value;
    }

    private static Map<String, JsonValue> annotationsOf(JsonObject doc) {
        return doc.containsKey("annotations") && doc.get("annotations") instanceof JsonObject o ? o : Map.of();
    }

    private static List<String> columnNames(JsonArray refs) {
        return refs.getValuesAs(JsonObject.class).stream().map(r -> string(r, "column_name")).toList();
    }

    private static List<String> strings(JsonArray values) {
        return values.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> quote(n)).toList());
    }

    private static String string(JsonObject doc, String field) {
        if (!(doc.get(field) instanceof JsonString s)) {
            throw new CairnException.BadRequest("\"" + field + "\" must be a string.");
        }
        return s.getString();
    }

    private static JsonArray array(JsonObject doc, String field) {
        if (!(doc.get(field) instanceof JsonArray a)) {
            throw new CairnException.BadRequest("\"" + field + "\" must be an array.");
        }
        return a;
    }

    private static JsonArray optionalArray(JsonObject doc, String field) {
        return doc.containsKey(field) && !doc.isNull(field) ? array(doc, field) : JsonValue.EMPTY_JSON_ARRAY;
    }

    private static String scalar(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).bigDecimalValue().toPlainString();
            case TRUE -> "true";
            case FALSE -> "false";
            default -> throw new CairnException.BadRequest("A column default is a string, number or boolean.");
        };
    }

    /** A SQL string literal: quotes doubled (standard_conforming_strings is on), no NUL. */
    static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new CairnException.BadRequest("Text cannot contain NUL.");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    static void checkName(String what, String name) {
        if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 63
                || CONTROL.matcher(name).find()) {
            throw new CairnException.BadRequest("A " + what + " name has 1 to 63 bytes and no control characters.");
        }
    }

}
