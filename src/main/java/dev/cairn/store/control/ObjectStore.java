package dev.cairn.store.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Database;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.Metrics;
import dev.cairn.platform.RequestClient;
import dev.cairn.platform.ScratchFolders;
import dev.cairn.store.entity.Blob;
import dev.cairn.store.entity.ObjectVersion;
import dev.cairn.store.entity.StoreName;
import dev.cairn.store.entity.StoreName.Kind;
import dev.cairn.store.spi.BlobStore;
import dev.cairn.store.spi.BlobStore.Staged;
import dev.cairn.store.spi.StorageException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Namespaces, objects and their versions. Content is streamed to a staging area while its MD5
 * and SHA-256 are computed, checked against what the client declared, and only then committed: one
 * transaction binds the name, records the blob and the version, and renames the staged bytes into
 * place under the blob's row lock, so a committed version always has all of its bytes and a failed
 * one leaves nothing behind.
 */
@ApplicationScoped
public class ObjectStore {

    private static final Logger LOG = Logger.getLogger(ObjectStore.class.getName());

    /** What a client declares about content it sends. */
    public record Declared(Long length, String md5, String sha256, String contentType, String contentDisposition) {}

    /** Content read into staging with its digests (hex), not yet a version of any object. */
    public record Received(Staged staged, String md5, String sha256) {

        public long length() {
            return staged.length();
        }
    }

    /** Staged ids of content kept for executions. */
    static final String WORKSPACE = "ws-";

    @Inject
    Database database;

    @Inject
    Storage storage;

    @Inject
    Metrics metrics;

    @Inject
    Event<VersionCommitted> committedVersions;

    @Inject
    VersionGroups groups;

    /** Runs MD5 beside the request thread's SHA-256 (see {@link Digests.DigestingStream}). */
    @Resource
    ManagedExecutorService digester;

    // ---- names

    public Kind kindOf(String name) {
        return live(name).kind();
    }

    public void createNamespace(String name, boolean parents, RequestClient client) {
        if (HatracPath.ROOT.equals(name)) {
            throw new CairnException.Conflict(ErrorCode.ALREADY_EXISTS, "The root namespace exists.");
        }
        database.transaction(em -> {
            // concurrent creators of one name wait here, and all but the first then find it: 409
            em.createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended('store-name:' || ?1, 0))")
                    .setParameter(1, name)
                    .getSingleResult();
            Optional<StoreName> existing = find(em, name);
            if (existing.isPresent() && !existing.get().deleted()) {
                throw new CairnException.Conflict(
                        ErrorCode.ALREADY_EXISTS, describe(existing.get()) + " already exists.");
            }
            return bind(em, name, Kind.namespace, parents, client);
        });
    }

    /** The names directly inside a namespace. */
    public List<String> list(String namespace) {
        StoreName ns = live(namespace);
        if (!ns.is(Kind.namespace)) {
            throw new CairnException.Conflict(ErrorCode.WRONG_KIND, namespace + " is an object, not a namespace.");
        }
        return database.read(
                em -> em
                        .createNamedQuery(StoreName.CHILDREN, StoreName.class)
                        .setParameter("parent", ns.id())
                        .getResultList()
                        .stream()
                        .map(StoreName::path)
                        .toList());
    }

    /**
     * Deletes a namespace with everything below it, as reference Hatrac's code does (its REST
     * document allows refusing instead): every name below is marked deleted and every version
     * removed in one transaction, then unused bytes are released. An upload job below keeps its
     * chunks: it can finish once the namespace is made again, or it expires.
     */
    public void deleteNamespace(String name) {
        if (HatracPath.ROOT.equals(name)) {
            throw new CairnException.Forbidden(ErrorCode.SYSTEM_OWNED, "The root namespace cannot be deleted.");
        }
        List<String> blobs = database.transaction(em -> {
            StoreName ns = lockLive(em, name);
            if (!ns.is(Kind.namespace)) {
                throw new CairnException.Conflict(ErrorCode.WRONG_KIND, name + " is an object, not a namespace.");
            }
            @SuppressWarnings("unchecked")
            List<String> released =
                    em.createNativeQuery("""
                    WITH RECURSIVE below(id) AS (
                        SELECT id FROM cairn.store_name WHERE id = ?1
                        UNION ALL
                        SELECT n.id FROM cairn.store_name n JOIN below b ON n.parent_id = b.id WHERE NOT n.deleted
                    ), marked AS (
                        UPDATE cairn.store_name SET deleted = true WHERE id IN (SELECT id FROM below)
                    ), removed AS (
                        DELETE FROM cairn.store_version WHERE name_id IN (SELECT id FROM below) RETURNING sha256
                    )
                    SELECT DISTINCT sha256 FROM removed""").setParameter(1, ns.id()).getResultList();
            em.clear();
            return released;
        });
        release(blobs);
    }

    // ---- objects

    /** Stores the stream as a new version of the object, creating the object if needed. */
    public VersionInfo put(
            String name,
            boolean parents,
            InputStream content,
            Declared declared,
            Preconditions preconditions,
            RequestClient client) {
        checkWritable(name, parents, preconditions);
        Received received = receive(content, declared);
        return commit(
                name, parents, received, declared.contentType(), declared.contentDisposition(), preconditions, client);
    }

    /**
     * Reads content into staging, digesting it, before its name is known (a name made from its
     * digests, or one chosen from a later part of a request). {@link #commit(String, Received,
     * String, RequestClient)} or {@link #discard(Received)} must follow.
     */
    public Received receive(InputStream content) {
        return receive(content, NOTHING_DECLARED);
    }

    /** Makes received content a new version of the object, creating it and its namespaces as needed. */
    public VersionInfo commit(String name, Received received, String contentType, RequestClient client) {
        try {
            checkWritable(name, true, Preconditions.NONE);
        } catch (RuntimeException e) {
            discard(received.staged());
            throw e;
        }
        return commit(name, true, received, contentType, null, Preconditions.NONE, client);
    }

    /**
     * Runs {@code reader} on received content as a local file: the staged file itself where the
     * backend keeps one, otherwise a temporary copy, removed afterwards.
     */
    public <T> T withFile(Received received, Function<Path, T> reader) {
        return withFile(
                storage.blobs().localFile(received.staged().id(), null),
                () -> storage.blobs().openStaged(received.staged()),
                reader);
    }

    /** As {@link #withFile(Received, java.util.function.Function)}, for a stored version. */
    public <T> T withFile(VersionInfo version, Function<Path, T> reader) {
        return withFile(
                storage.blobs().localFile(null, version.sha256()),
                () -> storage.blobs().open(version.sha256(), 0, version.length()),
                reader);
    }

    private interface Opener {
        InputStream open() throws IOException;
    }

    private static <T> T withFile(Optional<Path> local, Opener opener, Function<Path, T> reader) {
        if (local.isPresent()) {
            return reader.apply(local.get());
        }
        Path dir = ScratchFolders.create("cairn-read-");
        try {
            Path copy = dir.resolve("content");
            try (InputStream in = opener.open()) {
                Files.copy(in, copy);
            }
            return reader.apply(copy);
        } catch (IOException e) {
            throw new CairnException.Unavailable("Stored content could not be read back.", e);
        } finally {
            ScratchFolders.remove(dir);
        }
    }

    /** Forgets received content that will not be committed. */
    public void discard(Received received) {
        discard(received.staged());
    }

    /**
     * Keeps content in the store's staging area until {@link #discard(Received)}, for a later
     * {@link #commitCopy}: an execution's staged outputs, which any node can then commit. The
     * {@code scope} (a catalog, say) goes into the content's id, for the {@link
     * dev.cairn.store.spi.KeptReferences} that tell the sweep what is still wanted.
     */
    public Received keep(long scope, InputStream content) {
        return receive(WORKSPACE + scope + "-" + UUID.randomUUID(), content, NOTHING_DECLARED, true, false);
    }

    /**
     * {@link #keep} of one of many contents that {@link #syncKept} then makes durable together,
     * before anything refers to them: an archive's files.
     */
    public Received keepLater(long scope, InputStream content) {
        return receive(WORKSPACE + scope + "-" + UUID.randomUUID(), content, NOTHING_DECLARED, true, true);
    }

    /** Makes the content kept by {@link #keepLater} under these ids durable. */
    public void syncKept(List<String> ids) {
        try {
            storage.blobs().syncStaged(ids);
        } catch (IOException e) {
            throw new CairnException.Unavailable(
                    "The store could not keep the content (" + e.getMessage() + "); nothing was stored.", e);
        }
    }

    private static final Declared NOTHING_DECLARED = new Declared(null, null, null, null, null);

    /** The scope an id made by {@link #keep} carries. */
    public static long scopeOf(String keptId) {
        return Long.parseLong(keptId.substring(WORKSPACE.length(), keptId.indexOf('-', WORKSPACE.length())));
    }

    /** Content kept by {@link #keep}, as its row describes it. */
    public Received kept(String id, long length, String md5, String sha256) {
        if (!id.startsWith(WORKSPACE)) {
            throw new IllegalArgumentException("not kept content: " + id);
        }
        return new Received(new Staged(id, length), md5, sha256);
    }

    /** Reads received content from its start. */
    public InputStream open(Received received) {
        try {
            return storage.blobs().openStaged(received.staged());
        } catch (StorageException e) {
            throw unavailable("Staged content cannot be read", e);
        }
    }

    /**
     * Makes kept content a new version of the object, as {@link #commit(String, Received, String,
     * RequestClient)}, and keeps it staged (the caller discards it once nothing needs it).
     */
    public VersionInfo commitCopy(String name, Received received, String contentType, RequestClient client) {
        checkWritable(name, true, Preconditions.NONE);
        return commit(name, true, received, contentType, null, Preconditions.NONE, client, true);
    }

    /** Where a GET of the version may be sent instead of streaming it (large content on S3, when configured). */
    public Optional<URI> redirect(VersionInfo version) {
        return storage.redirect(version, version.contentDisposition());
    }

    /** The header that has the proxy in front send the version's file, when it may (see {@link Storage#offload}). */
    public Optional<Storage.Offload> offload(VersionInfo version, String sendfileType) {
        return storage.offload(version, sendfileType);
    }

    static CairnException unavailable(String what, StorageException e) {
        if (e.reason() == StorageException.Reason.MISSING) {
            return new CairnException.Unavailable(what + ": the store has lost it (" + e.getMessage() + ").", e);
        }
        return new CairnException.Unavailable(what + ": " + e.getMessage() + (e.retryable() ? "; try again." : "."), e);
    }

    /** Fails fast, before any byte is read, when a write cannot succeed. */
    void checkWritable(String name, boolean parents, Preconditions preconditions) {
        database.read(em -> {
            Optional<StoreName> existing = find(em, name);
            if (existing.isPresent()
                    && existing.get().is(Kind.namespace)
                    && !existing.get().deleted()) {
                throw new CairnException.Conflict(ErrorCode.WRONG_KIND, name + " is a namespace, not an object.");
            }
            if (existing.isPresent() && existing.get().is(Kind.namespace)) {
                throw new CairnException.Conflict(
                        ErrorCode.WRONG_KIND, name + " was a namespace; it cannot become an object.");
            }
            if (existing.isEmpty()) {
                checkParent(em, HatracPath.parentOf(name), parents);
            }
            preconditions.check(existing.filter(n -> !n.deleted()).flatMap(n -> currentVersion(em, n)));
            return null;
        });
    }

    private void checkParent(EntityManager em, String parent, boolean parents) {
        Optional<StoreName> ns = find(em, parent).filter(n -> !n.deleted());
        if (ns.isEmpty()) {
            if (!parents) {
                throw new CairnException.NotFound(
                        "Namespace " + parent + " does not exist; add ?parents=true to create it.");
            }
            if (!HatracPath.ROOT.equals(parent)) {
                checkParent(em, HatracPath.parentOf(parent), true);
            }
        } else if (!ns.get().is(Kind.namespace)) {
            throw new CairnException.Conflict(ErrorCode.WRONG_KIND, parent + " is an object, not a namespace.");
        }
    }

    /** Streams content into staging, computing its digests, and checks it against the declaration. */
    Received receive(InputStream content, Declared declared) {
        return receive(Storage.TRANSIENT + UUID.randomUUID(), content, declared, false, false);
    }

    private Received receive(String id, InputStream content, Declared declared, boolean kept, boolean later) {
        BlobStore blobs = storage.blobs();
        Digests.DigestingStream digesting = new Digests.DigestingStream(content, digester);
        Staged staged;
        String md5;
        try {
            staged = later ? blobs.stageLater(id, digesting) : blobs.stage(id, digesting, kept);
            md5 = digesting.md5();
            metrics.bytesIn(staged.length());
        } catch (StorageException e) {
            throw new CairnException.Unavailable(
                    "The store could not keep the content (" + e.getMessage() + "); nothing was stored.", e);
        } catch (IOException e) {
            throw new CairnException.BadRequest("The content could not be read completely: " + e.getMessage());
        }
        Received received = new Received(staged, md5, digesting.sha256());
        try {
            verify(received, declared);
            return received;
        } catch (RuntimeException e) {
            discard(staged);
            throw e;
        }
    }

    private static void verify(Received received, Declared declared) {
        long length = received.staged().length();
        if (declared.length() != null && declared.length() != length) {
            throw new CairnException.BadRequest(
                    "Received " + length + " bytes, but Content-Length was " + declared.length() + ".");
        }
        if (declared.md5() != null && !declared.md5().equals(received.md5())) {
            throw new CairnException.BadRequest("Content-MD5 does not match the content received (its MD5 is "
                    + Digests.base64(received.md5()) + "); nothing was stored.");
        }
        if (declared.sha256() != null && !declared.sha256().equals(received.sha256())) {
            throw new CairnException.BadRequest("Content-SHA256 does not match the content received (its SHA-256 is "
                    + Digests.base64(received.sha256()) + "); nothing was stored.");
        }
    }

    /**
     * Makes received content a version of the object in one transaction. The staged bytes are
     * renamed into place while the blob's row is locked, so that releasing the blob (which takes the
     * same lock) can never remove bytes a version refers to.
     */
    VersionInfo commit(
            String name,
            boolean parents,
            Received received,
            String contentType,
            String contentDisposition,
            Preconditions preconditions,
            RequestClient client) {
        return commit(name, parents, received, contentType, contentDisposition, preconditions, client, false);
    }

    /** As above; with {@code keep}, the received content stays staged whether or not the commit succeeds. */
    VersionInfo commit(
            String name,
            boolean parents,
            Received received,
            String contentType,
            String contentDisposition,
            Preconditions preconditions,
            RequestClient client,
            boolean keep) {
        VersionInfo committed =
                store(name, parents, received, contentType, contentDisposition, preconditions, client, keep);
        // on this thread: an asynchronous event would capture the container's context for every
        // version, which cost a fifth of a small PUT's time; observers only queue work
        committedVersions.fire(new VersionCommitted(committed));
        return committed;
    }

    private VersionInfo store(
            String name,
            boolean parents,
            Received received,
            String contentType,
            String contentDisposition,
            Preconditions preconditions,
            RequestClient client,
            boolean keep) {
        try {
            return database.transaction(em -> {
                StoreName object = bind(em, name, Kind.object, parents, client);
                preconditions.check(currentVersion(em, object));
                return addVersion(em, object, received, contentType, contentDisposition, client, keep);
            });
        } catch (RuntimeException e) {
            if (!keep) {
                discard(received.staged());
            }
            throw storing(e);
        }
    }

    /** Kept content to become a version of the object named, in {@link #commitCopies}. */
    public record Copy(String name, Received received, String contentType) {}

    /**
     * {@link #commitCopy} for many objects in one transaction: each name gets a new version unless
     * its current version holds the same bytes already (that version is returned). All or none:
     * if one fails, none is committed and the content stays kept. Returned in the given order.
     * The common case (live or new objects in live namespaces) takes a few set-wise statements
     * ({@link VersionGroups}); any other group binds its names one by one.
     */
    public List<VersionInfo> commitCopies(List<Copy> copies, RequestClient client) {
        VersionGroups.Committed committed;
        try {
            committed = groups.commit(copies, client)
                    .orElseGet(() -> database.transaction(em -> {
                        List<VersionInfo> versions = new ArrayList<>();
                        List<VersionInfo> added = new ArrayList<>();
                        for (Copy copy : copies) {
                            StoreName object = bind(em, copy.name(), Kind.object, true, client);
                            Optional<VersionInfo> current = currentVersion(em, object);
                            if (current.isPresent()
                                    && current.get()
                                            .sha256()
                                            .equals(copy.received().sha256())) {
                                versions.add(current.get());
                            } else {
                                VersionInfo version =
                                        addVersion(em, object, copy.received(), copy.contentType(), null, client, true);
                                added.add(version);
                                versions.add(version);
                            }
                            // written and forgotten at once: otherwise each query would first compare every
                            // entity the transaction has touched, and a group would cost its size squared
                            em.flush();
                            em.clear();
                        }
                        return new VersionGroups.Committed(versions, added);
                    }));
        } catch (RuntimeException e) {
            throw storing(e);
        }
        committed.added().forEach(version -> committedVersions.fire(new VersionCommitted(version)));
        return committed.versions();
    }

    /**
     * One new version of the bound object, in the caller's transaction. The staged bytes are
     * renamed into place while the blob's row is locked, so that releasing the blob (which takes the
     * same lock) can never remove bytes a version refers to.
     */
    private VersionInfo addVersion(
            EntityManager em,
            StoreName object,
            Received received,
            String contentType,
            String contentDisposition,
            RequestClient client,
            boolean keep) {
        em.createNativeQuery("INSERT INTO cairn.store_blob (sha256, md5, length) VALUES (?1, ?2, ?3) "
                        + "ON CONFLICT (sha256) DO UPDATE SET md5 = EXCLUDED.md5")
                .setParameter(1, received.sha256())
                .setParameter(2, received.md5())
                .setParameter(3, received.staged().length())
                .executeUpdate();
        Blob blob = em.find(Blob.class, received.sha256());
        try {
            storage.blobs().promote(received.staged(), received.sha256(), received.md5(), keep);
        } catch (StorageException e) {
            if (e.reason() == StorageException.Reason.REJECTED) {
                throw new CairnException.BadRequest(
                        "The staged content no longer matches its MD5; nothing was stored.");
            }
            throw new UncheckedIOException(e);
        }
        ObjectVersion version =
                new ObjectVersion(object.id(), RandomIds.next(), blob, contentType, contentDisposition, client.id());
        em.persist(version);
        return VersionInfo.of(object.path(), version);
    }

    /** A failure to store, as the client hears it. */
    private RuntimeException storing(RuntimeException e) {
        if (e instanceof UncheckedIOException io && io.getCause() instanceof StorageException s) {
            return unavailable("The object store could not write", s);
        }
        return e;
    }

    /**
     * Hatrac's {@code rename_from}: the source object's versions (all, or those named) become
     * versions of {@code name} with the same version ids, sharing their bytes (none are copied).
     * Each source version stays as a forward to its new name: it is served while the renamed
     * version exists, and can be deleted. Repeating a rename changes nothing. Returns the newest
     * renamed version.
     */
    public VersionInfo renameFrom(
            String name, String source, List<String> versions, boolean parents, RequestClient client) {
        if (name.equals(source)) {
            throw new CairnException.Conflict("An object cannot be renamed to itself.");
        }
        return database.transaction(em -> {
            StoreName from = lockLive(em, source);
            requireObject(from);
            List<ObjectVersion> all = em.createNamedQuery(ObjectVersion.OF_NAME, ObjectVersion.class)
                    .setParameter("name", from.id())
                    .getResultList();
            if (versions != null) {
                for (String v : versions) {
                    if (all.stream().noneMatch(o -> o.version().equals(v))) {
                        throw new CairnException.Conflict("Object " + source + " has no version " + v + " to rename.");
                    }
                }
            }
            // oldest first (all is newest first), so that the newest renamed becomes the current version
            List<ObjectVersion> moving = new ArrayList<>(all.stream()
                    .filter(o -> versions == null || versions.contains(o.version()))
                    .toList());
            Collections.reverse(moving);
            if (moving.isEmpty()) {
                throw new CairnException.Conflict("Object " + source + " has no versions to rename.");
            }
            StoreName object = bind(em, name, Kind.object, parents, client);
            for (ObjectVersion v : moving) {
                if (v.renamedTo() != null && !v.renamedTo().equals(object.id())) {
                    throw new CairnException.Conflict(
                            ErrorCode.VERSION_EXISTS,
                            HatracPath.url(source, v.version()) + " was renamed to another object already.");
                }
                Optional<ObjectVersion> there = em.createNamedQuery(ObjectVersion.BY_VERSION, ObjectVersion.class)
                        .setParameter("name", object.id())
                        .setParameter("version", v.version())
                        .getResultStream()
                        .findFirst();
                if (there.isPresent()
                        && !there.get().blob().sha256().equals(v.blob().sha256())) {
                    throw new CairnException.Conflict(
                            ErrorCode.VERSION_EXISTS,
                            HatracPath.url(name, v.version()) + " exists with other content.");
                }
                if (there.isEmpty()) {
                    em.persist(new ObjectVersion(
                            object.id(), v.version(), v.blob(), v.contentType(), v.contentDisposition(), client.id()));
                    em.flush(); // one at a time, oldest first: the newest gets the highest id and is current
                }
                v.renamedTo(object.id());
            }
            return VersionInfo.of(name, moving.get(moving.size() - 1));
        });
    }

    /** The current version of the object, if the name is a live object with a version. */
    /** The store's name an {@code s3://} URL of its own bucket stands for (CAIRN_STORE=s3); empty for any other URL. */
    public Optional<String> nameOfS3Url(String url) {
        return storage.nameOfS3Url(url);
    }

    public Optional<VersionInfo> find(String name) {
        return database.read(em ->
                find(em, name).filter(n -> !n.deleted() && n.is(Kind.object)).flatMap(n -> currentVersion(em, n)));
    }

    /**
     * The versions that many {@code name:version} URLs name, in one query (a bag's files, say):
     * versions of live objects that were not renamed away, keyed by their URL; URLs that name none
     * are left out.
     */
    public Map<String, VersionInfo> versions(Collection<HatracPath> paths) {
        if (paths.isEmpty()) {
            return Map.of();
        }
        Set<String> wanted =
                paths.stream().map(p -> HatracPath.url(p.name(), p.version())).collect(Collectors.toSet());
        return database.read(em -> em
                .createQuery(
                        "SELECT n.path, v FROM ObjectVersion v, StoreName n WHERE v.nameId = n.id "
                                + "AND n.deleted = false AND v.renamedTo IS NULL AND n.path IN :paths AND v.version IN :versions",
                        Object[].class)
                .setParameter(
                        "paths", paths.stream().map(HatracPath::name).distinct().toList())
                .setParameter(
                        "versions",
                        paths.stream().map(HatracPath::version).distinct().toList())
                .getResultList()
                .stream()
                .map(row -> VersionInfo.of((String) row[0], (ObjectVersion) row[1]))
                .filter(v -> wanted.contains(v.url()))
                .collect(Collectors.toMap(VersionInfo::url, v -> v, (a, b) -> a)));
    }

    /** The object's current version: the newest one not deleted. */
    public VersionInfo current(String name) {
        StoreName object = liveObject(name);
        return database.read(em -> em.createNamedQuery(ObjectVersion.OF_NAME, ObjectVersion.class)
                        .setParameter("name", object.id())
                        .setMaxResults(1)
                        .getResultStream()
                        .findFirst()
                        .map(v -> readable(em, name, v)))
                .orElseThrow(() -> new CairnException.Conflict("Object " + name + " has no versions."));
    }

    public VersionInfo version(String name, String version) {
        StoreName object = liveObject(name);
        return database.read(em -> em.createNamedQuery(ObjectVersion.BY_VERSION, ObjectVersion.class)
                        .setParameter("name", object.id())
                        .setParameter("version", version)
                        .getResultStream()
                        .findFirst()
                        .map(v -> readable(em, name, v)))
                .orElseThrow(() -> new CairnException.NotFound("Object " + name + " has no version " + version + "."));
    }

    /** A version to serve: a renamed one only while the version it was renamed to exists (as Hatrac answers). */
    private static VersionInfo readable(EntityManager em, String name, ObjectVersion v) {
        if (v.renamedTo() != null
                && em.createNamedQuery(ObjectVersion.BY_VERSION, ObjectVersion.class)
                        .setParameter("name", v.renamedTo())
                        .setParameter("version", v.version())
                        .getResultList()
                        .isEmpty()) {
            StoreName target = em.find(StoreName.class, v.renamedTo());
            throw new CairnException.Conflict(HatracPath.url(name, v.version()) + " was renamed to "
                    + HatracPath.url(target == null ? "?" : target.path(), v.version()) + ", which no longer exists.");
        }
        return VersionInfo.of(name, v);
    }

    /** Versions, newest first. */
    public List<VersionInfo> versions(String name) {
        StoreName object = liveObject(name);
        return database.read(em -> em
                .createNamedQuery(ObjectVersion.OF_NAME, ObjectVersion.class)
                .setParameter("name", object.id())
                .getResultList()
                .stream()
                .map(v -> VersionInfo.of(name, v))
                .toList());
    }

    public InputStream open(VersionInfo version, long offset, long length) {
        try {
            return new SentBytes(storage.blobs().open(version.sha256(), offset, length), metrics);
        } catch (StorageException e) {
            throw unavailable("The bytes of " + version.url() + " cannot be read", e);
        }
    }

    public void deleteVersion(String name, String version, Preconditions preconditions) {
        String sha256 = database.transaction(em -> {
            StoreName object = lockLive(em, name);
            requireObject(object);
            ObjectVersion v = em.createNamedQuery(ObjectVersion.BY_VERSION, ObjectVersion.class)
                    .setParameter("name", object.id())
                    .setParameter("version", version)
                    .getResultStream()
                    .findFirst()
                    .orElseThrow(
                            () -> new CairnException.NotFound("Object " + name + " has no version " + version + "."));
            preconditions.check(Optional.of(VersionInfo.of(name, v)));
            em.remove(v);
            return v.blob().sha256();
        });
        release(List.of(sha256));
    }

    public void deleteObject(String name, Preconditions preconditions) {
        List<String> blobs = database.transaction(em -> {
            StoreName object = lockLive(em, name);
            requireObject(object);
            preconditions.check(currentVersion(em, object));
            List<ObjectVersion> versions = em.createNamedQuery(ObjectVersion.OF_NAME, ObjectVersion.class)
                    .setParameter("name", object.id())
                    .getResultList();
            versions.forEach(em::remove);
            object.deleted(true);
            return versions.stream().map(v -> v.blob().sha256()).distinct().toList();
        });
        release(blobs);
    }

    /**
     * Removes blobs no version refers to any more, with their bytes. The row lock orders this
     * after any commit that is adding a version of the same content.
     */
    void release(List<String> sha256s) {
        for (String sha256 : sha256s) {
            try {
                database.transaction(em -> {
                    Blob blob = em.find(Blob.class, sha256, LockModeType.PESSIMISTIC_WRITE);
                    if (blob == null) {
                        return null;
                    }
                    long users = em.createNamedQuery(ObjectVersion.COUNT_OF_BLOB, Long.class)
                            .setParameter("sha256", sha256)
                            .getSingleResult();
                    if (users == 0) {
                        try {
                            storage.blobs().delete(sha256);
                        } catch (StorageException e) {
                            throw new UncheckedIOException(e);
                        }
                        em.remove(blob);
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                // the version is gone either way; unreferenced bytes are reclaimed at the next start
                LOG.log(Level.WARNING, "Could not release blob " + sha256, e);
            }
        }
    }

    // ---- helpers

    private void discard(Staged staged) {
        try {
            storage.blobs().discard(staged);
        } catch (StorageException e) {
            LOG.log(Level.WARNING, "Could not discard staged content " + staged.id() + "; removed at next start", e);
        }
    }

    private StoreName live(String name) {
        return database.read(em -> find(em, name))
                .filter(n -> !n.deleted())
                .orElseThrow(() -> new CairnException.NotFound("No namespace or object " + name + "."));
    }

    private StoreName liveObject(String name) {
        StoreName n = live(name);
        requireObject(n);
        return n;
    }

    private static void requireObject(StoreName name) {
        if (!name.is(Kind.object)) {
            throw new CairnException.Conflict(ErrorCode.WRONG_KIND, name.path() + " is a namespace, not an object.");
        }
    }

    private static Optional<StoreName> find(EntityManager em, String name) {
        return em.createNamedQuery(StoreName.BY_PATH, StoreName.class)
                .setParameter("path", name)
                .getResultStream()
                .findFirst();
    }

    private static StoreName lockLive(EntityManager em, String name) {
        StoreName n = locked(em, name, "FOR UPDATE");
        if (n == null || n.deleted()) {
            throw new CairnException.NotFound("No namespace or object " + name + ".");
        }
        return n;
    }

    private static StoreName locked(EntityManager em, String name, String lock) {
        List<?> rows = em.createNativeQuery("SELECT * FROM cairn.store_name WHERE path = ?1 " + lock, StoreName.class)
                .setParameter(1, name)
                .getResultList();
        return rows.isEmpty() ? null : (StoreName) rows.get(0);
    }

    private static Optional<VersionInfo> currentVersion(EntityManager em, StoreName object) {
        return em.createNamedQuery(ObjectVersion.OF_NAME, ObjectVersion.class)
                .setParameter("name", object.id())
                .setMaxResults(1)
                .getResultStream()
                .findFirst()
                .map(v -> VersionInfo.of(object.path(), v));
    }

    /**
     * The live name of the given kind, locked for update: created (with its namespaces when
     * {@code parents}) or restored if needed. A name never changes kind.
     */
    static StoreName bind(EntityManager em, String name, Kind kind, boolean parents, RequestClient client) {
        String parentName = HatracPath.parentOf(name);
        StoreName parent = locked(em, parentName, "FOR SHARE");
        if (parent == null || parent.deleted()) {
            if (!parents) {
                throw new CairnException.NotFound(
                        "Namespace " + parentName + " does not exist; add ?parents=true to create it.");
            }
            parent = bind(em, parentName, Kind.namespace, true, client);
        }
        if (!parent.is(Kind.namespace)) {
            throw new CairnException.Conflict(ErrorCode.WRONG_KIND, parentName + " is an object, not a namespace.");
        }
        em.createNativeQuery("INSERT INTO cairn.store_name (path, parent_id, kind, created_by) "
                        + "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (path) DO NOTHING")
                .setParameter(1, name)
                .setParameter(2, parent.id())
                .setParameter(3, kind.name())
                .setParameter(4, client.id())
                .executeUpdate();
        StoreName bound = locked(em, name, "FOR UPDATE");
        if (!bound.is(kind)) {
            throw new CairnException.Conflict(
                    ErrorCode.WRONG_KIND,
                    describe(bound) + (bound.deleted() ? " was" : " is") + " a " + bound.kind()
                            + "; it cannot be used as a " + kind + ".");
        }
        if (bound.deleted()) {
            // a restored name is new: it belongs to whoever restores it, and its old ACLs are gone
            bound.deleted(false);
            bound.createdBy(client.id());
            em.createNativeQuery("DELETE FROM cairn.store_acl WHERE name_id = ?1")
                    .setParameter(1, bound.id())
                    .executeUpdate();
        }
        return bound;
    }

    private static String describe(StoreName name) {
        return (name.is(Kind.namespace) ? "Namespace " : "Object ") + name.path();
    }

    /** Counts what is read from a stored version as bytes sent ({@code cairn_store_sent_bytes_total}). */
    private static final class SentBytes extends FilterInputStream {
        private final Metrics metrics;

        SentBytes(InputStream in, Metrics metrics) {
            super(in);
            this.metrics = metrics;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                metrics.bytesOut(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            metrics.bytesOut(n);
            return n;
        }

        /** The backend's own transfer (large blocks), counted when done. */
        @Override
        public long transferTo(OutputStream out) throws IOException {
            long n = in.transferTo(out);
            metrics.bytesOut(n);
            return n;
        }
    }
}
