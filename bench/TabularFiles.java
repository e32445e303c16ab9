import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Writes the tables bench/typed.sh uploads, with DuckDB (from the project's Maven dependencies):
 * a CSV and a Parquet file of about the given size, with integer, floating-point, low- and
 * high-cardinality text columns and some nulls, so that statistics have real work to do.
 * Usage: java -cp DUCKDB_JAR bench/TabularFiles.java OUT.csv OUT.parquet MIB
 */
public class TabularFiles {

    public static void main(String[] args) throws Exception {
        long mib = Long.parseLong(args[2]);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            String rows = "SELECT range AS id, (range * 7919) % 100 AS age, CASE WHEN range % 17 = 0 THEN NULL ELSE random() * 1000 END AS score, "
                    + "['red', 'green', 'blue', 'cyan'][(range % 4) + 1] AS colour, md5(range::varchar) AS token, "
                    + "TIMESTAMP '2025-01-01' + to_seconds(range) AS seen FROM range(ROWS)";
            // about 90 bytes a row in CSV, about 45 in Parquet (the md5 text does not compress)
            s.execute("COPY (" + rows.replace("ROWS", Long.toString(mib * 1024 * 1024 / 90)) + ") TO '" + args[0] + "' (FORMAT csv, HEADER true)");
            s.execute("COPY (" + rows.replace("ROWS", Long.toString(mib * 1024 * 1024 / 45)) + ") TO '" + args[1] + "' (FORMAT parquet)");
        }
    }
}
