package dev.cairn.ml.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.SqlIdentifiers;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Statements of the ML features. Rows come back as JSON built by PostgreSQL ({@code to_jsonb}),
 * so columns keep their catalog types; every value is a bound parameter and every name is quoted.
 */
public final class MlSql {

    /** The schema DerivaML's own tables live in. */
    public static final String ML = "deriva-ml";

    private static final Pattern RID = Pattern.compile("[0-9A-Z]{1,16}(-[0-9A-Z]{1,16}){0,4}");

    private MlSql() {}

    /** The schema a request names, or else the catalog's domain schema; 400 when there is neither. */
    public static String schemaFor(dev.cairn.catalog.entity.Catalog catalog, String schema) {
        String in = schema != null ? schema : catalog.domainSchema();
        if (in == null) {
            throw new CairnException.BadRequest(
                    "Catalog " + catalog.id() + " has no domain schema: name the \"schema\".");
        }
        if (in.equals(ML) || in.equals("public") || in.startsWith("_")) {
            throw new CairnException.Forbidden(
                    ErrorCode.SYSTEM_OWNED,
                    "Schema " + in + " belongs to Cairn; create vocabularies and asset tables in a domain schema.");
        }
        return in;
    }

    /**
     * A new ML table's name: 1 to {@code maxBytes} bytes, no control characters, and not the name
     * of a table that exists in any schema (ML requests name tables without their schema).
     */
    public static void checkNewTableName(
            dev.cairn.catalog.control.ModelIndex model, String what, String name, int maxBytes) {
        if (name == null
                || name.isBlank()
                || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes
                || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new CairnException.BadRequest(
                    what + " needs a \"name\" of 1 to " + maxBytes + " bytes without control characters.");
        }
        model.tables().stream().filter(t -> t.name().equals(name)).findFirst().ifPresent(t -> {
            throw new CairnException.Conflict(
                    ErrorCode.ALREADY_EXISTS,
                    "A table named " + name + " exists already (" + t + "); choose another name.");
        });
    }

    /** {@code "schema"."table"}. */
    public static String table(String schema, String table) {
        return SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(table);
    }

    public static String ml(String table) {
        return table(ML, table);
    }

    public static String quote(String name) {
        return SqlIdentifiers.quote(name);
    }

    /** A RID as given in a URL or body: 400 unless it has a RID's shape. */
    public static String rid(String what, String value) {
        if (value == null || !RID.matcher(value).matches()) {
            throw new CairnException.BadRequest(what + " '" + value + "' is not a RID.");
        }
        return value;
    }

    /** The first column of every row, each a JSON text. */
    public static List<JsonValue> jsonRows(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, parameters);
                ResultSet r = s.executeQuery()) {
            List<JsonValue> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(parse(r.getString(1)));
            }
            return rows;
        }
    }

    public static JsonArray jsonArray(Connection c, String sql, Object... parameters) throws SQLException {
        return dev.cairn.platform.JsonBodies.JSON
                .createArrayBuilder(jsonRows(c, sql, parameters))
                .build();
    }

    /** The first column of the first row as a JSON object, if there is a row. */
    public static Optional<JsonObject> jsonObject(Connection c, String sql, Object... parameters) throws SQLException {
        List<JsonValue> rows = jsonRows(c, sql, parameters);
        return rows.isEmpty() || rows.get(0) == JsonValue.NULL
                ? Optional.empty()
                : Optional.of(rows.get(0).asJsonObject());
    }

    /** The first column of the first row as text, if there is a row. */
    public static Optional<String> text(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, parameters);
                ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
        }
    }

    public static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, parameters)) {
            return s.executeUpdate();
        }
    }

    /** Runs a statement whose results, if any, do not matter (e.g. taking a lock). */
    public static void execute(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, parameters)) {
            s.execute();
        }
    }

    /** Binds strings, numbers, booleans, {@code String[]} (as text[]) and nulls (as text). */
    public static PreparedStatement prepare(Connection c, String sql, Object... parameters) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                Object p = parameters[i];
                if (p == null) {
                    s.setNull(i + 1, Types.VARCHAR);
                } else if (p instanceof String[] array) {
                    s.setArray(i + 1, c.createArrayOf("text", array));
                } else {
                    s.setObject(i + 1, p);
                }
            }
            return s;
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public static JsonValue parse(String json) {
        if (json == null) {
            return JsonValue.NULL;
        }
        try (var reader = dev.cairn.platform.JsonBodies.JSON.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }

    /** A string field of a request body, or null when absent or null. */
    public static String string(JsonObject body, String field) {
        return dev.cairn.platform.JsonBodies.optionalString(body, field);
    }

    /** A required, non-blank string field. */
    public static String required(JsonObject body, String field) {
        String value = string(body, field);
        if (value == null || value.isBlank()) {
            throw new CairnException.BadRequest("\"" + field + "\" is required.");
        }
        return value;
    }

    /** An array of strings, empty when absent. */
    public static List<String> strings(JsonObject body, String field) {
        List<String> given = dev.cairn.platform.JsonBodies.optionalStrings(body, field);
        return given == null ? new ArrayList<>() : new ArrayList<>(given);
    }

    /** The body, or 400 when there is none. */
    /** The request's JSON object; 400 when there is none, or when it has a field not among {@code fields}. */
    public static JsonObject body(JsonObject body, String example, String... fields) {
        if (body == null) {
            throw new CairnException.BadRequest("Send a JSON body such as " + example + ".");
        }
        only(body, "The request", fields);
        return body;
    }

    /** 400 naming the first field of {@code object} that is not among {@code fields}. */
    public static void only(JsonObject object, String what, String... fields) {
        dev.cairn.platform.JsonBodies.only(object, what, fields);
    }
}
