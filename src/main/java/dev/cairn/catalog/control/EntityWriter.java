package dev.cairn.catalog.control;

import static dev.cairn.platform.SqlIdentifiers.quote;

import dev.cairn.catalog.control.ModelIndex.Table;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the rows of one entity request (insert, upsert by key, or ERMrest's bulk update by key
 * columns) into one table, inside the request's transaction. Rows are grouped into runs that name the
 * same columns, so each row is
 * written with exactly the columns it carries: an absent column takes its default on insert and
 * keeps its value on update. As in ERMrest, a JSON key that names no column of the table, a system
 * column the catalog maintains (RID too, unless {@code ?nondefaults=RID}) and a column
 * {@code ?defaults=} names are ignored; the keys ignored are reported ({@link #ignored()}) so that
 * the caller can say so. A batch the database refuses is
 * retried row by row under a savepoint so that the problem names the row.
 */
final class EntityWriter {

    /** System columns a client may give values to with {@code ?nondefaults=}, as in ERMrest. */
    static final Set<String> NONDEFAULTABLE = Set.of("RID", "RCT", "RCB");

    private static final int BATCH = 1000;

    private final Table table;
    private final Set<String> defaults;
    private final Set<String> nondefaults;
    private final boolean skipConflicts;
    private final boolean upsert;
    /**
     * Whether a RID a row gives is written (and, for a client who does not own the catalog, must be a
     * lease of theirs).
     */
    private final boolean ridFromRows;
    /** For a bulk update: the columns rows are matched by and the columns they set; otherwise null. */
    private final List<Binding> matchBy;

    private final List<Binding> set;
    /**
     * Whether a key that names no column is refused (a CSV header, as ERMrest refuses it) rather than
     * ignored (JSON).
     */
    private boolean refuseUnknownKeys;
    /** Keys whose values rows gave but no column kept (at most {@link #IGNORED_KEPT} are remembered). */
    private final Set<String> ignored = new TreeSet<>();

    private static final int IGNORED_KEPT = 50;
    private final Map<List<String>, String> statements = new HashMap<>();
    /** Checks the columns a run writes against their own ACLs; none by default. */
    private DataQuery.Guard guard = DataQuery.Guard.NONE;
    /** Columns the client may not read, left out of the rows a write returns. */
    private List<String> hidden = List.of();

    EntityWriter(Table table, DataAccess.WriteOptions options) {
        Set<String> defaults = options.defaults();
        Set<String> nondefaults = new LinkedHashSet<>(options.nondefaults());
        for (String name : defaults) {
            table.column(name);
        }
        for (String name : nondefaults) {
            if (!NONDEFAULTABLE.contains(name)) {
                throw new CairnException.BadRequest("?nondefaults= takes only "
                        + String.join(", ", NONDEFAULTABLE.stream().sorted().toList()) + "; '" + name
                        + "' is not one of them.");
            }
            table.column(name);
            if (defaults.contains(name)) {
                throw new CairnException.BadRequest(
                        "Column " + name + " is named in both ?defaults= and ?nondefaults=.");
            }
        }
        if (options.skipConflicts() && options.upsert()) {
            throw new CairnException.BadRequest("?onconflict=skip is for POST; PUT already updates rows that exist.");
        }
        this.table = table;
        this.defaults = defaults;
        this.nondefaults = nondefaults;
        this.skipConflicts = options.skipConflicts();
        this.upsert = options.upsert();
        this.ridFromRows = nondefaults.contains("RID");
        this.matchBy = null;
        this.set = null;
    }

    /**
     * One column of a bulk update and the key rows give its value under: the column's own name, or
     * an alias ({@code o0:=Filename}), so that one column can be both matched and set.
     */
    record Binding(String input, String column) {}

    private EntityWriter(Table table, List<Binding> matchBy, List<Binding> set) {
        this.table = table;
        this.defaults = Set.of();
        this.nondefaults = Set.of();
        this.skipConflicts = false;
        this.upsert = false;
        this.ridFromRows = false;
        this.matchBy = matchBy;
        this.set = set;
    }

    /**
     * ERMrest's bulk update, {@code PUT /attributegroup/S:T/K1,K2;C1,C2}: each row gives the key
     * columns, which pick the rows to change, and the columns to set on them; either may be
     * aliased ({@code o0:=K1;n0:=K1}, as deriva-py's uploader sends them). Null keys match null.
     */
    static EntityWriter bulkUpdate(Table table, List<Binding> matchBy, List<Binding> set) {
        if (set.isEmpty()) {
            throw new CairnException.BadRequest("Name the columns to set after ';'.");
        }
        Set<String> inputs = new HashSet<>();
        for (Binding b : concat(matchBy, set)) {
            if (!inputs.add(b.input())) {
                throw new CairnException.BadRequest("'" + b.input()
                        + "' names two values of a bulk update row; give one an alias " + "(alias:=column).");
            }
        }
        return new EntityWriter(table, matchBy, set);
    }

    private static List<Binding> concat(List<Binding> a, List<Binding> b) {
        List<Binding> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The keys whose values were not kept, sorted; empty when every value was. */
    List<String> ignored() {
        return List.copyOf(ignored);
    }

    /** Refuses keys that name no column (for CSV, whose header ERMrest checks) instead of ignoring them. */
    EntityWriter refusingUnknownKeys(boolean refuse) {
        this.refuseUnknownKeys = refuse;
        return this;
    }

    private void ignore(String key, long index) {
        if (refuseUnknownKeys && !table.columns().containsKey(key)) {
            throw new CairnException.BadRequest(where(index, key) + "table " + table + " has no column '" + key + "'.");
        }
        if (ignored.size() < IGNORED_KEPT) {
            ignored.add(key);
        }
    }

    /** Writes every row, in order, and the rows the database returns to {@code out} as a JSON array. */
    long write(Connection c, Iterator<JsonObject> rows, Writer out) throws SQLException, IOException {
        if (!nondefaults.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("SELECT set_config('cairn.nondefaults', ?, true)")) {
                s.setString(1, "," + String.join(",", nondefaults) + ",");
                s.execute();
            }
        }
        out.write('[');
        long[] count = {0};
        List<String> columns = null;
        List<JsonObject> batch = new ArrayList<>();
        long first = 0;
        long index = 0;
        while (rows.hasNext()) {
            JsonObject row = rows.next();
            List<String> rowColumns = columns(row, index);
            if (!batch.isEmpty() && (!rowColumns.equals(columns) || batch.size() >= BATCH)) {
                run(c, columns, batch, first, out, count);
                batch.clear();
            }
            if (batch.isEmpty()) {
                columns = rowColumns;
                first = index;
            }
            batch.add(row);
            index++;
        }
        if (!batch.isEmpty()) {
            run(c, columns, batch, first, out, count);
        }
        out.write("]\n");
        return count[0];
    }

    /** The columns this row writes: every key it has, checked against the table; system columns only where allowed. */
    private List<String> columns(JsonObject row, long index) {
        if (matchBy != null) {
            // the URL names what is set; a row may carry other keys (deriva-py sends whole rows), which
            // are ignored as ERMrest ignores them, but must give every named one: one left out would be
            // set to NULL
            Set<String> named = new TreeSet<>();
            concat(matchBy, set).forEach(b -> named.add(b.input()));
            for (String name : named) {
                if (!row.containsKey(name)) {
                    throw new CairnException.BadRequest(
                            where(index, name) + "a bulk update row gives every key and set column.");
                }
            }
            for (String name : row.keySet()) {
                if (!named.contains(name)) {
                    ignore(name, index);
                }
            }
            return List.copyOf(named);
        }
        List<String> columns = new ArrayList<>();
        for (Map.Entry<String, JsonValue> field : row.entrySet()) {
            String name = field.getKey();
            if (!table.columns().containsKey(name)) {
                ignore(name, index);
                continue;
            }
            boolean written = !defaults.contains(name)
                    && (!ModelSql.SYSTEM_COLUMNS.contains(name)
                            || nondefaults.contains(name)
                            || (name.equals("RID") && (upsert || ridFromRows)));
            if (!written) {
                // a system column ERMrest maintains, or one ?defaults= names: its value is not kept
                ignore(name, index);
                continue;
            }
            if (name.equals("RID")) {
                checkRid(field.getValue(), index);
            }
            columns.add(name);
        }
        columns.sort(null);
        if (columns.isEmpty()) {
            throw new CairnException.BadRequest(where(index, null) + "the row gives no column that can be written.");
        }
        return columns;
    }

    private static void checkRid(JsonValue value, long index) {
        if (!(value instanceof JsonString s)) {
            throw new CairnException.BadRequest(where(index, "RID") + "a RID is a string such as \"1-0000\".");
        }
        try {
            Rid.decode(s.getString());
        } catch (IllegalArgumentException e) {
            throw new CairnException.BadRequest(where(index, "RID") + "'" + s.getString() + "' is not a RID.");
        }
    }

    /**
     * Refuses runs that write a column whose own insert or update ACL leaves the client out, and
     * leaves the columns it may not read out of the rows that come back.
     */
    EntityWriter checkingColumns(DataQuery.Guard guard) {
        this.guard = guard;
        this.hidden = List.copyOf(guard.hidden(table));
        return this;
    }

    /** The written row as it comes back: as JSON, without the columns the client may not read. */
    private String returned() {
        if (hidden.isEmpty()) {
            return "row_to_json(t)::text";
        }
        return "(to_jsonb(t) - ARRAY["
                + String.join(", ", hidden.stream().map(ModelSql::literal).toList()) + "]::text[])::text";
    }

    private void run(Connection c, List<String> columns, List<JsonObject> batch, long first, Writer out, long[] count)
            throws SQLException, IOException {
        boolean updateOnly = upsert && columns.contains("RID") && !ridFromRows;
        if (!statements.containsKey(columns)) {
            for (String column :
                    matchBy != null ? set.stream().map(Binding::column).toList() : columns) {
                if (matchBy != null || updateOnly || upsert) {
                    guard.checkColumnWrite(table, column, "update");
                }
                if (matchBy == null && !updateOnly) {
                    guard.checkColumnWrite(table, column, "insert");
                }
            }
        }
        boolean claiming = ridFromRows && columns.contains("RID") && !isLeaseTable();
        if (claiming) {
            checkLeases(c, batch, first);
        }
        String sql = statements.computeIfAbsent(
                columns, cols -> matchBy != null ? bulkUpdateSql() : updateOnly ? updateSql(cols) : insertSql(cols));
        Savepoint savepoint = c.setSavepoint();
        List<String> returned;
        try {
            returned = execute(c, sql, batch);
        } catch (SQLException e) {
            c.rollback(savepoint);
            throw locate(c, sql, batch, first, e);
        }
        c.releaseSavepoint(savepoint);
        if (claiming) {
            claimLeases(c, batch);
        }
        if (updateOnly && returned.size() < batch.size()) {
            throw missingRid(c, batch, first);
        }
        for (String json : returned) {
            out.write(count[0]++ == 0 ? "" : ",");
            out.write(json);
        }
    }

    /** ERMrest's table of leased RIDs ({@code public}, made by catalog migration V10). */
    private static final String RID_LEASE = "ERMrest_RID_Lease";

    private static final String LEASES = "public." + quote(RID_LEASE);

    private boolean isLeaseTable() {
        return table.schema().equals("public") && table.name().equals(RID_LEASE);
    }

    private static String[] rids(List<JsonObject> batch) {
        return batch.stream().map(row -> row.getString("RID")).toArray(String[]::new);
    }

    /**
     * ERMrest's RID leases: a client that does not own the catalog gives rows only RIDs it leased in
     * {@code public.ERMrest_RID_Lease} (403 otherwise, so that nobody takes RIDs the catalog's
     * sequence will hand out).
     */
    private void checkLeases(Connection c, List<JsonObject> batch, long first) throws SQLException {
        if (guard.owner()) {
            return;
        }
        try (PreparedStatement check =
                c.prepareStatement("SELECT g.rid, g.n FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS g (rid, n) "
                        + "WHERE NOT EXISTS (SELECT 1 FROM " + LEASES + " l WHERE l.\"RID\" = g.rid "
                        + "AND l.\"RCB\" IS NOT DISTINCT FROM _ermrest.current_client()) ORDER BY g.n LIMIT 1")) {
            check.setArray(1, c.createArrayOf("text", rids(batch)));
            try (ResultSet r = check.executeQuery()) {
                if (r.next()) {
                    throw new CairnException.Forbidden(
                            ErrorCode.ACL_DENIED,
                            where(first + r.getLong(2) - 1, "RID") + "RID " + r.getString(1)
                                    + " is not one of your leases: only the catalog's owner gives rows RIDs of its choosing; others lease "
                                    + "them first (POST /entity/public:" + RID_LEASE + ").");
                }
            }
        }
    }

    /** Every lease a written row took ends, in the same transaction. */
    private static void claimLeases(Connection c, List<JsonObject> batch) throws SQLException {
        try (PreparedStatement purge =
                c.prepareStatement("DELETE FROM " + LEASES + " l WHERE l.\"RID\" = ANY (CAST(? AS text[])) "
                        + "AND l.\"RCB\" IS NOT DISTINCT FROM _ermrest.current_client()")) {
            purge.setArray(1, c.createArrayOf("text", rids(batch)));
            purge.executeUpdate();
        }
    }

    private static List<String> execute(Connection c, String sql, List<JsonObject> batch) throws SQLException {
        JsonArrayBuilder array = JsonBodies.JSON.createArrayBuilder();
        batch.forEach(array::add);
        List<String> returned = new ArrayList<>();
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, array.build().toString());
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    returned.add(r.getString(1));
                }
            }
        }
        return returned;
    }

    /** The batch failed: find the first row that fails on its own, and name it in the problem. */
    private RuntimeException locate(Connection c, String sql, List<JsonObject> batch, long first, SQLException failure)
            throws SQLException {
        if (batch.size() > 1 && isDataError(failure)) {
            for (int i = 0; i < batch.size(); i++) {
                Savepoint one = c.setSavepoint();
                try {
                    execute(c, sql, List.of(batch.get(i)));
                } catch (SQLException e) {
                    c.rollback(one);
                    return withRow(SqlProblems.of(e), first + i);
                }
                // keep the row: a later one may conflict with it, as it would in the batch
            }
        }
        return batch.size() == 1 ? withRow(SqlProblems.of(failure), first) : SqlProblems.of(failure);
    }

    private static boolean isDataError(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("22") || state.startsWith("23");
    }

    private static RuntimeException withRow(RuntimeException failure, long index) {
        if (!(failure instanceof CairnException problem)) {
            return failure;
        }
        String detail = "Row " + (index + 1) + ": " + problem.getMessage();
        return switch (problem.status()) {
            case 400 -> new CairnException.BadRequest(detail);
            case 409 -> new CairnException.Conflict(detail);
            case 404 -> new CairnException.NotFound(detail);
            default -> problem;
        };
    }

    private CairnException missingRid(Connection c, List<JsonObject> batch, long first) throws SQLException {
        String target = quote(table.schema()) + "." + quote(table.name());
        for (int i = 0; i < batch.size(); i++) {
            String rid = batch.get(i).getString("RID");
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM " + target + " WHERE \"RID\" = ?")) {
                s.setString(1, rid);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return new CairnException.Conflict(
                                ErrorCode.IN_USE,
                                where(first + i, "RID") + "no row of " + table + " has RID " + rid
                                        + "; to create rows with chosen RIDs, POST them with ?nondefaults=RID.");
                    }
                }
            }
        }
        return new CairnException.Conflict(
                "Rows " + (first + 1) + " to " + (first + batch.size()) + " name the same RID more than once.");
    }

    private String insertSql(List<String> columns) {
        String target = quote(table.schema()) + "." + quote(table.name());
        String list = String.join(", ", columns.stream().map(c -> quote(c)).toList());
        StringBuilder sql = new StringBuilder("INSERT INTO ")
                .append(target)
                .append(" AS t (")
                .append(list)
                .append(") SELECT ")
                .append(list)
                .append(" FROM json_populate_recordset(NULL::")
                .append(target)
                .append(", CAST(? AS json)) AS i");
        if (upsert) {
            List<String> key = upsertKey(columns);
            List<String> updates = columns.stream()
                    .filter(c -> !key.contains(c))
                    .map(c -> quote(c) + " = EXCLUDED." + quote(c))
                    .toList();
            sql.append(" ON CONFLICT (")
                    .append(String.join(", ", key.stream().map(c -> quote(c)).toList()))
                    .append(") ")
                    .append(updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", updates));
        } else if (skipConflicts) {
            sql.append(" ON CONFLICT DO NOTHING");
        }
        return sql.append(" RETURNING ").append(returned()).toString();
    }

    /** An update of existing rows by RID: a PUT never invents a RID. */
    private String updateSql(List<String> columns) {
        String target = quote(table.schema()) + "." + quote(table.name());
        List<String> set = columns.stream()
                .filter(c -> !c.equals("RID"))
                .map(c -> quote(c) + " = i." + quote(c))
                .toList();
        String assignments = set.isEmpty() ? "\"RID\" = t.\"RID\"" : String.join(", ", set);
        return "UPDATE " + target + " AS t SET " + assignments + " FROM json_populate_recordset(NULL::" + target
                + ", CAST(? AS json)) AS i WHERE t.\"RID\" = i.\"RID\" RETURNING " + returned();
    }

    /** The bulk update; the changed rows come back with the key and set columns only, as ERMrest returns them. */
    private String bulkUpdateSql() {
        String target = quote(table.schema()) + "." + quote(table.name());
        StringBuilder returned = new StringBuilder();
        for (Binding b : matchBy) {
            returned.append(returned.length() == 0 ? "" : ", ")
                    .append(ModelSql.literal(b.input()))
                    .append(", o.")
                    .append(quote(b.column()));
        }
        for (Binding b : set) {
            returned.append(", ")
                    .append(ModelSql.literal(b.input()))
                    .append(", t.")
                    .append(quote(b.column()));
        }
        // each input row is read twice as a row of the table, once for its keys (o) and once for its
        // new values (n), so that values are typed exactly as an insert types them
        List<String> matches = new ArrayList<>();
        for (Binding b : matchBy) {
            String t = "t." + quote(b.column());
            String o = "o." + quote(b.column());
            matches.add(
                    table.column(b.column()).nullok()
                            ? "(" + t + " = " + o + " OR (" + t + " IS NULL AND " + o + " IS NULL))"
                            : t + " = " + o);
        }
        return "UPDATE " + target + " AS t SET "
                + String.join(
                        ", ",
                        set.stream()
                                .map(b -> quote(b.column()) + " = n." + quote(b.column()))
                                .toList()) + " FROM json_array_elements(CAST(? AS json)) AS j"
                + ", LATERAL json_populate_record(NULL::" + target + ", " + keyed(matchBy) + ") AS o"
                + ", LATERAL json_populate_record(NULL::" + target + ", " + keyed(set) + ") AS n"
                + " WHERE " + String.join(" AND ", matches)
                + " RETURNING json_build_object(" + returned + ")::text";
    }

    /** The input row's values re-keyed by column name. */
    private static String keyed(List<Binding> bindings) {
        return "json_build_object("
                + String.join(
                        ", ",
                        bindings.stream()
                                .map(b -> ModelSql.literal(b.column()) + ", j->" + ModelSql.literal(b.input()))
                                .toList())
                + ")";
    }

    /** The key an upsert matches rows by: RID when given, else the first key all of whose columns are given. */
    private List<String> upsertKey(List<String> columns) {
        if (columns.contains("RID")) {
            return List.of("RID");
        }
        return table.keys().stream()
                .map(Model.Key::columns)
                .filter(columns::containsAll)
                .findFirst()
                .orElseThrow(() -> new CairnException.BadRequest(
                        "Rows to update must give RID or all columns of a key of " + table + "."));
    }

    private static String where(long index, String column) {
        return "Row " + (index + 1) + (column == null ? "" : ", column " + column) + ": ";
    }
}
