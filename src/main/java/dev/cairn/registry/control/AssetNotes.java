package dev.cairn.registry.control;

import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.Optional;

/**
 * What is said about registered assets after they are registered: relationships between two of
 * them ({@code derived_from}, {@code trained_on}...), which lineage shows, and notes appended to
 * one (the Asset Manager's {@code annotate}), never changed.
 */
@ApplicationScoped
public class AssetNotes {

    @Inject
    CatalogDatabases databases;

    @Inject
    CatalogRequest context;

    @Inject
    Registry registry;

    @Inject
    RegistryQueries registryQueries;

    /** Records that {@code assetId} has the relationship (derived_from, trained_on...) to {@code related}. */
    public JsonObject relate(long catalogId, String assetId, String relationship, String related) {
        registryQueries.get(catalogId, MlSql.rid("related_asset", related));
        registryQueries.get(catalogId, assetId);
        context.require("insert", MlSql.ML, "Registered_Asset_Relationship");
        if (assetId.equals(related)) {
            throw new CairnException.BadRequest(
                    "An asset cannot have a relationship to itself; name another asset as related_asset.");
        }
        if (relationship == null || !relationship.matches(Registry.RELATIONSHIP)) {
            throw new CairnException.BadRequest(
                    "A relationship is a name of 1 to 64 letters, digits, _ . or -, starting with a letter "
                            + "(derived_from, trained_on, evaluated_on...).");
        }
        return databases.transaction(catalogId, context.client(), c -> {
            Optional<String> existing = Jdbc.text(
                    c,
                    "SELECT \"RID\" FROM " + MlSql.ml("Registered_Asset_Relationship")
                            + " WHERE \"Asset\" = ? AND \"Related_Asset\" = ? AND \"Relationship\" = ?",
                    assetId,
                    related,
                    relationship);
            if (existing.isPresent()) {
                throw new CairnException.Conflict(
                        ErrorCode.ALREADY_EXISTS,
                        "Asset " + assetId + " already has the relationship " + relationship + " to " + related + " ("
                                + existing.get() + ").");
            }
            return Jdbc.jsonObject(
                            c,
                            "INSERT INTO "
                                    + MlSql.ml("Registered_Asset_Relationship")
                                    + " (\"Asset\", \"Related_Asset\", \"Relationship\") VALUES (?, ?, ?) "
                                    + "RETURNING jsonb_build_object('id', \"RID\", 'asset', \"Asset\", 'relationship', \"Relationship\", 'related_asset', "
                                    + "\"Related_Asset\")",
                            assetId,
                            related,
                            relationship)
                    .orElseThrow();
        });
    }

    /** Appends a note to an asset (the Asset Manager's {@code annotate}); notes are never changed. */
    public JsonObject annotate(long catalogId, String assetId, String note) {
        registryQueries.get(catalogId, assetId);
        registry.requireRow(assetId, "update");
        if (note == null || note.isBlank() || note.length() > 65_536) {
            throw new CairnException.BadRequest("A note is a non-blank string of at most 65536 characters.");
        }
        return databases.transaction(
                catalogId,
                context.client(),
                c -> Jdbc.jsonObject(
                                c,
                                "INSERT INTO \"_deriva_ml\".asset_annotation "
                                        + "(asset, note, client) VALUES (?, ?, ?) RETURNING jsonb_build_object('id', id, 'note', note, 'client', client, 'at', at)",
                                assetId,
                                note,
                                context.client().id())
                        .orElseThrow());
    }

    public JsonArray annotations(long catalogId, String assetId) {
        registryQueries.get(catalogId, assetId);
        return databases.transaction(
                catalogId,
                context.client(),
                c -> Jdbc.jsonArray(
                        c,
                        "SELECT jsonb_build_object('id', id, 'note', note, "
                                + "'client', client, 'at', at) FROM \"_deriva_ml\".asset_annotation WHERE asset = ? ORDER BY id",
                        assetId));
    }
}
