package dev.cairn.security.control;

import dev.cairn.platform.Database;
import dev.cairn.platform.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The append-only, hash-chained audit log. Entry n's hash is SHA-256 of entry n-1's hash followed by
 * entry n's fields, each written as a 4-byte length (-1 for null) and its UTF-8 bytes, in this
 * order: seq, at (ISO-8601, microseconds), client, address, request id, method, target, outcome,
 * snaptime. The first entry's previous hash is 32 zero bytes. Appends are serialized by a table
 * lock, so the chain has no forks, and grouped: entries that arrive together commit in one
 * transaction, each request still answered only once its entry is committed.
 */
@ApplicationScoped
public class Audit {

    private static final byte[] GENESIS = new byte[32];
    /** Longest target kept; longer ones are cut and marked. */
    private static final int MAX_TARGET = 4096;

    /** Most entries one transaction appends. */
    private static final int MAX_BATCH = 500;

    @Inject
    Database database;

    @Inject
    Metrics metrics;

    /** Entries waiting for a batch, in arrival order; also the monitor of {@link #writing}. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();

    private boolean writing;

    public record Entry(
            long seq,
            Instant at,
            String client,
            String address,
            String requestId,
            String method,
            String target,
            int outcome,
            String snaptime,
            String hash) {}

    /** The result of recomputing the chain: how many entries were checked and the first broken one. */
    public record Verification(boolean valid, long entries, Long firstBroken, String problem) {}

    /** How many entries the log holds (its last sequence number: entries are never removed). */
    public long length() {
        return database.jdbcTransaction("read the audit log's length", c -> {
            try (var s = c.createStatement();
                    var r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM cairn.audit")) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /**
     * Appends an entry and returns once it is committed. Entries that arrive while another batch is
     * being written wait and go together in the next one (group commit): one lock of the table, one
     * read of the chain's end and one batched insert for all of them, so concurrent writers pay one
     * transaction between them, not one each. The chain is computed in arrival order, as before.
     * Throws, for every entry of its batch, when the batch could not be written.
     */
    public void append(
            String client,
            String address,
            String requestId,
            String method,
            String target,
            int outcome,
            String snaptime) {
        String kept = target.length() > MAX_TARGET ? target.substring(0, MAX_TARGET) + "...(cut)" : target;
        Pending mine;
        synchronized (queue) {
            mine = new Pending(new Content(
                    Instant.now().truncatedTo(ChronoUnit.MICROS),
                    client,
                    address,
                    requestId,
                    method,
                    kept,
                    outcome,
                    snaptime));
            queue.add(mine);
        }
        while (true) {
            List<Pending> batch = null;
            synchronized (queue) {
                if (mine.written != null) {
                    break;
                }
                if (!writing) {
                    writing = true;
                    batch = new ArrayList<>();
                    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                        batch.add(queue.poll());
                    }
                } else {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while the audit entry was being written", e);
                    }
                }
            }
            if (batch != null) {
                RuntimeException failure = null;
                try {
                    write(batch);
                } catch (RuntimeException e) {
                    failure = e;
                } catch (Error e) {
                    failure = new IllegalStateException("the audit batch failed", e);
                }
                synchronized (queue) {
                    for (Pending p : batch) {
                        p.written = failure == null ? Boolean.TRUE : Boolean.FALSE;
                        p.failure = failure;
                    }
                    writing = false;
                    queue.notifyAll();
                }
            }
        }
        if (!mine.written) {
            throw mine.failure;
        }
    }

    /** What an entry says, in the order its hash covers it (after its sequence number). */
    record Content(
            Instant at,
            String client,
            String address,
            String requestId,
            String method,
            String target,
            int outcome,
            String snaptime) {

        /** Its hash as entry {@code seq} after an entry whose hash is {@code previous}. */
        byte[] hash(byte[] previous, long seq) {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + target.length() * 2);
                DataOutputStream out = new DataOutputStream(bytes);
                out.write(previous);
                for (String field : new String[] {
                    Long.toString(seq),
                    at.toString(),
                    client,
                    address,
                    requestId,
                    method,
                    target,
                    Integer.toString(outcome),
                    snaptime
                }) {
                    if (field == null) {
                        out.writeInt(-1);
                    } else {
                        byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                        out.writeInt(utf8.length);
                        out.write(utf8);
                    }
                }
                return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
            } catch (IOException | NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** An entry on its way to the log; {@code written} is set (under the queue's lock) once its batch ended. */
    private static final class Pending {
        final Content content;
        Boolean written;
        RuntimeException failure;

        Pending(Content content) {
            this.content = content;
        }
    }

    /** One transaction: the table locked (so no other node forks the chain), its end read, the batch chained on. */
    private void write(List<Pending> batch) {
        database.jdbcTransaction("append to the audit log", c -> {
            try (Statement lock = c.createStatement()) {
                lock.execute("LOCK TABLE cairn.audit IN EXCLUSIVE MODE");
            }
            long seq = 0;
            byte[] previous = GENESIS;
            try (Statement last = c.createStatement();
                    ResultSet r = last.executeQuery("SELECT seq, hash FROM cairn.audit ORDER BY seq DESC LIMIT 1")) {
                if (r.next()) {
                    seq = r.getLong(1);
                    previous = r.getBytes(2);
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO cairn.audit (seq, at, client, address, "
                            + "request_id, method, target, outcome, snaptime, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                for (Pending p : batch) {
                    Content e = p.content;
                    seq++;
                    byte[] hash = e.hash(previous, seq);
                    insert.setLong(1, seq);
                    insert.setTimestamp(2, Timestamp.from(e.at()));
                    insert.setString(3, e.client());
                    insert.setString(4, e.address());
                    insert.setString(5, e.requestId());
                    insert.setString(6, e.method());
                    insert.setString(7, e.target());
                    insert.setInt(8, e.outcome());
                    insert.setString(9, e.snaptime());
                    insert.setBytes(10, previous);
                    insert.setBytes(11, hash);
                    insert.addBatch();
                    previous = hash;
                }
                insert.executeBatch();
            }
            return null;
        });
        metrics.auditBatch();
    }

    /** Entries in order, from {@code since} (inclusive), of one client and under one target prefix when given. */
    public List<Entry> read(Instant since, String client, String target, long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT seq, at, client, address, request_id, method, target, outcome, "
                + "snaptime, hash FROM cairn.audit WHERE seq > ?");
        List<Object> values = new ArrayList<>();
        values.add(afterSeq);
        if (since != null) {
            sql.append(" AND at >= ?");
            values.add(Timestamp.from(since));
        }
        if (client != null) {
            sql.append(" AND client = ?");
            values.add(client);
        }
        if (target != null) {
            sql.append(" AND starts_with(target, ?)");
            values.add(target);
        }
        sql.append(" ORDER BY seq LIMIT ?");
        values.add(limit);
        try (Connection c = database.system().getConnection();
                PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                s.setObject(i + 1, values.get(i));
            }
            List<Entry> entries = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    entries.add(new Entry(
                            r.getLong(1),
                            r.getTimestamp(2).toInstant(),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            r.getString(6),
                            r.getString(7),
                            r.getInt(8),
                            r.getString(9),
                            HexFormat.of().formatHex(r.getBytes(10))));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log: " + e.getMessage(), e);
        }
    }

    /** Recomputes the whole chain, streaming it, and names the first entry that does not hold. */
    public Verification verify() {
        try (Connection c = database.system().getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet r =
                        s.executeQuery("SELECT seq, at, client, address, request_id, method, target, outcome, "
                                + "snaptime, prev_hash, hash FROM cairn.audit ORDER BY seq")) {
                    byte[] previous = GENESIS;
                    long expected = 1;
                    long count = 0;
                    while (r.next()) {
                        long seq = r.getLong(1);
                        if (seq != expected) {
                            return new Verification(false, count, expected, "entry " + expected + " is missing");
                        }
                        if (!Arrays.equals(previous, r.getBytes(10))) {
                            return new Verification(
                                    false, count, seq, "its previous hash is not the hash of entry " + (seq - 1));
                        }
                        byte[] hash = new Content(
                                        r.getTimestamp(2).toInstant(),
                                        r.getString(3),
                                        r.getString(4),
                                        r.getString(5),
                                        r.getString(6),
                                        r.getString(7),
                                        r.getInt(8),
                                        r.getString(9))
                                .hash(previous, seq);
                        if (!Arrays.equals(hash, r.getBytes(11))) {
                            return new Verification(false, count, seq, "its content does not match its hash");
                        }
                        previous = hash;
                        expected++;
                        count++;
                    }
                    return new Verification(true, count, null, null);
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log: " + e.getMessage(), e);
        }
    }
}
