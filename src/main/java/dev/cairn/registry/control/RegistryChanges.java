package dev.cairn.registry.control;

import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.Jdbc;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.Preconditions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;

/**
 * What happens to a registered asset after {@link Registry} registered it: AIOS's changes of its
 * metadata, tags, kind and public URL, deletion (a tombstone while lineage refers to it), taking
 * back a registration that could not finish, releasing the bytes only the registry held, and
 * opening a Database_Connection asset's sealed connection string. Each needs the right on the
 * asset's row.
 */
@ApplicationScoped
public class RegistryChanges {

    @Inject
    Registry registry;

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

    /** A Database_Connection asset's connection string, for a caller with the update right on its row. */
    public String connectionString(long catalogId, String assetId) {
        queries.get(catalogId, assetId);
        registry.requireRow(assetId, "update");
        Secrets.Sealed sealed = databases.transaction(catalogId, context.client(), c -> {
            try (var st = Jdbc.prepare(
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
        registry.requireRow(assetId, "update");
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
        Registry.Asset change = AssetJson.asset(body, null);
        Registry.Typed t = change.typed();
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
        Registry.check(change.tags(), change.publicUrl());
        databases.transaction(catalogId, context.client(), c -> {
            if (change.kind() != null && !Registry.isKind(c, change.kind())) {
                throw new CairnException.BadRequest("asset_kind " + change.kind() + " is not an Asset_Kind term.");
            }
            return Jdbc.update(
                    c,
                    "UPDATE " + Registry.RA + " SET "
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
                Registry.putMetrics(c, assetId, t.metrics());
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
        registry.requireRow(assetId, "delete");
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
            Jdbc.update(c, "DELETE FROM \"_deriva_ml\".asset_alias WHERE asset = ?", assetId);
            if (referred) {
                Jdbc.update(c, "UPDATE " + Registry.RA + " SET \"Deleted\" = now() WHERE \"RID\" = ?", assetId);
                return new Deleted(true, null);
            }
            Jdbc.update(c, "DELETE FROM \"_deriva_ml\".asset_annotation WHERE asset = ?", assetId);
            Jdbc.update(
                    c,
                    "DELETE FROM " + MlSql.ml("Registered_Asset_Asset_Type") + " WHERE \"Registered_Asset\" = ?",
                    assetId);
            Jdbc.update(c, "DELETE FROM " + Registry.RA + " WHERE \"RID\" = ?", assetId);
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
            String stored = Jdbc.text(c, "SELECT \"URL\" FROM " + Registry.RA + " WHERE \"RID\" = ?", assetId)
                    .orElse(null);
            Jdbc.update(c, "DELETE FROM \"_deriva_ml\".asset_secret WHERE asset = ?", assetId);
            Jdbc.update(c, "DELETE FROM " + MlSql.ml("Registered_Asset_Metric") + " WHERE \"Asset\" = ?", assetId);
            Jdbc.update(
                    c,
                    "DELETE FROM " + MlSql.ml("Registered_Asset_Relationship")
                            + " WHERE \"Asset\" = ? OR \"Related_Asset\" = ?",
                    assetId,
                    assetId);
            Jdbc.update(
                    c,
                    "DELETE FROM " + MlSql.ml("Registered_Asset_Execution") + " WHERE \"Registered_Asset\" = ?",
                    assetId);
            Jdbc.update(
                    c,
                    "DELETE FROM " + MlSql.ml("Registered_Asset_Asset_Type") + " WHERE \"Registered_Asset\" = ?",
                    assetId);
            Jdbc.update(c, "DELETE FROM " + Registry.RA + " WHERE \"RID\" = ?", assetId);
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
        if (url == null || !url.matches("/hatrac/[0-9]+/" + MlSql.ML + "/" + Registry.TABLE + "/[^/]+")) {
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
}
