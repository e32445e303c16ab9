package dev.cairn.catalog.entity;

import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * A catalog's model in ERMrest's JSON shape ({@code GET /ermrest/catalog/{cid}/schema}): schemas,
 * tables, columns, keys and foreign keys with their comments and annotations. Property orders name
 * the Java components (JSON-B's rule); nulls are written, as ERMrest writes them.
 */
@JsonbNillable
@JsonbPropertyOrder({"schemas", "annotations", "acls"})
public record Model(Map<String, Schema> schemas, Map<String, JsonValue> annotations, Map<String, List<String>> acls) {

    @JsonbNillable
    @JsonbPropertyOrder({"name", "comment", "annotations", "tables", "acls"})
    public record Schema(
            @JsonbProperty("schema_name") String name,
            String comment,
            Map<String, JsonValue> annotations,
            Map<String, Table> tables,
            Map<String, List<String>> acls) {}

    @JsonbNillable
    @JsonbPropertyOrder({
        "schemaName",
        "name",
        "kind",
        "comment",
        "annotations",
        "columns",
        "keys",
        "foreignKeys",
        "acls",
        "aclBindings"
    })
    public record Table(
            @JsonbProperty("schema_name") String schemaName,
            @JsonbProperty("table_name") String name,
            String kind,
            String comment,
            Map<String, JsonValue> annotations,
            @JsonbProperty("column_definitions") List<Column> columns,
            List<Key> keys,
            @JsonbProperty("foreign_keys") List<ForeignKey> foreignKeys,
            Map<String, List<String>> acls,
            @JsonbProperty("acl_bindings") Map<String, Object> aclBindings) {}

    @JsonbNillable
    @JsonbPropertyOrder({"name", "type", "nullok", "defaultValue", "comment", "annotations", "acls", "aclBindings"})
    public record Column(
            String name,
            Type type,
            boolean nullok,
            @JsonbNillable @JsonbProperty("default") Object defaultValue,
            String comment,
            Map<String, JsonValue> annotations,
            Map<String, List<String>> acls,
            @JsonbProperty("acl_bindings") Map<String, Object> aclBindings) {}

    /** A column type: a base type, a domain over one ({@code is_domain}) or an array of one ({@code is_array}). */
    @JsonbPropertyOrder({"typename", "domain", "array", "baseType"})
    public record Type(
            String typename,
            @JsonbProperty("is_domain") Boolean domain,
            @JsonbProperty("is_array") Boolean array,
            @JsonbProperty("base_type") Type baseType) {

        public static Type base(String typename) {
            return new Type(typename, null, null, null);
        }
    }

    @JsonbNillable
    @JsonbPropertyOrder({"names", "columns", "comment", "annotations"})
    public record Key(
            List<List<String>> names,
            @JsonbProperty("unique_columns") List<String> columns,
            String comment,
            Map<String, JsonValue> annotations) {}

    @JsonbNillable
    @JsonbPropertyOrder({
        "names",
        "columns",
        "referencedColumns",
        "onUpdate",
        "onDelete",
        "comment",
        "annotations",
        "acls",
        "aclBindings"
    })
    public record ForeignKey(
            List<List<String>> names,
            @JsonbProperty("foreign_key_columns") List<ColumnRef> columns,
            @JsonbProperty("referenced_columns") List<ColumnRef> referencedColumns,
            @JsonbProperty("on_update") String onUpdate,
            @JsonbProperty("on_delete") String onDelete,
            String comment,
            Map<String, JsonValue> annotations,
            Map<String, List<String>> acls,
            @JsonbProperty("acl_bindings") Map<String, Object> aclBindings) {}

    @JsonbPropertyOrder({"schemaName", "tableName", "columnName"})
    public record ColumnRef(
            @JsonbProperty("schema_name") String schemaName,
            @JsonbProperty("table_name") String tableName,
            @JsonbProperty("column_name") String columnName) {}
}
