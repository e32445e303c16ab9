package dev.cairn.registry.control;

import dev.cairn.inspect.control.Inspector;
import dev.cairn.inspect.control.Tabular;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.ScratchFolders;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.VersionInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Pangolin's {@code write} and {@code read} of data: a table posted as CSV, JSON (an array of
 * objects) or JSON lines becomes a CSV or Parquet asset, and a tabular asset is read back as CSV,
 * JSON lines, a JSON array or Parquet. DuckDB converts, between files in a scratch folder of the
 * request's own, so no table is ever held in memory.
 */
@ApplicationScoped
public class TableData {

    /** What a table may be written as and read back as. */
    public enum Format {
        CSV("text/csv", ".csv", "(FORMAT csv, HEADER true)"),
        PARQUET("application/vnd.apache.parquet", ".parquet", "(FORMAT parquet, COMPRESSION zstd)"),
        JSON("application/json", ".json", "(FORMAT json, ARRAY true)"),
        JSONL("application/x-ndjson", ".jsonl", "(FORMAT json)");

        public final String mediaType;
        public final String extension;
        final String copyOptions;

        Format(String mediaType, String extension, String copyOptions) {
            this.mediaType = mediaType;
            this.extension = extension;
            this.copyOptions = copyOptions;
        }

        public static Format of(String name, String what) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new CairnException.BadRequest(what + " is csv, parquet, json or jsonl; not '" + name + "'.");
            }
        }
    }

    @Inject
    ObjectStore store;

    @Inject
    Arrivals arrivals;

    @Inject
    Registry registry;

    @Inject
    RegistryQueries registryQueries;

    /** Whether posted JSON is an object (flowyml's dict of columns) rather than an array of records. */
    private static boolean columnar(Path json) throws IOException {
        try (InputStream in = Files.newInputStream(json)) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (!Character.isWhitespace(b) && b != 0xEF && b != 0xBB && b != 0xBF) {
                    return b == '{';
                }
            }
        }
        return false;
    }

    /**
     * flowyml's {@code Dataset.create(data={"col": [...], ...})}: a JSON object of equally long
     * arrays, one per column, as a table of rows (DuckDB reads it as one row of lists and unnests
     * them side by side). Columns of different lengths, or a value that is not an array, are a 400.
     */
    private static String columns(Path scratch, Path in) throws IOException {
        // the whole object is one JSON value to DuckDB: its buffer is sized to the file (DuckDB takes twice that)
        long size = Math.max(16L << 20, Files.size(in) + 1);
        String one = "read_json(" + literal(in) + ", format = 'unstructured', records = true, maximum_object_size = "
                + size + ")";
        try (Connection c = Tabular.open(Inspector.memoryLimit(), scratch);
                Statement s = c.createStatement()) {
            List<String> types = new ArrayList<>();
            try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + one)) {
                while (r.next()) {
                    types.add(r.getString(2));
                }
            }
            // one row (the object), and every column's length: equal ones make rows
            Set<Long> lengths = new HashSet<>();
            long objects = 0;
            if (!types.isEmpty() && types.stream().allMatch(t -> t.endsWith("[]"))) {
                try (ResultSet r =
                        s.executeQuery("SELECT count(*) OVER (), len(COLUMNS(*)) FROM " + one + " LIMIT 2")) {
                    while (r.next()) {
                        objects = r.getLong(1);
                        for (int i = 2; i <= r.getMetaData().getColumnCount(); i++) {
                            lengths.add(r.getLong(i));
                        }
                    }
                }
            }
            if (objects != 1) {
                throw new CairnException.BadRequest(
                        "A table posted as one JSON object gives each column as an array of its values, e.g. "
                                + "{\"id\": [1, 2], \"name\": [\"a\", \"b\"]}.");
            }
            if (lengths.size() != 1) {
                throw new CairnException.BadRequest(
                        "The columns of the posted object have different lengths; every column needs a value per row.");
            }
        } catch (SQLException e) {
            throw unreadable("read", e);
        }
        return "(SELECT UNNEST(COLUMNS(*)) FROM " + one + ")";
    }

    /** DuckDB's failure as the client's: its message, without the server's paths, cut short. */
    private static CairnException.BadRequest unreadable(String what, SQLException e) {
        String message = e.getMessage() == null ? "unreadable" : e.getMessage().replaceAll("(/[^\\s'\"]+)+", "<file>");
        return new CairnException.BadRequest("The table could not be " + what + ": "
                + (message.length() > 400 ? message.substring(0, 400) : message));
    }

    /** Parquet's codecs a table may be written with ({@code ?compression=}). */
    public static final List<String> COMPRESSIONS = List.of("zstd", "snappy", "gzip", "uncompressed");

    /**
     * Writes the posted table (its media type says how it is written) as a new asset in
     * {@code format} (csv or parquet), through the one arrival path, with Pangolin's options:
     * {@code compression} (a Parquet codec; null: zstd) and {@code objectName}, the object-store
     * name to keep the bytes under (Pangolin's {@code location}; null: by content).
     */
    public JsonObject write(
            long catalogId,
            Arrivals.Plan plan,
            InputStream body,
            String contentType,
            Format format,
            String compression,
            String objectName,
            String publicUrlBase) {
        if (format != Format.CSV && format != Format.PARQUET) {
            throw new CairnException.BadRequest("A table is stored as csv or parquet.");
        }
        if (compression != null && (format != Format.PARQUET || !COMPRESSIONS.contains(compression))) {
            throw new CairnException.BadRequest(
                    "?compression= is one of " + COMPRESSIONS + ", for format=parquet; not '" + compression + "'.");
        }
        String copyOptions =
                compression == null ? format.copyOptions : "(FORMAT parquet, COMPRESSION " + compression + ")";
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        Tabular.Format input = type.startsWith("text/csv")
                ? Tabular.Format.CSV
                : type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl")
                        ? Tabular.Format.JSONL
                        : type.startsWith("application/json")
                                ? null
                                : type.startsWith("application/vnd.apache.parquet")
                                        ? Tabular.Format.PARQUET
                                        : Tabular.Format.CSV;
        if (!type.isEmpty() && !type.startsWith("text/csv") && !type.startsWith("application/")) {
            throw new CairnException.BadRequest(
                    "Post the table as text/csv, application/json (an array of objects), application/x-ndjson or "
                            + "application/vnd.apache.parquet.");
        }
        Path scratch = ScratchFolders.create("cairn-table-");
        try {
            Path in = scratch.resolve("in");
            Files.copy(body, in);
            if (Files.size(in) == 0) {
                throw new CairnException.BadRequest("The table is empty.");
            }
            if ((input == null || input == Tabular.Format.JSONL)
                    && Tabular.jsonDepth(in, false) > Tabular.MAX_JSON_DEPTH) {
                throw new CairnException.BadRequest(
                        "A posted table's JSON is nested more than " + Tabular.MAX_JSON_DEPTH + " levels deep.");
            }
            Path out = scratch.resolve(plan.asset().name().replaceAll("[^A-Za-z0-9_.-]", "_") + format.extension);
            // A posted table is read strictly: JSON must be records (objects), each a row, and CSV comma-separated
            // with a header and the same number of fields on every line. DuckDB would otherwise keep what does
            // not fit in one "json" or text column, and answer a ragged CSV with one column of whole lines.
            String reader = input == null && columnar(in)
                    ? columns(scratch, in)
                    : input == null
                            ? "read_json(" + literal(in) + ", format = 'array', records = true)"
                            : input == Tabular.Format.JSONL
                                    ? "read_json(" + literal(in) + ", format = 'newline_delimited', records = true)"
                                    : input == Tabular.Format.CSV
                                            ? "read_csv(" + literal(in)
                                                    + ", delim = ',', header = true, strict_mode = true)"
                                            : input.reader(in, false);
            convert(scratch, null, "COPY (SELECT * FROM " + reader + ") TO " + literal(out) + " " + copyOptions);
            ObjectStore.Received received;
            try (InputStream converted = Files.newInputStream(out)) {
                received = store.receive(converted);
            }
            return arrivals.arrive(
                    catalogId,
                    plan,
                    received,
                    out.getFileName().toString(),
                    format.mediaType,
                    publicUrlBase,
                    objectName);
        } catch (IOException e) {
            throw new CairnException.BadRequest("The table could not be read: " + e.getMessage());
        } finally {
            ScratchFolders.remove(scratch);
        }
    }

    /**
     * A readable tabular asset's rows, converted to {@code format} into a scratch file that {@code
     * sink} streams, then removed.
     */
    public void read(long catalogId, String assetId, Format format, OutputStream sink) throws IOException {
        JsonObject asset = registryQueries.get(catalogId, assetId);
        JsonObject info = asset.getJsonObject("asset_file_info");
        Tabular.Format stored = switch (info.getString("format", "")) {
            case "csv" -> Tabular.Format.CSV;
            case "tsv" -> Tabular.Format.TSV;
            case "jsonl" -> Tabular.Format.JSONL;
            case "parquet" -> Tabular.Format.PARQUET;
            default ->
                throw new CairnException.Conflict(
                        ErrorCode.WRONG_KIND,
                        "Asset " + assetId + " is not a table Cairn has read (its format is '"
                                + info.getString("format", "unknown") + "').");
        };
        VersionInfo version = registry.bytes(catalogId, assetId)
                .orElseThrow(() -> new CairnException.NotFound("Asset " + assetId + " has no bytes in this store."));
        boolean gzip = info.getString("filename", "").toLowerCase(Locale.ROOT).endsWith(".gz");
        Path scratch = ScratchFolders.create("cairn-table-");
        try {
            Path out = scratch.resolve("out" + format.extension);
            store.withFile(version, file -> {
                convert(
                        scratch,
                        file.getParent(),
                        "COPY (SELECT * FROM " + stored.reader(file, gzip) + ") TO " + literal(out) + " "
                                + format.copyOptions);
                return null;
            });
            try (InputStream in = Files.newInputStream(out)) {
                in.transferTo(sink);
            }
        } finally {
            ScratchFolders.remove(scratch);
        }
    }

    private static void convert(Path scratch, Path source, String sql) {
        try (Connection c = source == null
                        ? Tabular.open(Inspector.memoryLimit(), scratch)
                        : Tabular.open(Inspector.memoryLimit(), scratch, source);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw unreadable("converted", e);
        }
    }

    private static String literal(Path p) {
        return Tabular.literal(p.toString());
    }
}
