package dev.cairn.registry.control;

import dev.cairn.asset.control.AssetTables.AssetTable;
import dev.cairn.asset.control.Assets;
import dev.cairn.catalog.control.AclBindings;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.VersionInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The asset registry of a catalog: rows of {@code deriva-ml:Registered_Asset} and the one write path
 * for them ({@link RegistryAliases} keeps their aliases, {@link AssetNotes} their relationships and
 * annotations). Every read applies the
 * caller's row rights on the table; writes need {@code insert}, {@code update} or {@code delete}
 * on it (row-level where bindings grant them).
 */
@ApplicationScoped
public class Registry {

    public static final String TABLE = "Registered_Asset";
    public static final int MAX_PAGE = 10_000;
    /** A relationship's name: derived_from, trained_on, evaluated_on... */
    public static final String RELATIONSHIP = "[A-Za-z][A-Za-z0-9_.-]{0,63}";

    static final String R = AclBindings.ROW;
    static final String RA = MlSql.ml(TABLE);
    private static final int MAX_TAGS = 1_000;

    @Inject
    RegistryQueries queries;

    @Inject
    CatalogDatabases databases;

    @Inject
    CatalogRequest context;

    @Inject
    ObjectStore store;

    @Inject
    Secrets secrets;

    /** What a request says of an asset: AIOS's fields and Cairn's own. Null means not given. */
    public record Asset(
            String namespace,
            String name,
            String version,
            String tag,
            JsonObject metadata,
            List<String> tags,
            String publicUrl,
            JsonObject fileInfo,
            String kind,
            String description,
            String execution,
            Typed typed) {

        /** The same asset with another public URL (bytes found in the store). */
        public Asset withPublicUrl(String url) {
            return new Asset(
                    namespace, name, version, tag, metadata, tags, url, fileInfo, kind, description, execution, typed);
        }

        /** The same asset with another kind (the one its bytes suggest). */
        public Asset withKind(String k) {
            return new Asset(
                    namespace,
                    name,
                    version,
                    tag,
                    metadata,
                    tags,
                    publicUrl,
                    fileInfo,
                    k,
                    description,
                    execution,
                    typed);
        }

        /** The same asset with another namespace (an execution output's artifact path). */
        public Asset inNamespace(String ns) {
            return new Asset(
                    ns, name, version, tag, metadata, tags, publicUrl, fileInfo, kind, description, execution, typed);
        }
    }

    /**
     * What typed assets add to a registration (Pangolin, the Asset Manager design and flowyml), each
     * null when not given:
     * input/output {@code specs}, the {@code declarative_schema} to validate against (an asset
     * reference), numeric {@code metrics}, Pangolin's {@code lineage} ({@code training_data},
     * {@code parent_model}, {@code derived_models}) with the Asset Manager's {@code relationships} and flowyml's
     * {@code parents}, a database {@code connection_string} (kept encrypted), the workflow
     * {@code step} that produced it, the Asset Manager's {@code provenance} (author, source, citations, DOI)
     * and {@code access_control} (principal to role: READ or READ_WRITE, given on the new asset).
     */
    public record Typed(
            JsonArray specs,
            String declarativeSchema,
            JsonObject metrics,
            JsonObject lineage,
            String connectionString,
            String step,
            JsonObject provenance,
            Map<String, String> accessControl) {

        public static final Typed NONE = new Typed(null, null, null, null, null, null, null, null);

        /** Only a declarative schema (Pangolin's tables name nothing else). */
        public static Typed withSchema(String schema) {
            return schema == null ? NONE : new Typed(null, schema, null, null, null, null, null, null);
        }
    }

    /** Bytes for an asset: received content, or a version already in the store. */
    public record Bytes(String url, String filename, long length, String md5, String sha256, String contentType) {}

    // ---- writing

    /**
     * Refuses, before any byte is kept, an asset that cannot be registered: one the caller may not
     * insert (the table's ACLs, or an ACL binding such as a namespace grant that covers its
     * namespace), whose namespace, name, version and tag are taken (409), or whose kind or
     * execution does not exist (400). Returns the asset as it will be registered: an execution's
     * output that names its workflow {@code step} and no namespace gets flowyml's artifact path
     * {@code {workflow}/{date}/{execution}/data/{step}}.
     */
    public Asset checkNew(long catalogId, Asset asset) {
        check(asset.tags(), asset.publicUrl());
        checkNamespace(asset.namespace());
        Asset prepared = databases.transaction(catalogId, context.client(), c -> {
            Asset a = asset;
            if (a.execution() != null) {
                Optional<JsonObject> run = Jdbc.jsonObject(
                        c,
                        "SELECT jsonb_build_object('workflow', coalesce(w.\"Name\", 'workflow'), "
                                + "'date', to_char(e.\"RCT\" AT TIME ZONE 'UTC', 'YYYY-MM-DD')) FROM "
                                + MlSql.ml("Execution") + " e LEFT JOIN "
                                + MlSql.ml("Workflow") + " w ON w.\"RID\" = e.\"Workflow\" WHERE e.\"RID\" = ?",
                        MlSql.rid("execution", a.execution()));
                if (run.isEmpty()) {
                    throw new CairnException.BadRequest("No execution has RID " + a.execution() + ".");
                }
                if ((a.namespace() == null || a.namespace().isEmpty())
                        && a.typed().step() != null) {
                    String project = run.get().getString("workflow").replaceAll("[^A-Za-z0-9_.-]+", "_");
                    a = a.inNamespace(project + "/" + run.get().getString("date") + "/" + a.execution() + "/data/"
                            + a.typed().step().replaceAll("[^A-Za-z0-9_.-]+", "_"));
                }
            }
            if (a.version() != null
                    && Jdbc.text(
                                    c,
                                    "SELECT \"RID\" FROM " + RA
                                            + " WHERE \"Namespace\" = ? AND \"Name\" = ? AND \"Version\" = ? AND \"Tag\" = ?",
                                    a.namespace() == null ? "" : a.namespace(),
                                    a.name(),
                                    a.version(),
                                    a.tag() == null ? "" : a.tag())
                            .isPresent()) {
                throw new CairnException.Conflict(
                        ErrorCode.ALREADY_EXISTS,
                        "An asset "
                                + qualified(
                                        a.namespace() == null ? "" : a.namespace(),
                                        AssetUri.of(a.name(), a.version(), a.tag()))
                                + " exists (or was deleted while in lineage); "
                                + "register another version.");
            }
            if (a.kind() != null && !isKind(c, a.kind())) {
                throw new CairnException.BadRequest("asset_kind " + a.kind() + " is not an Asset_Kind term.");
            }
            return a;
        });
        requireInsert(prepared);
        return prepared;
    }

    /** Namespaces are paths of segments ({@code ml_models/production}), as Hatrac's names are. */
    private static void checkNamespace(String namespace) {
        HatracPath.checkRelative("asset_namespace", namespace);
    }

    /** The insert right on the new row: from the table's ACLs, or from an ACL binding over the row's values. */
    private void requireInsert(Asset asset) {
        String row = JsonBodies.JSON
                .createObjectBuilder()
                .add("RID", "-new-")
                .add(
                        "RCB",
                        context.client().id() == null ? "" : context.client().id())
                .add("Namespace", asset.namespace() == null ? "" : asset.namespace())
                .add("Name", asset.name())
                .add("Version", asset.version() == null ? "" : asset.version())
                .add("Tag", asset.tag() == null ? "" : asset.tag())
                .build()
                .toString();
        context.requireNewRow(
                MlSql.ML,
                TABLE,
                row,
                "Registering an asset in namespace '" + (asset.namespace() == null ? "" : asset.namespace()) + "'");
    }

    /**
     * What an arrival adds to a registration: what the bytes showed ({@code inspected}, merged
     * into {@code File_Info}), the kind they suggest (used when the client named none), the
     * validating schema's id, and the lineage edges resolved from the asset's references.
     */
    public record Extras(JsonObject inspected, String suggestedKind, String schemaId, List<Edge> edges) {

        public static final Extras NONE = new Extras(null, null, null, List.of());
    }

    /** A relationship to record: null for the asset being registered. */
    public record Edge(String asset, String relationship, String related) {}

    /**
     * Registers an asset (with bytes received or in the store, or none) that {@link #checkNew}
     * accepted, with its metrics, relationships and sealed secret, in one transaction; returns
     * its AssetObject. A race lost since the check is a 409 from the constraints.
     */
    public JsonObject register(long catalogId, Asset asset, Bytes bytes, String publicUrlBase, Extras extras) {
        String rid = databases.transaction(catalogId, context.client(), c -> {
            JsonObjectBuilder info = JsonBodies.JSON.createObjectBuilder(
                    asset.fileInfo() == null ? JsonValue.EMPTY_JSON_OBJECT : asset.fileInfo());
            if (extras.inspected() != null) {
                extras.inspected().forEach(info::add);
            }
            if (bytes != null) {
                info.add("size", bytes.length()).add("md5", bytes.md5()).add("sha256", bytes.sha256());
                if (bytes.filename() != null) {
                    info.add("filename", bytes.filename());
                }
                if (bytes.contentType() != null) {
                    info.add("content_type", bytes.contentType());
                    if (extras.inspected() == null || !extras.inspected().containsKey("format")) {
                        info.add("format", bytes.contentType());
                    }
                }
            }
            if (asset.typed().step() != null) {
                info.add("step", asset.typed().step());
            }
            String version = asset.version() != null
                    ? asset.version()
                    : nextVersion(c, asset.namespace() == null ? "" : asset.namespace(), asset.name());
            String kind = asset.kind();
            if (kind == null && extras.suggestedKind() != null && isKind(c, extras.suggestedKind())) {
                kind = extras.suggestedKind();
            }
            // the RID is drawn first, so that a stored asset's Public_URL (which names it) is written with the row
            String inserted = Jdbc.text(
                            c,
                            "WITH r AS (SELECT _ermrest.rid_encode(nextval('_ermrest.rid_seq')) AS rid) "
                                    + "INSERT INTO " + RA
                                    + " (\"RID\", \"URL\", \"Filename\", \"Length\", \"MD5\", \"Namespace\", \"Name\", "
                                    + "\"Version\", \"Tag\", \"Kind\", \"Metadata\", \"Tags\", \"Public_URL\", \"File_Info\", \"Description\", "
                                    + "\"Specs\", \"Declarative_Schema\", \"Provenance\") "
                                    + "SELECT r.rid, ?, ?, ?::int8, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, coalesce(? || r.rid, ?), ?::jsonb, ?, ?::jsonb, ?, ?::jsonb "
                                    + "FROM r RETURNING \"RID\"",
                            bytes != null ? bytes.url() : asset.publicUrl(),
                            bytes == null ? null : bytes.filename(),
                            bytes == null ? null : bytes.length(),
                            bytes == null ? null : bytes.md5(),
                            asset.namespace() == null ? "" : asset.namespace(),
                            asset.name(),
                            version,
                            asset.tag() == null ? "" : asset.tag(),
                            kind,
                            (asset.metadata() == null ? JsonValue.EMPTY_JSON_OBJECT : asset.metadata()).toString(),
                            (asset.tags() == null ? List.<String>of() : asset.tags()).toArray(String[]::new),
                            bytes == null ? null : publicUrlBase,
                            bytes == null ? asset.publicUrl() : null,
                            info.build().toString(),
                            asset.description(),
                            asset.typed().specs() == null
                                    ? null
                                    : asset.typed().specs().toString(),
                            extras.schemaId(),
                            asset.typed().provenance() == null
                                    ? null
                                    : asset.typed().provenance().toString())
                    .orElseThrow();
            if (asset.execution() != null) {
                Assets.link(c, AssetTable.REGISTERED, inserted, asset.execution(), "Output");
            }
            if (asset.typed().metrics() != null) {
                putMetrics(c, inserted, asset.typed().metrics());
            }
            for (Edge e : extras.edges()) {
                Jdbc.update(
                        c,
                        "INSERT INTO " + MlSql.ml("Registered_Asset_Relationship")
                                + " (\"Asset\", \"Related_Asset\", \"Relationship\") "
                                + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        e.asset() == null ? inserted : e.asset(),
                        e.related() == null ? inserted : e.related(),
                        e.relationship());
            }
            if (asset.typed().connectionString() != null) {
                Secrets.Sealed sealed = secrets.seal(inserted, asset.typed().connectionString());
                Jdbc.update(
                        c,
                        "INSERT INTO \"_deriva_ml\".asset_secret (asset, key_id, nonce, ciphertext) VALUES (?, ?, ?, ?)",
                        inserted,
                        sealed.keyId(),
                        sealed.nonce(),
                        sealed.ciphertext());
            }
            return inserted;
        });
        return queries.get(catalogId, rid);
    }

    /**
     * The version a registration without one gets ({@link VersionOrder#next}): computed and
     * inserted under a lock on the name for the rest of the transaction, so that concurrent
     * registrations of one name get distinct versions. Tombstones count: a version is never reused.
     */
    private static String nextVersion(Connection c, String namespace, String name) throws SQLException {
        Jdbc.text(
                c,
                "SELECT 'locked' FROM pg_advisory_xact_lock(hashtextextended('registry-version/' || ? || '/' || ?, 0))",
                namespace,
                name);
        List<String> versions = Jdbc.jsonRows(
                        c,
                        "SELECT to_jsonb(\"Version\") FROM " + RA + " WHERE \"Namespace\" = ? AND \"Name\" = ?",
                        namespace,
                        name)
                .stream()
                .map(v -> ((JsonString) v).getString())
                .toList();
        return VersionOrder.next(versions)
                .orElseThrow(
                        () -> new CairnException.Conflict(
                                "The versions of " + qualified(namespace, name)
                                        + " are neither numbers nor semver, so Cairn cannot choose the next one; name it in asset_version.version."));
    }

    static boolean isKind(Connection c, String kind) throws SQLException {
        return Jdbc.text(c, "SELECT \"Name\" FROM " + MlSql.ml("Asset_Kind") + " WHERE \"Name\" = ?", kind)
                .isPresent();
    }

    static void putMetrics(Connection c, String assetId, JsonObject metrics) throws SQLException {
        for (var m : metrics.entrySet()) {
            Jdbc.update(
                    c,
                    "INSERT INTO " + MlSql.ml("Registered_Asset_Metric")
                            + " (\"Asset\", \"Name\", \"Value\") VALUES (?, ?, ?) "
                            + "ON CONFLICT (\"Asset\", \"Name\") DO UPDATE SET \"Value\" = EXCLUDED.\"Value\"",
                    assetId,
                    m.getKey(),
                    ((JsonNumber) m.getValue()).doubleValue());
        }
    }

    // ---- bytes

    /** The store version of an asset's bytes, once its row is readable; empty for an external or byte-less asset. */
    public Optional<VersionInfo> bytes(long catalogId, String assetId) {
        MlSql.rid("asset_id", assetId);
        String rows = queries.readable(catalogId);
        // the URL alone: downloads are the registry's most frequent read
        String url = databases
                .transaction(
                        catalogId,
                        context.client(),
                        c -> Jdbc.jsonRows(
                                c,
                                "SELECT to_jsonb(" + col("URL") + ") FROM " + RA + " " + R + " WHERE " + col("RID")
                                        + " = ?" + (rows == null ? "" : " AND (" + rows + ")"),
                                assetId))
                .stream()
                .findFirst()
                .map(v -> v instanceof JsonString u ? u.getString() : null)
                .orElseThrow(() -> new CairnException.NotFound("No asset has the asset_id " + assetId + "."));
        if (url == null || !url.startsWith("/hatrac/")) {
            return Optional.empty();
        }
        HatracPath path = HatracPath.parse(url.substring("/hatrac".length()));
        if (path.version() == null) {
            throw new CairnException.Conflict(
                    ErrorCode.WRONG_KIND,
                    "Asset " + assetId + " is a directory of files (" + url + "); list and read them there.");
        }
        return Optional.of(store.version(path.name(), path.version()));
    }

    /**
     * The object name a registered file's bytes are kept under: content-addressed as the table's asset
     * annotation says.
     */
    public static String objectName(long catalogId, String md5, String filename) {
        String leaf = md5;
        if (filename != null) {
            String candidate = md5 + "." + filename;
            try {
                HatracPath.checkSegment(candidate);
                leaf = candidate;
            } catch (CairnException unusable) {
                // a filename that cannot be a name segment: the MD5 alone names the bytes
            }
        }
        return HatracPath.nameOf(List.of(Long.toString(catalogId), MlSql.ML, TABLE, leaf));
    }

    // ---- checks

    static void check(List<String> tags, String publicUrl) {
        if (tags != null && (tags.size() > MAX_TAGS || tags.stream().anyMatch(t -> t.isEmpty() || t.length() > 256))) {
            throw new CairnException.BadRequest(
                    "asset_tags holds at most " + MAX_TAGS + " non-empty tags of at most 256 characters.");
        }
        if (publicUrl != null
                && !publicUrl.isEmpty()
                && !publicUrl.matches("(?i)(https?|s3|gs|ftp)://[^\\s]{1,4000}")
                && !publicUrl.startsWith("/hatrac/")) {
            throw new CairnException.BadRequest("asset_public_url must be an http(s), s3, gs or ftp URL.");
        }
    }

    static void checkAlias(String alias) {
        if (alias == null || !alias.matches("[A-Za-z][A-Za-z0-9_.-]{0,63}") || alias.equals("latest")) {
            throw new CairnException.BadRequest(
                    "An alias is 1 to 64 letters, digits, _ . or -, starting with a letter, and not 'latest'.");
        }
    }

    /** Refuses unless the client holds {@code mode} on the registered asset's row. */
    void requireRow(String assetId, String mode) {
        context.requireRow(mode, MlSql.ML, TABLE, assetId, "Asset " + assetId);
    }

    static String col(String column) {
        return R + "." + MlSql.quote(column);
    }

    /**
     * The order in which {@code latest} picks a version: releases before pre-releases (a
     * pre-release is {@code latest} only while a name has no release, as pip and npm choose),
     * then semver-aware newest first, then the newest row.
     */
    static String latestFirst() {
        String key = "\"_deriva_ml\".version_key(" + col("Version") + ")";
        return "(" + key + " LIKE '1%!%') ASC, " + key + " COLLATE \"C\" DESC, " + col("RCT") + " DESC";
    }

    static String uriSql() {
        return "(" + col("Name") + " || ':' || " + col("Version") + " || CASE WHEN " + col("Tag")
                + " = '' THEN '' ELSE '-' || " + col("Tag") + " END)";
    }

    static String qualified(String namespace, String name) {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
