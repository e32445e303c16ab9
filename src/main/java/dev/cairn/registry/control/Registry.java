package dev.cairn.registry.control;

import dev.cairn.asset.control.AssetTables.AssetTable;
import dev.cairn.asset.control.Assets;
import dev.cairn.catalog.control.AclBindings;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.JsonBodies;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.Preconditions;
import dev.cairn.store.control.VersionInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
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
     * What typed assets add to a registration (Pangolin, the Asset Manager design and flowyml), each null when not given:
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
                Optional<JsonObject> run = MlSql.jsonObject(
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
                    && MlSql.text(
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
     * The relationships Pangolin's {@code lineage} and flowyml's {@code parents} describe, with
     * every reference resolved (400 when one names nothing): {@code training_data} (trained_on),
     * {@code parent_model} and {@code parents} (derived_from), {@code derived_models} (they
     * derived_from this one).
     */
    public List<Edge> edges(long catalogId, Typed typed) {
        List<Edge> out = new ArrayList<>();
        JsonObject lineage = typed.lineage();
        if (lineage == null) {
            return out;
        }
        List<String> fields = new ArrayList<>(List.of("training_data", "parent_model", "parents", "derived_models"));
        JsonObject named = lineage.containsKey("relationships")
                ? lineage.getJsonObject("relationships")
                : JsonValue.EMPTY_JSON_OBJECT;
        named.keySet().forEach(r -> fields.add("relationships." + r));
        for (String field : fields) {
            JsonValue v = field.startsWith("relationships.")
                    ? named.get(field.substring("relationships.".length()))
                    : lineage.get(field);
            if (v == null || v == JsonValue.NULL) {
                continue;
            }
            String label = field.startsWith("relationships.") ? field : "lineage." + field;
            List<JsonValue> refs = v.getValueType() == JsonValue.ValueType.ARRAY ? v.asJsonArray() : List.of(v);
            if (refs.size() > 1_000) {
                throw new CairnException.BadRequest(label + " names at most 1000 assets.");
            }
            for (JsonValue ref : refs) {
                if (!(ref instanceof jakarta.json.JsonString text)) {
                    throw new CairnException.BadRequest(label + " holds asset references (strings).");
                }
                String related;
                try {
                    related = queries.find(catalogId, text.getString()).getString("asset_id");
                } catch (CairnException.NotFound e) {
                    throw new CairnException.BadRequest(label + ": " + e.getMessage());
                }
                out.add(
                        switch (field) {
                            case "training_data" -> new Edge(null, "trained_on", related);
                            case "derived_models" -> new Edge(related, "derived_from", null);
                            case "parent_model", "parents" -> new Edge(null, "derived_from", related);
                            default -> new Edge(null, field.substring("relationships.".length()), related);
                        });
            }
        }
        return out;
    }

    /**
     * Registers an asset (with bytes received or in the store, or none) that {@link #checkNew}
     * accepted, with its metrics, relationships and sealed secret, in one transaction; returns
     * its AssetObject. A race lost since the check is a 409 from the constraints.
     */
    public JsonObject register(long catalogId, Asset asset, Bytes bytes, String publicUrlBase, Extras extras) {
        String rid = databases.transaction(catalogId, context.client(), c -> {
            JsonObjectBuilder info = dev.cairn.platform.JsonBodies.JSON.createObjectBuilder(
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
            String inserted = MlSql.text(
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
                MlSql.update(
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
                MlSql.update(
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
    private static String nextVersion(java.sql.Connection c, String namespace, String name)
            throws java.sql.SQLException {
        MlSql.text(
                c,
                "SELECT 'locked' FROM pg_advisory_xact_lock(hashtextextended('registry-version/' || ? || '/' || ?, 0))",
                namespace,
                name);
        List<String> versions = MlSql.jsonRows(
                        c,
                        "SELECT to_jsonb(\"Version\") FROM " + RA + " WHERE \"Namespace\" = ? AND \"Name\" = ?",
                        namespace,
                        name)
                .stream()
                .map(v -> ((jakarta.json.JsonString) v).getString())
                .toList();
        return VersionOrder.next(versions)
                .orElseThrow(
                        () -> new CairnException.Conflict(
                                "The versions of " + qualified(namespace, name)
                                        + " are neither numbers nor semver, so Cairn cannot choose the next one; name it in asset_version.version."));
    }

    private static boolean isKind(java.sql.Connection c, String kind) throws java.sql.SQLException {
        return MlSql.text(c, "SELECT \"Name\" FROM " + MlSql.ml("Asset_Kind") + " WHERE \"Name\" = ?", kind)
                .isPresent();
    }

    private static void putMetrics(java.sql.Connection c, String assetId, JsonObject metrics)
            throws java.sql.SQLException {
        for (var m : metrics.entrySet()) {
            MlSql.update(
                    c,
                    "INSERT INTO " + MlSql.ml("Registered_Asset_Metric")
                            + " (\"Asset\", \"Name\", \"Value\") VALUES (?, ?, ?) "
                            + "ON CONFLICT (\"Asset\", \"Name\") DO UPDATE SET \"Value\" = EXCLUDED.\"Value\"",
                    assetId,
                    m.getKey(),
                    ((jakarta.json.JsonNumber) m.getValue()).doubleValue());
        }
    }

    /** A Database_Connection asset's connection string, for a caller with the update right on its row. */
    public String connectionString(long catalogId, String assetId) {
        queries.get(catalogId, assetId);
        requireRow(assetId, "update");
        Secrets.Sealed sealed = databases.transaction(catalogId, context.client(), c -> {
            try (var st = MlSql.prepare(
                            c,
                            "SELECT key_id, nonce, ciphertext FROM \"_deriva_ml\".asset_secret WHERE asset = ?",
                            assetId);
                    var r = st.executeQuery()) {
                return r.next() ? new Secrets.Sealed(r.getString(1), r.getBytes(2), r.getBytes(3)) : null;
            }
        });
        if (sealed == null) {
            throw new CairnException.NotFound("Asset " + assetId + " holds no connection string.");
        }
        return secrets.open(assetId, sealed);
    }

    /**
     * AIOS's {@code PUT /asset/{uri}}: changes metadata, tags, kind, description and (for an
     * asset without stored bytes) the public URL. Fields that name the version may be sent back
     * unchanged (a client that PUTs the AssetObject it read); changing them is 409.
     */
    public JsonObject update(long catalogId, String assetId, JsonObject body) {
        JsonObject current = queries.get(catalogId, assetId);
        requireRow(assetId, "update");
        for (String fixed : List.of(
                "asset_uri",
                "asset_name",
                "asset_id",
                "assets_db_id",
                "asset_version",
                "asset_file_info",
                "asset_namespace")) {
            if (body.containsKey(fixed) && !body.get(fixed).equals(current.get(fixed))) {
                throw new CairnException.Conflict(
                        ErrorCode.IMMUTABLE,
                        fixed + " of a registered asset cannot change; register a new version instead.");
            }
        }
        Asset change = AssetJson.asset(body, null);
        Typed t = change.typed();
        if (t.specs() != null
                || t.declarativeSchema() != null
                || t.lineage() != null
                || t.connectionString() != null
                || t.step() != null) {
            // (provenance, metrics and access_control may change; what the asset was checked against may not)
            throw new CairnException.Conflict(
                    ErrorCode.IMMUTABLE,
                    "specs, declarative_schema, lineage, parents, connection_string and step are fixed when an asset "
                            + "is registered; register a new version (metrics may be sent to add or change metrics).");
        }
        boolean stored = current.getString("url", "").startsWith("/hatrac/");
        if (change.publicUrl() != null && stored && !change.publicUrl().equals(current.getString("asset_public_url"))) {
            throw new CairnException.Conflict(
                    ErrorCode.IMMUTABLE,
                    "asset_public_url of an asset whose bytes Cairn stores is its asset-object URL; it cannot change.");
        }
        check(change.tags(), change.publicUrl());
        databases.transaction(catalogId, context.client(), c -> {
            if (change.kind() != null && !isKind(c, change.kind())) {
                throw new CairnException.BadRequest("asset_kind " + change.kind() + " is not an Asset_Kind term.");
            }
            return MlSql.update(
                    c,
                    "UPDATE " + RA + " SET "
                            + "\"Metadata\" = coalesce(?::jsonb, \"Metadata\"), \"Tags\" = coalesce(?::text[], \"Tags\"), "
                            + "\"Kind\" = CASE WHEN ? THEN ? ELSE \"Kind\" END, \"Description\" = CASE WHEN ? THEN ? ELSE \"Description\" END, "
                            + "\"Public_URL\" = CASE WHEN ? THEN ? ELSE \"Public_URL\" END, "
                            + "\"URL\" = CASE WHEN ? AND (\"URL\" IS NULL OR \"URL\" = \"Public_URL\") THEN ? ELSE \"URL\" END, "
                            + "\"Provenance\" = coalesce(?::jsonb, \"Provenance\") WHERE \"RID\" = ?",
                    change.metadata() == null ? null : change.metadata().toString(),
                    change.tags() == null ? null : change.tags().toArray(String[]::new),
                    body.containsKey("asset_kind"),
                    change.kind(),
                    body.containsKey("asset_description"),
                    change.description(),
                    change.publicUrl() != null && !stored,
                    change.publicUrl(),
                    change.publicUrl() != null && !stored,
                    change.publicUrl(),
                    t.provenance() == null ? null : t.provenance().toString(),
                    assetId);
        });
        if (t.metrics() != null) {
            databases.transaction(catalogId, context.client(), c -> {
                putMetrics(c, assetId, t.metrics());
                return null;
            });
        }
        return queries.get(catalogId, assetId);
    }

    /** What a delete did: removed, or kept as a tombstone for lineage; and the stored version to release. */
    public record Deleted(boolean tombstone, String url) {}

    /**
     * Deletes an asset. While executions or relationships refer to it, 409 unless forced by a
     * catalog owner; then the row stays as a tombstone ({@code Deleted} set) so lineage keeps it,
     * and its aliases are removed. Otherwise the row, its aliases, annotations and types go.
     */
    public Deleted delete(long catalogId, String assetId, boolean force) {
        JsonObject current = queries.get(catalogId, assetId);
        requireRow(assetId, "delete");
        if (current.get("deleted") != JsonValue.NULL) {
            throw new CairnException.NotFound("Asset " + assetId + " was deleted already.");
        }
        boolean referred = !current.getJsonArray("executions").isEmpty()
                || !current.getJsonArray("relationships").isEmpty();
        if (referred && !force) {
            throw new CairnException.Conflict(
                    ErrorCode.IN_USE,
                    "Asset " + assetId + " is in the lineage of "
                            + current.getJsonArray("executions").size()
                            + " execution(s) and "
                            + current.getJsonArray("relationships").size() + " relationship(s); a catalog owner may "
                            + "delete it with ?force=true, which keeps a tombstone for lineage.");
        }
        if (referred) {
            context.require("owner");
        }
        return databases.transaction(catalogId, context.client(), c -> {
            MlSql.update(c, "DELETE FROM \"_deriva_ml\".asset_alias WHERE asset = ?", assetId);
            if (referred) {
                MlSql.update(c, "UPDATE " + RA + " SET \"Deleted\" = now() WHERE \"RID\" = ?", assetId);
                return new Deleted(true, null);
            }
            MlSql.update(c, "DELETE FROM \"_deriva_ml\".asset_annotation WHERE asset = ?", assetId);
            MlSql.update(
                    c,
                    "DELETE FROM " + MlSql.ml("Registered_Asset_Asset_Type") + " WHERE \"Registered_Asset\" = ?",
                    assetId);
            MlSql.update(c, "DELETE FROM " + RA + " WHERE \"RID\" = ?", assetId);
            return new Deleted(false, current.isNull("url") ? null : current.getString("url"));
        });
    }

    /**
     * Takes back a registration this request made and could not finish (its access_control could
     * not be given): the row and every row registering it added, then its bytes, as if it had
     * never been sent.
     */
    public void undo(long catalogId, String assetId) {
        String url = databases.transaction(catalogId, context.client(), c -> {
            String stored = MlSql.text(c, "SELECT \"URL\" FROM " + RA + " WHERE \"RID\" = ?", assetId)
                    .orElse(null);
            MlSql.update(c, "DELETE FROM \"_deriva_ml\".asset_secret WHERE asset = ?", assetId);
            MlSql.update(c, "DELETE FROM " + MlSql.ml("Registered_Asset_Metric") + " WHERE \"Asset\" = ?", assetId);
            MlSql.update(
                    c,
                    "DELETE FROM " + MlSql.ml("Registered_Asset_Relationship")
                            + " WHERE \"Asset\" = ? OR \"Related_Asset\" = ?",
                    assetId,
                    assetId);
            MlSql.update(
                    c,
                    "DELETE FROM " + MlSql.ml("Registered_Asset_Execution") + " WHERE \"Registered_Asset\" = ?",
                    assetId);
            MlSql.update(
                    c,
                    "DELETE FROM " + MlSql.ml("Registered_Asset_Asset_Type") + " WHERE \"Registered_Asset\" = ?",
                    assetId);
            MlSql.update(c, "DELETE FROM " + RA + " WHERE \"RID\" = ?", assetId);
            return stored;
        });
        release(url);
    }

    /**
     * Releases the stored version a deleted asset named, when the registry stored it (an upload,
     * under {@code deriva-ml/Registered_Asset/}) and nothing else refers to it; a version
     * registered from elsewhere in the store stays, and so do bytes another row refers to.
     */
    public void release(String url) {
        if (url == null || !url.matches("/hatrac/[0-9]+/" + MlSql.ML + "/" + TABLE + "/[^/]+")) {
            return;
        }
        try {
            HatracPath path = HatracPath.parse(url.substring("/hatrac".length()));
            if (path.version() != null) {
                store.deleteVersion(path.name(), path.version(), Preconditions.NONE);
            }
        } catch (CairnException keep) {
            // another row refers to the version, or it is gone: nothing to release
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
                        c -> MlSql.jsonRows(
                                c,
                                "SELECT to_jsonb(" + col("URL") + ") FROM " + RA + " " + R + " WHERE " + col("RID")
                                        + " = ?" + (rows == null ? "" : " AND (" + rows + ")"),
                                assetId))
                .stream()
                .findFirst()
                .map(v -> v instanceof jakarta.json.JsonString u ? u.getString() : null)
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

    /** The object name a registered file's bytes are kept under: content-addressed as the table's asset annotation says. */
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

    private static void check(List<String> tags, String publicUrl) {
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
