/**
 * Catalogs: the registry of catalogs (each a PostgreSQL database of its own, its core migrated by
 * Flyway from {@code db/migration/catalog} at creation and at every start, and DerivaML's
 * {@code deriva-ml} schema from {@code db/migration/ml} where it is installed), ERMrest's catalog,
 * model and data resources under {@code /ermrest/catalog}, Cairn's {@code /api/catalogs}, RIDs,
 * the citation resolver {@code /id/{cid}/{RID}[@snaptime]}, the model introspected from PostgreSQL in
 * ERMrest's JSON shape and its history for snapshots,
 * DDL and its alteration by partial documents, the data path grammar, its SQL and its writes, and
 * ERMrest's authorization: static ACLs and row-level ACL bindings ({@code control.Access}), which
 * every catalog route and the ML API apply to the request's caller, and the rules for changing the
 * model ({@code control.ModelRights}). {@code control.CatalogRequest}
 * is the one request context of every route with a {@code {cid}} (filled by
 * {@code boundary.CatalogRequestFilter}): the catalog addressed and the client's rights in it, so
 * boundaries of every package look catalogs up and check rights through it alone.
 *
 * <p>Uses {@code platform} only. Knows nothing of ML beyond installing its schema: the ML
 * components use this one, never the other way round.
 */
package dev.cairn.catalog;
