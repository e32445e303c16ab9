package dev.cairn.dataset.control;

import static dev.cairn.ml.control.MlSql.ML;
import static dev.cairn.ml.control.MlSql.ml;
import static dev.cairn.ml.control.MlSql.quote;

import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataQuery;
import dev.cairn.catalog.control.ModelEditor;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.ml.control.MlSql;
import dev.cairn.ml.control.MlTables;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import dev.cairn.vocabulary.control.Vocabularies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Datasets, the one write path for their rows: {@code Dataset}, its {@code Dataset_Type} terms,
 * its element types ({@code Dataset_{Table}} associations), its members and nested datasets, and
 * its {@code Dataset_Version} rows. Versions follow DerivaML's ADR-0003: a new dataset is released
 * at {@code 0.1.0}; every change moves it onto one mutable dev version
 * ({@code <last>.post1.devN}, no snapshot), and a release promotes that row in place, stamping the
 * catalog snaptime it reads its members at. Each change takes the dataset's row lock first, so
 * changes and releases of one dataset happen one after the other.
 */
@ApplicationScoped
public class Datasets {

    /** At most this many members in one request. */
    public static final int MAX_MEMBERS = 100_000;

    public static final int MAX_PAGE = 10_000;

    private static final Vocabularies.Vocabulary TYPES = new Vocabularies.Vocabulary(ML, "Dataset_Type");

    @Inject
    CatalogDatabases databases;

    @Inject
    Models models;

    @Inject
    ModelEditor editor;

    @Inject
    Vocabularies vocabularies;

    /** A dataset element type: the member table and its association with {@code Dataset}. */
    public record ElementType(ModelIndex.Table table, ModelIndex.Table association, String column) {

        public String key() {
            return table.schema() + ":" + table.name();
        }

        /** By name: tables refer to each other, so comparing them as records would walk the model. */
        @Override
        public boolean equals(Object o) {
            return o instanceof ElementType other && other.key().equals(key());
        }

        @Override
        public int hashCode() {
            return key().hashCode();
        }
    }

    /** A version a read is pinned to: released ones have a snapshot; the live state has none. */
    public record Pinned(String rid, String version, String snaptime) {

        public Instant instant() {
            return snaptime == null ? null : new Catalogs.At(null, snaptime).instant();
        }

        public boolean released() {
            return snaptime != null;
        }
    }

    // ---- datasets

    /** DerivaML's {@code create_dataset}: the row, its types, and version 0.1.0 released at once. */
    public String create(long catalogId, String description, List<String> types, RequestClient client) {
        return databases.transaction(catalogId, client, c -> {
            List<String> names = vocabularies.canonical(c, TYPES, types);
            String rid = Jdbc.text(
                            c,
                            "INSERT INTO " + ml("Dataset") + " (\"Description\", \"Deleted\") VALUES (?, false) "
                                    + "RETURNING \"RID\"",
                            description == null ? "" : description)
                    .orElseThrow();
            String version = Jdbc.text(
                            c,
                            "INSERT INTO " + ml("Dataset_Version") + " (\"Dataset\", \"Version\", \"Description\", "
                                    + "\"Snapshot\") VALUES (?, ?, 'Created.', _ermrest.snaptime_encode(now())) RETURNING \"RID\"",
                            rid,
                            DatasetVersion.FIRST.toString())
                    .orElseThrow();
            Jdbc.update(c, "UPDATE " + ml("Dataset") + " SET \"Version\" = ? WHERE \"RID\" = ?", version, rid);
            for (String type : names) {
                Jdbc.update(
                        c,
                        "INSERT INTO " + ml("Dataset_Dataset_Type") + " (\"Dataset\", \"Dataset_Type\") VALUES (?, ?)",
                        rid,
                        type);
            }
            return rid;
        });
    }

    private static final String DOCUMENT = "to_jsonb(d) || jsonb_build_object("
            + "'Dataset_Type', coalesce((SELECT jsonb_agg(t.\"Dataset_Type\" ORDER BY t.\"Dataset_Type\") FROM "
            + ml("Dataset_Dataset_Type")
            + " t WHERE t.\"Dataset\" = d.\"RID\"), '[]'::jsonb), "
            + "'Current_Version', (SELECT v.\"Version\" FROM " + ml("Dataset_Version")
            + " v WHERE v.\"RID\" = d.\"Version\"), "
            + "'Snapshot', (SELECT v.\"Snapshot\" FROM " + ml("Dataset_Version")
            + " v WHERE v.\"RID\" = d.\"Version\"), "
            + "'Children', coalesce((SELECT jsonb_agg(n.\"Nested_Dataset\" ORDER BY n.\"Nested_Dataset\") FROM "
            + ml("Dataset_Dataset")
            + " n WHERE n.\"Dataset\" = d.\"RID\"), '[]'::jsonb), "
            + "'Parents', coalesce((SELECT jsonb_agg(n.\"Dataset\" ORDER BY n.\"Dataset\") FROM "
            + ml("Dataset_Dataset")
            + " n WHERE n.\"Nested_Dataset\" = d.\"RID\"), '[]'::jsonb))";

    /** A dataset with its types, current version, children and parents; 404 when there is none. */
    public JsonObject get(long catalogId, String rid) {
        return get(catalogId, rid, DataQuery.Guard.NONE);
    }

    /** A dataset the client may read (row-level ACLs on {@code Dataset} apply); 404 otherwise. */
    public JsonObject get(long catalogId, String rid, DataQuery.Guard guard) {
        MlSql.rid("Dataset", rid);
        String datasets = DataQuery.source(
                models.index(catalogId), models.index(catalogId).table(ML, "Dataset"), false, guard);
        return databases
                .transaction(
                        catalogId,
                        RequestClient.ANONYMOUS,
                        c -> Jdbc.jsonObject(
                                c, "SELECT " + DOCUMENT + " FROM " + datasets + " d WHERE d.\"RID\" = ?", rid))
                .orElseThrow(() -> new CairnException.NotFound("No dataset has RID " + rid + "."));
    }

    /**
     * DerivaML's {@code find_datasets}: every dataset the client may read (withdrawn ones when asked),
     * in RID order.
     */
    public JsonArray list(long catalogId, boolean withDeleted, DataQuery.Guard guard) {
        String datasets = DataQuery.source(
                models.index(catalogId), models.index(catalogId).table(ML, "Dataset"), false, guard);
        return databases.transaction(
                catalogId,
                RequestClient.ANONYMOUS,
                c -> Jdbc.jsonArray(
                        c,
                        "SELECT " + DOCUMENT + " FROM " + datasets
                                + " d WHERE ? OR NOT coalesce(d.\"Deleted\", false) ORDER BY d.\"RID\"",
                        withDeleted));
    }

    /** Withdraws a dataset (DerivaML's soft delete); 409 while another dataset nests it. */
    public void delete(long catalogId, String rid, RequestClient client) {
        databases.transaction(catalogId, client, c -> {
            lock(c, rid);
            List<String> parents = Jdbc.jsonRows(
                            c,
                            "SELECT to_jsonb(n.\"Dataset\") FROM " + ml("Dataset_Dataset") + " n JOIN " + ml("Dataset")
                                    + " p ON p.\"RID\" = n.\"Dataset\" WHERE n.\"Nested_Dataset\" = ? AND NOT coalesce(p.\"Deleted\", false)",
                            rid)
                    .stream()
                    .map(v -> ((JsonString) v).getString())
                    .toList();
            if (!parents.isEmpty()) {
                throw new CairnException.Conflict(
                        ErrorCode.IN_USE,
                        "Dataset " + rid + " is nested in " + String.join(", ", parents)
                                + "; remove it from them first.");
            }
            Jdbc.update(c, "UPDATE " + ml("Dataset") + " SET \"Deleted\" = true WHERE \"RID\" = ?", rid);
            return null;
        });
    }

    /** Adds and removes {@code Dataset_Type} terms; a change moves the dataset to its dev version. */
    public JsonObject types(long catalogId, String rid, List<String> add, List<String> remove, RequestClient client) {
        databases.transaction(catalogId, client, c -> {
            lockLive(c, rid);
            int changed = 0;
            for (String type : vocabularies.canonical(c, TYPES, add)) {
                changed += Jdbc.update(
                        c,
                        "INSERT INTO " + ml("Dataset_Dataset_Type") + " (\"Dataset\", \"Dataset_Type\") VALUES (?, ?) "
                                + "ON CONFLICT DO NOTHING",
                        rid,
                        type);
            }
            for (String type : vocabularies.canonical(c, TYPES, remove)) {
                changed += Jdbc.update(
                        c,
                        "DELETE FROM " + ml("Dataset_Dataset_Type") + " WHERE \"Dataset\" = ? AND \"Dataset_Type\" = ?",
                        rid,
                        type);
            }
            if (changed > 0) {
                toDev(c, rid, null);
            }
            return null;
        });
        return get(catalogId, rid);
    }

    /** The dataset's status: 404 when it does not exist; its row is locked until the transaction ends. */
    private static boolean lock(Connection c, String rid) throws SQLException {
        return Jdbc.text(
                        c,
                        "SELECT coalesce(\"Deleted\", false)::text FROM " + ml("Dataset")
                                + " WHERE \"RID\" = ? FOR UPDATE",
                        MlSql.rid("Dataset", rid))
                .map(Boolean::parseBoolean)
                .orElseThrow(() -> new CairnException.NotFound("No dataset has RID " + rid + "."));
    }

    /** Locks a dataset that may change: 409 once it is withdrawn. */
    private static void lockLive(Connection c, String rid) throws SQLException {
        if (lock(c, rid)) {
            throw new CairnException.Conflict(
                    ErrorCode.IMMUTABLE, "Dataset " + rid + " is deleted; it no longer changes.");
        }
    }

    // ---- element types

    /** The tables whose rows may be members: each with a {@code Dataset_{Table}} association. */
    public List<ElementType> elementTypes(ModelIndex model) {
        ModelIndex.Table dataset = model.table(ML, "Dataset");
        List<ElementType> types = new ArrayList<>();
        for (ModelIndex.Link in : dataset.inbound()) {
            ModelIndex.Table association = in.from();
            if (!in.fromColumns().equals(List.of("Dataset"))
                    || !in.toColumns().equals(List.of("RID"))
                    || association.outbound().size() != 2) {
                continue;
            }
            association.outbound().stream()
                    .filter(l -> l != in
                            && l.toColumns().equals(List.of("RID"))
                            && l.fromColumns().size() == 1)
                    .filter(l -> association.name().equals("Dataset_" + l.to().name()))
                    .filter(l -> l.to() != dataset
                            ? l.fromColumns().get(0).equals(l.to().name())
                            : l.fromColumns().get(0).equals("Nested_Dataset"))
                    .filter(l -> !isVocabulary(l.to())
                            && !(l.to().schema().equals(ML) && l.to().name().equals("Execution")))
                    .findFirst()
                    .ifPresent(l -> types.add(
                            new ElementType(l.to(), association, l.fromColumns().get(0))));
        }
        types.sort(Comparator.comparing(ElementType::key));
        return types;
    }

    public List<ElementType> elementTypes(long catalogId) {
        return elementTypes(models.index(catalogId));
    }

    /** A controlled vocabulary: its rows are terms with ID, URI, Name and Description. */
    public static boolean isVocabulary(ModelIndex.Table table) {
        return table.columns().keySet().containsAll(Set.of("ID", "URI", "Name", "Description"));
    }

    /** The element type a request names ({@code Table} or {@code schema:Table}); 400 when it is none. */
    public ElementType elementType(List<ElementType> types, String name) {
        List<ElementType> matches = types.stream()
                .filter(t -> t.key().equals(name) || t.table().name().equals(name))
                .toList();
        if (matches.size() != 1) {
            throw new CairnException.BadRequest(
                    matches.isEmpty()
                            ? "'" + name
                                    + "' is not a dataset element type; add it with POST .../datasets/element-types {\"table\": \""
                                    + name + "\"}."
                            : "'" + name + "' is ambiguous: "
                                    + matches.stream().map(ElementType::key).toList()
                                    + "; qualify it as schema:table.");
        }
        return matches.get(0);
    }

    /**
     * DerivaML's {@code add_dataset_element_type}: the association {@code Dataset_{Table}}, in the
     * table's schema, so that rows of the table can be members. Adding one that exists is a no-op.
     */
    public ElementType addElementType(long catalogId, ModelIndex.Table table, RequestClient client) {
        ModelIndex model = models.index(catalogId);
        Optional<ElementType> existing = elementTypes(model).stream()
                .filter(t -> t.key().equals(table.schema() + ":" + table.name()))
                .findFirst();
        if (existing.isPresent()) {
            return existing.get();
        }
        if (!table.hasRid()
                || isVocabulary(table)
                || table.schema().startsWith("_")
                || table.schema().equals("public")
                || (table.schema().equals(ML)
                        && !table.name().endsWith("_Asset")
                        && !table.name().equals("Execution_Metadata"))) {
            throw new CairnException.BadRequest(
                    "Table " + table + " cannot hold dataset members: choose a domain or asset table.");
        }
        String name = "Dataset_" + table.name();
        MlSql.checkNewTableName(model, "A dataset element association", name, 63);
        JsonObject document = MlTables.association(
                table.schema(),
                name,
                "Members of each dataset from " + table + ".",
                "Dataset",
                ML,
                "Dataset",
                table.name(),
                table.schema(),
                table.name(),
                "RID",
                null);
        String sqlName = MlSql.table(table.schema(), name);
        editor.createTables(catalogId, List.of(new ModelEditor.NewTable(table.schema(), document)), client, c -> {
            // members are read from the dataset side, and a row's datasets from the member side
            Jdbc.update(c, "CREATE INDEX ON " + sqlName + " (" + quote(table.name()) + ")");
            return null;
        });
        return elementTypes(catalogId).stream()
                .filter(t -> t.key().equals(table.schema() + ":" + table.name()))
                .findFirst()
                .orElseThrow();
    }

    public static JsonObject describe(ElementType type) {
        return JsonBodies.JSON
                .createObjectBuilder()
                .add("schema", type.table().schema())
                .add("table", type.table().name())
                .add(
                        "association",
                        type.association().schema() + ":" + type.association().name())
                .build();
    }

    // ---- members

    /** What a change of members did: how many rows it added or removed, and the version after it. */
    public record Changed(long count, String version) {}

    /**
     * DerivaML's {@code add_dataset_members} and {@code delete_dataset_members}: RIDs by table
     * ({@code byTable}) or bare RIDs ({@code rids}), each found among the element tables. Nested
     * datasets are members of table {@code Dataset}; a nesting that would make a cycle is a 409.
     * A change that adds or removes a row moves the dataset to its dev version.
     */
    public Changed changeMembers(
            long catalogId,
            String dataset,
            Map<String, List<String>> byTable,
            List<String> rids,
            boolean add,
            String description,
            RequestClient client) {
        int total = byTable.values().stream().mapToInt(List::size).sum() + rids.size();
        if (total > MAX_MEMBERS) {
            throw new CairnException.BadRequest(
                    "At most " + MAX_MEMBERS + " members per request; send the rest in another.");
        }
        List<ElementType> types = elementTypes(catalogId);
        Map<ElementType, Set<String>> members = new LinkedHashMap<>();
        byTable.forEach((table, list) -> members.computeIfAbsent(elementType(types, table), t -> new LinkedHashSet<>())
                .addAll(list.stream().map(r -> MlSql.rid("Member", r)).toList()));
        rids.forEach(r -> MlSql.rid("Member", r));
        return databases.transaction(catalogId, client, c -> {
            lockLive(c, dataset);
            if (!rids.isEmpty()) {
                placeByTable(c, types, rids, members);
            }
            long count = 0;
            for (Map.Entry<ElementType, Set<String>> entry : members.entrySet()) {
                ElementType type = entry.getKey();
                String[] values = entry.getValue().toArray(String[]::new);
                String association = MlSql.table(
                        type.association().schema(), type.association().name());
                checkExist(c, type, values);
                if (add) {
                    if (type.column().equals("Nested_Dataset")) {
                        checkNesting(c, dataset, values);
                    }
                    count += Jdbc.update(
                            c,
                            "INSERT INTO " + association + " (\"Dataset\", " + quote(type.column()) + ") "
                                    + "SELECT ?, m FROM unnest(?::text[]) AS m ON CONFLICT DO NOTHING",
                            dataset,
                            values);
                } else {
                    count += Jdbc.update(
                            c,
                            "DELETE FROM " + association + " WHERE \"Dataset\" = ? AND " + quote(type.column())
                                    + " = ANY(?::text[])",
                            dataset,
                            values);
                }
            }
            return new Changed(count, count > 0 ? toDev(c, dataset, description) : currentLabel(c, dataset));
        });
    }

    /** Sorts bare RIDs into their element tables (DerivaML's lookup through entity_rid); 400 for the rest. */
    private static void placeByTable(
            Connection c, List<ElementType> types, List<String> rids, Map<ElementType, Set<String>> members)
            throws SQLException {
        Set<String> unplaced = new LinkedHashSet<>(rids);
        String[] all = unplaced.toArray(String[]::new);
        for (ElementType type : types) {
            List<String> found = Jdbc.jsonRows(
                            c,
                            "SELECT to_jsonb(t.\"RID\") FROM "
                                    + MlSql.table(
                                            type.table().schema(), type.table().name())
                                    + " t WHERE t.\"RID\" = ANY(?::text[])",
                            (Object) all)
                    .stream()
                    .map(v -> ((JsonString) v).getString())
                    .toList();
            if (!found.isEmpty()) {
                members.computeIfAbsent(type, t -> new LinkedHashSet<>()).addAll(found);
                found.forEach(unplaced::remove);
            }
        }
        if (!unplaced.isEmpty()) {
            throw new CairnException.BadRequest(unplaced.size() + " RIDs are rows of no dataset element type, such as "
                    + unplaced.stream().limit(10).toList() + "; add their table with POST .../datasets/element-types.");
        }
    }

    private static void checkExist(Connection c, ElementType type, String[] rids) throws SQLException {
        List<JsonValue> missing = Jdbc.jsonRows(
                c,
                "SELECT to_jsonb(m) FROM unnest(?::text[]) AS m WHERE NOT EXISTS (SELECT 1 FROM "
                        + MlSql.table(type.table().schema(), type.table().name()) + " t WHERE t.\"RID\" = m) LIMIT 10",
                (Object) rids);
        if (!missing.isEmpty()) {
            throw new CairnException.BadRequest("No row of " + type.key() + " has RID " + missing + ".");
        }
    }

    /** 409 when nesting any of {@code children} in {@code parent} would make a dataset contain itself. */
    private static void checkNesting(Connection c, String parent, String[] children) throws SQLException {
        Optional<String> cycle = Jdbc.text(
                c,
                "WITH RECURSIVE below(rid) AS (SELECT unnest(?::text[]) UNION "
                        + "SELECT n.\"Nested_Dataset\" FROM " + ml("Dataset_Dataset")
                        + " n JOIN below b ON n.\"Dataset\" = b.rid) "
                        + "SELECT rid FROM below WHERE rid = ? LIMIT 1",
                children,
                parent);
        if (cycle.isPresent()) {
            throw new CairnException.Conflict(
                    ErrorCode.CYCLE,
                    "Nesting " + String.join(", ", children) + " in dataset " + parent
                            + " would make it contain itself.");
        }
        List<JsonValue> deleted = Jdbc.jsonRows(
                c,
                "SELECT to_jsonb(d.\"RID\") FROM " + ml("Dataset") + " d WHERE d.\"RID\" = "
                        + "ANY(?::text[]) AND coalesce(d.\"Deleted\", false)",
                (Object) children);
        if (!deleted.isEmpty()) {
            throw new CairnException.Conflict(
                    ErrorCode.IMMUTABLE, "Datasets " + deleted + " are deleted; they cannot be nested.");
        }
    }

    // ---- versions

    /**
     * Moves the dataset onto its dev version: the next generation of the dev row, or a new dev row
     * after the current release. Returns the dev label. The caller holds the dataset's lock.
     */
    private static String toDev(Connection c, String dataset, String description) throws SQLException {
        Optional<JsonObject> dev = Jdbc.jsonObject(
                c,
                "SELECT jsonb_build_object('RID', \"RID\", 'Version', \"Version\") FROM " + ml("Dataset_Version")
                        + " WHERE \"Dataset\" = ? AND \"Snapshot\" IS NULL",
                dataset);
        if (dev.isPresent()) {
            String next = DatasetVersion.parse(dev.get().getString("Version"))
                    .nextDev()
                    .toString();
            Jdbc.update(
                    c,
                    "UPDATE " + ml("Dataset_Version")
                            + " SET \"Version\" = ?, \"Description\" = coalesce(?, \"Description\") "
                            + "WHERE \"RID\" = ?",
                    next,
                    description,
                    dev.get().getString("RID"));
            return next;
        }
        String next = lastRelease(c, dataset).nextDev().toString();
        String rid = Jdbc.text(
                        c,
                        "INSERT INTO " + ml("Dataset_Version") + " (\"Dataset\", \"Version\", \"Description\") "
                                + "VALUES (?, ?, ?) RETURNING \"RID\"",
                        dataset,
                        next,
                        description == null ? "Changes since the last release." : description)
                .orElseThrow();
        Jdbc.update(c, "UPDATE " + ml("Dataset") + " SET \"Version\" = ? WHERE \"RID\" = ?", rid, dataset);
        return next;
    }

    /** The highest released version of the dataset. */
    private static DatasetVersion lastRelease(Connection c, String dataset) throws SQLException {
        return Jdbc.jsonRows(
                        c,
                        "SELECT to_jsonb(\"Version\") FROM " + ml("Dataset_Version") + " WHERE \"Dataset\" = ? "
                                + "AND \"Snapshot\" IS NOT NULL",
                        dataset)
                .stream()
                .map(v -> DatasetVersion.parse(((JsonString) v).getString()))
                .max(Comparator.naturalOrder())
                .orElse(DatasetVersion.FIRST);
    }

    private static String currentLabel(Connection c, String dataset) throws SQLException {
        return Jdbc.text(
                        c,
                        "SELECT v.\"Version\" FROM " + ml("Dataset") + " d JOIN " + ml("Dataset_Version")
                                + " v ON v.\"RID\" = d.\"Version\" WHERE d.\"RID\" = ?",
                        dataset)
                .orElse(null);
    }

    /** DerivaML's {@code mark_dev}: declares a dev period without changing anything else. */
    public Changed markDev(long catalogId, String dataset, String description, RequestClient client) {
        return databases.transaction(catalogId, client, c -> {
            lockLive(c, dataset);
            return new Changed(0, toDev(c, dataset, description));
        });
    }

    /**
     * DerivaML's {@code release}: promotes the dev version in place to the next release by
     * {@code bump}, stamping the snapshot; 409 when there is no dev version (nothing changed since
     * the last release). Two concurrent releases of one dataset queue on its lock: one wins.
     */
    public JsonObject release(
            long catalogId,
            String dataset,
            DatasetVersion.Bump bump,
            String description,
            String execution,
            RequestClient client) {
        return databases.transaction(catalogId, client, c -> {
            lockLive(c, dataset);
            JsonObject dev = Jdbc.jsonObject(
                            c,
                            "SELECT jsonb_build_object('RID', \"RID\", 'Version', \"Version\") FROM "
                                    + ml("Dataset_Version") + " WHERE \"Dataset\" = ? AND \"Snapshot\" IS NULL",
                            dataset)
                    .orElseThrow(() -> new CairnException.Conflict(
                            ErrorCode.DATASET_STATE,
                            "Dataset " + dataset + " has not changed since its last release "
                                    + "(it has no dev version); POST .../dev declares one."));
            if (execution != null
                    && Jdbc.text(
                                    c,
                                    "SELECT \"RID\" FROM " + ml("Execution") + " WHERE \"RID\" = ?",
                                    MlSql.rid("Execution", execution))
                            .isEmpty()) {
                throw new CairnException.BadRequest("No execution has RID " + execution + ".");
            }
            String released = lastRelease(c, dataset).next(bump).toString();
            return Jdbc.jsonObject(
                            c,
                            "UPDATE " + ml("Dataset_Version") + " AS v SET \"Version\" = ?, \"Description\" = ?, "
                                    + "\"Execution\" = ?, \"Snapshot\" = _ermrest.snaptime_encode(now()) WHERE \"RID\" = ? RETURNING to_jsonb(v)",
                            released,
                            description,
                            execution,
                            dev.getString("RID"))
                    .orElseThrow();
        });
    }

    /**
     * DerivaML's {@code dataset_history}: every version, oldest first, the dev one last, each with the
     * bags kept of it.
     */
    public JsonArray versions(long catalogId, String dataset) {
        MlSql.rid("Dataset", dataset);
        List<JsonObject> rows = databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            if (Jdbc.text(c, "SELECT \"RID\" FROM " + ml("Dataset") + " WHERE \"RID\" = ?", dataset)
                    .isEmpty()) {
                throw new CairnException.NotFound("No dataset has RID " + dataset + ".");
            }
            return Jdbc.jsonRows(
                            c,
                            "SELECT to_jsonb(v) || jsonb_build_object('Current', d.\"Version\" = v.\"RID\", 'Bags', "
                                    + "coalesce((SELECT jsonb_agg(jsonb_build_object('materialized', b.materialized, 'baseUrl', b.base_url, "
                                    + "'length', b.length, 'sha256', b.sha256, 'builtAt', b.built_at) ORDER BY b.materialized, b.base_url) "
                                    + "FROM \"_deriva_ml\".dataset_bag b WHERE b.dataset_version = v.\"RID\"), '[]'::jsonb)) FROM "
                                    + ml("Dataset_Version") + " v JOIN " + ml("Dataset")
                                    + " d ON d.\"RID\" = v.\"Dataset\" WHERE v.\"Dataset\" = ?",
                            dataset)
                    .stream()
                    .map(JsonValue::asJsonObject)
                    .toList();
        });
        JsonArrayBuilder out = JsonBodies.JSON.createArrayBuilder();
        rows.stream()
                .sorted(Comparator.comparing(r -> DatasetVersion.parse(r.getString("Version"))))
                .forEach(out::add);
        return out.build();
    }

    /**
     * The state a read of the dataset sees: a released version at its snapshot, or the live state
     * for the current dev label (ADR-0003: an older dev label no longer names anything, 409).
     * Without a label, the current version; {@code dev} names the live state whatever its label.
     */
    public Pinned pin(long catalogId, String dataset, String label) {
        MlSql.rid("Dataset", dataset);
        if (label != null && !label.equals("dev")) {
            DatasetVersion.parse(label);
        }
        return databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> pin(c, dataset, label));
    }

    static Pinned pin(Connection c, String dataset, String label) throws SQLException {
        JsonObject current = Jdbc.jsonObject(
                        c,
                        "SELECT jsonb_build_object('RID', v.\"RID\", 'Version', v.\"Version\", 'Snapshot', "
                                + "v.\"Snapshot\") FROM " + ml("Dataset") + " d LEFT JOIN " + ml("Dataset_Version")
                                + " v ON v.\"RID\" = d.\"Version\" "
                                + "WHERE d.\"RID\" = ?",
                        dataset)
                .orElseThrow(() -> new CairnException.NotFound("No dataset has RID " + dataset + "."));
        if (label == null || label.equals("dev") || label.equals(current.getString("Version", null))) {
            boolean released = current.get("Snapshot") instanceof JsonString && !"dev".equals(label);
            return new Pinned(
                    current.getString("RID", null),
                    current.getString("Version", null),
                    released ? current.getString("Snapshot") : null);
        }
        if (DatasetVersion.parse(label).isDev()) {
            throw new CairnException.Conflict(
                    ErrorCode.DATASET_STATE,
                    "Dev version " + label + " of dataset " + dataset + " is no longer current (it is "
                            + current.getString("Version", "?")
                            + "): dev versions change in place and only the current one can be read.");
        }
        JsonObject version = Jdbc.jsonObject(
                        c,
                        "SELECT jsonb_build_object('RID', \"RID\", 'Snapshot', \"Snapshot\") FROM "
                                + ml("Dataset_Version")
                                + " WHERE \"Dataset\" = ? AND \"Version\" = ? AND \"Snapshot\" IS NOT NULL",
                        dataset,
                        label)
                .orElseThrow(
                        () -> new CairnException.NotFound("Dataset " + dataset + " has no version " + label + "."));
        return new Pinned(version.getString("RID"), label, version.getString("Snapshot"));
    }

    /**
     * The version an execution consumes (ADR-0003: never a dev one): the released version named,
     * or the current one when it is released; null when the execution reads the live dev state.
     */
    public static String consumed(Connection c, String dataset, String label) throws SQLException {
        if (label != null && DatasetVersion.parse(label).isDev()) {
            throw new CairnException.BadRequest(
                    "Dataset " + dataset + " version " + label + " is a dev version; an execution "
                            + "consumes a released version (or the live state, without a version).");
        }
        if (Jdbc.text(
                        c,
                        "SELECT \"RID\" FROM " + ml("Dataset")
                                + " WHERE \"RID\" = ? AND NOT coalesce(\"Deleted\", false)",
                        MlSql.rid("Dataset", dataset))
                .isEmpty()) {
            throw new CairnException.BadRequest("No dataset has RID " + dataset + ".");
        }
        try {
            Pinned pinned = pin(c, dataset, label);
            return pinned.released() ? pinned.rid() : null;
        } catch (CairnException.NotFound e) {
            throw new CairnException.BadRequest(e.getMessage());
        }
    }

    // ---- reading members

    /** Sets the snapshot a transaction's {@link DataQuery#source} reads at (none: now). */
    public static void readAt(Connection c, Instant at) throws SQLException {
        Jdbc.execute(c, "SELECT set_config('cairn.snaptime', ?, true)", at == null ? "" : at.toString());
    }

    /** The dataset and, with {@code recurse}, every dataset nested below it, at the transaction's snapshot. */
    static String[] anchors(
            Connection c, ModelIndex model, boolean snapshot, DataQuery.Guard guard, String dataset, boolean recurse)
            throws SQLException {
        if (!recurse) {
            return new String[] {dataset};
        }
        String nested = DataQuery.source(model, model.table(ML, "Dataset_Dataset"), snapshot, guard);
        return Jdbc.jsonRows(
                        c,
                        "WITH RECURSIVE below(rid) AS (SELECT ?::text UNION SELECT n.\"Nested_Dataset\" FROM " + nested
                                + " AS n JOIN below b ON n.\"Dataset\" = b.rid) SELECT to_jsonb(rid) FROM below ORDER BY rid",
                        dataset)
                .stream()
                .map(v -> ((JsonString) v).getString())
                .toArray(String[]::new);
    }

    /**
     * DerivaML's {@code list_dataset_members} at a version: without {@code table}, the count of
     * members per element type; with it, a page of that table's member rows in RID order after
     * {@code after}.
     */
    public JsonObject members(
            long catalogId,
            String dataset,
            Pinned pinned,
            String table,
            boolean recurse,
            String after,
            int limit,
            DataQuery.Guard guard) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new CairnException.BadRequest("limit is between 1 and " + MAX_PAGE + ".");
        }
        ModelIndex model = models.at(catalogId, pinned.instant()).index();
        boolean snapshot = pinned.released();
        List<ElementType> types = elementTypes(model);
        return databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            readAt(c, pinned.instant());
            String[] anchors = anchors(c, model, snapshot, guard, dataset, recurse);
            JsonObjectBuilder out = JsonBodies.JSON
                    .createObjectBuilder()
                    .add("Dataset", dataset)
                    .add(
                            "Version",
                            pinned.version() == null ? JsonValue.NULL : JsonBodies.JSON.createValue(pinned.version()))
                    .add(
                            "Snapshot",
                            pinned.snaptime() == null ? JsonValue.NULL : JsonBodies.JSON.createValue(pinned.snaptime()))
                    .add("recurse", recurse);
            if (table == null) {
                JsonArrayBuilder counts = JsonBodies.JSON.createArrayBuilder();
                for (ElementType type : types) {
                    String association;
                    try {
                        association = DataQuery.source(model, type.association(), snapshot, guard);
                    } catch (CairnException unreadable) {
                        continue; // members the client may not see are not counted
                    }
                    long count = Long.parseLong(Jdbc.text(
                                    c,
                                    "SELECT count(DISTINCT a." + quote(type.column()) + ") FROM " + association
                                            + " AS a WHERE a.\"Dataset\" = ANY(?::text[])",
                                    (Object) anchors)
                            .orElse("0"));
                    counts.add(
                            JsonBodies.JSON.createObjectBuilder(describe(type)).add("count", count));
                }
                return out.add("members", counts).build();
            }
            ElementType type = elementType(types, table);
            String rows = DataQuery.source(model, type.table(), snapshot, guard);
            String association = DataQuery.source(model, type.association(), snapshot, guard);
            JsonArray page = Jdbc.jsonArray(
                    c,
                    "SELECT to_jsonb(m) FROM " + rows + " AS m WHERE m.\"RID\" IN (SELECT a."
                            + quote(type.column()) + " FROM " + association
                            + " AS a WHERE a.\"Dataset\" = ANY(?::text[])) AND m.\"RID\" > ? "
                            + "ORDER BY m.\"RID\" LIMIT ?",
                    anchors,
                    after == null ? "" : after,
                    limit);
            out.add("table", type.key()).add("rows", page);
            if (page.size() == limit) {
                out.add("next", page.getJsonObject(limit - 1).getString("RID"));
            }
            return out.build();
        });
    }
}
