package dev.cairn.registry.control;

import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Aliases of a registered asset's name ({@code production}, {@code staging}...): each points at one
 * live version of the name, moves atomically, and keeps every move in its history. Reading needs
 * {@code select} on the registry's rows, setting or removing one {@code update} on the version's row.
 */
@ApplicationScoped
public class RegistryAliases {

    @Inject
    CatalogDatabases databases;

    @Inject
    CatalogRequest context;

    @Inject
    Registry registry;

    @Inject
    RegistryQueries registryQueries;

    /** Points an alias of a name at one of its versions, atomically; the move is recorded. */
    public JsonObject setAlias(long catalogId, String namespace, String name, String alias, String assetId) {
        JsonObject target = registryQueries.get(catalogId, assetId);
        registry.requireRow(assetId, "update");
        if (!target.getString("asset_name").equals(name)
                || !target.getString("asset_namespace").equals(namespace)
                || target.get("deleted") != JsonValue.NULL) {
            throw new CairnException.BadRequest(
                    "Asset " + assetId + " is not a live version of " + Registry.qualified(namespace, name) + ".");
        }
        Registry.checkAlias(alias);
        databases.transaction(
                catalogId,
                context.client(),
                c -> Jdbc.update(
                        c,
                        "INSERT INTO \"_deriva_ml\".asset_alias "
                                + "(namespace, name, alias, asset, set_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace, name, alias) DO UPDATE "
                                + "SET asset = EXCLUDED.asset, set_by = EXCLUDED.set_by, set_at = now()",
                        namespace,
                        name,
                        alias,
                        assetId,
                        context.client().id()));
        return alias(catalogId, namespace, name, alias);
    }

    public void removeAlias(long catalogId, String namespace, String name, String alias) {
        JsonObject current = alias(catalogId, namespace, name, alias);
        if (current.isNull("asset_id")) {
            throw new CairnException.NotFound(
                    "No alias " + alias + " of " + Registry.qualified(namespace, name) + " is set.");
        }
        registry.requireRow(current.getString("asset_id"), "update");
        databases.transaction(
                catalogId,
                context.client(),
                c -> Jdbc.update(
                        c,
                        "DELETE FROM \"_deriva_ml\".asset_alias WHERE namespace = ? AND name = ? AND alias = ?",
                        namespace,
                        name,
                        alias));
    }

    /** An alias: the asset it points at now (null when removed) and every move, oldest first. */
    public JsonObject alias(long catalogId, String namespace, String name, String alias) {
        Registry.checkAlias(alias);
        registryQueries.readable(catalogId);
        JsonObject found = databases
                .transaction(
                        catalogId,
                        context.client(),
                        c -> Jdbc.jsonObject(
                                c,
                                "SELECT jsonb_build_object("
                                        + "'alias', ?::text, 'name', ?::text, 'namespace', ?::text, "
                                        + "'asset_id', (SELECT asset FROM \"_deriva_ml\".asset_alias WHERE namespace = ? AND name = ? AND alias = ?), "
                                        + "'history', coalesce((SELECT jsonb_agg(jsonb_build_object('from', h.from_asset, 'to', h.to_asset, 'client', h.client, "
                                        + "'at', h.at) ORDER BY h.id) FROM \"_deriva_ml\".asset_alias_history h WHERE h.namespace = ? AND h.name = ? AND h.alias = ?), '[]'))",
                                alias,
                                name,
                                namespace,
                                namespace,
                                name,
                                alias,
                                namespace,
                                name,
                                alias))
                .orElseThrow();
        if (found.isNull("asset_id") && found.getJsonArray("history").isEmpty()) {
            throw new CairnException.NotFound(
                    "No alias " + alias + " of " + Registry.qualified(namespace, name) + " was ever set.");
        }
        return found;
    }

    public JsonArray aliases(long catalogId, String namespace, String name) {
        registryQueries.readable(catalogId);
        return databases.transaction(
                catalogId,
                context.client(),
                c -> Jdbc.jsonArray(
                        c,
                        "SELECT jsonb_build_object('alias', alias, "
                                + "'asset_id', asset, 'set_by', set_by, 'set_at', set_at) FROM \"_deriva_ml\".asset_alias WHERE namespace = ? AND name = ? "
                                + "ORDER BY alias",
                        namespace,
                        name));
    }
}
