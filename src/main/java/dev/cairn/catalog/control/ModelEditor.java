package dev.cairn.catalog.control;

import static dev.cairn.catalog.control.ModelDocuments.array;
import static dev.cairn.catalog.control.ModelDocuments.checkName;
import static dev.cairn.catalog.control.ModelDocuments.fields;
import static dev.cairn.catalog.control.ModelDocuments.object;
import static dev.cairn.catalog.control.ModelDocuments.objects;
import static dev.cairn.catalog.control.ModelDocuments.optionalString;
import static dev.cairn.catalog.control.ModelDocuments.string;
import static dev.cairn.catalog.control.ModelProperties.*;
import static dev.cairn.catalog.control.ModelSql.*;
import static dev.cairn.platform.SqlIdentifiers.quote;

import dev.cairn.catalog.control.ModelDdl.ColumnDdl;
import dev.cairn.catalog.control.ModelDdl.ForeignKeyDdl;
import dev.cairn.catalog.control.ModelDdl.KeyDdl;
import dev.cairn.catalog.control.ModelDdl.TableDdl;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creating and dropping parts of a catalog's model (DDL over REST), as ERMrest defines them:
 * schemas, tables (also many at once, foreign keys last), columns, keys and foreign keys, each with
 * its comment, annotations and ACLs. {@link ModelAlterations} alters them by partial documents,
 * {@link ModelProperties} sets their comments, annotations and ACLs, and every change runs through
 * {@link ModelChanges}: one transaction that also records the model in its history, so a snapshot
 * keeps the model it had. Names are checked and quoted; types come from a fixed list; literals have
 * their quotes doubled ({@link ModelSql}).
 */
@ApplicationScoped
public class ModelEditor {

    /** What a bulk request created, in request order: a schema, a table or a foreign key. */
    public record Created(String schema, String table, String constraint) {}

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    @Inject
    ModelChanges modelChanges;

    // ---- creation

    /** Creates a schema from an optional document ({@code comment}, {@code annotations}, {@code tables}). */
    public void createSchema(long catalogId, String schema, JsonObject doc, RequestClient client) {
        JsonObject body = doc == null ? JsonValue.EMPTY_JSON_OBJECT : doc;
        String named = optionalString(body, "schema_name", "A schema");
        if (named != null && !named.equals(schema)) {
            throw new CairnException.BadRequest(
                    "\"schema_name\" " + named + " differs from the schema in the URL, " + schema + ".");
        }
        Batch batch = new Batch();
        batch.schema(schema, body);
        modelChanges.change(catalogId, client, batch::run);
    }

    /**
     * ERMrest's bulk creation ({@code POST /schema}): a list of schema, table and foreign-key
     * documents, or {@code {"schemas": {...}}}. All of it happens, foreign keys after every table,
     * or none of it does.
     */
    public List<Created> createModel(long catalogId, JsonValue body, RequestClient client) {
        Batch batch = new Batch();
        if (body instanceof JsonArray list) {
            if (list.isEmpty()) {
                throw new CairnException.BadRequest(
                        "Send a list of schema, table or foreign key documents; this one is empty.");
            }
            for (JsonObject doc : objects(list, "Each item of the list")) {
                if (doc.containsKey("foreign_key_columns")) {
                    batch.foreignKey(doc);
                } else if (doc.containsKey("table_name")) {
                    batch.table(string(doc, "schema_name", "A table document in a list"), doc);
                } else if (doc.containsKey("schema_name")) {
                    batch.schema(string(doc, "schema_name", "A schema document"), doc);
                } else {
                    throw new CairnException.BadRequest(
                            "Each item is a schema (schema_name), table (table_name) or foreign key "
                                    + "(foreign_key_columns) document.");
                }
            }
        } else {
            JsonObject doc = object(body, "The body");
            fields(doc, "A model document", Set.of("schemas", "annotations", "acls"));
            if (!doc.keySet().stream()
                    .allMatch(f -> f.equals("schemas")
                            || (f.equals("acls") && doc.get(f) instanceof JsonObject o && o.isEmpty())
                            || (f.equals("annotations") && doc.get(f) instanceof JsonObject a && a.isEmpty()))) {
                throw new CairnException.BadRequest(
                        "Bulk creation takes {\"schemas\": {...}}; set catalog annotations with PUT /annotation.");
            }
            for (Map.Entry<String, JsonValue> e :
                    object(doc.get("schemas"), "\"schemas\"").entrySet()) {
                JsonObject schema = object(e.getValue(), "Schema " + e.getKey());
                String named = optionalString(schema, "schema_name", "A schema");
                if (named != null && !named.equals(e.getKey())) {
                    throw new CairnException.BadRequest(
                            "\"schema_name\" " + named + " differs from its key " + e.getKey() + ".");
                }
                batch.schema(e.getKey(), schema);
            }
        }
        modelChanges.change(catalogId, client, batch::run);
        return batch.created;
    }

    /** Creates a table from an ERMrest table document ({@code table_name}, {@code column_definitions}, ...). */
    public String createTable(long catalogId, String schema, JsonObject doc, RequestClient client) {
        return createTables(catalogId, List.of(new NewTable(schema, doc)), client, c -> null)
                .get(0);
    }

    /** A table to create: its schema and its ERMrest table document. */
    public record NewTable(String schema, JsonObject doc) {}

    /**
     * Creates tables in one transaction, in order (foreign keys after all of them), then runs
     * {@code then} in the same transaction: all of it happens, or none.
     */
    public List<String> createTables(
            long catalogId, List<NewTable> tables, RequestClient client, CatalogDatabases.Work<?> then) {
        Batch batch = new Batch();
        for (NewTable t : tables) {
            String named = optionalString(t.doc(), "schema_name", "A table");
            if (named != null && !named.equals(t.schema())) {
                throw new CairnException.BadRequest(
                        "\"schema_name\" " + named + " differs from the schema in the URL, " + t.schema() + ".");
            }
            batch.table(t.schema(), t.doc());
        }
        modelChanges.change(catalogId, client, s -> {
            batch.run(s);
            then.apply(s.getConnection());
        });
        return batch.created.stream().map(Created::table).toList();
    }

    /** Adds a column from an ERMrest column document; returns its name. */
    public String addColumn(long catalogId, String schema, String table, JsonObject column, RequestClient client) {
        modelChanges.requireTable(catalogId, schema, table);
        ColumnDdl ddl = ColumnDdl.of(column);
        modelChanges.change(catalogId, client, s -> {
            s.execute("ALTER TABLE " + qualified(schema, table) + " ADD COLUMN " + ddl.definition());
            refreshRidTemplates(s.getConnection(), schema, table);
            ddl.describe(s, schema, table);
            indexColumns(s, schema, table, ddl.name());
            History.columnAdded(s.getConnection(), schema, table, ddl.name());
        });
        return ddl.name();
    }

    /**
     * Makes the indexes ERMrest makes on a table's columns (or one column) that it lacks: a btree on
     * every scalar column and on identifiers held as text (foreign keys, RID, RCB, RMB), a trigram
     * index on every other text column,
     * unless the table's or column's {@code indexing-preferences} annotation says not to (catalog
     * migration V12, {@code _ermrest.index_columns}).
     */
    private static void indexColumns(Statement s, String schema, String table, String column) throws SQLException {
        try (PreparedStatement index = s.getConnection().prepareStatement("SELECT _ermrest.index_columns(?, ?, ?)")) {
            index.setString(1, schema);
            index.setString(2, table);
            index.setString(3, column);
            index.execute();
        }
    }

    /** Adds a key from an ERMrest key document; returns its constraint name. */
    public String addKey(long catalogId, String schema, String table, JsonObject key, RequestClient client) {
        modelChanges.requireTable(catalogId, schema, table);
        KeyDdl ddl = KeyDdl.of(key);
        String[] name = new String[1];
        modelChanges.change(catalogId, client, s -> name[0] = ddl.run(s, schema, table, false));
        return name[0];
    }

    /** Adds a foreign key from an ERMrest foreign key document; returns its constraint name. */
    public String addForeignKey(long catalogId, String schema, String table, JsonObject fk, RequestClient client) {
        modelChanges.requireTable(catalogId, schema, table);
        ForeignKeyDdl ddl = ForeignKeyDdl.of(fk, schema, table);
        String[] name = new String[1];
        modelChanges.change(catalogId, client, s -> {
            name[0] = ddl.run(s);
            indexColumns(s, ddl.schema(), ddl.table(), null);
        });
        return name[0];
    }

    /**
     * Schemas, tables and foreign keys to create in one transaction: schemas first, then tables
     * with their keys, then every foreign key, then comments and annotations.
     */
    private static final class Batch {
        final List<Created> created = new ArrayList<>();
        final List<ModelChanges.SqlStep> schemaSteps = new ArrayList<>();
        final List<TableDdl> tables = new ArrayList<>();
        final List<ForeignKeyDdl> foreignKeys = new ArrayList<>();

        void schema(String schema, JsonObject doc) {
            checkName("schema", schema);
            if (schema.startsWith("_") || schema.startsWith("pg_") || schema.equals("information_schema")) {
                throw new CairnException.BadRequest("Schema names starting with '_' or 'pg_' are reserved.");
            }
            fields(doc, "A schema document", ModelDocuments.SCHEMA_FIELDS);
            String comment = optionalString(doc, "comment", "Schema " + schema);
            Map<String, JsonValue> annotations = ModelDocuments.properties(doc, Acls.Kind.SCHEMA, "Schema " + schema);
            schemaSteps.add(s -> {
                s.execute("CREATE SCHEMA " + quote(schema));
                if (comment != null) {
                    s.execute("COMMENT ON SCHEMA " + quote(schema) + " IS " + literal(comment));
                }
                for (Map.Entry<String, JsonValue> a : annotations.entrySet()) {
                    annotate(s.getConnection(), new ModelElement(schema, "", "", ""), a.getKey(), a.getValue());
                }
            });
            created.add(new Created(schema, null, null));
            JsonValue tables = doc.get("tables");
            if (tables != null && tables != JsonValue.NULL) {
                for (Map.Entry<String, JsonValue> t :
                        object(tables, "Schema " + schema + ": \"tables\"").entrySet()) {
                    JsonObject table = object(t.getValue(), "Table " + t.getKey());
                    String named = optionalString(table, "table_name", "Table " + t.getKey());
                    if (named != null && !named.equals(t.getKey())) {
                        throw new CairnException.BadRequest(
                                "\"table_name\" " + named + " differs from its key " + t.getKey() + ".");
                    }
                    String inSchema = optionalString(table, "schema_name", "Table " + t.getKey());
                    if (inSchema != null && !inSchema.equals(schema)) {
                        throw new CairnException.BadRequest(
                                "Table " + t.getKey() + " names schema " + inSchema + " inside schema " + schema + ".");
                    }
                    addTable(schema, table, t.getKey(), false);
                }
            }
        }

        void table(String schema, JsonObject doc) {
            addTable(schema, doc, null, true);
        }

        private void addTable(String schema, JsonObject doc, String name, boolean report) {
            TableDdl ddl = TableDdl.of(schema, name == null ? doc : withName(doc, name));
            tables.add(ddl);
            foreignKeys.addAll(ddl.foreignKeys());
            if (report) {
                created.add(new Created(schema, ddl.table(), null));
            }
        }

        void foreignKey(JsonObject doc) {
            List<JsonObject> columns =
                    objects(array(doc, "foreign_key_columns", "A foreign key"), "A foreign key column");
            if (columns.isEmpty()) {
                throw new CairnException.BadRequest("A foreign key needs at least one of \"foreign_key_columns\".");
            }
            String schema = string(columns.get(0), "schema_name", "A foreign key column");
            String table = string(columns.get(0), "table_name", "A foreign key column");
            foreignKeys.add(ForeignKeyDdl.of(doc, schema, table));
            // its name is known once it exists: run() puts it in place of this index
            created.add(new Created(schema, table, "\0" + (foreignKeys.size() - 1)));
        }

        void run(Statement s) throws SQLException {
            for (ModelChanges.SqlStep step : schemaSteps) {
                step.run(s);
            }
            for (TableDdl table : tables) {
                table.run(s);
            }
            List<String> names = new ArrayList<>();
            for (ForeignKeyDdl fk : foreignKeys) {
                names.add(fk.run(s));
            }
            // the column indexes ERMrest makes, once the tables' annotations and foreign keys are in place
            for (TableDdl table : tables) {
                indexColumns(s, table.schema(), table.table(), null);
            }
            for (ForeignKeyDdl fk : foreignKeys) {
                indexColumns(s, fk.schema(), fk.table(), null);
            }
            // a foreign key created on its own is reported by the name PostgreSQL gave it
            for (int i = 0; i < created.size(); i++) {
                Created c = created.get(i);
                if (c.constraint() != null && c.constraint().startsWith("\0")) {
                    created.set(
                            i,
                            new Created(
                                    c.schema(),
                                    c.table(),
                                    names.get(Integer.parseInt(c.constraint().substring(1)))));
                }
            }
        }

        private static JsonObject withName(JsonObject doc, String name) {
            return JsonBodies.JSON
                    .createObjectBuilder(doc)
                    .add("table_name", name)
                    .build();
        }
    }

    // ---- drops

    public void dropSchema(long catalogId, String schema, RequestClient client) {
        checkOwnSchema(schema);
        modelChanges.requireSchema(catalogId, schema);
        modelChanges.change(catalogId, client, s -> {
            s.execute("DROP SCHEMA " + quote(schema));
            forget(s.getConnection(), "schema_name = ?", List.of(schema));
        });
    }

    public void dropTable(long catalogId, String schema, String table, RequestClient client) {
        modelChanges.requireTable(catalogId, schema, table);
        modelChanges.change(catalogId, client, s -> {
            dropHiddenReferences(s, "confrelid = CAST(? AS regclass)", List.of(qualified(schema, table)));
            History.tableDropped(s.getConnection(), schema, table);
            s.execute("DROP TABLE " + qualified(schema, table));
            forget(s.getConnection(), "schema_name = ? AND table_name = ?", List.of(schema, table));
        });
    }

    public void dropColumn(long catalogId, String schema, String table, String column, RequestClient client) {
        if (SYSTEM_COLUMNS.contains(column)) {
            throw new CairnException.Forbidden(
                    ErrorCode.SYSTEM_OWNED, "System column " + column + " cannot be dropped.");
        }
        modelChanges.requireColumn(catalogId, schema, table, column);
        modelChanges.change(catalogId, client, s -> {
            History.columnDropped(s.getConnection(), schema, table, column);
            s.execute("ALTER TABLE " + qualified(schema, table) + " DROP COLUMN " + quote(column));
            forget(
                    s.getConnection(),
                    "schema_name = ? AND table_name = ? AND column_name = ?",
                    List.of(schema, table, column));
        });
    }

    /** Drops a key or foreign key; the RID key belongs to the table. */
    public void dropConstraint(long catalogId, ModelElement constraint, boolean isRidKey, RequestClient client) {
        if (isRidKey) {
            throw new CairnException.Forbidden(ErrorCode.SYSTEM_OWNED, "The RID key belongs to the table.");
        }
        modelChanges.change(catalogId, client, s -> {
            s.execute("ALTER TABLE " + qualified(constraint.schema(), constraint.table()) + " DROP CONSTRAINT "
                    + quote(constraint.constraint()));
            forget(
                    s.getConnection(),
                    "schema_name = ? AND table_name = ? AND constraint_name = ?",
                    List.of(constraint.schema(), constraint.table(), constraint.constraint()));
        });
    }

    /**
     * Cairn's hidden bookkeeping (schemas starting with '_') never blocks a documented drop: its
     * foreign keys to what is dropped go first, and its rows keep the RIDs they recorded.
     */
    private static void dropHiddenReferences(Statement s, String condition, List<String> parameters)
            throws SQLException {
        List<String[]> hidden = new ArrayList<>();
        try (PreparedStatement q = s.getConnection()
                .prepareStatement("SELECT n.nspname, c.relname, con.conname "
                        + "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE con.contype = 'f' AND n.nspname LIKE '\\_%' AND n.nspname <> '_ermrest' AND con."
                        + condition)) {
            for (int i = 0; i < parameters.size(); i++) {
                q.setString(i + 1, parameters.get(i));
            }
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    hidden.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
                }
            }
        }
        for (String[] h : hidden) {
            s.execute("ALTER TABLE " + qualified(h[0], h[1]) + " DROP CONSTRAINT " + quote(h[2]));
        }
    }
}
