package dev.cairn.catalog.control;

import static dev.cairn.platform.SqlIdentifiers.quote;

import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The model's history, kept beside the rows' history so that a snapshot reads the catalog as it
 * was: each model change records the model document and where its tables' rows are kept, and
 * keeps the rows' history readable by the columns' current names (renamed with them, keyed by
 * position once dropped). Every method runs inside the transaction of the change it follows.
 */
final class History {

    /** A recorded model and the storage of its tables ({schema: {table: {oid, columns: {name: attnum}}}}). */
    record Recorded(Instant since, Model model, JsonObject storage) {}

    private static final Jsonb JSON = JsonbBuilder.create();

    private History() {}

    /** Records the model as it is now in this transaction. */
    static void record(Connection c) throws SQLException {
        String model = JSON.toJson(ModelReader.read(c));
        try (PreparedStatement s = c.prepareStatement("INSERT INTO _ermrest.model_history (ts, model, storage) "
                + "VALUES (now(), CAST(? AS jsonb), _ermrest.model_storage()) "
                + "ON CONFLICT (ts) DO UPDATE SET model = EXCLUDED.model, storage = EXCLUDED.storage")) {
            s.setString(1, model);
            s.execute();
        }
    }

    /** Records the model unless the history already has it (a new catalog, or migrations that changed the model). */
    static void recordIfBehind(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM _ermrest.model_history "
                        + "WHERE ts >= (SELECT max(ts) FROM _ermrest.model_modified))");
                ResultSet r = s.executeQuery()) {
            r.next();
            if (r.getBoolean(1)) {
                record(c);
            }
        }
    }

    /** When the model was recorded, oldest first. */
    static List<Instant> times(Connection c) throws SQLException {
        List<Instant> times = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT ts FROM _ermrest.model_history ORDER BY ts");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                times.add(r.getTimestamp(1).toInstant());
            }
        }
        return times;
    }

    /** The model recorded at {@code since}, one of {@link #times}. */
    static Recorded recorded(Connection c, Instant since) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT model::text, storage::text FROM _ermrest.model_history WHERE ts = ?")) {
            s.setTimestamp(1, Timestamp.from(since));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("no model recorded at " + since);
                }
                return new Recorded(
                        since,
                        JSON.fromJson(r.getString(1), Model.class),
                        JsonBodies.JSON
                                .createReader(new StringReader(r.getString(2)))
                                .readObject());
            }
        }
    }

    static void columnRenamed(Connection c, String schema, String table, String from, String to) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT _ermrest.history_rename_key(CAST(? AS regclass), ?, ?)")) {
            s.setString(1, ModelSql.qualified(schema, table));
            s.setString(2, from);
            s.setString(3, to);
            s.execute();
        }
    }

    /** Before a column is dropped: its values in the history move to its position's key. */
    static void columnDropped(Connection c, String schema, String table, String column) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT _ermrest.history_rename_key(a.attrelid, a.attname, chr(1) || a.attnum) "
                        + "FROM pg_attribute a WHERE a.attrelid = CAST(? AS regclass) AND a.attname = ?")) {
            s.setString(1, ModelSql.qualified(schema, table));
            s.setString(2, column);
            s.execute();
        }
    }

    /** Before a table is dropped: its history is keyed by position, since no name will resolve to it. */
    static void tableDropped(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT _ermrest.history_retire_table(CAST(? AS regclass))")) {
            s.setString(1, ModelSql.qualified(schema, table));
            s.execute();
        }
    }

    /**
     * After a column is added or its type changed: the current version of each row in the history
     * takes the column's value now (a default, or the converted value), as a snapshot from now on
     * must show it.
     */
    static void columnAdded(Connection c, String schema, String table, String column) throws SQLException {
        String target = ModelSql.qualified(schema, table);
        try (PreparedStatement s = c.prepareStatement("UPDATE _ermrest.row_history h SET rowdata = h.rowdata || "
                + "jsonb_build_object(CAST(? AS text), to_jsonb(t." + quote(column) + ")) FROM " + target + " t "
                + "WHERE h.table_oid = CAST(? AS regclass) AND upper_inf(h.during) AND h.rid = t.\"RID\"")) {
            s.setString(1, column);
            s.setString(2, target);
            s.execute();
        }
    }

    static void columnChanged(Connection c, String schema, String table, String column) throws SQLException {
        columnAdded(c, schema, table, column);
    }
}
