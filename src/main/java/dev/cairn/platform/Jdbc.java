package dev.cairn.platform;

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

/**
 * Small JDBC helpers for statements written by hand: bind positional parameters, run, and read the
 * first column as JSON or text. Identifiers are never parameters; quote them with
 * {@link SqlIdentifiers}.
 */
public final class Jdbc {

    private Jdbc() {}

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
        return JsonBodies.JSON.createArrayBuilder(jsonRows(c, sql, parameters)).build();
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

    /** A JSON text read from the database (SQL NULL is JSON null). */
    public static JsonValue parse(String json) {
        if (json == null) {
            return JsonValue.NULL;
        }
        try (var reader = JsonBodies.JSON.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
