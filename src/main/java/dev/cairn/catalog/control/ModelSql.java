package dev.cairn.catalog.control;

import static dev.cairn.platform.SqlIdentifiers.quote;

import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The SQL of model changes that needs no database: types, literals, quoted names, the catalog's own schemas. */
final class ModelSql {

    static final Set<String> BASE_TYPES = Set.of(
            "text",
            "int2",
            "int4",
            "int8",
            "float4",
            "float8",
            "numeric",
            "boolean",
            "date",
            "timestamptz",
            "timestamp",
            "time",
            "json",
            "jsonb",
            "uuid");
    static final Set<String> DOMAINS = Set.of(
            "markdown",
            "longtext",
            "gene_sequence",
            "color_rgb_hex",
            "ermrest_uri",
            "ermrest_curie",
            "ermrest_rid",
            "ermrest_rcb",
            "ermrest_rmb",
            "ermrest_rct",
            "ermrest_rmt");
    static final Set<String> SYSTEM_COLUMNS = Set.of("RID", "RCT", "RMT", "RCB", "RMB");
    /** Schemas that belong to the catalog itself. */
    static final Set<String> RESERVED_SCHEMAS = Set.of("public", "_ermrest");

    private ModelSql() {}

    static void checkOwnSchema(String schema) {
        if (RESERVED_SCHEMAS.contains(schema)) {
            throw new CairnException.Forbidden(ErrorCode.SYSTEM_OWNED, "Schema " + schema + " belongs to the catalog.");
        }
    }

    static void refreshRidTemplates(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement templates = c.prepareStatement("SELECT _ermrest.refresh_rid_templates(?, ?)")) {
            templates.setString(1, schema);
            templates.setString(2, table);
            templates.execute();
        }
    }

    static String sqlType(JsonValue value, String column) {
        if (!(value instanceof JsonObject type) || !(type.get("typename") instanceof JsonString typename)) {
            throw new CairnException.BadRequest("Column " + column + " needs \"type\": {\"typename\": ...}.");
        }
        String name = typename.getString();
        boolean array = name.endsWith("[]");
        String base = array ? name.substring(0, name.length() - 2) : name;
        String sql = switch (base) {
            case "serial2" -> "smallserial";
            case "serial4" -> "serial";
            case "serial8" -> "bigserial";
            case "boolean", "bool" -> "boolean";
            default -> {
                if (BASE_TYPES.contains(base)) {
                    yield base;
                }
                if (DOMAINS.contains(base)) {
                    yield "public." + base;
                }
                throw new CairnException.BadRequest("Column " + column + ": unsupported type '" + name
                        + "'; Cairn takes " + new TreeSet<>(BASE_TYPES)
                        + ", their arrays, serial2/4/8 and ERMrest's domains.");
            }
        };
        if (array && sql.contains("serial")) {
            throw new CairnException.BadRequest("Serial columns cannot be arrays.");
        }
        return array ? sql + "[]" : sql;
    }

    /** The SQL spelling of a type as the model reports it, to compare with a requested one. */
    static String sqlTypeOf(Model.Type type) {
        String name = type.typename();
        boolean array = name.endsWith("[]");
        String base = array ? name.substring(0, name.length() - 2) : name;
        String sql = DOMAINS.contains(base)
                ? "public." + base
                : switch (base) {
                    case "serial2" -> "smallserial";
                    case "serial4" -> "serial";
                    case "serial8" -> "bigserial";
                    default -> base;
                };
        return array ? sql + "[]" : sql;
    }

    static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> quote(n)).toList());
    }

    /** A SQL string literal: quotes doubled (standard_conforming_strings is on), no NUL. */
    static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new CairnException.BadRequest("Text cannot contain NUL.");
        }
        return "'" + value.replace("'", "''") + "'";
    }
}
