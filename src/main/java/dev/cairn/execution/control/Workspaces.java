package dev.cairn.execution.control;

import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Database;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.RequestClient;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.spi.KeptReferences;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The files an execution stages before its commit. Their bytes are kept in the object store's
 * staging area (on S3, in the bucket), not on a node's disk, so any node can commit them and a
 * node's loss loses none; each is named by a random id, never by anything a client sent.
 *
 * <p>Files staged by Cairn before 0.1 lie in {@code <data dir>/executions/<catalog>/<execution>/}
 * under a UUID; they are still read and removed there.
 */
@ApplicationScoped
public class Workspaces implements KeptReferences {

    private static final Logger LOG = Logger.getLogger(Workspaces.class.getName());

    /** Bytes staged for an execution, with their digests. */
    public record Received(String fileId, long length, String md5, String sha256) {}

    @Inject
    Database database;

    @Inject
    ObjectStore store;

    @Inject
    Catalogs catalogs;

    @Inject
    CatalogDatabases databases;

    /** Streams content into the store's staging area, durably, computing MD5 and SHA-256. */
    public Received receive(long catalogId, InputStream content) {
        return received(store.keep(catalogId, content));
    }

    /** {@link #receive} of one of many files that {@link #sync} then makes durable together: an archive's. */
    public Received receiveLater(long catalogId, InputStream content) {
        return received(store.keepLater(catalogId, content));
    }

    /** Makes the files received by {@link #receiveLater} durable. */
    public void sync(List<String> fileIds) {
        store.syncKept(fileIds);
    }

    private static Received received(ObjectStore.Received kept) {
        return new Received(kept.staged().id(), kept.length(), kept.md5(), kept.sha256());
    }

    /** The staged file as content the store can commit; empty for a file of the old layout. */
    public Optional<ObjectStore.Received> kept(Received file) {
        return legacy(file.fileId())
                ? Optional.empty()
                : Optional.of(store.kept(file.fileId(), file.length(), file.md5(), file.sha256()));
    }

    public InputStream open(long catalogId, String execution, Received file) throws IOException {
        return legacy(file.fileId())
                ? Files.newInputStream(legacyFile(catalogId, execution, file.fileId()))
                : store.open(store.kept(file.fileId(), file.length(), file.md5(), file.sha256()));
    }

    /** Removes a staged file's bytes; a failure is logged (the bytes then stay unused). */
    public void delete(long catalogId, String execution, String fileId) {
        try {
            if (legacy(fileId)) {
                Files.deleteIfExists(legacyFile(catalogId, execution, fileId));
            } else {
                store.discard(store.kept(fileId, 0, null, null));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not remove staged file " + fileId, e);
        }
    }

    /** The staged files whose rows exist; those of catalogs that are gone, or that have no such row, are not. */
    @Override
    public Set<String> referenced(List<String> ids) {
        Map<Long, List<String>> byCatalog = ids.stream().collect(Collectors.groupingBy(ObjectStore::scopeOf));
        Set<String> referenced = new HashSet<>();
        for (Map.Entry<Long, List<String>> catalog : byCatalog.entrySet()) {
            try {
                if (catalogs.find(catalog.getKey()).isEmpty() || !databases.hasMl(catalog.getKey())) {
                    continue;
                }
                databases.transaction(catalog.getKey(), RequestClient.ANONYMOUS, c -> {
                    try (var s = Jdbc.prepare(
                                    c,
                                    "SELECT file_id FROM \"_deriva_ml\".staged_output WHERE file_id = ANY(?)",
                                    (Object) catalog.getValue().toArray(String[]::new));
                            var r = s.executeQuery()) {
                        while (r.next()) {
                            referenced.add(r.getString(1));
                        }
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "Cannot tell which staged files catalog " + catalog.getKey() + " still has; keeping them",
                        e);
                referenced.addAll(catalog.getValue());
            }
        }
        return referenced;
    }

    private static boolean legacy(String fileId) {
        return fileId.matches("[0-9a-f-]{36}");
    }

    private Path legacyFile(long catalogId, String execution, String fileId) {
        if (!legacy(fileId)) {
            throw new CairnException.BadRequest("not a file id: " + fileId);
        }
        return database.config()
                .dataDir()
                .resolve("executions")
                .resolve(Long.toString(catalogId))
                .resolve(MlSql.rid("Execution", execution))
                .resolve(fileId);
    }
}
