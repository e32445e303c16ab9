package dev.cairn.registry.control;

import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.grant.control.Grants;
import dev.cairn.inspect.control.BlobInfos;
import dev.cairn.inspect.control.Inspection;
import dev.cairn.inspect.control.Inspector;
import dev.cairn.platform.CairnException;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.Preconditions;
import dev.cairn.store.control.VersionInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    RegistryChanges changes;

    @Inject
    RegistryQueries queries;

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
    Grants grants;

    /** A new asset that passed the checks that need no bytes, with its schema and lineage resolved. */
    public record Plan(Registry.Asset asset, Validation.SchemaRef schema, List<Registry.Edge> edges) {}

    /** Checks a new asset before its bytes are read: rights, uniqueness, kind, schema and lineage references. */
    public Plan plan(long catalogId, Registry.Asset asset) {
        if (asset.typed().accessControl() != null) {
            grants.checkAssetGrants(catalogId, asset.typed().accessControl());
        }
        Registry.Asset prepared = registry.checkNew(catalogId, asset);
        return new Plan(prepared, validation.schema(catalogId, prepared), edges(catalogId, prepared.typed()));
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

    /**
     * As {@link #arrive(long, Plan, ObjectStore.Received, String, String, String)}, kept under {@code
     * objectName} (null: by content).
     */
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
                store.deleteVersion(v.name(), v.version(), Preconditions.NONE); // a refused request leaves no version
            }
            throw e;
        }
    }

    /**
     * A version already in the store (e.g. sent through Hatrac's chunked upload jobs): inspected and
     * validated in place.
     */
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
            changes.release(v.url());
            throw e;
        }
        return granted(catalogId, plan, registered);
    }

    /**
     * Gives the registration's {@code access_control} on the new asset; if that fails, the
     * registration is taken back, so that a refused request leaves nothing.
     */
    private JsonObject granted(long catalogId, Plan plan, JsonObject registered) {
        Map<String, String> access = plan.asset().typed().accessControl();
        if (access == null) {
            return registered;
        }
        String id = registered.getString("asset_id");
        try {
            grants.setAssetGrants(catalogId, id, access);
        } catch (RuntimeException e) {
            changes.undo(catalogId, id);
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

    /**
     * The relationships Pangolin's {@code lineage} and flowyml's {@code parents} describe, with
     * every reference resolved (400 when one names nothing): {@code training_data} (trained_on),
     * {@code parent_model} and {@code parents} (derived_from), {@code derived_models} (they
     * derived_from this one).
     */
    private List<Registry.Edge> edges(long catalogId, Registry.Typed typed) {
        List<Registry.Edge> out = new ArrayList<>();
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
                if (!(ref instanceof JsonString text)) {
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
                            case "training_data" -> new Registry.Edge(null, "trained_on", related);
                            case "derived_models" -> new Registry.Edge(related, "derived_from", null);
                            case "parent_model", "parents" -> new Registry.Edge(null, "derived_from", related);
                            default -> new Registry.Edge(null, field.substring("relationships.".length()), related);
                        });
            }
        }
        return out;
    }
}
