/**
 * Catalogs: the registry of catalogs (each a PostgreSQL database of its own, migrated by Flyway
 * from {@code db/migration/catalog} at creation and at every start), ERMrest's catalog resources
 * under {@code /ermrest/catalog}, Cairn's {@code /api/catalogs}, RIDs, and the catalog model
 * introspected from PostgreSQL in ERMrest's JSON shape.
 *
 * <p>Uses {@code platform} only. Knows nothing of ML: the {@code deriva-ml} schema arrives through
 * migrations, and the ML components use this one, never the other way round.
 */
package dev.cairn.catalog;
