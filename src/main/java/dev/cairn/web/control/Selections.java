package dev.cairn.web.control;

import dev.cairn.catalog.control.Rid;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Selections kept by id ({@code cairn.saved_selection}) when their query string would make a
 * link too long to share. The id is derived from the catalog, table and query, so it is stable
 * and saving is idempotent; a selection never changes once saved. Nothing in one grants any
 * right: a page read through it checks access like any other.
 */
@ApplicationScoped
public class Selections {

    /** Query strings longer than this are kept by id. */
    public static final int LONGEST_URL_QUERY = 1500;
    /** A saved selection is at most this long (500 values of 2,000 characters would be more). */
    static final int MAX_QUERY = 256 * 1024;

    @Inject
    Database database;

    public static String id(long catalogId, String table, String query) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((catalogId + "\n" + table + "\n" + query).getBytes(StandardCharsets.UTF_8));
            long high = 0;
            for (int i = 0; i < 8; i++) {
                high = (high << 8) | (digest[i] & 0xff);
            }
            return Rid.encode(high >>> 1).replace("-", "");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Saves the selections and returns nothing new: each is under {@link #id}. */
    public void save(long catalogId, String table, Iterable<String> queries) {
        try (Connection c = database.system().getConnection();
                PreparedStatement s =
                        c.prepareStatement("INSERT INTO cairn.saved_selection (id, catalog_id, table_name, query) "
                                + "VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            int n = 0;
            for (String query : queries) {
                if (query.length() > MAX_QUERY) {
                    throw new CairnException.BadRequest(
                            "The selection is too long to keep (more than " + MAX_QUERY + " characters).");
                }
                s.setString(1, id(catalogId, table, query));
                s.setLong(2, catalogId);
                s.setString(3, table);
                s.setString(4, query);
                s.addBatch();
                n++;
            }
            if (n > 0) {
                s.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save a selection: " + e.getMessage(), e);
        }
    }

    /** The query string saved under {@code id} for this table; 404 when there is none. */
    public String find(long catalogId, String table, String id) {
        if (id == null || !id.matches("[0-9A-Z]{1,16}")) {
            throw new CairnException.NotFound("No saved selection '" + id + "'.");
        }
        try (Connection c = database.system().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT query FROM cairn.saved_selection WHERE id = ? AND catalog_id = ? AND table_name = ?")) {
            s.setString(1, id);
            s.setLong(2, catalogId);
            s.setString(3, table);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new CairnException.NotFound("No saved selection '" + id + "' for this table.");
                }
                return r.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read a selection: " + e.getMessage(), e);
        }
    }
}
