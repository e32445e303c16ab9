/**
 * The Hatrac-compatible object store under {@code /hatrac}: namespaces, objects, immutable
 * versions checked by MD5 and SHA-256, and resumable chunked uploads. Metadata lives in the system
 * database; bytes live in a {@link dev.cairn.store.spi.BlobStore} by SHA-256, so identical content
 * is stored once and no user-given name ever reaches a file path or key. The backend is a folder
 * ({@code backend.filesystem}, one node) or an S3 bucket ({@code backend.s3}, shared by any number
 * of nodes), chosen by {@code control.Storage}; nothing outside a backend package knows which. Hatrac's ACLs
 * ({@code control.StoreAccess}) decide who may read, write and own each name; rows elsewhere that
 * refer to objects ({@link dev.cairn.store.spi.ObjectReferences}) make them readable to their
 * readers and keep them from deletion.
 *
 * <p>Uses {@code platform} only. Other components use it through these classes alone:
 * <ul>
 * <li>{@code control.ObjectStore}, to read, write and delete names and versions (it also lends
 * received or stored bytes as a local file to readers that need one), with {@code control.VersionInfo}
 * (a version as stored), {@code entity.StoreName.Kind} (namespace or object) and
 * {@code control.Preconditions} (If-Match and If-None-Match, {@code NONE} for none);</li>
 * <li>{@code control.HatracPath}, Hatrac's name grammar, which every name that reaches the store
 * (asset URLs, namespaces of the registry, grants' scopes) is checked by, and
 * {@code control.Digests}, the checksums' encodings;</li>
 * <li>{@code boundary.ObjectResponses}, the conditional and ranged answers of every route that
 * serves stored bytes (AIOS's asset objects, bags);</li>
 * <li>{@code control.StoreAccess}, Hatrac's ACLs, which grants write and the registry checks;</li>
 * <li>{@code control.UploadJobs}, whose open jobs {@code /metrics} counts.</li>
 * </ul>
 * Components plug into it through {@code spi} ({@code ObjectReferences}; {@code KeptReferences}
 * for content kept staged, such as an execution's outputs; {@code BlobStore} and
 * {@code StorageException} for backends and the tests of their contract), and learn of new
 * versions by observing {@code control.VersionCommitted}.
 */
package dev.cairn.store;
