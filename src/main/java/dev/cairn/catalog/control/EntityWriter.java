package dev.cairn.catalog.control;

import static dev.cairn.platform.SqlIdentifiers.quote;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cairn.catalog.control.ModelIndex.Table;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Writes the rows of one entity request (insert, upsert by key, or ERMrest's bulk update by key
 * columns) into one table, inside the request's transaction. Rows are grouped into runs that name the same columns, so each row is
 * written with exactly the columns it carries: an absent column takes its default on insert and
 * keeps its value on update, and nothing a row sends is dropped. A batch the database refuses is
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
    /** For a bulk update: the columns rows are matched by and the columns they set; otherwise null. */
    private final List<String> matchBy;
    private final List<String> set;
    private final Map<List<String>, String> statements = new HashMap<>();
    /** Checks the columns a run writes against their own ACLs; none by default. */
    private DataQuery.Guard guard = DataQuery.Guard.NONE;
    /** Columns the client may not read, left out of the rows a write returns. */
    private List<String> hidden = List.of();

    EntityWriter(Table table, Set<String> defaults, Set<String> nondefaults, boolean skipConflicts, boolean upsert) {
        for (String name : defaults) {
            table.column(name);
        }
        for (String name : nondefaults) {
            if (!NONDEFAULTABLE.contains(name)) {
                throw new CairnException.BadRequest("?nondefaults= takes only " + String.join(", ", NONDEFAULTABLE.stream().sorted()
                        .toList()) + "; '" + name + "' is not one of them.");
            }
            table.column(name);
            if (defaults.contains(name)) {
                throw new CairnException.BadRequest("Column " + name + " is named in both ?defaults= and ?nondefaults=.");
            }
        }
        if (skipConflicts && upsert) {
            throw new CairnException.BadRequest("?onconflict=skip is for POST; PUT already updates rows that exist.");
        }
        this.table = table;
        this.defaults = defaults;
        this.nondefaults = nondefaults;
        this.skipConflicts = skipConflicts;
        this.upsert = upsert;
        this.matchBy = null;
        this.set = null;
    }

    private EntityWriter(Table table, List<String> matchBy, List<String> set) {
        this.table = table;
        this.defaults = Set.of();
        this.nondefaults = Set.of();
        this.skipConflicts = false;
        this.upsert = false;
        this.matchBy = matchBy;
        this.set = set;
    }

    /**
     * ERMrest's bulk update, {@code PUT /attributegroup/S:T/K1,K2;C1,C2}: each row gives the key
     * columns, which pick the rows to change, and the columns to set on them.
     */
    static EntityWriter bulkUpdate(Table table, List<String> matchBy, List<String> set) {
        if (set.isEmpty()) {
            throw new CairnException.BadRequest("Name the columns to set after ';'.");
        }
        return new EntityWriter(table, matchBy, set);
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
            // the URL names what is set; a row may carry the table's other columns (deriva-py sends whole
            // rows), but must give every named one: one left out would be set to NULL
            Set<String> named = new java.util.TreeSet<>(matchBy);
            named.addAll(set);
            for (String name : named) {
                if (!row.containsKey(name)) {
                    throw new CairnException.BadRequest(where(index, name) + "a bulk update row gives every key and set column.");
                }
            }
            for (String name : row.keySet()) {
                if (!table.columns().containsKey(name)) {
                    throw new CairnException.BadRequest(where(index, name) + "table " + table + " has no column '" + name + "'.");
                }
            }
            return List.copyOf(named);
        }
        List<String> columns = new ArrayList<>();
        for (Map.Entry<String, JsonValue> field : row.entrySet()) {
            String name = field.getKey();
            if (!table.columns().containsKey(name)) {
                throw new CairnException.BadRequest(where(index, name) + "table " + table + " has no column '" + name + "'.");
            }
            boolean written = !defaults.contains(name)
                    && (!ModelEditor.SYSTEM_COLUMNS.contains(name) || nondefaults.contains(name) || (upsert && name.equals("RID")));
            if (!written) {
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
        return "(to_jsonb(t) - ARRAY[" + String.join(", ", hidden.stream().map(ModelEditor::literal).toList()) + "]::text[])::text";
    }

    private void run(Connection c, List<String> columns, List<JsonObject> batch, long first, Writer out, long[] count)
            throws SQLException, IOException {
        boolean updateOnly = upsert && columns.contains("RID") && !nondefaults.contains("RID");
        if (!statements.containsKey(columns)) {
            for (String column : matchBy != null ? set : columns) {
                if (matchBy != null || updateOnly || upsert) {
                    guard.checkColumnWrite(table, column, "update");
                }
                if (matchBy == null && !updateOnly) {
                    guard.checkColumnWrite(table, column, "insert");
                }
            }
        }
        String sql = statements.computeIfAbsent(columns, cols -> matchBy != null ? bulkUpdateSql()
                : updateOnly ? updateSql(cols) : insertSql(cols));
        Savepoint savepoint = c.setSavepoint();
        List<String> returned;
        try {
            returned = execute(c, sql, batch);
        } catch (SQLException e) {
            c.rollback(savepoint);
            throw locate(c, sql, batch, first, e);
        }
        c.releaseSavepoint(savepoint);
        if (updateOnly && returned.size() < batch.size()) {
            throw missingRid(c, batch, first);
        }
        for (String json : returned) {
            out.write(count[0]++ == 0 ? "" : ",");
            out.write(json);
        }
    }

    private static List<String> execute(Connection c, String sql, List<JsonObject> batch) throws SQLException {
        JsonArrayBuilder array = dev.cairn.platform.JsonBodies.JSON.createArrayBuilder();
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
                        return new CairnException.Conflict(where(first + i, "RID") + "no row of " + table + " has RID " + rid
                                + "; to create rows with chosen RIDs, POST them with ?nondefaults=RID.");
                    }
                }
            }
        }
        return new CairnException.Conflict("Rows " + (first + 1) + " to " + (first + batch.size())
                + " name the same RID more than once.");
    }

    private String insertSql(List<String> columns) {
        String target = quote(table.schema()) + "." + quote(table.name());
        String list = String.join(", ", columns.stream().map(c -> quote(c)).toList());
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(target).append(" AS t (").append(list)
                .append(") SELECT ").append(list).append(" FROM json_populate_recordset(NULL::").append(target)
                .append(", CAST(? AS json)) AS i");
        if (upsert) {
            List<String> key = upsertKey(columns);
            List<String> updates = columns.stream().filter(c -> !key.contains(c))
                    .map(c -> quote(c) + " = EXCLUDED." + quote(c)).toList();
            sql.append(" ON CONFLICT (").append(String.join(", ", key.stream().map(c -> quote(c)).toList())).append(") ")
                    .append(updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", updates));
        } else if (skipConflicts) {
            sql.append(" ON CONFLICT DO NOTHING");
        }
        return sql.append(" RETURNING ").append(returned()).toString();
    }

    /** An update of existing rows by RID: a PUT never invents a RID. */
    private String updateSql(List<String> columns) {
        String target = quote(table.schema()) + "." + quote(table.name());
        List<String> set = columns.stream().filter(c -> !c.equals("RID")).map(c -> quote(c) + " = i." + quote(c)).toList();
        String assignments = set.isEmpty() ? "\"RID\" = t.\"RID\"" : String.join(", ", set);
        return "UPDATE " + target + " AS t SET " + assignments + " FROM json_populate_recordset(NULL::" + target
                + ", CAST(? AS json)) AS i WHERE t.\"RID\" = i.\"RID\" RETURNING " + returned();
    }

    /** The bulk update; the changed rows come back with the key and set columns only, as ERMrest returns them. */
    private String bulkUpdateSql() {
        String target = quote(table.schema()) + "." + quote(table.name());
        StringBuilder returned = new StringBuilder();
        for (String c : matchBy) {
            returned.append(returned.length() == 0 ? "" : ", ").append(ModelEditor.literal(c)).append(", t.").append(quote(c));
        }
        for (String c : set) {
            returned.append(", ").append(ModelEditor.literal(c)).append(", t.").append(quote(c));
        }
        return "UPDATE " + target + " AS t SET " + String.join(", ", set.stream().map(c -> quote(c) + " = i." + quote(c)).toList())
                + " FROM json_populate_recordset(NULL::" + target + ", CAST(? AS json)) AS i WHERE "
                + String.join(" AND ", matchBy.stream().map(c -> "t." + quote(c) + " = i." + quote(c)).toList())
                + " RETURNING json_build_object(" + returned + ")::text";
    }

    /** The key an upsert matches rows by: RID when given, else the first key all of whose columns are given. */
    private List<String> upsertKey(List<String> columns) {
        if (columns.contains("RID")) {
            return List.of("RID");
        }
        return table.keys().stream().map(Model.Key::columns).filter(columns::containsAll).findFirst()
                .orElseThrow(() -> new CairnException.BadRequest("Rows to update must give RID or all columns of a key of "
                        + table + "."));
    }

    private static String where(long index, String column) {
        return "Row " + (index + 1) + (column == null ? "" : ", column " + column) + ": ";
    }
}
