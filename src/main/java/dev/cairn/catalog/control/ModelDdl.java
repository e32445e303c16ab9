package dev.cairn.catalog.control;

import static dev.cairn.catalog.control.ModelDocuments.array;
import static dev.cairn.catalog.control.ModelDocuments.checkName;
import static dev.cairn.catalog.control.ModelDocuments.constraintName;
import static dev.cairn.catalog.control.ModelDocuments.fields;
import static dev.cairn.catalog.control.ModelDocuments.objects;
import static dev.cairn.catalog.control.ModelDocuments.optionalArray;
import static dev.cairn.catalog.control.ModelDocuments.optionalString;
import static dev.cairn.catalog.control.ModelDocuments.string;
import static dev.cairn.catalog.control.ModelDocuments.strings;
import static dev.cairn.catalog.control.ModelProperties.*;
import static dev.cairn.catalog.control.ModelSql.*;
import static dev.cairn.platform.SqlIdentifiers.quote;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements that create a table with its columns and keys, and a foreign key, built from
 * ERMrest's model documents and checked whole before any of them runs: {@link ModelEditor} creates
 * with them, and {@link ModelAlterations} re-creates a foreign key from them.
 */
final class ModelDdl {

    private ModelDdl() {}

    /** The statements that create one table with its keys (its foreign keys come later), checked before any runs. */
    record TableDdl(
            String schema,
            String table,
            List<ColumnDdl> columns,
            List<ColumnDdl> systemColumns,
            List<KeyDdl> keys,
            List<ForeignKeyDdl> foreignKeys,
            String comment,
            Map<String, JsonValue> annotations) {

        static TableDdl of(String schema, JsonObject doc) {
            checkName("schema", schema);
            fields(doc, "A table document", ModelDocuments.TABLE_FIELDS);
            String table = string(doc, "table_name", "A table document");
            checkName("table", table);
            String kind = optionalString(doc, "kind", "Table " + table);
            if (kind != null && !kind.equals("table")) {
                throw new CairnException.BadRequest(
                        "Only tables can be created (\"kind\": \"table\"), not " + kind + ".");
            }
            List<ColumnDdl> columns = new ArrayList<>();
            List<ColumnDdl> systemColumns = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (JsonObject column :
                    objects(array(doc, "column_definitions", "Table " + table), "A column definition")) {
                String name = string(column, "name", "A column definition");
                if (!names.add(name)) {
                    throw new CairnException.BadRequest("Table " + table + " defines column " + name + " twice.");
                }
                // every table has the system columns, as the database maintains them; their comments and annotations
                // are kept
                (SYSTEM_COLUMNS.contains(name) ? systemColumns : columns)
                        .add(ColumnDdl.of(column, SYSTEM_COLUMNS.contains(name)));
            }
            // the RID key comes with the table (clients such as deriva-py send it in their documents)
            List<KeyDdl> keys = objects(optionalArray(doc, "keys", "Table " + table), "A key").stream()
                    .map(KeyDdl::of)
                    .filter(k -> !(k.columns().equals(List.of("RID"))
                            && k.comment() == null
                            && k.annotations().isEmpty()
                            && k.name() == null))
                    .toList();
            List<ForeignKeyDdl> foreignKeys =
                    objects(optionalArray(doc, "foreign_keys", "Table " + table), "A foreign key").stream()
                            .map(fk -> ForeignKeyDdl.of(fk, schema, table))
                            .toList();
            return new TableDdl(
                    schema,
                    table,
                    columns,
                    systemColumns,
                    keys,
                    foreignKeys,
                    optionalString(doc, "comment", "Table " + table),
                    ModelDocuments.properties(doc, Acls.Kind.TABLE, "Table " + table));
        }

        void run(Statement s) throws SQLException {
            List<String> parts =
                    new ArrayList<>(List.of("LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS"));
            columns.forEach(c -> parts.add(c.definition()));
            s.execute("CREATE TABLE " + qualified(schema, table) + " (" + String.join(", ", parts) + ")");
            try (PreparedStatement register = s.getConnection()
                    .prepareStatement("SELECT _ermrest.register_table(?, ?), _ermrest.refresh_rid_templates(?, ?)")) {
                register.setString(1, schema);
                register.setString(2, table);
                register.setString(3, schema);
                register.setString(4, table);
                register.execute();
            }
            for (ColumnDdl column : columns) {
                column.describe(s, schema, table);
            }
            for (ColumnDdl column : systemColumns) {
                column.describe(s, schema, table);
            }
            for (KeyDdl key : keys) {
                key.run(s, schema, table, true);
            }
            if (comment != null) {
                s.execute("COMMENT ON TABLE " + qualified(schema, table) + " IS " + literal(comment));
            }
            for (Map.Entry<String, JsonValue> a : annotations.entrySet()) {
                annotate(s.getConnection(), new ModelElement(schema, table, "", ""), a.getKey(), a.getValue());
            }
        }
    }

    /** One column: {@code "Name" text NOT NULL DEFAULT '...'::text}, its comment and annotations. */
    record ColumnDdl(String name, String type, String definition, String comment, Map<String, JsonValue> annotations) {

        static ColumnDdl of(JsonObject column) {
            return of(column, false);
        }

        /**
         * {@code system}: the document describes one of the system columns, whose comment and
         * annotations only are taken.
         */
        static ColumnDdl of(JsonObject column, boolean system) {
            fields(column, "A column definition", ModelDocuments.COLUMN_FIELDS);
            String name = string(column, "name", "A column definition");
            checkName("column", name);
            if (SYSTEM_COLUMNS.contains(name) && !system) {
                throw new CairnException.Conflict(
                        ErrorCode.ALREADY_EXISTS, "Every table has system column " + name + " already.");
            }
            if (system) {
                return new ColumnDdl(
                        name,
                        null,
                        null,
                        optionalString(column, "comment", "Column " + name),
                        ModelDocuments.properties(column, Acls.Kind.COLUMN, "Column " + name));
            }
            String type = sqlType(column.get("type"), name);
            StringBuilder definition =
                    new StringBuilder(quote(name)).append(' ').append(type);
            if (column.containsKey("default") && !column.isNull("default")) {
                definition
                        .append(" DEFAULT ")
                        .append(literal(ModelDocuments.scalar(column.get("default"))))
                        .append("::")
                        .append(type);
            }
            if (!ModelDocuments.optionalBoolean(column, "nullok", true, "Column " + name)) {
                definition.append(" NOT NULL");
            }
            return new ColumnDdl(
                    name,
                    type,
                    definition.toString(),
                    optionalString(column, "comment", "Column " + name),
                    ModelDocuments.properties(column, Acls.Kind.COLUMN, "Column " + name));
        }

        void describe(Statement s, String schema, String table) throws SQLException {
            if (comment != null) {
                s.execute("COMMENT ON COLUMN " + qualified(schema, table) + "." + quote(name) + " IS "
                        + literal(comment));
            }
            for (Map.Entry<String, JsonValue> a : annotations.entrySet()) {
                annotate(s.getConnection(), new ModelElement(schema, table, name, ""), a.getKey(), a.getValue());
            }
        }
    }

    /** A key: unique columns, an optional name, comment and annotations. */
    record KeyDdl(List<String> columns, String name, String comment, Map<String, JsonValue> annotations) {

        static KeyDdl of(JsonObject key) {
            fields(key, "A key", ModelDocuments.KEY_FIELDS);
            List<String> columns = strings(array(key, "unique_columns", "A key"), "\"unique_columns\"");
            if (columns.isEmpty()) {
                throw new CairnException.BadRequest("A key needs at least one of \"unique_columns\".");
            }
            if (new HashSet<>(columns).size() != columns.size()) {
                throw new CairnException.BadRequest("A key names a column twice: " + columns + ".");
            }
            return new KeyDdl(
                    columns,
                    constraintName(key, "A key"),
                    optionalString(key, "comment", "A key"),
                    ModelDocuments.annotations(key, "A key"));
        }

        /**
         * Adds the key unless the table has one on the same columns (409); in a table being made
         * ({@code newTable}), a key on RID is the one every table has. Returns its name.
         */
        String run(Statement s, String schema, String table, boolean newTable) throws SQLException {
            String existing = constraintOn(s.getConnection(), schema, table, columns, "u", null);
            if (existing == null) {
                existing = constraintOn(s.getConnection(), schema, table, columns, "p", null);
            }
            if (existing != null && newTable && columns.equals(List.of("RID"))) {
                // every table comes with its RID key: a document that declares it (deriva-ml's catalog clone does)
                // names and
                // describes that one rather than adding a second
                if (name != null && !name.equals(existing)) {
                    s.execute("ALTER TABLE " + qualified(schema, table) + " RENAME CONSTRAINT " + quote(existing)
                            + " TO " + quote(name));
                    existing = name;
                }
                describeConstraint(s, schema, table, existing, comment, annotations);
                return existing;
            }
            if (existing != null) {
                throw new CairnException.Conflict(
                        ErrorCode.ALREADY_EXISTS,
                        "Table " + schema + ":" + table + " has a key on " + columns + " already (" + existing + ").");
            }
            s.execute("ALTER TABLE " + qualified(schema, table) + " ADD "
                    + (name == null ? "" : "CONSTRAINT " + quote(name) + " ") + "UNIQUE (" + quoted(columns) + ")");
            String created = constraintOn(s.getConnection(), schema, table, columns, "u", null);
            describeConstraint(s, schema, table, created, comment, annotations);
            return created;
        }
    }

    /** A foreign key from a table's columns to a key of a table. */
    record ForeignKeyDdl(
            String schema,
            String table,
            List<String> columns,
            String refSchema,
            String refTable,
            List<String> refColumns,
            String name,
            String onDelete,
            String onUpdate,
            String comment,
            Map<String, JsonValue> annotations) {

        static ForeignKeyDdl of(JsonObject fk, String schema, String table) {
            fields(fk, "A foreign key", ModelDocuments.FOREIGN_KEY_FIELDS);
            List<JsonObject> from = objects(array(fk, "foreign_key_columns", "A foreign key"), "A foreign key column");
            List<JsonObject> to = objects(array(fk, "referenced_columns", "A foreign key"), "A referenced column");
            if (from.isEmpty() || from.size() != to.size()) {
                throw new CairnException.BadRequest(
                        "A foreign key pairs one or more \"foreign_key_columns\" with as many "
                                + "\"referenced_columns\" (" + from.size() + " and " + to.size() + " given).");
            }
            for (JsonObject c : from) {
                String s = optionalString(c, "schema_name", "A foreign key column");
                String t = optionalString(c, "table_name", "A foreign key column");
                if ((s != null && !s.equals(schema)) || (t != null && !t.equals(table))) {
                    throw new CairnException.BadRequest("The foreign key columns of " + schema + ":" + table
                            + " belong to it, not to " + s + ":" + t + ".");
                }
            }
            String refSchema = string(to.get(0), "schema_name", "A referenced column");
            String refTable = string(to.get(0), "table_name", "A referenced column");
            for (JsonObject c : to) {
                if (!refSchema.equals(string(c, "schema_name", "A referenced column"))
                        || !refTable.equals(string(c, "table_name", "A referenced column"))) {
                    throw new CairnException.BadRequest("All referenced columns of a foreign key belong to one table.");
                }
            }
            List<String> columns = from.stream()
                    .map(c -> string(c, "column_name", "A foreign key column"))
                    .toList();
            List<String> refColumns = to.stream()
                    .map(c -> string(c, "column_name", "A referenced column"))
                    .toList();
            return new ForeignKeyDdl(
                    schema,
                    table,
                    columns,
                    refSchema,
                    refTable,
                    refColumns,
                    constraintName(fk, "A foreign key"),
                    ModelDocuments.action(fk, "on_delete"),
                    ModelDocuments.action(fk, "on_update"),
                    optionalString(fk, "comment", "A foreign key"),
                    ModelDocuments.properties(fk, Acls.Kind.FOREIGN_KEY, "A foreign key"));
        }

        String run(Statement s) throws SQLException {
            s.execute("ALTER TABLE " + qualified(schema, table) + " ADD " + definition(name));
            String created =
                    constraintOn(s.getConnection(), schema, table, columns, "f", qualified(refSchema, refTable));
            describeConstraint(s, schema, table, created, comment, annotations);
            return created;
        }

        String definition(String constraint) {
            return (constraint == null ? "" : "CONSTRAINT " + quote(constraint) + " ") + "FOREIGN KEY ("
                    + quoted(columns)
                    + ") REFERENCES " + qualified(refSchema, refTable) + " (" + quoted(refColumns) + ") ON DELETE "
                    + onDelete
                    + " ON UPDATE " + onUpdate;
        }
    }

    static void describeConstraint(
            Statement s,
            String schema,
            String table,
            String constraint,
            String comment,
            Map<String, JsonValue> annotations)
            throws SQLException {
        if (comment != null) {
            s.execute("COMMENT ON CONSTRAINT " + quote(constraint) + " ON " + qualified(schema, table) + " IS "
                    + literal(comment));
        }
        for (Map.Entry<String, JsonValue> a : annotations.entrySet()) {
            annotate(s.getConnection(), new ModelElement(schema, table, "", constraint), a.getKey(), a.getValue());
        }
    }

    /**
     * The name of the newest constraint of the given kind ('u', 'p' or 'f') on exactly these
     * columns in this order (and, for a foreign key, to this table), or null.
     */
    static String constraintOn(
            Connection c, String schema, String table, List<String> columns, String kind, String referenced)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT con.conname FROM pg_constraint con
                 WHERE con.conrelid = CAST(? AS regclass) AND con.contype = ?
                   AND (CAST(? AS text) IS NULL OR con.confrelid = CAST(CAST(? AS text) AS regclass))
                   AND con.conkey = (SELECT array_agg(a.attnum ORDER BY u.ord)::int2[]
                                       FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS u(name, ord)
                                       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attname = u.name)
                 ORDER BY con.oid DESC LIMIT 1""")) {
            s.setString(1, qualified(schema, table));
            s.setString(2, kind);
            s.setString(3, referenced);
            s.setString(4, referenced);
            s.setArray(5, c.createArrayOf("text", columns.toArray()));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }
}
