package dev.cairn.catalog.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * ERMrest's history resource, {@code /ermrest/catalog/N/history/from,until}: which snapshots a
 * range holds and whether an administrator changed them ({@code amendver}), and truncation, which
 * discards every row version and model that stopped being current before {@code until}.
 * Snapshots after a truncation's bound read exactly as before; earlier ones are refused
 * ({@link #requireRetained}).
 */
@ApplicationScoped
public class HistoryRanges {

    /** A range's first and last snapshot, and its latest amendment (null when none). */
    public record Range(Instant from, Instant until, Instant amendver) {}

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    /** The snapshots within [from, until) (either bound may be null), or 404 when there are none. */
    public Range range(long catalogId, Instant from, Instant until) {
        return databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> range(c, from, until));
    }

    private static Range range(Connection c, Instant from, Instant until) throws SQLException {
        Instant horizon = horizon(c).orElse(null);
        Instant lower = from == null || (horizon != null && horizon.isAfter(from)) ? horizon : from;
        // a change is a model recorded, or a row version begun or ended
        String changes =
                "SELECT ts FROM _ermrest.model_history UNION ALL SELECT lower(during) FROM _ermrest.row_history "
                        + "UNION ALL SELECT upper(during) FROM _ermrest.row_history WHERE NOT upper_inf(during)";
        try (PreparedStatement s = c.prepareStatement(
                "SELECT min(ts), max(ts) FROM (" + changes + ") AS x "
                        + "WHERE ts >= coalesce(CAST(? AS timestamptz), '-infinity') AND ts < coalesce(CAST(? AS timestamptz), 'infinity')")) {
            s.setTimestamp(1, lower == null ? null : Timestamp.from(lower));
            s.setTimestamp(2, until == null ? null : Timestamp.from(until));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                if (r.getTimestamp(1) == null) {
                    throw new CairnException.NotFound("The catalog's history has no snapshot in ["
                            + (from == null ? "" : from) + ", " + (until == null ? "" : until) + ").");
                }
                Instant first = lower != null && horizon != null && lower.equals(horizon)
                        ? horizon
                        : r.getTimestamp(1).toInstant();
                // amended: a truncation's span overlaps the range asked for (an open start reaches the discarded past)
                return new Range(first, r.getTimestamp(2).toInstant(), amendver(c, from, until));
            }
        }
    }

    private static Instant amendver(Connection c, Instant from, Instant until) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT max(ts) FROM _ermrest.catalog_amended "
                + "WHERE during && tstzrange(CAST(? AS timestamptz), CAST(? AS timestamptz), '[)')")) {
            s.setTimestamp(1, from == null ? null : Timestamp.from(from));
            s.setTimestamp(2, until == null ? null : Timestamp.from(until));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getTimestamp(1) == null ? null : r.getTimestamp(1).toInstant();
            }
        }
    }

    /** The oldest snapshot the history still holds whole, when it was truncated. */
    private static Optional<Instant> horizon(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT max(upper(during)) FROM _ermrest.catalog_amended");
                ResultSet r = s.executeQuery()) {
            r.next();
            return Optional.ofNullable(r.getTimestamp(1)).map(Timestamp::toInstant);
        }
    }

    /** 404 when a read at {@code at} would need history that was truncated. */
    static void requireRetained(CatalogDatabases databases, long catalogId, Instant at, String snaptime) {
        Optional<Instant> horizon = databases.transaction(catalogId, RequestClient.ANONYMOUS, HistoryRanges::horizon);
        if (horizon.isPresent() && at.isBefore(horizon.get())) {
            throw new CairnException.NotFound("Snapshot " + snaptime + " (" + at + ") is older than catalog "
                    + catalogId + "'s history, which was truncated before " + horizon.get() + ".");
        }
    }

    /**
     * Discards the history before {@code until} (clamped to now): row versions that ended by then,
     * and models replaced by then; records the truncation. Returns the amendment's time.
     */
    public Instant truncate(long catalogId, Instant until, RequestClient client) {
        Instant bound = until.isAfter(Instant.now()) ? Instant.now() : until;
        Instant amended = databases.transaction(catalogId, client, c -> {
            Timestamp t = Timestamp.from(bound);
            try (PreparedStatement rows = c.prepareStatement(
                            "DELETE FROM _ermrest.row_history WHERE NOT upper_inf(during) AND upper(during) <= ?");
                    PreparedStatement model = c.prepareStatement("DELETE FROM _ermrest.model_history m WHERE EXISTS "
                            + "(SELECT 1 FROM _ermrest.model_history n WHERE n.ts > m.ts AND n.ts <= ?)");
                    PreparedStatement record = c.prepareStatement("INSERT INTO _ermrest.catalog_amended (ts, during) "
                            + "VALUES (now(), tstzrange(NULL, CAST(? AS timestamptz), '[)')) ON CONFLICT (ts) DO UPDATE SET during = EXCLUDED.during "
                            + "RETURNING ts")) {
                rows.setTimestamp(1, t);
                rows.executeUpdate();
                model.setTimestamp(1, t);
                model.executeUpdate();
                record.setTimestamp(1, t);
                try (ResultSet r = record.executeQuery()) {
                    r.next();
                    return r.getTimestamp(1).toInstant();
                }
            }
        });
        models.invalidate(catalogId);
        return amended;
    }
}
