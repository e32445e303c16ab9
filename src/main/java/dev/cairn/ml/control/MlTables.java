package dev.cairn.ml.control;

import static dev.cairn.ml.control.MlSql.ML;

import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * ERMrest table documents for the tables the ML features create (asset tables, their
 * associations, dataset element associations), so that they are made through the catalog engine
 * like any client's table.
 */
public final class MlTables {

    /**
     * The columns that describe an asset row's file (DerivaML's asset tables and
     * {@code Registered_Asset}): the store and the row's write path fill them, never a person.
     */
    public static final Set<String> ASSET_COLUMNS = Set.of("URL", "Filename", "Length", "MD5");

    private MlTables() {}

    /**
     * An association: a column referring to the left table's RID and one referring to the right
     * table's key, unique as a pair, both deleted with their rows; with {@code roleColumn}, a third
     * column naming an {@code Asset_Role} term.
     */
    public static JsonObject association(
            String schema,
            String table,
            String comment,
            String leftColumn,
            String leftSchema,
            String leftTable,
            String rightColumn,
            String rightSchema,
            String rightTable,
            String rightKey,
            String roleColumn) {
        JsonArrayBuilder columns = JsonBodies.JSON
                .createArrayBuilder()
                .add(column(leftColumn, "text", false, "The " + leftTable + " row.", null))
                .add(column(rightColumn, "text", false, "The " + rightTable + ".", null));
        JsonArrayBuilder fks = JsonBodies.JSON
                .createArrayBuilder()
                .add(foreignKey(schema, table, leftColumn, leftSchema, leftTable, "RID", "CASCADE"))
                .add(foreignKey(schema, table, rightColumn, rightSchema, rightTable, rightKey, "CASCADE"));
        if (roleColumn != null) {
            columns.add(
                    column(roleColumn, "text", false, "Input or Output: how the execution related to the file.", null));
            fks.add(foreignKey(schema, table, roleColumn, ML, "Asset_Role", "Name", "NO ACTION"));
        }
        return JsonBodies.JSON
                .createObjectBuilder()
                .add("table_name", table)
                .add("comment", comment)
                .add("column_definitions", columns)
                .add(
                        "keys",
                        JsonBodies.JSON
                                .createArrayBuilder()
                                .add(JsonBodies.JSON
                                        .createObjectBuilder()
                                        .add(
                                                "unique_columns",
                                                JsonBodies.JSON
                                                        .createArrayBuilder()
                                                        .add(leftColumn)
                                                        .add(rightColumn))))
                .add("foreign_keys", fks)
                .build();
    }

    public static JsonObject column(
            String name, String type, boolean nullok, String comment, JsonObjectBuilder annotations) {
        JsonObjectBuilder column = JsonBodies.JSON
                .createObjectBuilder()
                .add("name", name)
                .add("type", JsonBodies.JSON.createObjectBuilder().add("typename", type))
                .add("nullok", nullok);
        if (comment != null) {
            column.add("comment", comment);
        }
        if (annotations != null) {
            column.add("annotations", annotations);
        }
        return column.build();
    }

    public static JsonObject foreignKey(
            String schema,
            String table,
            String column,
            String toSchema,
            String toTable,
            String toColumn,
            String onDelete) {
        String constraint = table + "_" + column + "_fkey";
        return JsonBodies.JSON
                .createObjectBuilder()
                .add(
                        "names",
                        constraint.getBytes(StandardCharsets.UTF_8).length <= 63
                                ? JsonBodies.JSON
                                        .createArrayBuilder()
                                        .add(JsonBodies.JSON
                                                .createArrayBuilder()
                                                .add(schema)
                                                .add(constraint))
                                : JsonBodies.JSON.createArrayBuilder())
                .add("foreign_key_columns", JsonBodies.JSON.createArrayBuilder().add(ref(schema, table, column)))
                .add("referenced_columns", JsonBodies.JSON.createArrayBuilder().add(ref(toSchema, toTable, toColumn)))
                .add("on_delete", onDelete)
                .build();
    }

    public static JsonObject ref(String schema, String table, String column) {
        return JsonBodies.JSON
                .createObjectBuilder()
                .add("schema_name", schema)
                .add("table_name", table)
                .add("column_name", column)
                .build();
    }
}
