package dev.cairn.store.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Database;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.RequestClient;
import dev.cairn.store.control.ObjectStore.Copy;
import dev.cairn.store.spi.BlobStore;
import dev.cairn.store.spi.StorageException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Many kept files made versions in one transaction of a few set-wise statements, whatever their
 * number: names bound, current versions read, blobs and versions inserted, each once per group
 * (an execution's 100,000 outputs are 500 groups, not 700,000 statements). It takes only the
 * common case: new or live objects directly inside live namespaces. Anything else (a deleted
 * name to restore, a name of the wrong kind, a missing namespace) makes {@link #commit} return
 * empty, having changed nothing, and {@link ObjectStore} binds those names one by one.
 */
@ApplicationScoped
class VersionGroups {

    @Inject
    Database database;

    @Inject
    Storage storage;

    /** Thrown inside the transaction to roll it back when the group needs the one-by-one path. */
    private static final class NotCommon extends RuntimeException {
        NotCommon() {
            super(null, null, false, false);
        }
    }

    /** The versions of a group's copies, in their order, and those of them that are new. */
    record Committed(List<VersionInfo> versions, List<VersionInfo> added) {}

    /**
     * The versions of the copies: a copy whose object's current version holds its bytes already
     * gets that version. Empty when the group is not the common case.
     */
    Optional<Committed> commit(List<Copy> copies, RequestClient client) {
        try {
            return Optional.of(database.jdbcTransaction("commit versions", c -> {
                Map<String, Long> parents = parents(c, copies);
                Map<String, Long> objects = bind(c, copies, parents, client);
                Map<Long, VersionInfo> current = current(c, objects);
                List<VersionInfo> versions = new ArrayList<>();
                List<Copy> fresh = new ArrayList<>();
                List<VersionInfo> added = new ArrayList<>();
                for (Copy copy : copies) {
                    VersionInfo now = current.get(objects.get(copy.name()));
                    if (now != null && now.sha256().equals(copy.received().sha256())) {
                        versions.add(now);
                    } else {
                        VersionInfo version = new VersionInfo(
                                copy.name(),
                                RandomIds.next(),
                                copy.received().sha256(),
                                copy.received().md5(),
                                copy.received().length(),
                                copy.contentType(),
                                null);
                        fresh.add(copy);
                        added.add(version);
                        versions.add(version);
                    }
                }
                if (!fresh.isEmpty()) {
                    insertBlobs(c, fresh);
                    promote(fresh);
                    insertVersions(c, added, objects, client);
                }
                return new Committed(versions, added);
            }));
        } catch (NotCommon e) {
            return Optional.empty();
        }
    }

    /** The copies' namespaces, live, locked against deletion. */
    private static Map<String, Long> parents(Connection c, List<Copy> copies) throws SQLException {
        String[] paths = copies.stream()
                .map(copy -> HatracPath.parentOf(copy.name()))
                .distinct()
                .sorted()
                .toArray(String[]::new);
        Map<String, Long> parents = new HashMap<>();
        try (var s = Jdbc.prepare(
                        c,
                        "SELECT path, id FROM cairn.store_name WHERE path = ANY(?) AND kind = 'namespace' "
                                + "AND NOT deleted ORDER BY path FOR SHARE",
                        (Object) paths);
                var r = s.executeQuery()) {
            while (r.next()) {
                parents.put(r.getString(1), r.getLong(2));
            }
        }
        if (parents.size() != paths.length) {
            throw new NotCommon();
        }
        return parents;
    }

    /** The objects' ids, bound if new and locked for update; only live objects are the common case. */
    private static Map<String, Long> bind(
            Connection c, List<Copy> copies, Map<String, Long> parents, RequestClient client) throws SQLException {
        String[] names = copies.stream().map(Copy::name).sorted().distinct().toArray(String[]::new);
        String[] parentIds = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            parentIds[i] = Long.toString(parents.get(HatracPath.parentOf(names[i])));
        }
        Jdbc.update(
                c,
                "INSERT INTO cairn.store_name (path, parent_id, kind, created_by) SELECT x.path, x.parent::int8, "
                        + "'object', ? FROM unnest(?::text[], ?::text[]) AS x(path, parent) ORDER BY x.path "
                        + "ON CONFLICT (path) DO NOTHING",
                client.id(),
                names,
                parentIds);
        Map<String, Long> objects = new HashMap<>();
        try (var s = Jdbc.prepare(
                        c,
                        "SELECT path, id, kind = 'object' AND NOT deleted FROM cairn.store_name WHERE path = ANY(?) "
                                + "ORDER BY path FOR UPDATE",
                        (Object) names);
                var r = s.executeQuery()) {
            while (r.next()) {
                if (!r.getBoolean(3)) {
                    throw new NotCommon();
                }
                objects.put(r.getString(1), r.getLong(2));
            }
        }
        return objects;
    }

    /** Each object's current version, where it has one. */
    private static Map<Long, VersionInfo> current(Connection c, Map<String, Long> objects) throws SQLException {
        Map<Long, String> paths = new HashMap<>();
        objects.forEach((path, id) -> paths.put(id, path));
        Map<Long, VersionInfo> current = new HashMap<>();
        try (var s = Jdbc.prepare(
                        c,
                        "SELECT DISTINCT ON (v.name_id) v.name_id, v.version, v.sha256, b.md5, b.length, "
                                + "v.content_type, v.content_disposition FROM cairn.store_version v "
                                + "JOIN cairn.store_blob b ON b.sha256 = v.sha256 "
                                + "WHERE v.name_id = ANY(?::int8[]) ORDER BY v.name_id, v.id DESC",
                        (Object) paths.keySet().stream().map(String::valueOf).toArray(String[]::new));
                var r = s.executeQuery()) {
            while (r.next()) {
                long id = r.getLong(1);
                current.put(
                        id,
                        new VersionInfo(
                                paths.get(id),
                                r.getString(2),
                                r.getString(3),
                                r.getString(4),
                                r.getLong(5),
                                r.getString(6),
                                r.getString(7)));
            }
        }
        return current;
    }

    /**
     * The blobs' rows, each once and locked in the order of their keys (so that concurrent groups
     * cannot deadlock): as for one version, releasing a blob takes the same lock, so its bytes
     * cannot go while a version comes to refer to them.
     */
    private static void insertBlobs(Connection c, List<Copy> fresh) throws SQLException {
        Map<String, Copy> bySha = new TreeMap<>();
        fresh.forEach(copy -> bySha.putIfAbsent(copy.received().sha256(), copy));
        Jdbc.update(
                c,
                "INSERT INTO cairn.store_blob (sha256, md5, length) SELECT x.sha256, x.md5, x.length::int8 "
                        + "FROM unnest(?::text[], ?::text[], ?::text[]) AS x(sha256, md5, length) ORDER BY x.sha256 "
                        + "ON CONFLICT (sha256) DO UPDATE SET md5 = EXCLUDED.md5",
                bySha.keySet().toArray(String[]::new),
                bySha.values().stream().map(copy -> copy.received().md5()).toArray(String[]::new),
                bySha.values().stream()
                        .map(copy -> Long.toString(copy.received().length()))
                        .toArray(String[]::new));
    }

    /** Each kept file linked as its blob; the store makes the links durable together. */
    private void promote(List<Copy> fresh) {
        Map<String, ObjectStore.Received> bySha = new LinkedHashMap<>();
        fresh.forEach(copy -> bySha.putIfAbsent(copy.received().sha256(), copy.received()));
        try {
            storage.blobs()
                    .promoteKept(bySha.values().stream()
                            .map(r -> new BlobStore.Promotion(r.staged(), r.sha256(), r.md5()))
                            .toList());
        } catch (StorageException e) {
            if (e.reason() == StorageException.Reason.REJECTED) {
                throw new CairnException.BadRequest(
                        "Kept content no longer matches its MD5 (" + e.getMessage() + "); nothing was stored.");
            }
            throw ObjectStore.unavailable("The object store could not write", e);
        }
    }

    private static void insertVersions(
            Connection c, List<VersionInfo> added, Map<String, Long> objects, RequestClient client)
            throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO cairn.store_version (name_id, version, sha256, content_type, created_by) "
                        + "SELECT x.name_id::int8, x.version, x.sha256, x.content_type, ? "
                        + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS x(name_id, version, sha256, content_type)",
                client.id(),
                added.stream().map(v -> Long.toString(objects.get(v.name()))).toArray(String[]::new),
                added.stream().map(VersionInfo::version).toArray(String[]::new),
                added.stream().map(VersionInfo::sha256).toArray(String[]::new),
                added.stream().map(VersionInfo::contentType).toArray(String[]::new));
    }
}
