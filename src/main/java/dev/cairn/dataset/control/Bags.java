package dev.cairn.dataset.control;

import static dev.cairn.ml.control.MlSql.ML;
import static dev.cairn.ml.control.MlSql.quote;

import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.catalog.control.DataQuery;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Model;
import dev.cairn.ml.control.MlTables;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.Preconditions;
import dev.cairn.store.control.VersionInfo;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A dataset's BDBag (DerivaML's {@code download_dataset_bag}): every row reachable from its
 * members (and those of the datasets nested in it) through foreign keys, one CSV per table, read
 * at the version's snapshot, with the model as it was then, and its asset files inside the bag or
 * listed in {@code fetch.txt}.
 *
 * <p>Reachability follows DerivaML's bag-export rules: the walk starts at the dataset and every
 * dataset below it; it follows foreign keys both ways along paths that visit a table at most
 * once; {@code Execution} and {@code Workflow} are entered but not left through foreign keys that
 * point at them; vocabularies are leaves exported in full; element associations without members
 * are pruned. Beyond DerivaML, a path enters an element association only from {@code Dataset}, so
 * a row's membership of other datasets does not pull those datasets' rows into the bag.
 *
 * <p>Everything streams: each table is one query read through a cursor into the zip, file bytes
 * come from the store, and the bag of a released version (the same bytes every time) is kept in
 * the store once built.
 */
@ApplicationScoped
public class Bags {

    /** Paths longer than this many foreign keys are not walked. */
    static final int MAX_DEPTH = 10;
    /** A model so connected that more paths reach its tables is refused rather than walked. */
    static final int MAX_PATHS = 2_000;

    private static final int FETCH = 1000;
    private static final Set<String> TERMINAL = Set.of("Execution", "Workflow");
    private static final Jsonb JSONB = JsonbBuilder.create();
    /** Looked up once: {@code dev.cairn.platform.JsonBodies.JSON.createValue} looks the provider up at every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(Bags.class.getName());

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    @Inject
    Datasets datasets;

    @Inject
    ObjectStore store;

    /** Keeps bags in the store once they have been sent. */
    @Resource
    ManagedExecutorService background;

    /** What to bag: a dataset at a pinned version, with or without its files, for a client. */
    public record Request(
            long catalogId,
            String dataset,
            Datasets.Pinned pinned,
            boolean materialize,
            String baseUrl,
            DataQuery.Guard guard) {}

    /** One step of a path: a foreign key taken forwards (from its table) or backwards (to it). */
    record Step(ModelIndex.Link link, boolean forwards) {

        ModelIndex.Table target() {
            return forwards ? link.to() : link.from();
        }
    }

    // ---- reachability

    /** Every path from {@code Dataset} to each table it reaches, tables in (schema, name) order. */
    static Map<ModelIndex.Table, List<List<Step>>> paths(
            ModelIndex model, Set<ModelIndex.Table> prunedAssociations, Set<ModelIndex.Table> associations) {
        ModelIndex.Table dataset = model.table(ML, "Dataset");
        Map<ModelIndex.Table, List<List<Step>>> paths =
                new TreeMap<>(Comparator.comparing(ModelIndex.Table::schema).thenComparing(ModelIndex.Table::name));
        paths.put(dataset, new ArrayList<>(List.of(List.of())));
        walk(dataset, new ArrayList<>(), identitySet(dataset), paths, prunedAssociations, associations, new int[1]);
        return paths;
    }

    /**
     * A set of tables by identity: a model's tables refer to each other through their links, so
     * their record equality would walk the whole model (and never end on a cycle).
     */
    static Set<ModelIndex.Table> identitySet(ModelIndex.Table... tables) {
        Set<ModelIndex.Table> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(List.of(tables));
        return set;
    }

    private static void walk(
            ModelIndex.Table at,
            List<Step> path,
            Set<ModelIndex.Table> visited,
            Map<ModelIndex.Table, List<List<Step>>> paths,
            Set<ModelIndex.Table> pruned,
            Set<ModelIndex.Table> associations,
            int[] count) {
        if (path.size() >= MAX_DEPTH || Datasets.isVocabulary(at)) {
            return;
        }
        List<Step> steps = new ArrayList<>();
        at.outbound().forEach(l -> steps.add(new Step(l, true)));
        boolean terminal = at.schema().equals(ML) && TERMINAL.contains(at.name());
        if (!terminal) {
            at.inbound().forEach(l -> steps.add(new Step(l, false)));
        }
        boolean fromDataset = path.isEmpty();
        for (Step step : steps) {
            ModelIndex.Table next = step.target();
            if (visited.contains(next)
                    || !baggable(next)
                    || pruned.contains(next)
                    || (associations.contains(next) && !fromDataset)) {
                continue;
            }
            if (++count[0] > MAX_PATHS) {
                throw new CairnException.Conflict(
                        "The catalog's foreign keys reach the dataset's tables along more than " + MAX_PATHS
                                + " paths; Cairn does not bag a model this connected.");
            }
            List<Step> longer = new ArrayList<>(path);
            longer.add(step);
            paths.computeIfAbsent(next, t -> new ArrayList<>()).add(longer);
            visited.add(next);
            walk(next, longer, visited, paths, pruned, associations, count);
            visited.remove(next);
        }
    }

    /** Whether a table's rows may be in a bag: not Cairn's or ERMrest's own tables, and rows with RIDs. */
    private static boolean baggable(ModelIndex.Table table) {
        return table.hasRid()
                && !table.schema().startsWith("_")
                && !table.schema().equals("public")
                && !table.schema().equals("WWW");
    }

    /**
     * Where the bag's queries read each table: live, the table as the client may read it; at a
     * snapshot, a temporary copy of its rows then, made once per transaction and analyzed, so that
     * the joins along paths plan on real sizes (the row history's JSON gives the planner none).
     */
    static final class Sources {
        private final Connection connection;
        private final ModelIndex model;
        private final boolean snapshot;
        private final DataQuery.Guard guard;
        private final String prefix;
        private final String[] anchors;
        private final Map<ModelIndex.Table, Optional<String>> made = new IdentityHashMap<>();
        private final Map<String, Optional<String>> reached = new HashMap<>();

        /** {@code anchors}: the datasets the walk starts from. */
        Sources(
                Connection connection,
                ModelIndex model,
                boolean snapshot,
                DataQuery.Guard guard,
                String prefix,
                String[] anchors) {
            this.connection = connection;
            this.model = model;
            this.snapshot = snapshot;
            this.guard = guard;
            this.prefix = prefix;
            this.anchors = anchors;
        }

        ModelIndex model() {
            return model;
        }

        /** The FROM item of the table's readable rows; empty when the client may read none. */
        Optional<String> of(ModelIndex.Table table) throws SQLException {
            Optional<String> known = made.get(table);
            if (known != null) {
                return known;
            }
            Optional<String> source;
            try {
                source = Optional.of(DataQuery.source(model, table, snapshot, guard));
            } catch (CairnException unreadable) {
                source = Optional.empty();
            }
            if (snapshot && source.isPresent()) {
                String copy = quote(prefix + made.size());
                Jdbc.execute(
                        connection,
                        "CREATE TEMP TABLE " + copy + " ON COMMIT DROP AS SELECT * FROM " + source.get() + " AS r");
                Jdbc.execute(connection, "ANALYZE " + copy);
                source = Optional.of(copy);
            }
            made.put(table, source);
            return source;
        }

        /**
         * A temporary table of the RIDs a path reaches from the anchors, empty when the path
         * crosses rows the client may not read. Each step is one semi-join of the step before
         * with the next table, made once for every path that shares it and analyzed, so that
         * the next step plans on its real size.
         */
        Optional<String> reach(List<Step> path) throws SQLException {
            String key = key(path);
            Optional<String> known = reached.get(key);
            if (known != null) {
                return known;
            }
            // the steps before first: each table's name is taken once all of its prefixes have theirs
            Optional<String> previous = path.isEmpty() ? Optional.empty() : reach(path.subList(0, path.size() - 1));
            String table = quote(prefix + "reach_" + reached.size());
            Optional<String> out;
            if (path.isEmpty()) {
                Jdbc.execute(
                        connection,
                        "CREATE TEMP TABLE " + table + " ON COMMIT DROP AS SELECT DISTINCT unnest(?::text[]) AS rid",
                        (Object) anchors);
                out = Optional.of(table);
            } else {
                Step step = path.get(path.size() - 1);
                List<Step> before = path.subList(0, path.size() - 1);
                ModelIndex.Table from = before.isEmpty()
                        ? model.table(ML, "Dataset")
                        : before.get(before.size() - 1).target();
                Optional<String> near = of(from);
                Optional<String> far = of(step.target());
                if (previous.isEmpty() || near.isEmpty() || far.isEmpty()) {
                    out = Optional.empty();
                } else {
                    ModelIndex.Link link = step.link();
                    List<String> nearColumns = step.forwards() ? link.fromColumns() : link.toColumns();
                    List<String> farColumns = step.forwards() ? link.toColumns() : link.fromColumns();
                    StringBuilder on = new StringBuilder();
                    for (int k = 0; k < nearColumns.size(); k++) {
                        on.append(k == 0 ? "" : " AND ")
                                .append("p.")
                                .append(quote(nearColumns.get(k)))
                                .append(" = t.")
                                .append(quote(farColumns.get(k)));
                    }
                    Jdbc.execute(
                            connection,
                            "CREATE TEMP TABLE " + table + " ON COMMIT DROP AS SELECT DISTINCT t.\"RID\" AS rid FROM "
                                    + near.get() + " AS p JOIN " + previous.get() + " AS r ON p.\"RID\" = r.rid JOIN "
                                    + far.get() + " AS t ON " + on);
                    out = Optional.of(table);
                }
            }
            if (out.isPresent()) {
                Jdbc.execute(connection, "ANALYZE " + table);
            }
            reached.put(key, out);
            return out;
        }

        private static String key(List<Step> path) {
            StringBuilder key = new StringBuilder();
            for (Step step : path) {
                ModelIndex.Link l = step.link();
                key.append(step.forwards() ? '>' : '<')
                        .append(l.from())
                        .append(l.fromColumns())
                        .append('=')
                        .append(l.to())
                        .append(l.toColumns())
                        .append('|');
            }
            return key.toString();
        }
    }

    /** A table of the bag and the statement that reads its rows (it takes no parameters). */
    record Part(ModelIndex.Table table, String sql, boolean asset) {}

    /** The tables of the bag with their queries; tables the client may not read are left out. */
    static List<Part> parts(Sources sources, Map<ModelIndex.Table, List<List<Step>>> paths) throws SQLException {
        List<Part> parts = new ArrayList<>();
        for (Map.Entry<ModelIndex.Table, List<List<Step>>> entry : paths.entrySet()) {
            ModelIndex.Table table = entry.getKey();
            Optional<String> rows = sources.of(table);
            if (rows.isEmpty()) {
                continue;
            }
            boolean asset = table.columns().keySet().containsAll(MlTables.ASSET_COLUMNS);
            if (Datasets.isVocabulary(table)) {
                parts.add(new Part(table, "SELECT r.* FROM " + rows.get() + " AS r ORDER BY r.\"RID\"", false));
                continue;
            }
            List<String> unions = new ArrayList<>();
            for (List<Step> path : entry.getValue()) {
                sources.reach(path).ifPresent(reached -> unions.add("SELECT rid FROM " + reached));
            }
            if (!unions.isEmpty()) {
                parts.add(new Part(
                        table,
                        "SELECT r.* FROM " + rows.get() + " AS r WHERE r.\"RID\" IN (" + String.join(" UNION ", unions)
                                + ") ORDER BY r.\"RID\"",
                        asset));
            }
        }
        return parts;
    }

    // ---- building

    /** Whether the client reads every row and column of every table the bag may hold (so a kept bag may serve it). */
    public boolean unrestricted(long catalogId, DataQuery.Guard guard) {
        for (ModelIndex.Table table : models.index(catalogId).tables()) {
            if (!baggable(table)) {
                continue;
            }
            try {
                if (guard.rows(table, "select") != null || !guard.hidden(table).isEmpty()) {
                    return false;
                }
            } catch (CairnException refused) {
                return false;
            }
        }
        return true;
    }

    /** The bag's name: its folder in the zip and the download's file name. */
    public static String name(Request request) {
        return "Dataset_" + request.dataset() + "_"
                + (request.pinned().released() ? request.pinned().version() : "dev");
    }

    /**
     * Writes the bag to {@code out}, reading everything in one repeatable-read transaction (not
     * read-only: a snapshot's rows are copied into temporary tables).
     */
    public void write(Request request, OutputStream out) throws IOException {
        Instant at = request.pinned().instant();
        boolean snapshot = request.pinned().released();
        Models.Version version = models.at(request.catalogId(), at);
        ModelIndex model = version.index();
        try (Connection c = databases.dataSource(request.catalogId()).getConnection()) {
            c.setAutoCommit(false);
            // repeatable read: the live state is read as of one moment; not read-only, for the snapshot's temporary
            // copies
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                Jdbc.execute(
                        c,
                        "SELECT set_config('statement_timeout', '15min', true), set_config('cairn.snaptime', ?, true)",
                        at == null ? "" : at.toString());
                String[] anchors = Datasets.anchors(c, model, snapshot, request.guard(), request.dataset(), true);
                Sources sources = new Sources(c, model, snapshot, request.guard(), "bag_", anchors);
                CairnException missing = new CairnException.NotFound("No dataset has RID " + request.dataset() + ".");
                String description = Jdbc.text(
                                c,
                                "SELECT coalesce(d.\"Description\", '') FROM "
                                        + sources.of(model.table(ML, "Dataset")).orElseThrow(() -> missing)
                                        + " AS d WHERE d.\"RID\" = ?",
                                request.dataset())
                        .orElseThrow(() -> missing);
                List<Part> parts = parts(sources, paths(c, sources, datasets.elementTypes(model), anchors));
                String now = DataAccess.snaptime(c);
                LocalDateTime time = LocalDateTime.ofInstant(at != null ? at : Instant.now(), ZoneOffset.UTC)
                        .withNano(0);
                try (BagWriter bag = new BagWriter(out, name(request), time)) {
                    bag.addPayload(bag.payloadPath("schema.json"), o -> canonical(modelDocument(version.model()), o));
                    for (Part part : parts) {
                        bag.addPayload(
                                bag.payloadPath(
                                        part.table().schema(), part.table().name() + ".csv"),
                                o -> csv(c, part, o));
                    }
                    for (Part part : parts) {
                        if (part.asset()) {
                            files(c, part, request, bag);
                        }
                    }
                    Map<String, String> info = new LinkedHashMap<>();
                    info.put("Bag-Software-Agent", "Cairn (BagIt 1.0)");
                    info.put("Bagging-Date", time.toLocalDate().toString());
                    info.put(
                            "External-Identifier",
                            request.baseUrl() + "/id/" + request.catalogId() + "/" + request.dataset()
                                    + (snapshot ? "@" + request.pinned().snaptime() : ""));
                    info.put(
                            "External-Description",
                            description.isBlank() ? "Dataset " + request.dataset() : description);
                    info.put("Cairn-Dataset", request.dataset());
                    info.put(
                            "Cairn-Dataset-Version",
                            String.valueOf(request.pinned().version()));
                    info.put(
                            "Cairn-Release-State",
                            snapshot
                                    ? "released"
                                    : "unreleased: the live state of the dataset's dev version, " + "read at " + now
                                            + "; it may change");
                    info.put("Cairn-Snapshot", snapshot ? request.pinned().snaptime() : now);
                    info.put("Cairn-Materialized", String.valueOf(request.materialize()));
                    info.put("Payload-Oxum", bag.payloadOxum());
                    bag.finish(info);
                }
                c.commit();
            } catch (SQLException | RuntimeException | IOException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("Reading the bag's rows failed: " + e.getMessage(), e);
        }
    }

    /**
     * The paths of a bag whose walk starts at the anchors: element associations without members
     * among them are pruned (DerivaML's rule B2).
     */
    static Map<ModelIndex.Table, List<List<Step>>> paths(
            Connection c, Sources sources, List<Datasets.ElementType> types, String[] anchors) throws SQLException {
        Set<ModelIndex.Table> associations = identitySet();
        Set<ModelIndex.Table> pruned = identitySet();
        for (Datasets.ElementType type : types) {
            associations.add(type.association());
            Optional<String> source = sources.of(type.association());
            if (source.isEmpty()
                    || Jdbc.text(
                                    c,
                                    "SELECT 1 FROM " + source.get()
                                            + " AS a WHERE a.\"Dataset\" = ANY(?::text[]) LIMIT 1",
                                    (Object) anchors)
                            .isEmpty()) {
                pruned.add(type.association());
            }
        }
        return paths(sources.model(), pruned, associations);
    }

    /** A statement read through a cursor. */
    private static PreparedStatement statement(Connection c, String sql) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        s.setFetchSize(FETCH);
        return s;
    }

    private static void csv(Connection c, Part part, OutputStream out) throws IOException {
        try (PreparedStatement s = statement(c, part.sql());
                ResultSet rows = s.executeQuery()) {
            DataAccess.writeCsv(rows, out);
        } catch (SQLException e) {
            throw new IOException("Reading " + part.table() + " failed: " + e.getMessage(), e);
        }
    }

    /** Rows of a table's files looked up in the store at once: bounded, so that no file list is held whole. */
    private static final int FILE_BATCH = 500;

    /** One asset row's file. */
    private record FileRow(String rid, String url, String filename) {}

    /** The table's files at {@code data/assets/{table}/{RID}/{Filename}}: inside the bag, or listed for fetching. */
    private void files(Connection c, Part part, Request request, BagWriter bag) throws IOException {
        String sql = "SELECT r.\"RID\", r.\"URL\", r.\"Filename\" FROM (" + part.sql() + ") AS r";
        try (PreparedStatement s = statement(c, sql);
                ResultSet rows = s.executeQuery()) {
            List<FileRow> batch = new ArrayList<>(FILE_BATCH);
            boolean more = true;
            while (more) {
                more = rows.next();
                if (more) {
                    batch.add(new FileRow(rows.getString(1), rows.getString(2), rows.getString(3)));
                }
                if (batch.size() == FILE_BATCH || (!more && !batch.isEmpty())) {
                    files(part, batch, request, bag);
                    batch.clear();
                }
            }
        } catch (SQLException e) {
            throw new IOException("Reading the files of " + part.table() + " failed: " + e.getMessage(), e);
        }
    }

    private void files(Part part, List<FileRow> batch, Request request, BagWriter bag) throws IOException {
        Map<String, HatracPath> paths = new LinkedHashMap<>();
        for (FileRow row : batch) {
            stored(row.url()).ifPresent(p -> paths.put(row.url(), p));
        }
        Map<String, VersionInfo> versions = store.versions(paths.values());
        for (FileRow row : batch) {
            HatracPath at = paths.get(row.url());
            VersionInfo v = at == null ? null : versions.get(HatracPath.url(at.name(), at.version()));
            if (v == null) {
                continue; // not a version in this store: the row's URL says where it is
            }
            String filename =
                    row.filename() != null ? row.filename() : at.name().replaceAll(".*/", "");
            String path = bag.payloadPath("assets", part.table().name(), row.rid(), filename);
            if (request.materialize()) {
                bag.addStoredPayload(path, v.length(), v.md5(), v.sha256(), () -> store.open(v, 0, v.length()));
            } else {
                bag.addRemote(request.baseUrl() + row.url(), path, v.length(), v.md5(), v.sha256());
            }
        }
    }

    /** The store version an asset URL names ({@code /hatrac/name:version}), if it has that form. */
    private static Optional<HatracPath> stored(String url) {
        if (url == null || !url.startsWith("/hatrac/")) {
            return Optional.empty();
        }
        try {
            HatracPath path = HatracPath.parse(url.substring("/hatrac".length()));
            return path.version() == null ? Optional.empty() : Optional.of(path);
        } catch (CairnException malformed) {
            return Optional.empty();
        }
    }

    /** The model as a document without its ACLs (they name users and groups). */
    private static JsonValue modelDocument(Model model) {
        try (var reader = JsonBodies.JSON.createReader(new StringReader(JSONB.toJson(model)))) {
            return withoutPolicies(reader.readValue());
        }
    }

    private static JsonValue withoutPolicies(JsonValue value) {
        if (value instanceof JsonObject object) {
            JsonObjectBuilder out = JsonBodies.JSON.createObjectBuilder();
            object.forEach((k, v) -> {
                if (!k.startsWith("\u0000") && !k.equals("acls") && !k.equals("acl_bindings")) {
                    out.add(k, withoutPolicies(v));
                }
            });
            return out.build();
        }
        if (value instanceof JsonArray array) {
            JsonArrayBuilder out = JsonBodies.JSON.createArrayBuilder();
            array.forEach(v -> out.add(withoutPolicies(v)));
            return out.build();
        }
        return value;
    }

    /** JSON with object keys sorted, so that the same model always gives the same bytes. */
    static void canonical(JsonValue value, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        canonical(value, w);
        w.write('\n');
        w.flush();
    }

    private static void canonical(JsonValue value, Writer w) throws IOException {
        if (value instanceof JsonObject object) {
            w.write('{');
            boolean first = true;
            for (String key : new TreeSet<>(object.keySet())) {
                w.write(first ? "" : ",");
                w.write(JSON.createValue(key).toString());
                w.write(':');
                canonical(object.get(key), w);
                first = false;
            }
            w.write('}');
        } else if (value instanceof JsonArray array) {
            w.write('[');
            for (int i = 0; i < array.size(); i++) {
                w.write(i == 0 ? "" : ",");
                canonical(array.get(i), w);
            }
            w.write(']');
        } else {
            w.write(value.toString());
        }
    }

    // ---- bags kept in the store

    /** A kept bag: the store version holding it. */
    public Optional<VersionInfo> kept(Request request) {
        return databases
                .transaction(
                        request.catalogId(),
                        RequestClient.ANONYMOUS,
                        c -> Jdbc.jsonObject(
                                c,
                                "SELECT jsonb_build_object('name', object_name, 'version', object_version) FROM \"_deriva_ml\".dataset_bag "
                                        + "WHERE dataset_version = ? AND materialized = ? AND base_url = ?",
                                request.pinned().rid(),
                                request.materialize(),
                                request.baseUrl()))
                .flatMap(o -> {
                    try {
                        return Optional.of(store.version(o.getString("name"), o.getString("version")));
                    } catch (CairnException gone) {
                        return Optional.empty();
                    }
                });
    }

    /** Keeps a built bag (a released version's, in a temporary file) in the store and records it. */
    private VersionInfo keep(Request request, Path file) throws IOException {
        String sha256;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String name = HatracPath.nameOf(
                List.of(Long.toString(request.catalogId()), ML, "bags", request.dataset(), sha256 + ".zip"));
        VersionInfo v = store.find(name).orElse(null);
        if (v == null) {
            try (InputStream in = Files.newInputStream(file)) {
                v = store.put(
                        name,
                        true,
                        in,
                        new ObjectStore.Declared(
                                Files.size(file),
                                null,
                                sha256,
                                "application/zip",
                                "attachment; filename=\"" + name(request) + ".zip\""),
                        Preconditions.NONE,
                        RequestClient.ANONYMOUS);
            }
        }
        VersionInfo kept = v;
        databases.transaction(
                request.catalogId(),
                RequestClient.ANONYMOUS,
                c -> Jdbc.update(
                        c,
                        "INSERT INTO \"_deriva_ml\".dataset_bag (dataset_version, materialized, base_url, object_name, object_version, length, sha256) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dataset_version, materialized, base_url) DO UPDATE SET "
                                + "object_name = EXCLUDED.object_name, object_version = EXCLUDED.object_version, length = EXCLUDED.length, "
                                + "sha256 = EXCLUDED.sha256, built_at = now()",
                        request.pinned().rid(),
                        request.materialize(),
                        request.baseUrl(),
                        kept.name(),
                        kept.version(),
                        kept.length(),
                        kept.sha256()));
        return kept;
    }

    /** Streams the bag to {@code out} and, once all of it went out, keeps it (a released version's bag). */
    public void writeAndKeep(Request request, OutputStream out) throws IOException {
        Path file = Files.createTempFile("cairn-bag", ".zip");
        try {
            try (OutputStream copy = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                write(request, new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        copy.write(b, off, len);
                    }

                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                        copy.write(b);
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        // the client has its bag: storing it (hashing, fsync) happens after the response ends
        Path sent = file;
        background.execute(() -> {
            try {
                keep(request, sent);
            } catch (IOException | RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "Keeping the bag of dataset " + request.dataset()
                                + " failed; the next download builds it again",
                        e);
            } finally {
                try {
                    Files.deleteIfExists(sent);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "A temporary bag stays at " + sent, e);
                }
            }
        });
    }

    /**
     * Builds the bag into a temporary file and keeps it (for a released version asked for by range
     * before it was built).
     */
    public VersionInfo buildAndKeep(Request request) throws IOException {
        Path file = Files.createTempFile("cairn-bag", ".zip");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                write(request, out);
            }
            return keep(request, file);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
