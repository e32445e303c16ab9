package dev.cairn.catalog.control;

import static dev.cairn.catalog.control.ModelDocuments.checkName;
import static dev.cairn.catalog.control.ModelDocuments.constraintName;
import static dev.cairn.catalog.control.ModelDocuments.fields;
import static dev.cairn.catalog.control.ModelDocuments.noAcls;
import static dev.cairn.catalog.control.ModelDocuments.string;
import static dev.cairn.catalog.control.ModelProperties.*;
import static dev.cairn.catalog.control.ModelSql.*;
import static dev.cairn.platform.SqlIdentifiers.quote;

import dev.cairn.catalog.control.ModelDdl.ForeignKeyDdl;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Alteration of the model by partial documents, as ERMrest defines it: rename or move a schema or
 * table; rename, retype, change nullability or default of a column; rename or change the actions of
 * a key or foreign key; with their comments, annotations and ACLs in the same change.
 */
@ApplicationScoped
public class ModelAlterations {

    @Inject
    ModelChanges modelChanges;

    @Inject
    Models models;

    /** {@code PUT /schema/S}: rename ({@code schema_name}), comment, annotations. Returns the schema's name now. */
    public String alterSchema(long catalogId, String schema, JsonObject changes, RequestClient client) {
        modelChanges.requireSchema(catalogId, schema);
        fields(changes, "A schema change", ModelDocuments.SCHEMA_FIELDS);
        noAcls(changes, "Schema " + schema);
        if (changes.containsKey("tables")) {
            throw new CairnException.BadRequest(
                    "Tables are created with POST .../table, not by altering their schema.");
        }
        String name = changes.containsKey("schema_name") ? string(changes, "schema_name", "A schema change") : schema;
        if (!name.equals(schema)) {
            checkOwnSchema(schema);
            checkName("schema", name);
            if (name.startsWith("_") || name.startsWith("pg_")) {
                throw new CairnException.BadRequest("Schema names starting with '_' or 'pg_' are reserved.");
            }
        }
        modelChanges.change(catalogId, client, s -> {
            if (!name.equals(schema)) {
                s.execute("ALTER SCHEMA " + quote(schema) + " RENAME TO " + quote(name));
                renameInProperties(s.getConnection(), "schema_name = ?", List.of(schema), "schema_name", name);
            }
            describe(s, new ModelElement(name, "", "", ""), changes, "A schema change");
        });
        return name;
    }

    /** {@code PUT /schema/S/table/T}: move ({@code schema_name}), rename ({@code table_name}), comment, annotations. */
    public ModelElement alterTable(
            long catalogId, String schema, String table, JsonObject changes, RequestClient client) {
        modelChanges.requireTable(catalogId, schema, table);
        fields(changes, "A table change", ModelDocuments.TABLE_FIELDS);
        noAcls(changes, "Table " + table);
        for (String field : List.of("column_definitions", "keys", "foreign_keys")) {
            if (changes.containsKey(field)) {
                throw new CairnException.BadRequest(
                        "\"" + field + "\" are changed through their own resources, not by altering the table.");
            }
        }
        String toSchema =
                changes.containsKey("schema_name") ? string(changes, "schema_name", "A table change") : schema;
        String toTable = changes.containsKey("table_name") ? string(changes, "table_name", "A table change") : table;
        checkName("table", toTable);
        if (!toSchema.equals(schema)) {
            checkOwnSchema(schema);
            checkOwnSchema(toSchema);
            modelChanges.requireSchema(catalogId, toSchema);
        }
        if (!toTable.equals(table)) {
            checkOwnSchema(schema);
        }
        modelChanges.change(catalogId, client, s -> {
            if (!toTable.equals(table)) {
                s.execute("ALTER TABLE " + qualified(schema, table) + " RENAME TO " + quote(toTable));
                renameInProperties(
                        s.getConnection(),
                        "schema_name = ? AND table_name = ?",
                        List.of(schema, table),
                        "table_name",
                        toTable);
            }
            if (!toSchema.equals(schema)) {
                s.execute("ALTER TABLE " + qualified(schema, toTable) + " SET SCHEMA " + quote(toSchema));
                renameInProperties(
                        s.getConnection(),
                        "schema_name = ? AND table_name = ?",
                        List.of(schema, toTable),
                        "schema_name",
                        toSchema);
            }
            describe(s, new ModelElement(toSchema, toTable, "", ""), changes, "A table change");
        });
        return new ModelElement(toSchema, toTable, "", "");
    }

    /** {@code PUT .../column/C}: rename, type, nullok, default, comment, annotations. Returns the column's name now. */
    public String alterColumn(
            long catalogId, String schema, String table, String column, JsonObject changes, RequestClient client) {
        Model.Column current = modelChanges.requireColumn(catalogId, schema, table, column);
        fields(changes, "A column change", ModelDocuments.COLUMN_FIELDS);
        noAcls(changes, "Column " + column);
        String name = changes.containsKey("name") ? string(changes, "name", "A column change") : column;
        checkName("column", name);
        boolean structural = !name.equals(column)
                || changes.containsKey("type")
                || changes.containsKey("nullok")
                || changes.containsKey("default");
        if (structural && SYSTEM_COLUMNS.contains(column)) {
            throw new CairnException.Forbidden(
                    ErrorCode.SYSTEM_OWNED,
                    "System column " + column + " is maintained by the catalog; only its comment and "
                            + "annotations can change.");
        }
        if (SYSTEM_COLUMNS.contains(name) && !name.equals(column)) {
            throw new CairnException.Conflict("Every table has system column " + name + " already.");
        }
        String type = changes.containsKey("type") ? sqlType(changes.get("type"), column) : null;
        String target = qualified(schema, table);
        modelChanges.change(catalogId, client, s -> {
            if (type != null && !type.equals(sqlTypeOf(current.type()))) {
                s.execute("ALTER TABLE " + target + " ALTER COLUMN " + quote(column) + " TYPE " + type + " USING "
                        + quote(column) + "::" + type);
                History.columnChanged(s.getConnection(), schema, table, column);
            }
            if (changes.containsKey("nullok")) {
                boolean nullok = ModelDocuments.optionalBoolean(changes, "nullok", true, "A column change");
                s.execute("ALTER TABLE " + target + " ALTER COLUMN " + quote(column)
                        + (nullok ? " DROP NOT NULL" : " SET NOT NULL"));
            }
            if (changes.containsKey("default")) {
                String columnType = type != null ? type : sqlTypeOf(current.type());
                s.execute("ALTER TABLE " + target + " ALTER COLUMN " + quote(column)
                        + (changes.isNull("default")
                                ? " DROP DEFAULT"
                                : " SET DEFAULT " + literal(ModelDocuments.scalar(changes.get("default"))) + "::"
                                        + columnType));
            }
            if (!name.equals(column)) {
                s.execute("ALTER TABLE " + target + " RENAME COLUMN " + quote(column) + " TO " + quote(name));
                renameInProperties(
                        s.getConnection(),
                        "schema_name = ? AND table_name = ? AND column_name = ?",
                        List.of(schema, table, column),
                        "column_name",
                        name);
                History.columnRenamed(s.getConnection(), schema, table, column, name);
            }
            if (type != null || changes.containsKey("default")) {
                refreshRidTemplates(s.getConnection(), schema, table);
            }
            describe(s, new ModelElement(schema, table, name, ""), changes, "A column change");
        });
        return name;
    }

    /**
     * {@code PUT .../key/C1,C2} or {@code .../foreignkey/...}: rename ({@code names}), actions,
     * comment, annotations.
     */
    public String alterConstraint(
            long catalogId, ModelElement constraint, boolean foreign, JsonObject changes, RequestClient client) {
        fields(
                changes,
                foreign ? "A foreign key change" : "A key change",
                foreign ? ModelDocuments.FOREIGN_KEY_FIELDS : ModelDocuments.KEY_FIELDS);
        noAcls(changes, "Constraint " + constraint.constraint());
        for (String field : List.of("unique_columns", "foreign_key_columns", "referenced_columns")) {
            if (changes.containsKey(field)) {
                throw new CairnException.BadRequest(
                        "\"" + field + "\" cannot change; drop the constraint and create another.");
            }
        }
        String name =
                changes.containsKey("names") ? constraintName(changes, "A constraint change") : constraint.constraint();
        if (name == null) {
            throw new CairnException.BadRequest("\"names\" needs one [schema, name] pair.");
        }
        String target = qualified(constraint.schema(), constraint.table());
        boolean actions = foreign && (changes.containsKey("on_delete") || changes.containsKey("on_update"));
        Model.ForeignKey fk = actions ? foreignKey(catalogId, constraint) : null;
        modelChanges.change(catalogId, client, s -> {
            if (!name.equals(constraint.constraint())) {
                s.execute("ALTER TABLE " + target + " RENAME CONSTRAINT " + quote(constraint.constraint()) + " TO "
                        + quote(name));
                renameInProperties(
                        s.getConnection(),
                        "schema_name = ? AND table_name = ? AND constraint_name = ?",
                        List.of(constraint.schema(), constraint.table(), constraint.constraint()),
                        "constraint_name",
                        name);
            }
            if (fk != null) {
                // PostgreSQL cannot alter a foreign key's actions: replace it under the same name, in this transaction
                ForeignKeyDdl ddl = new ForeignKeyDdl(
                        constraint.schema(),
                        constraint.table(),
                        fk.columns().stream().map(Model.ColumnRef::columnName).toList(),
                        fk.referencedColumns().get(0).schemaName(),
                        fk.referencedColumns().get(0).tableName(),
                        fk.referencedColumns().stream()
                                .map(Model.ColumnRef::columnName)
                                .toList(),
                        name,
                        changes.containsKey("on_delete") ? ModelDocuments.action(changes, "on_delete") : fk.onDelete(),
                        changes.containsKey("on_update") ? ModelDocuments.action(changes, "on_update") : fk.onUpdate(),
                        null,
                        Map.of());
                String comment = fk.comment();
                s.execute(
                        "ALTER TABLE " + target + " DROP CONSTRAINT " + quote(name) + ", ADD " + ddl.definition(name));
                if (comment != null && !changes.containsKey("comment")) {
                    s.execute("COMMENT ON CONSTRAINT " + quote(name) + " ON " + target + " IS " + literal(comment));
                }
            }
            describe(
                    s,
                    new ModelElement(constraint.schema(), constraint.table(), "", name),
                    changes,
                    "A constraint change");
        });
        return name;
    }

    Model.ForeignKey foreignKey(long catalogId, ModelElement constraint) {
        return models
                .model(catalogId)
                .schemas()
                .get(constraint.schema())
                .tables()
                .get(constraint.table())
                .foreignKeys()
                .stream()
                .filter(f -> f.names().get(0).get(1).equals(constraint.constraint()))
                .findFirst()
                .orElseThrow(() -> new CairnException.NotFound("No foreign key " + constraint.constraint() + "."));
    }
}
