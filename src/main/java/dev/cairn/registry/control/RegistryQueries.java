package dev.cairn.registry.control;

import static dev.cairn.registry.control.Registry.MAX_PAGE;
import static dev.cairn.registry.control.Registry.R;
import static dev.cairn.registry.control.Registry.RA;
import static dev.cairn.registry.control.Registry.TABLE;
import static dev.cairn.registry.control.Registry.col;
import static dev.cairn.registry.control.Registry.latestFirst;
import static dev.cairn.registry.control.Registry.qualified;
import static dev.cairn.registry.control.Registry.uriSql;

import dev.cairn.catalog.control.AclBindings;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataQuery;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.control.Rid;
import dev.cairn.dataset.control.Datasets;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import dev.cairn.registry.control.FilterSql.Field;
import dev.cairn.registry.control.FilterSql.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the asset registry of a catalog: an asset by id, by asset_uri (a name's version, tag,
 * alias or {@code latest}, now or at a date or snapshot), by a bare reference; the versions of a
 * name; MongoDB-style queries over the fields ({@link FilterSql}); and the catalog's Assets DB id.
 * Every read applies the client's row rights on {@code deriva-ml:Registered_Asset}.
 */
@ApplicationScoped
public class RegistryQueries {

    @Inject
    CatalogDatabases databases;

    @Inject
    CatalogRequest context;

    @Inject
    Models models;

    private static final Pattern AT_SNAPSHOT =
            Pattern.compile("@(snapshot-([0-9A-Za-z-]+)|([0-9]{4}-[0-9]{2}-[0-9]{2}))$");

    private final Map<Long, String> dbIds = new ConcurrentHashMap<>();

    /** The catalog's stable Assets DB id (AIOS's {@code assets_db_id}). */
    public String assetsDbId(long catalogId) {
        return dbIds.computeIfAbsent(
                catalogId,
                id -> databases.transaction(
                        id,
                        RequestClient.ANONYMOUS,
                        c -> Jdbc.text(c, "SELECT assets_db_id::text FROM \"_deriva_ml\".assets_db")
                                .orElseThrow()));
    }

    /** The fields a query may name, over the row aliased {@link AclBindings#ROW}. */
    public Map<String, Field> fields(long catalogId) {
        Map<String, Field> f = new LinkedHashMap<>();
        f.put("asset_uri", new Field(uriSql(), Kind.TEXT));
        f.put("asset_name", new Field(col("Name"), Kind.TEXT, true));
        f.put("asset_id", new Field(col("RID"), Kind.TEXT, true));
        f.put("assets_db_id", new Field("'" + assetsDbId(catalogId) + "'::text", Kind.TEXT));
        f.put(
                "asset_version",
                new Field(
                        "jsonb_build_object('version', " + col("Version") + ", 'tag', " + col("Tag") + ")",
                        Kind.JSONB));
        f.put("asset_version.version", new Field(col("Version"), Kind.VERSION));
        f.put("asset_version.tag", new Field(col("Tag"), Kind.TEXT));
        f.put("asset_metadata", new Field(col("Metadata"), Kind.JSONB, true));
        f.put("asset_public_url", new Field("coalesce(" + col("Public_URL") + ", '')", Kind.TEXT));
        f.put("asset_file_info", new Field(col("File_Info"), Kind.JSONB, true));
        f.put("asset_tags", new Field(col("Tags"), Kind.TEXT_ARRAY, true));
        f.put("asset_namespace", new Field(col("Namespace"), Kind.TEXT));
        f.put("asset_kind", new Field("coalesce(" + col("Kind") + ", '')", Kind.TEXT));
        f.put("asset_description", new Field("coalesce(" + col("Description") + ", '')", Kind.TEXT));
        f.put("provenance", new Field(col("Provenance"), Kind.JSONB));
        return f;
    }

    /** AIOS's AssetObject of the row, with Cairn's fields beside. */
    private String document(long catalogId) {
        return document(fields(catalogId));
    }

    private static String document(Map<String, Field> f) {
        StringBuilder sql = new StringBuilder("jsonb_build_object(");
        List<String> parts = new ArrayList<>();
        for (String name : AssetJson.OBJECT_FIELDS) {
            parts.add("'" + name + "', " + f.get(name).sql());
        }
        return sql.append(String.join(", ", parts)).append(")").toString();
    }

    /** A page of query results: the JSON array as PostgreSQL wrote it, how many it holds and the last id. */
    public record Page(String json, int count, String last) {}

    /**
     * AIOS's {@code POST /assets}: the visible, undeleted assets the query matches, in
     * {@code asset_id} order after {@code after}, at most {@code limit}. PostgreSQL writes the
     * page's JSON, which goes out as it is (not parsed and written again).
     */
    public Page query(long catalogId, MongoFilter.Node query, String after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new CairnException.BadRequest("limit must be between 1 and " + MAX_PAGE + ".");
        }
        Map<String, Field> fields = fields(catalogId);
        FilterSql.Sql filter = FilterSql.compile(query, fields);
        String rows = readable(catalogId);
        List<Object> parameters = new ArrayList<>(filter.parameters());
        parameters.add(after == null ? "" : MlSql.rid("after", after));
        parameters.add(limit);
        String matches = col("Deleted") + " IS NULL AND (" + filter.where() + ")"
                + (rows == null ? "" : " AND (" + rows + ")") + " AND " + col("RID") + " > ?";
        // An indexed condition: find every match through its index, then take the first in RID
        // order. Otherwise walk the RID order, filtering: the planner would do that for a value it
        // cannot tell is rare, and scan the whole table when the value is absent.
        String page = filter.indexed()
                ? "WITH hits AS MATERIALIZED (SELECT " + col("RID") + " AS rid FROM " + RA + " " + R + " WHERE "
                        + matches + "), "
                        + "first AS (SELECT rid FROM hits ORDER BY rid LIMIT ?) SELECT " + document(fields)
                        + " AS doc, "
                        + col("RID") + " AS rid FROM " + RA + " " + R + " JOIN first ON first.rid = " + col("RID")
                : "SELECT " + document(fields) + " AS doc, " + col("RID") + " AS rid FROM " + RA + " " + R + " WHERE "
                        + matches + " ORDER BY " + col("RID") + " LIMIT ?";
        String sql = "SELECT coalesce(json_agg(p.doc ORDER BY p.rid), '[]')::text, count(*), max(p.rid) FROM (" + page
                + ") p";
        return databases.transaction(catalogId, context.client(), c -> {
            try (var statement = Jdbc.prepare(c, sql, parameters.toArray());
                    var result = statement.executeQuery()) {
                result.next();
                return new Page(result.getString(1), result.getInt(2), result.getString(3));
            }
        });
    }

    /**
     * The asset a uri names: an exact reading, else {@code name:latest} or {@code name:alias}; 404 or
     * 409 (ambiguous).
     */
    public JsonObject resolve(long catalogId, AssetUri uri) {
        String rows = readable(catalogId);
        return databases.transaction(catalogId, context.client(), c -> {
            List<Object> parameters = new ArrayList<>();
            String reading = readingOf(uri, parameters);
            List<JsonValue> found = reading == null
                    ? List.of()
                    : Jdbc.jsonRows(
                            c,
                            "SELECT " + document(catalogId) + " FROM " + RA + " " + R + " WHERE " + col("Deleted")
                                    + " IS NULL AND " + reading + (rows == null ? "" : " AND (" + rows + ")"),
                            parameters.toArray());
            if (found.size() > 1) {
                throw ambiguous(
                        uri,
                        found.stream()
                                .map(v -> v.asJsonObject().getString("asset_id"))
                                .toList());
            }
            if (found.size() == 1) {
                return found.get(0).asJsonObject();
            }
            for (AssetUri.Reference ref : uri.references()) {
                Optional<JsonObject> byReference = ref.reference().equals("latest")
                        ? Jdbc.jsonObject(
                                c,
                                "SELECT " + document(catalogId) + " FROM " + RA + " " + R + " WHERE " + col("Deleted")
                                        + " IS NULL AND " + col("Namespace") + " = ? AND " + col("Name") + " = ?"
                                        + (rows == null ? "" : " AND (" + rows + ")")
                                        + " ORDER BY " + latestFirst() + " LIMIT 1",
                                uri.namespace(),
                                ref.name())
                        : Jdbc.jsonObject(
                                c,
                                "SELECT " + document(catalogId) + " FROM \"_deriva_ml\".asset_alias a JOIN " + RA + " "
                                        + R
                                        + " ON " + col("RID")
                                        + " = a.asset WHERE a.namespace = ? AND a.name = ? AND a.alias = ? AND "
                                        + col("Deleted")
                                        + " IS NULL" + (rows == null ? "" : " AND (" + rows + ")"),
                                uri.namespace(),
                                ref.name(),
                                ref.reference());
                if (byReference.isPresent()) {
                    return byReference.get();
                }
            }
            throw new CairnException.NotFound("No asset has the asset_uri "
                    + (uri.namespace().isEmpty() ? "" : uri.namespace() + "/") + uri.text() + ".");
        });
    }

    /**
     * The asset a reference names: an {@code asset_id}; an asset_uri; a bare {@code [namespace/]name}
     * (its latest version); any of these followed by {@code @snapshot-<snaptime>} or
     * {@code @YYYY-MM-DD} (Pangolin's references), naming what the catalog held then (the end of
     * that day, UTC). 400 when the reference cannot be read, 404 when it names nothing.
     */
    public JsonObject find(long catalogId, String reference) {
        if (reference == null || reference.isBlank()) {
            throw new CairnException.BadRequest(
                    "An asset reference is an asset_id, an asset_uri or [namespace/]name, optionally @snapshot-<snaptime> or @YYYY-MM-DD.");
        }
        Instant at = null;
        String text = reference;
        Matcher snapshot = AT_SNAPSHOT.matcher(text);
        if (snapshot.find()) {
            at = snapshot.group(2) != null
                    ? snaptime(snapshot.group(2), reference)
                    : endOfDay(snapshot.group(3), reference);
            text = text.substring(0, snapshot.start());
        }
        if (text.matches("[0-9A-Z]{1,4}(-[0-9A-Z]{4})*")) {
            try {
                return get(catalogId, text);
            } catch (CairnException.NotFound notAnId) {
                // a name that looks like an id: read it as a name below
            }
        }
        int slash = text.lastIndexOf('/');
        AssetUri uri = AssetUri.parse(text.substring(slash + 1).contains(":") ? text : text + ":latest");
        if (slash < 0) {
            // no namespace named: the root's, else the one namespace that has the name (flowyml names assets without
            // one)
            uri = elsewhere(catalogId, uri);
        }
        if (at == null) {
            return get(catalogId, resolve(catalogId, uri).getString("asset_id"));
        }
        JsonObject then = get(catalogId, resolveAt(catalogId, uri, at));
        return JsonBodies.JSON
                .createObjectBuilder(then)
                .add("resolved_at", Rid.snaptime(at))
                .build();
    }

    /**
     * A uri without a namespace, as it reads: in the root namespace when the root has its name;
     * else in the one namespace that has it; 409 when several do.
     */
    private AssetUri elsewhere(long catalogId, AssetUri uri) {
        List<String> names = new ArrayList<>();
        uri.readings().forEach(r -> names.add(r.name()));
        uri.references().forEach(r -> names.add(r.name()));
        if (names.isEmpty()) {
            return uri;
        }
        String rows = readable(catalogId);
        List<String> namespaces = databases
                .transaction(
                        catalogId,
                        context.client(),
                        c -> Jdbc.jsonRows(
                                c,
                                "SELECT to_jsonb(n.ns) FROM "
                                        + "(SELECT DISTINCT " + col("Namespace") + " AS ns FROM " + RA + " " + R
                                        + " WHERE " + col("Name") + " = ANY (?::text[]) AND " + col("Deleted")
                                        + " IS NULL" + (rows == null ? "" : " AND (" + rows + ")")
                                        + " ORDER BY 1 LIMIT 11) n",
                                (Object) names.toArray(String[]::new)))
                .stream()
                .map(v -> ((JsonString) v).getString())
                .toList();
        if (namespaces.isEmpty() || namespaces.contains("")) {
            return uri;
        }
        if (namespaces.size() > 1) {
            throw new CairnException.Conflict(
                    ErrorCode.AMBIGUOUS_NAME,
                    "The name in " + uri.text() + " is in "
                            + (namespaces.size() > 10 ? "more than 10" : namespaces.size())
                            + " namespaces ("
                            + String.join(", ", namespaces.subList(0, Math.min(10, namespaces.size())))
                            + "); name one: namespace/"
                            + uri.text() + ".");
        }
        return AssetUri.parse(namespaces.get(0) + "/" + uri.text());
    }

    private static Instant snaptime(String snaptime, String reference) {
        try {
            return new Catalogs.At(null, snaptime).instant();
        } catch (IllegalArgumentException e) {
            throw new CairnException.BadRequest(
                    "'" + snaptime + "' in " + reference + " is not a snaptime (such as 2TA-YJZG-0A5W).");
        }
    }

    private static Instant endOfDay(String date, String reference) {
        try {
            LocalDate day = LocalDate.parse(date);
            if (day.atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(Instant.now())) {
                throw new CairnException.BadRequest("'" + date + "' in " + reference + " is in the future.");
            }
            Instant end =
                    day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1000);
            return end.isAfter(Instant.now()) ? Instant.now() : end;
        } catch (DateTimeParseException e) {
            throw new CairnException.BadRequest("'" + date + "' in " + reference + " is not a date (YYYY-MM-DD).");
        }
    }

    /**
     * The id of the asset a uri named at a past time, read from the catalog's row history: the
     * exact version, or for {@code name:latest} the newest version live then.
     */
    String resolveAt(long catalogId, AssetUri uri, Instant at) {
        ModelIndex model = models.at(catalogId, at).index();
        String source;
        try {
            source = DataQuery.source(model, model.table(MlSql.ML, TABLE), true, context.guard());
        } catch (CairnException.NotFound e) {
            throw new CairnException.NotFound("The catalog had no asset registry at " + at + ".");
        }
        return databases.transaction(catalogId, context.client(), c -> {
            Datasets.readAt(c, at);
            List<Object> parameters = new ArrayList<>();
            String reading = readingOf(uri, parameters);
            String live =
                    "SELECT " + col("RID") + " FROM " + source + " " + R + " WHERE " + col("Deleted") + " IS NULL";
            List<String> exact = reading == null
                    ? List.of()
                    : Jdbc.jsonRows(
                                    c,
                                    "SELECT to_jsonb(x) FROM (" + live + " AND " + reading + ") x(rid)",
                                    parameters.toArray())
                            .stream()
                            .map(v -> ((JsonString) v).getString())
                            .toList();
            if (exact.size() > 1) {
                throw ambiguous(uri, exact);
            }
            if (exact.size() == 1) {
                return exact.get(0);
            }
            for (AssetUri.Reference ref : uri.references()) {
                if (ref.reference().equals("latest")) {
                    Optional<String> latest = Jdbc.text(
                            c,
                            live + " AND " + col("Namespace") + " = ? AND " + col("Name") + " = ? ORDER BY "
                                    + latestFirst() + " LIMIT 1",
                            uri.namespace(),
                            ref.name());
                    if (latest.isPresent()) {
                        return latest.get();
                    }
                }
            }
            throw new CairnException.NotFound(
                    "No asset had the asset_uri " + qualified(uri.namespace(), uri.text()) + " at " + at + ".");
        });
    }

    /**
     * The condition that a row (aliased {@link AclBindings#ROW}) is one of the uri's readings in
     * its namespace, its parameters appended; null when the text has no reading.
     */
    private static String readingOf(AssetUri uri, List<Object> parameters) {
        List<AssetUri.Reading> readings = uri.readings();
        if (readings.isEmpty()) {
            return null;
        }
        parameters.add(uri.namespace());
        StringBuilder values = new StringBuilder();
        for (AssetUri.Reading r : readings) {
            values.append(values.length() == 0 ? "" : ", ").append("(?, ?, ?)");
            parameters.addAll(List.of(r.name(), r.version(), r.tag()));
        }
        return col("Namespace") + " = ? AND (" + col("Name") + ", " + col("Version") + ", " + col("Tag")
                + ") IN (VALUES " + values + ")";
    }

    private static CairnException ambiguous(AssetUri uri, List<String> ids) {
        return new CairnException.Conflict(
                ErrorCode.AMBIGUOUS_NAME,
                "The asset_uri " + uri.text() + " can be read as " + ids.size() + " assets (" + ids
                        + "); address one by its asset_id.");
    }

    /** One asset by its id (RID), deleted ones included (as tombstones), with Cairn's details. */
    public JsonObject get(long catalogId, String assetId) {
        MlSql.rid("asset_id", assetId);
        String rows = readable(catalogId);
        return databases
                .transaction(
                        catalogId,
                        context.client(),
                        c -> Jdbc.jsonObject(
                                c,
                                "SELECT " + document(catalogId)
                                        + " || jsonb_build_object('deleted', " + col("Deleted") + ", 'created', "
                                        + col("RCT") + ", 'created_by', " + col("RCB")
                                        + ", 'url', " + col("URL")
                                        + ", 'aliases', coalesce((SELECT jsonb_agg(jsonb_build_object('alias', a.alias, 'set_by', a.set_by, "
                                        + "'set_at', a.set_at) ORDER BY a.alias) FROM \"_deriva_ml\".asset_alias a WHERE a.asset = "
                                        + col("RID") + "), '[]'), "
                                        + "'relationships', coalesce((SELECT jsonb_agg(jsonb_build_object('asset', x.\"Asset\", 'relationship', x.\"Relationship\", "
                                        + "'related_asset', x.\"Related_Asset\", 'id', x.\"RID\") ORDER BY x.\"RID\") FROM "
                                        + MlSql.ml("Registered_Asset_Relationship")
                                        + " x WHERE x.\"Asset\" = " + col("RID") + " OR x.\"Related_Asset\" = "
                                        + col("RID") + "), '[]'), "
                                        + "'executions', coalesce((SELECT jsonb_agg(jsonb_build_object('execution', x.\"Execution\", 'role', x.\"Asset_Role\") "
                                        + "ORDER BY x.\"Execution\") FROM " + MlSql.ml("Registered_Asset_Execution")
                                        + " x WHERE x.\"Registered_Asset\" = "
                                        + col("RID") + "), '[]'), "
                                        + "'specs', " + col("Specs") + ", 'declarative_schema', "
                                        + col("Declarative_Schema") + ", "
                                        + "'provenance', " + col("Provenance") + ", "
                                        + "'metrics', coalesce((SELECT jsonb_object_agg(m.\"Name\", m.\"Value\") FROM "
                                        + MlSql.ml("Registered_Asset_Metric")
                                        + " m WHERE m.\"Asset\" = " + col("RID") + "), '{}'), "
                                        + "'has_secret', EXISTS (SELECT 1 FROM \"_deriva_ml\".asset_secret s WHERE s.asset = "
                                        + col("RID") + "), "
                                        + "'parents', coalesce((SELECT jsonb_agg(DISTINCT p.rid ORDER BY p.rid) FROM ("
                                        + PARENTS + ") p), '[]'), "
                                        + "'children', coalesce((SELECT jsonb_agg(DISTINCT k.rid ORDER BY k.rid) FROM ("
                                        + CHILDREN + ") k), '[]'), "
                                        + "'producer', (SELECT jsonb_build_object('execution', e.\"RID\", 'workflow', e.\"Workflow\", 'workflow_name', w.\"Name\", "
                                        + "'step', " + col("File_Info") + "->>'step') FROM "
                                        + MlSql.ml("Registered_Asset_Execution") + " x JOIN " + MlSql.ml("Execution")
                                        + " e ON e.\"RID\" = x.\"Execution\" LEFT JOIN " + MlSql.ml("Workflow")
                                        + " w ON w.\"RID\" = e.\"Workflow\" "
                                        + "WHERE x.\"Registered_Asset\" = " + col("RID")
                                        + " AND x.\"Asset_Role\" = 'Output' ORDER BY x.\"RID\" LIMIT 1)) "
                                        + "FROM " + RA + " " + R + " WHERE " + col("RID") + " = ?"
                                        + (rows == null ? "" : " AND (" + rows + ")"),
                                assetId))
                .orElseThrow(() -> new CairnException.NotFound("No asset has the asset_id " + assetId + "."));
    }

    /**
     * flowyml's parents of the row aliased {@link AclBindings#ROW}: what it was derived from or
     * trained on (relationships), and what the execution that produced it used (its inputs).
     */
    private static final String PARENTS =
            "SELECT x.\"Related_Asset\" AS rid FROM " + MlSql.ml("Registered_Asset_Relationship")
                    + " x WHERE x.\"Asset\" = " + col("RID") + " UNION SELECT i.\"Registered_Asset\" FROM "
                    + MlSql.ml("Registered_Asset_Execution")
                    + " o JOIN " + MlSql.ml("Registered_Asset_Execution")
                    + " i ON i.\"Execution\" = o.\"Execution\" AND i.\"Asset_Role\" = 'Input' "
                    + "WHERE o.\"Registered_Asset\" = " + col("RID")
                    + " AND o.\"Asset_Role\" = 'Output' AND i.\"Registered_Asset\" <> " + col("RID");

    /** flowyml's children: what was derived from it (relationships), and what executions that used it produced. */
    private static final String CHILDREN = "SELECT x.\"Asset\" AS rid FROM " + MlSql.ml("Registered_Asset_Relationship")
            + " x WHERE x.\"Related_Asset\" = " + col("RID") + " UNION SELECT o.\"Registered_Asset\" FROM "
            + MlSql.ml("Registered_Asset_Execution")
            + " i JOIN " + MlSql.ml("Registered_Asset_Execution")
            + " o ON o.\"Execution\" = i.\"Execution\" AND o.\"Asset_Role\" = 'Output' "
            + "WHERE i.\"Registered_Asset\" = " + col("RID")
            + " AND i.\"Asset_Role\" = 'Input' AND o.\"Registered_Asset\" <> " + col("RID");

    /** The versions of a name, newest first (semver-aware), each with its tag and id. */
    public JsonArray versions(long catalogId, String namespace, String name) {
        String rows = readable(catalogId);
        JsonArray versions = databases.transaction(
                catalogId,
                context.client(),
                c -> Jdbc.jsonArray(
                        c,
                        "SELECT jsonb_build_object("
                                + "'version', " + col("Version") + ", 'tag', " + col("Tag") + ", 'asset_id', "
                                + col("RID") + ", 'asset_uri', " + uriSql()
                                + ", 'created', " + col("RCT") + ") FROM " + RA + " " + R + " WHERE " + col("Deleted")
                                + " IS NULL AND " + col("Namespace")
                                + " = ? AND " + col("Name") + " = ?" + (rows == null ? "" : " AND (" + rows + ")")
                                + " ORDER BY \"_deriva_ml\".version_key("
                                + col("Version") + ") COLLATE \"C\" DESC, " + col("RCT") + " DESC, " + col("RID")
                                + " DESC LIMIT " + MAX_PAGE,
                        namespace,
                        name));
        if (versions.isEmpty()) {
            throw new CairnException.NotFound(
                    "No asset is named " + (namespace.isEmpty() ? "" : namespace + "/") + name + ".");
        }
        return versions;
    }

    /** The row filter for reading registered assets (null: every row). */
    String readable(long catalogId) {
        return context.rows("select", MlSql.ML, TABLE);
    }
}
