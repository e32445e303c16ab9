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
 * <p>Uses {@code platform} only; other components use it through {@code control.ObjectStore}
 * (which also lends received or stored bytes as a local file to readers that need one), plug into
 * it through {@code spi} ({@code ObjectReferences}; {@code KeptReferences} for content kept
 * staged, such as an execution's outputs), and learn of new versions by observing {@code control.VersionCommitted}.
 */
package dev.cairn.store;
