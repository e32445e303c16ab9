package dev.cairn.inspect.control;

import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Tabular files read by an embedded, in-memory DuckDB: the schema from its sniffer, then every
 * column's statistics in one pass over the file (count, nulls, distinct estimate, min, max, mean,
 * standard deviation, quartiles of a reservoir sample, and the most frequent values of text,
 * boolean and enum columns). Each connection is
 * confined: memory and threads are capped, extensions are never installed or loaded, and the
 * engine may read only the one folder that holds the file.
 */
public final class Tabular {

    /** The formats DuckDB reads here. */
    public enum Format {
        CSV,
        TSV,
        JSONL,
        PARQUET;

        /** The DuckDB table function that reads a file of this format. */
        public String reader(Path file, boolean gzip) {
            String path = literal(file.toString());
            String compression = gzip ? ", compression = 'gzip'" : "";
            return switch (this) {
                case CSV -> "read_csv(" + path + ", auto_detect = true" + compression + ")";
                case TSV -> "read_csv(" + path + ", auto_detect = true, delim = '\t'" + compression + ")";
                case JSONL -> "read_json(" + path + ", format = 'newline_delimited'" + compression + ")";
                case PARQUET -> "read_parquet(" + path + ")";
            };
        }
    }

    /** At most this many columns get statistics; the schema lists them all. */
    static final int MAX_STATS_COLUMNS = 500;

    private static final int TOP_VALUES = 5;
    private static final int QUANTILE_SAMPLE = 16_384;
    private static final Set<String> NUMERIC = Set.of(
            "TINYINT",
            "SMALLINT",
            "INTEGER",
            "BIGINT",
            "HUGEINT",
            "UTINYINT",
            "USMALLINT",
            "UINTEGER",
            "UBIGINT",
            "UHUGEINT",
            "FLOAT",
            "DOUBLE",
            "REAL");

    private Tabular() {}

    /** A confined in-memory DuckDB that may read and write files under the given folders only. */
    public static Connection open(String memoryLimit, Path... folders) throws SQLException {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
        } catch (ClassNotFoundException e) {
            throw new SQLException("The DuckDB driver is not on the class path.", e);
        }
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            s.execute("SET memory_limit = " + literal(memoryLimit));
            s.execute("SET threads = 2");
            s.execute("SET preserve_insertion_order = false");
            s.execute("SET enable_progress_bar = false");
            s.execute("SET autoinstall_known_extensions = false");
            s.execute("SET autoload_known_extensions = false");
            s.execute("SET temp_directory = "
                    + literal(Path.of(System.getProperty("java.io.tmpdir"), "cairn-duckdb")
                            .toString()));
            s.execute("SET allowed_directories = ["
                    + Arrays.stream(folders)
                            .map(f -> literal(f.toString() + "/"))
                            .collect(Collectors.joining(", "))
                    + "]");
            s.execute("SET enable_external_access = false");
            s.execute("SET lock_configuration = true");
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * The statistics of a file, under flowyml's and Pangolin's names: {@code row_count} and
     * {@code num_samples}, {@code num_features}, {@code feature_columns}, {@code schema}
     * ({@code columns}, {@code types}) and {@code column_stats} by column name.
     * {@code onStatement} receives each statement before it runs, so a watchdog can cancel it.
     */
    public static JsonObject inspect(
            Connection c, Path file, Format format, boolean gzip, Consumer<Statement> onStatement) throws SQLException {
        String source = format.reader(file, gzip);
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            onStatement.accept(s);
            try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (r.next()) {
                    names.add(r.getString("column_name"));
                    types.add(r.getString("column_type"));
                }
            }
        }
        StringBuilder select = new StringBuilder("SELECT json_object('rows', count(*)");
        int stats = Math.min(names.size(), MAX_STATS_COLUMNS);
        for (int i = 0; i < stats; i++) {
            String q = quote(names.get(i));
            String type = types.get(i).toUpperCase(Locale.ROOT);
            boolean numeric = NUMERIC.contains(type) || type.startsWith("DECIMAL");
            boolean nested = type.endsWith("]")
                    || type.startsWith("STRUCT")
                    || type.startsWith("MAP")
                    || type.startsWith("UNION");
            select.append(", 'c")
                    .append(i)
                    .append("', json_object('count', count(")
                    .append(q)
                    .append("), 'distinct', ")
                    .append(nested ? "NULL" : "approx_count_distinct(" + q + ")");
            if (!nested) {
                // numbers stay JSON numbers (flowyml's column_stats); 128-bit integers and decimals as
                // doubles, which JSON readers take; every other type as its text
                String cast = !numeric
                        ? "::varchar"
                        : type.startsWith("DECIMAL") || type.endsWith("HUGEINT") ? "::double" : "";
                select.append(", 'min', min(")
                        .append(q)
                        .append(")")
                        .append(cast)
                        .append(", 'max', max(")
                        .append(q)
                        .append(")")
                        .append(cast);
            }
            if (numeric) {
                // quartiles from a reservoir sample: a fraction of the cost of a t-digest over every row
                select.append(", 'mean', avg(")
                        .append(q)
                        .append("), 'std', stddev_samp(")
                        .append(q)
                        .append("), 'quartiles', reservoir_quantile(")
                        .append(q)
                        .append(", [0.25, 0.5, 0.75], ")
                        .append(QUANTILE_SAMPLE)
                        .append(")");
            }
            // the most frequent values of categorical columns (text, booleans, enums); for numbers and
            // times the statistics above say more, and counting their values is the costliest part
            if (!nested && (type.equals("VARCHAR") || type.equals("BOOLEAN") || type.startsWith("ENUM"))) {
                select.append(", 'top_values', approx_top_k(")
                        .append(q)
                        .append(", ")
                        .append(TOP_VALUES)
                        .append(")");
            }
            select.append(")");
        }
        select.append(")::varchar FROM ").append(source);
        JsonObject found;
        try (Statement s = c.createStatement()) {
            onStatement.accept(s);
            try (ResultSet r = s.executeQuery(select.toString())) {
                r.next();
                found = JsonBodies.parse(r.getString(1)).asJsonObject();
            }
        }
        long rows = found.getJsonNumber("rows").longValue();
        JsonArrayBuilder columns = JsonBodies.JSON.createArrayBuilder();
        JsonArrayBuilder typeList = JsonBodies.JSON.createArrayBuilder();
        JsonObjectBuilder columnStats = JsonBodies.JSON.createObjectBuilder();
        for (int i = 0; i < names.size(); i++) {
            columns.add(names.get(i));
            typeList.add(types.get(i));
            if (i >= stats) {
                continue;
            }
            JsonObject c0 = found.getJsonObject("c" + i);
            long count = c0.getJsonNumber("count").longValue();
            JsonObjectBuilder column = JsonBodies.JSON
                    .createObjectBuilder()
                    .add("type", types.get(i))
                    .add("count", count)
                    .add("nulls", rows - count);
            for (String key : List.of("distinct", "min", "max", "mean", "std", "top_values")) {
                JsonValue v = c0.get(key);
                if (v != null && v != JsonValue.NULL) {
                    column.add(key, v);
                }
            }
            if (c0.get("quartiles") instanceof JsonArray q && q.size() == 3) {
                column.add("q25", q.get(0)).add("q50", q.get(1)).add("q75", q.get(2));
            }
            columnStats.add(names.get(i), column);
        }
        JsonArrayBuilder featureColumns = JsonBodies.JSON.createArrayBuilder(columns.build());
        JsonObjectBuilder out = JsonBodies.JSON
                .createObjectBuilder()
                .add("row_count", rows)
                .add("num_samples", rows)
                .add("num_features", names.size())
                .add("feature_columns", featureColumns)
                .add(
                        "schema",
                        JsonBodies.JSON
                                .createObjectBuilder()
                                .add("columns", JsonBodies.JSON.createArrayBuilder(names))
                                .add("types", typeList))
                .add("column_stats", columnStats);
        if (stats < names.size()) {
            out.add(
                    "column_stats_truncated",
                    "statistics cover the first " + MAX_STATS_COLUMNS + " of " + names.size() + " columns");
        }
        return out.build();
    }

    /** A double-quoted DuckDB identifier. */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** A single-quoted DuckDB string literal. */
    public static String literal(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in a literal");
        }
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * How deep JSON handed to DuckDB may nest. DuckDB's JSON reader recurses natively, and a deep
     * enough document ends the server's process (found with 3,000 levels); rows of records of lists
     * and objects need few.
     */
    public static final int MAX_JSON_DEPTH = 64;

    /**
     * The deepest nesting of arrays and objects in a JSON or JSON lines file (gzipped or not), read as
     * a stream of bytes.
     */
    public static int jsonDepth(Path json, boolean gzip) throws IOException {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        try (InputStream raw = Files.newInputStream(json);
                InputStream in = new BufferedInputStream(gzip ? new GZIPInputStream(raw) : raw, 1 << 16)) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (inString) {
                    if (b == '\\') {
                        in.read();
                    } else if (b == '"') {
                        inString = false;
                    }
                } else if (b == '"') {
                    inString = true;
                } else if (b == '[' || b == '{') {
                    deepest = Math.max(deepest, ++depth);
                } else if ((b == ']' || b == '}') && depth > 0) {
                    depth--;
                }
            }
        }
        return deepest;
    }
}
