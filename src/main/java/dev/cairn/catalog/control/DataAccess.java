package dev.cairn.catalog.control;

import static dev.cairn.platform.SqlIdentifiers.quote;

import dev.cairn.catalog.control.DataPath.Element;
import dev.cairn.catalog.control.DataPath.TableElement;
import dev.cairn.catalog.control.ModelIndex.Table;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.EntityTags;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Reads and writes catalog data for the ERMrest data APIs, at most one transaction per request.
 * Reads run before the response starts (so errors are still problems); large ones then stream from
 * a server-side cursor. Writes read their input in batches and spool what they return, so neither
 * direction holds a large request or result in memory.
 */
@ApplicationScoped
public class DataAccess {

    public enum Format {
        JSON,
        JSON_STREAM,
        CSV
    }

    private static final int FETCH = 1000;

    /**
     * Characters a response buffers before encoding them: small, because every read allocates
     * one (at 64 Ki characters, the buffers were half of all the memory one-row reads allocated).
     */
    private static final int WRITE_BUFFER = 8192;

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    /** Runs ANALYZE after large writes, so that fresh data gets good plans at once. */
    @Resource
    ManagedExecutorService statistics;

    private static final long ANALYZE_EVERY = 50_000;
    private final Map<String, AtomicLong> written = new ConcurrentHashMap<>();

    /**
     * Rows being read; {@link #writeTo} streams them once and releases the connection, or
     * {@link #close} releases it unread. The entity tag is the snaptime the rows were read at.
     */
    public interface Rows extends AutoCloseable {
        void writeTo(OutputStream out) throws IOException;

        String etag();

        @Override
        void close();
    }

    /**
     * The rows a write returns (a spool file of JSON), how many, and the keys whose values were not
     * kept (ERMrest ignores them).
     */
    public record Written(Path json, long count, List<String> ignored) {}

    /**
     * An entity write's query: {@code ?defaults=}, {@code ?nondefaults=}, {@code ?onconflict=skip},
     * and whether it is a PUT (insert or update).
     */
    public record WriteOptions(Set<String> defaults, Set<String> nondefaults, boolean skipConflicts, boolean upsert) {}

    // ---- reads

    /**
     * Reads the path now, or at the snapshot {@code snapshot} (a time) when it is not null.
     * <p>
     * A read now is one statement that also returns the catalog's snaptime (the entity tag), so
     * tag and rows come from one database snapshot. A small answer (an aggregate, at most
     * {@value #FETCH} rows, or a lookup by key) takes one round trip without a transaction, so
     * PostgreSQL may also scan in parallel; a larger one streams from a cursor in a read-only
     * transaction. The catalog pools' sessions carry the statement timeout
     * ({@link CatalogDatabases#STATEMENT_TIMEOUT}).
     */
    public Rows read(
            long catalogId,
            Instant snapshot,
            String snaptime,
            DataPath path,
            Integer limit,
            Format format,
            DataQuery.Guard guard) {
        ModelIndex model = models.at(catalogId, snapshot).index();
        DataQuery.Sql sql = DataQuery.select(model, path, limit, format != Format.CSV, snapshot != null, guard);
        boolean small = path.api() == DataPath.Api.AGGREGATE
                || (limit != null && limit <= FETCH)
                || DataQuery.atMostOneRow(model, path);
        Connection c = null;
        try {
            c = databases.dataSource(catalogId).getConnection();
            if (!small || snapshot != null) {
                c.setAutoCommit(false);
                c.setReadOnly(true);
            }
            if (snapshot != null) {
                try (PreparedStatement setup = c.prepareStatement("SELECT set_config('cairn.snaptime', ?, true)")) {
                    setup.setString(1, snapshot.toString());
                    setup.execute();
                }
            }
            PreparedStatement statement = c.prepareStatement(snapshot == null ? tagged(sql.text()) : sql.text());
            if (!small) {
                statement.setFetchSize(FETCH);
            }
            bind(statement, sql.parameters());
            ResultSet rows = statement.executeQuery();
            if (snapshot != null) {
                return new OpenRows(c, statement, new Cursor(rows, 0, false), format, snaptime);
            }
            // the first row carries the snaptime, and data only when "present" is set
            rows.next();
            String etag = Rid.encode(rows.getLong(1));
            boolean present = rows.getBoolean(2);
            return new OpenRows(c, statement, new Cursor(rows, 2, present), format, etag);
        } catch (SQLException e) {
            close(c);
            throw SqlProblems.of(e);
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
    }

    /**
     * A read and its snaptime in one statement: a join on nothing (so only a nested loop, with the
     * snaptime's single row outside) keeps the rows in the read's order and returns the snaptime
     * even when there are no rows. Column 1 is the snaptime, column 2 whether the row has data.
     */
    private static String tagged(String read) {
        return "SELECT s.snaptime, q.* FROM (" + SNAPTIME + ") AS s "
                + "LEFT JOIN LATERAL (SELECT true AS present, p.* FROM (" + read + ") AS p) AS q ON true";
    }

    /** Rows from a result set whose data starts after {@code skip} columns, the first row maybe fetched already. */
    static final class Cursor {
        final ResultSet rows;
        final int skip;
        private boolean pending;

        Cursor(ResultSet rows, int skip, boolean pending) {
            this.rows = rows;
            this.skip = skip;
            this.pending = pending;
        }

        boolean next() throws SQLException {
            if (pending) {
                pending = false;
                return true;
            }
            return rows.next();
        }

        String get(int column) throws SQLException {
            return rows.getString(skip + column);
        }
    }

    /**
     * The catalog's snaptime in microseconds, as {@code _ermrest.catalog_snaptime()} computes it
     * but written out, so that it is planned once with the statement that holds it (PostgreSQL
     * plans the body of a SQL function with subqueries again at every execution); encoded in Java.
     */
    private static final String SNAPTIME = "SELECT floor(extract(epoch FROM t))::int8 * 1000000 "
            + "+ extract(microseconds FROM t)::int8 % 1000000 AS snaptime FROM (SELECT coalesce(GREATEST("
            + "(SELECT max(ts) FROM _ermrest.table_modified), (SELECT max(ts) FROM _ermrest.model_modified)), 'epoch') AS t) AS n";

    /** The snaptime of the catalog now: the time of its latest committed change, encoded. */
    public String snaptime(long catalogId) {
        try (Connection c = databases.dataSource(catalogId).getConnection()) {
            return snaptime(c);
        } catch (SQLException e) {
            throw SqlProblems.of(e);
        }
    }

    /** The catalog's snaptime as a connection (in its transaction, if any) sees it, encoded. */
    public static String snaptime(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SNAPTIME);
                ResultSet r = s.executeQuery()) {
            r.next();
            return Rid.encode(r.getLong(1));
        }
    }

    private record OpenRows(
            Connection connection, PreparedStatement statement, Cursor cursor, Format format, String etag)
            implements Rows {

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (connection;
                    statement;
                    ResultSet rows = cursor.rows) {
                switch (format) {
                    case JSON -> writeJson(cursor, out);
                    case JSON_STREAM -> writeJsonStream(cursor, out);
                    case CSV -> writeCsv(cursor, out);
                }
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            } catch (SQLException e) {
                throw new IOException("reading rows failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            DataAccess.close(connection);
        }
    }

    private static void writeJson(Cursor rows, OutputStream out) throws SQLException, IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), WRITE_BUFFER);
        w.write('[');
        boolean first = true;
        while (rows.next()) {
            if (!first) {
                w.write(',');
            }
            w.write(rows.get(1));
            first = false;
        }
        w.write("]\n");
        w.flush();
    }

    private static void writeJsonStream(Cursor rows, OutputStream out) throws SQLException, IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), WRITE_BUFFER);
        while (rows.next()) {
            w.write(rows.get(1));
            w.write('\n');
        }
        w.flush();
    }

    /** Writes rows as RFC 4180 CSV with a header line, values as PostgreSQL's text, as it reads them. */
    public static void writeCsv(ResultSet rows, OutputStream out) throws SQLException, IOException {
        writeCsv(new Cursor(rows, 0, false), out);
    }

    private static void writeCsv(Cursor rows, OutputStream out) throws SQLException, IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), WRITE_BUFFER);
        ResultSetMetaData meta = rows.rows.getMetaData();
        int n = meta.getColumnCount() - rows.skip;
        String[] header = new String[n];
        for (int i = 0; i < n; i++) {
            header[i] = meta.getColumnLabel(rows.skip + i + 1);
        }
        CSVPrinter csv = new CSVPrinter(
                w,
                CSVFormat.RFC4180
                        .builder()
                        .setHeader(header)
                        .setRecordSeparator("\n")
                        .get());
        Object[] values = new Object[n];
        while (rows.next()) {
            for (int i = 0; i < n; i++) {
                values[i] = rows.get(i + 1);
            }
            csv.printRecord(values);
        }
        csv.flush();
    }

    // ---- writes

    /**
     * Inserts (or with {@code upsert}, inserts or updates by key) the rows of the body into the
     * path's table. {@code defaults} are columns left to their defaults; system columns are left
     * to the database unless named in {@code nondefaults} (only {@code RID} can be).
     */
    public Written write(
            long catalogId,
            List<Element> path,
            InputStream body,
            Format format,
            WriteOptions options,
            String ifMatch,
            RequestClient client,
            DataQuery.Guard guard) {
        if (path.size() != 1 || !(path.get(0) instanceof TableElement element) || element.alias() != null) {
            throw new CairnException.BadRequest("Entities are written to a table: /entity/schema:table.");
        }
        Table table = models.index(catalogId).table(element.schema(), element.table());
        List<String> rowChecks = new ArrayList<>();
        rowChecks.add(guard.rows(table, "insert"));
        if (options.upsert()) {
            rowChecks.add(guard.rows(table, "update"));
        }
        EntityWriter writer =
                new EntityWriter(table, options).checkingColumns(guard).refusingUnknownKeys(format == Format.CSV);
        Written done = write(catalogId, table, writer, body, format, ifMatch, -1, rowChecks, client, guard);
        analyzeIfLarge(catalogId, table, done.count());
        return done;
    }

    /**
     * The one transaction of every entity write: the If-Match check, the rows written through
     * {@code writer} with what they return spooled to a file, then the written rows checked against
     * the client's row rights; nothing is kept when any of it fails, or when {@code expected} is not
     * negative and another number of rows was written.
     */
    private Written write(
            long catalogId,
            Table table,
            EntityWriter writer,
            InputStream body,
            Format format,
            String ifMatch,
            long expected,
            List<String> rowChecks,
            RequestClient client,
            DataQuery.Guard guard) {
        Path spool = spoolFile();
        try {
            long count = databases.transaction(catalogId, client, c -> {
                checkIfMatch(c, ifMatch);
                CatalogDatabases.registerClient(c, client);
                long written;
                try (Writer out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
                    written = writer.write(c, rows(body, format), out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (expected >= 0 && written != expected) {
                    throw new CairnException.PreconditionFailed(
                            (expected - written) + " of the " + expected + " rows to update in " + table
                                    + " no longer match their keys (changed or deleted since they were read);"
                                    + " nothing was changed.");
                }
                checkWrittenRows(c, table, rowChecks, guard);
                return written;
            });
            return new Written(spool, count, writer.ignored());
        } catch (RuntimeException e) {
            delete(spool);
            throw e;
        }
    }

    private void analyzeIfLarge(long catalogId, Table table, long count) {
        String key = catalogId + "/" + table;
        long total = written.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(count);
        if (total / ANALYZE_EVERY != (total - count) / ANALYZE_EVERY) {
            statistics.execute(() -> databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
                try (PreparedStatement analyze =
                        c.prepareStatement("ANALYZE " + quote(table.schema()) + "." + quote(table.name()))) {
                    return analyze.execute();
                }
            }));
        }
    }

    /**
     * ERMrest's bulk update, {@code PUT /attributegroup/S:T/K1,K2;C1,C2}: each input row picks the
     * rows whose key columns equal its own and sets the named columns; the updated rows come back.
     * With {@code expected} not negative, exactly that many rows must be updated, or none is (the
     * web catalog's edit forms key rows by RID and the RMT they were read with, so a row changed
     * meanwhile is a conflict, not a lost update).
     */
    public Written update(
            long catalogId,
            DataPath path,
            InputStream body,
            Format format,
            String ifMatch,
            long expected,
            RequestClient client,
            DataQuery.Guard guard) {
        if (path.elements().size() != 1
                || !(path.elements().get(0) instanceof TableElement element)
                || element.alias() != null) {
            throw new CairnException.BadRequest(
                    "Bulk updates name a table: /attributegroup/schema:table/keys;columns.");
        }
        Table table = models.index(catalogId).table(element.schema(), element.table());
        List<String> rowChecks = new ArrayList<>();
        rowChecks.add(guard.rows(table, "update"));
        EntityWriter writer = EntityWriter.bulkUpdate(
                        table, bindings(table, path.groupKeys()), bindings(table, path.projection()))
                .checkingColumns(guard)
                .refusingUnknownKeys(format == Format.CSV);
        return write(catalogId, table, writer, body, format, ifMatch, expected, rowChecks, client, guard);
    }

    /**
     * The columns of a bulk update's key or target list, each under the name rows give it ({@code
     * alias:=column} or the column's).
     */
    private static List<EntityWriter.Binding> bindings(Table table, List<DataPath.Output> outputs) {
        List<EntityWriter.Binding> columns = new ArrayList<>();
        for (DataPath.Output o : outputs) {
            if (o.function() != null
                    || o.column().star()
                    || !o.column().qualifiers().isEmpty()) {
                throw new CairnException.BadRequest(
                        "Bulk updates take column names, each with an optional alias (alias:=column), "
                                + "not aggregates or other tables' columns.");
            }
            String column = table.column(o.column().column()).name();
            columns.add(new EntityWriter.Binding(o.name() == null ? column : o.name(), column));
        }
        return columns;
    }

    public void delete(
            long catalogId, List<Element> path, String ifMatch, RequestClient client, DataQuery.Guard guard) {
        ModelIndex model = models.index(catalogId);
        Table table = DataQuery.target(model, path);
        DataQuery.Sql rids = DataQuery.rids(model, path, guard);
        String deletable = guard.rows(table, "delete");
        databases.transaction(catalogId, client, c -> {
            checkIfMatch(c, ifMatch);
            if (deletable != null) {
                // rows the client may see but not delete: refuse the whole request, delete nothing
                try (PreparedStatement check = c.prepareStatement("SELECT count(*) FROM " + quote(table.schema()) + "."
                        + quote(table.name()) + " AS " + AclBindings.ROW + " WHERE " + AclBindings.ROW + ".\"RID\" IN ("
                        + rids.text() + ") AND NOT coalesce(" + deletable + ", false)")) {
                    bind(check, rids.parameters());
                    try (ResultSet r = check.executeQuery()) {
                        r.next();
                        if (r.getLong(1) > 0) {
                            guard.refuse(table, "delete", r.getLong(1));
                        }
                    }
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + quote(table.schema()) + "."
                    + quote(table.name()) + " WHERE \"RID\" IN (" + rids.text() + ")")) {
                bind(delete, rids.parameters());
                return delete.executeUpdate();
            }
        });
    }

    /**
     * Row-level rights of a write, checked in its transaction before it commits: every row it wrote
     * (those whose RMT, which the database sets on every write, is this transaction's time) must
     * meet each predicate that grants the client the write only on some rows; otherwise the whole
     * write is refused and rolled back.
     */
    private static void checkWrittenRows(Connection c, Table table, List<String> predicates, DataQuery.Guard guard) {
        List<String> checks = predicates.stream().filter(Objects::nonNull).toList();
        if (checks.isEmpty()) {
            return;
        }
        if (!table.columns().containsKey("RMT")) {
            guard.refuse(table, "write", 1);
        }
        try (PreparedStatement check = c.prepareStatement("SELECT count(*) FROM " + quote(table.schema()) + "."
                        + quote(table.name()) + " AS " + AclBindings.ROW + " WHERE " + AclBindings.ROW
                        + ".\"RMT\" = now() AND NOT ("
                        + checks.stream().map(p -> "coalesce(" + p + ", false)").collect(Collectors.joining(" AND "))
                        + ")");
                ResultSet r = check.executeQuery()) {
            r.next();
            if (r.getLong(1) > 0) {
                guard.refuse(table, "write", r.getLong(1));
            }
        } catch (SQLException e) {
            throw SqlProblems.of(e);
        }
    }

    /** The schema and table holding a RID. */
    public Optional<Map<String, String>> resolve(long catalogId, String rid) {
        ModelIndex model = models.index(catalogId);
        List<Table> tables = model.tables().stream().filter(Table::hasRid).toList();
        if (tables.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sql = new StringBuilder();
        for (Table t : tables) {
            sql.append(sql.length() == 0 ? "" : " UNION ALL ")
                    .append("SELECT ")
                    .append("CAST(? AS text), CAST(? AS text) FROM ")
                    .append(quote(t.schema()))
                    .append('.')
                    .append(quote(t.name()))
                    .append(" WHERE \"RID\" = CAST(? AS text)");
        }
        return databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            try (PreparedStatement s = c.prepareStatement(sql + " LIMIT 1")) {
                int i = 1;
                for (Table t : tables) {
                    s.setString(i++, t.schema());
                    s.setString(i++, t.name());
                    s.setString(i++, rid);
                }
                try (ResultSet r = s.executeQuery()) {
                    return r.next()
                            ? Optional.of(
                                    Map.of("schema_name", r.getString(1), "table_name", r.getString(2), "RID", rid))
                            : Optional.<Map<String, String>>empty();
                }
            }
        });
    }

    /** 412 unless {@code If-Match} (when given) names the catalog's current snaptime; the lock orders writers. */
    private static void checkIfMatch(Connection c, String ifMatch) throws SQLException {
        if (ifMatch == null) {
            return;
        }
        String current = '"' + snaptime(c) + '"';
        if (!EntityTags.matches(ifMatch, current)) {
            throw new CairnException.PreconditionFailed(
                    "If-Match " + ifMatch + " does not match the catalog's current version " + current + ".");
        }
    }

    // ---- input rows

    private static Iterator<JsonObject> rows(InputStream body, Format format) {
        Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8);
        return switch (format) {
            case JSON -> jsonArray(reader);
            case JSON_STREAM -> jsonLines(new BufferedReader(reader));
            case CSV -> csv(reader);
        };
    }

    private static Iterator<JsonObject> jsonArray(Reader reader) {
        JsonParser parser = JsonBodies.JSON.createParser(reader);
        try {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_ARRAY) {
                throw new CairnException.BadRequest("The body must be a JSON array of objects.");
            }
        } catch (JsonException e) {
            throw new CairnException.BadRequest("The body is not valid JSON: " + e.getMessage());
        }
        return new Iterator<>() {
            private JsonObject next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    try {
                        JsonParser.Event event = parser.next();
                        if (event == JsonParser.Event.END_ARRAY) {
                            done = true;
                            if (parser.hasNext()) {
                                throw new CairnException.BadRequest("The body has more after its JSON array.");
                            }
                        } else if (event == JsonParser.Event.START_OBJECT) {
                            next = parser.getObject();
                        } else {
                            throw new CairnException.BadRequest("The body must be a JSON array of objects.");
                        }
                    } catch (JsonException | NoSuchElementException e) {
                        throw new CairnException.BadRequest("The body is not valid JSON: " + e.getMessage());
                    }
                }
                return next != null;
            }

            @Override
            public JsonObject next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                JsonObject row = next;
                next = null;
                return row;
            }
        };
    }

    private static Iterator<JsonObject> jsonLines(BufferedReader reader) {
        Iterator<String> lines = reader.lines().filter(l -> !l.isBlank()).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public JsonObject next() {
                try (var json = JsonBodies.JSON.createReader(new StringReader(lines.next()))) {
                    return json.readObject();
                } catch (JsonException | ClassCastException e) {
                    throw new CairnException.BadRequest("Each line must be a JSON object: " + e.getMessage());
                }
            }
        };
    }

    private static Iterator<JsonObject> csv(Reader reader) {
        Iterator<CSVRecord> records;
        List<String> header;
        try {
            var parser = CSVFormat.RFC4180
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
                    .get()
                    .parse(reader);
            header = parser.getHeaderNames();
            records = parser.iterator();
        } catch (IOException | IllegalArgumentException e) {
            throw new CairnException.BadRequest("The body is not CSV with a header row: " + e.getMessage());
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return records.hasNext();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw new CairnException.BadRequest("Malformed CSV: " + e.getMessage());
                }
            }

            @Override
            public JsonObject next() {
                CSVRecord record = records.next();
                if (record.size() != header.size()) {
                    throw new CairnException.BadRequest("CSV record " + record.getRecordNumber() + " has "
                            + record.size() + " fields; the header names " + header.size() + ".");
                }
                JsonObjectBuilder row = JsonBodies.JSON.createObjectBuilder();
                for (String column : header) {
                    String value = record.isSet(column) ? record.get(column) : null;
                    row.add(
                            column,
                            value == null || value.isEmpty() ? JsonValue.NULL : JsonBodies.JSON.createValue(value));
                }
                return row.build();
            }
        };
    }

    // ---- helpers

    private static void bind(PreparedStatement statement, List<String> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setString(i + 1, parameters.get(i));
        }
    }

    private static Path spoolFile() {
        try {
            return Files.createTempFile("cairn-written-", ".json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file; the system cleans its temp folder
        }
    }

    static void close(Connection c) {
        if (c == null) {
            return;
        }
        try (c) {
            if (!c.isClosed() && !c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the pool discards a broken connection
        }
    }
}
