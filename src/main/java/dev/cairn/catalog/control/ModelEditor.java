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
            String type = sqlType(column.getJsonObject("type"));
            StringBuilder definition = new StringBuilder(quote(name)).append(' ').append(type);
            if (column.containsKey("default") && !column.isNull("default")) {
                definition.append(" DEFAULT ").append(literal(scalar(column.get("default")))).append("::").append(type);
            }
            if (column.containsKey("nullok") && column.get("nullok") == JsonValue.FALSE) {
                definition.append(" NOT NULL");
            }
            parts.add(definition.toString());
            if (column.containsKey("comment") && !column.isNull("comment")) {
                statements.add("COMMENT ON COLUMN " + target + "." + quote(name) + " IS " + literal(string(column, "comment")));
            }
            annotationsOf(column).forEach((uri, value) -> annotations.add(new String[] {name, "", uri, value.toString()}));
        }
        for (JsonObject key : optionalArray(doc, "keys").getValuesAs(JsonObject.class)) {
            List<String> columns = strings(array(key, "unique_columns"));
            String name = constraintName(key);
            parts.add((name == null ? "" : "CONSTRAINT " + quote(name) + " ") + "UNIQUE (" + quoted(columns) + ")");
        }
        for (JsonObject fk : optionalArray(doc, "foreign_keys").getValuesAs(JsonObject.class)) {
            List<String> columns = columnNames(array(fk, "foreign_key_columns"));
            JsonArray referenced = array(fk, "referenced_columns");
            JsonObject first = referenced.getJsonObject(0);
            String name = constraintName(fk);
            parts.add((name == null ? "" : "CONSTRAINT " + quote(name) + " ") + "FOREIGN KEY (" + quoted(columns) + ") REFERENCES "
                    + quote(string(first, "schema_name")) + "." + quote(string(first, "table_name"))
                    + " (" + quoted(columnNames(referenced)) + ") ON DELETE " + action(fk, "on_delete")
                    + " ON UPDATE " + action(fk, "on_update"));
        }
        if (doc.containsKey("comment") && !doc.isNull("comment")) {
            statements.add("COMMENT ON TABLE " + target + " IS " + literal(string(doc, "comment")));
        }
        annotationsOf(doc).forEach((uri, value) -> annotations.add(new String[] {"", "", uri, value.toString()}));
        change(catalogId, client, s -> {
            s.execute("CREATE TABLE " + target + " (" + String.join(", ", parts) + ")");
            try (PreparedStatement register = s.getConnection().prepareStatement("SELECT _ermrest.register_table(?, ?)")) {
                register.setString(1, schema);
                register.setString(2, table);
                register.execute();
            }
            for (String statement : statements) {
                s.execute(statement);
            }
            try (PreparedStatement annotate = s.getConnection().prepareStatement(
                    "INSERT INTO _ermrest.annotation (schema_name, table_name, column_name, constraint_name, uri, value) "
                            + "VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb))")) {
                for (String[] a : annotations) {
                    annotate.setString(1, schema);
                    annotate.setString(2, table);
                    annotate.setString(3, a[0]);
                    annotate.setString(4, a[1]);
                    annotate.setString(5, a[2]);
                    annotate.setString(6, a[3]);
                    annotate.addBatch();
                }
                annotate.executeBatch();
            }
        });
        return table;
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
