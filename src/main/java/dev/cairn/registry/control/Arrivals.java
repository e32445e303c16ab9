package dev.cairn.registry.control;

import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.inspect.control.BlobInfos;
import dev.cairn.inspect.control.Inspection;
import dev.cairn.inspect.control.Inspector;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.VersionInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The one path by which an asset arrives in the registry: checked before any byte is kept
 * ({@link #plan}), then its bytes read once more for what they are ({@code inspect}), validated
 * with what they showed, committed to the store and registered. A refused asset leaves no row,
 * no object version and no staged file.
 */
@ApplicationScoped
public class Arrivals {

    @Inject
    Registry registry;

    @Inject
    RegistryQueries registryQueries;

    @Inject
    Validation validation;

    @Inject
    Inspector inspector;

    @Inject
    ObjectStore store;

    @Inject
    CatalogRequest context;

    @Inject
    BlobInfos blobInfos;

    @Inject
    dev.cairn.grant.control.Grants grants;

    /** A new asset that passed the checks that need no bytes, with its schema and lineage resolved. */
    public record Plan(Registry.Asset asset, Validation.SchemaRef schema, List<Registry.Edge> edges) {}

    /** Checks a new asset before its bytes are read: rights, uniqueness, kind, schema and lineage references. */
    public Plan plan(long catalogId, Registry.Asset asset) {
        if (asset.typed().accessControl() != null) {
            grants.checkAssetGrants(catalogId, asset.typed().accessControl());
        }
        Registry.Asset prepared = registry.checkNew(catalogId, asset);
        return new Plan(prepared, validation.schema(catalogId, prepared), registry.edges(catalogId, prepared.typed()));
    }

    /**
     * Received bytes: inspected, validated, committed under their content address and registered.
     * The received content is consumed: committed, or discarded when anything fails.
     */
    public JsonObject arrive(
            long catalogId,
            Plan plan,
            ObjectStore.Received received,
            String filename,
            String contentType,
            String publicUrlBase) {
        return arrive(catalogId, plan, received, filename, contentType, publicUrlBase, null);
    }

    /** As {@link #arrive(long, Plan, ObjectStore.Received, String, String, String)}, kept under {@code objectName} (null: by content). */
    public JsonObject arrive(
            long catalogId,
            Plan plan,
            ObjectStore.Received received,
            String filename,
            String contentType,
            String publicUrlBase,
            String objectName) {
        Inspection inspection;
        try {
            inspection = store.withFile(received, file -> check(catalogId, plan, file, filename, contentType, null));
            blobInfos.record(
                    received.sha256(), inspection.info()); // before the commit, so the background reader skips it
        } catch (RuntimeException e) {
            store.discard(received);
            throw e;
        }
        VersionInfo v = store.commit(
                objectName != null ? objectName : Registry.objectName(catalogId, received.md5(), filename),
                received,
                contentType,
                context.client());
        try {
            return register(catalogId, plan, v, filename, contentType, inspection, publicUrlBase);
        } catch (RuntimeException e) {
            if (objectName != null) {
                store.deleteVersion(
                        v.name(),
                        v.version(),
                        dev.cairn.store.control.Preconditions.NONE); // a refused request leaves no version
            }
            throw e;
        }
    }

    /** A version already in the store (e.g. sent through Hatrac's chunked upload jobs): inspected and validated in place. */
    public JsonObject arriveStored(long catalogId, Plan plan, VersionInfo v, String publicUrlBase) {
        String filename = v.name().replaceAll(".*/", "");
        Inspection known = blobInfos.find(v.sha256()).flatMap(Inspector::kept).orElse(null);
        Inspection inspection =
                store.withFile(v, file -> check(catalogId, plan, file, filename, v.contentType(), known));
        blobInfos.record(v.sha256(), inspection.info());
        Registry.Asset asset = plan.asset();
        return granted(
                catalogId,
                plan,
                registry.register(
                        catalogId,
                        asset.withPublicUrl(null),
                        new Registry.Bytes(v.url(), filename, v.length(), v.md5(), v.sha256(), v.contentType()),
                        publicUrlBase,
                        extras(plan, inspection)));
    }

    /** An asset without bytes here (external, or metadata only): validated on what it says. */
    public JsonObject arriveWithout(long catalogId, Plan plan) {
        validation.require(
                catalogId,
                new Validation.Subject(plan.asset(), JsonValue.EMPTY_JSON_OBJECT, null, Optional.empty()),
                plan.schema());
        return granted(
                catalogId,
                plan,
                registry.register(
                        catalogId,
                        plan.asset(),
                        null,
                        null,
                        new Registry.Extras(null, null, idOf(plan), plan.edges())));
    }

    /** Inspects the file (unless it was read before: {@code known}) and validates the asset with what it showed. */
    private Inspection check(
            long catalogId, Plan plan, Path file, String filename, String contentType, Inspection known) {
        Inspection inspection = known != null ? known : inspector.inspect(file, filename, contentType);
        Registry.Asset asset = plan.asset();
        Registry.Asset judged = asset.kind() != null || inspection.suggestedKind() == null
                ? asset
                : asset.withKind(inspection.suggestedKind());
        validation.require(
                catalogId,
                new Validation.Subject(judged, inspection.info(), inspection.content(), Optional.of(file)),
                plan.schema());
        return inspection;
    }

    /** Registers a committed version; if the row cannot be made, the version is released again. */
    private JsonObject register(
            long catalogId,
            Plan plan,
            VersionInfo v,
            String filename,
            String type,
            Inspection inspection,
            String base) {
        JsonObject registered;
        try {
            registered = registry.register(
                    catalogId,
                    plan.asset(),
                    new Registry.Bytes(v.url(), filename, v.length(), v.md5(), v.sha256(), type),
                    base,
                    extras(plan, inspection));
        } catch (RuntimeException e) {
            registry.release(v.url());
            throw e;
        }
        return granted(catalogId, plan, registered);
    }

    /**
     * Gives the registration's {@code access_control} on the new asset; if that fails, the
     * registration is taken back, so that a refused request leaves nothing.
     */
    private JsonObject granted(long catalogId, Plan plan, JsonObject registered) {
        java.util.Map<String, String> access = plan.asset().typed().accessControl();
        if (access == null) {
            return registered;
        }
        String id = registered.getString("asset_id");
        try {
            grants.setAssetGrants(catalogId, id, access);
        } catch (RuntimeException e) {
            registry.undo(catalogId, id);
            throw e;
        }
        return registryQueries.get(catalogId, id);
    }

    private static Registry.Extras extras(Plan plan, Inspection inspection) {
        return new Registry.Extras(inspection.info(), inspection.suggestedKind(), idOf(plan), plan.edges());
    }

    private static String idOf(Plan plan) {
        return plan.schema() == null ? null : plan.schema().assetId();
    }
}
