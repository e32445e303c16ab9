/**
 * The asset registry: named, versioned assets with tags, free metadata, aliases (with history),
 * relationships and annotations, kept as rows of the built-in asset table
 * {@code deriva-ml:Registered_Asset} with their bytes in the object store, so lineage, snapshots,
 * ERMrest and the web catalog see them. It serves AIOS's Assets DB API at
 * {@code /aios/{cid}/}, AIOS's registry of Assets DBs at {@code /aios/} (in the system
 * database), and the registry core at {@code /api/catalogs/{cid}/registry}. {@code Registry} is
 * the one write path of new rows and {@code RegistryChanges} of changes and deletions;
 * {@code RegistryQueries} reads them, {@code RegistryAliases}
 * keeps aliases and {@code AssetNotes} relationships and annotations. MongoDB-style queries
 * are compiled to SQL ({@code MongoFilter}, {@code FilterSql}), never evaluated in memory.
 *
 * <p>Typed assets (Pangolin's, the cz-benchmarks Asset Manager's and flowyml's) arrive through one
 * path ({@code Arrivals}): checked before
 * any byte is kept, inspected, validated ({@code Validation}: kind rules, a registered JSON
 * Schema, and operators' {@code spi.AssetValidator}s), committed and registered with their
 * metrics, lineage relationships and sealed secrets ({@code Secrets}). {@code RegistryViews}
 * lists namespaces, searches and compares metrics; {@code TableData} writes and reads tables.
 *
 * <p>Rights are checked through the request's {@code CatalogRequest}, as everywhere: the table's
 * ACLs, or an ACL binding over an asset's row (a namespace grant). Only the registry of Assets DBs,
 * which belongs to no catalog, asks the {@code Caller} (login, administrator, the entry's owner).
 *
 * <p>Uses {@code catalog} (the request's catalog and rights, the catalog's database, snapshots, SQL
 * errors), {@code grant}
 * (the Asset Manager's access_control as grants on one asset), {@code asset}
 * (the asset table's execution links), {@code dataset} (reading at a snapshot), {@code inspect}
 * (what the bytes are), {@code ml}, {@code store} (bytes, Range and ETag responses) and
 * {@code platform}. {@code asset}'s lineage reads its relationship rows.
 */
package dev.cairn.registry;
