package dev.cairn.execution.control;

import dev.cairn.asset.control.AssetTables;
import dev.cairn.asset.control.AssetTables.AssetTable;
import dev.cairn.asset.control.Assets;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.ml.control.MlSql;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Database;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.Jdbc;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.Leases;
import dev.cairn.platform.Metrics;
import dev.cairn.platform.RequestClient;
import dev.cairn.platform.StartupFailure;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.Preconditions;
import dev.cairn.store.control.VersionInfo;
import dev.cairn.store.entity.StoreName;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Commits of execution outputs (DerivaML's {@code upload_execution_outputs}), all or nothing.
 *
 * <ol>
 * <li>The execution becomes {@code Pending_Upload}; from then on nothing more can be staged. A
 * row in {@code cairn.output_commit} records that a commit is under way.</li>
 * <li>Each staged file becomes a version of {@code /hatrac/{cid}/{schema}/{table}/{MD5}.{Filename}},
 * or reuses the current version when it holds the same bytes: a retry stores nothing twice.</li>
 * <li>One catalog transaction inserts every asset row, its types (plus {@code Output_File}) and its
 * {@code {Asset}_Execution} row with role {@code Output}, and sets status {@code Uploaded} and
 * {@code Upload_Duration}. Until it commits, the catalog holds none of the outputs.</li>
 * <li>The working directory is cleaned, unless the client asked to keep it.</li>
 * </ol>
 * A failure leaves the execution {@code Pending_Upload}: retrying finishes the work.
 *
 * <p>A commit holds a lease ({@link Leases}) while it runs, so that one node at a time commits an
 * execution. Every node looks for commits recorded as running whose lease nobody holds (their
 * node died), at start-up and every {@code cairn.commit.resume.interval}, and finishes them.
 */
@Startup
@Singleton
@DependsOn({"CatalogStartup", "Storage"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class OutputCommits {

    private static final Logger LOG = Logger.getLogger(OutputCommits.class.getName());
    /** Commits larger than this run in the background unless the client says otherwise. */
    static final long BACKGROUND_BYTES = 64L << 20;

    static final int BACKGROUND_FILES = 200;
    /** Files stored at once: fsyncs of small files overlap, large files share the disk. */
    private static final int WORKERS = 4;

    /**
     * Asset rows inserted per statement in the commit's transaction: the rows of 100,000 files in
     * one statement (with their indexes, types, links and history) ran past the catalog's 30 s
     * statement limit.
     */
    private static final int ROWS_PER_STATEMENT = 5000;

    /** A commit of more files than this refreshes the staged files' statistics first. */
    static final int ANALYZE_ABOVE = 500;

    /** Versions committed per transaction of the object store. */
    private static final int GROUP = 200;

    /** A staged file to commit. */
    record StagedFile(
            String schema, String table, String filename, String fileId, long length, String md5, String sha256) {}

    /** What one commit has to do. */
    record Plan(long catalogId, String execution, boolean keep, List<StagedFile> files, boolean nothingToDo) {

        long bytes() {
            return files.stream().mapToLong(StagedFile::length).sum();
        }
    }

    /** Live progress of a running commit. */
    static final class Progress {
        final AtomicInteger filesTotal = new AtomicInteger();
        final AtomicInteger filesDone = new AtomicInteger();
        final AtomicLong bytesTotal = new AtomicLong();
        final AtomicLong bytesDone = new AtomicLong();
        final AtomicLong recordedAt = new AtomicLong(System.nanoTime());
    }

    /** At most once a second, how far a commit got, for whoever asks another node. */
    private void recordProgress(Plan plan, Progress progress) {
        long last = progress.recordedAt.get();
        long now = System.nanoTime();
        if (now - last > 1_000_000_000L && progress.recordedAt.compareAndSet(last, now)) {
            try {
                system(
                        "UPDATE cairn.output_commit SET files_done = ?, bytes_done = ? WHERE catalog_id = ? AND execution_rid = ? "
                                + "AND state = 'running'",
                        progress.filesDone.get(),
                        progress.bytesDone.get(),
                        plan.catalogId(),
                        plan.execution());
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "recording a commit's progress", e);
            }
        }
    }

    @Inject
    Database database;

    @Inject
    CatalogDatabases databases;

    @Inject
    ObjectStore store;

    @Inject
    Workspaces workspaces;

    @Inject
    AssetTables assetTables;

    @Inject
    Leases leases;

    @Inject
    Metrics metrics;

    @Resource
    ManagedThreadFactory threads;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "cairn.commit.resume.interval", defaultValue = "PT30S")
    Duration resumeInterval;

    private ScheduledFuture<?> resumer;

    private final Map<String, Progress> running = new ConcurrentHashMap<>();
    private ExecutorService workers;
    private ExecutorService background;

    @PostConstruct
    void start() {
        workers = Executors.newFixedThreadPool(WORKERS, threads);
        background = Executors.newCachedThreadPool(threads);
        try {
            resumeInterrupted();
        } catch (RuntimeException e) {
            throw StartupFailure.stop(database.config(), "resuming interrupted commits", e);
        }
        resumer = scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        resumeInterrupted();
                    } catch (RuntimeException e) {
                        LOG.log(
                                Level.WARNING,
                                "Looking for interrupted commits failed; trying again in " + resumeInterval,
                                e);
                    }
                },
                resumeInterval.toMillis(),
                resumeInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Finishes every commit recorded as running whose node is gone (nobody holds its lease). */
    void resumeInterrupted() {
        List<Object[]> recorded = new ArrayList<>();
        try (Connection c = database.system().getConnection();
                var s = c.prepareStatement(
                        "SELECT catalog_id, execution_rid, keep_files FROM cairn.output_commit WHERE state = 'running'");
                var r = s.executeQuery()) {
            while (r.next()) {
                recorded.add(new Object[] {r.getLong(1), r.getString(2), r.getBoolean(3)});
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the running commits: " + e.getMessage(), e);
        }
        for (Object[] row : recorded) {
            long catalogId = (Long) row[0];
            String execution = (String) row[1];
            if (running.containsKey(key(catalogId, execution))) {
                continue;
            }
            Optional<Leases.Lease> lease = leases.tryAcquire(lease(catalogId, execution));
            if (lease.isEmpty()) {
                continue; // another node is running it
            }
            if (!stillRunning(catalogId, execution)) {
                lease.get().close(); // it finished between the two reads
                continue;
            }
            LOG.warning(() -> "Resuming the commit of execution " + execution + " in catalog " + catalogId
                    + ", which a stop interrupted");
            try {
                commit(lease.get(), catalogId, execution, (Boolean) row[2], true, RequestClient.ANONYMOUS, true);
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "Resuming the commit of execution " + execution + " in catalog " + catalogId + " failed",
                        e);
            }
        }
    }

    private boolean stillRunning(long catalogId, String execution) {
        try (Connection c = database.system().getConnection();
                var s = Jdbc.prepare(
                        c,
                        "SELECT 1 FROM cairn.output_commit WHERE catalog_id = ? AND execution_rid = ? AND state = 'running'",
                        catalogId,
                        execution);
                var r = s.executeQuery()) {
            return r.next();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read a running commit: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void stop() {
        if (resumer != null) {
            resumer.cancel(false);
        }
        background.shutdownNow();
        workers.shutdownNow();
    }

    /** How many commits run on this node now. */
    public int runningHere() {
        return running.size();
    }

    /** True while a commit of the execution runs on any node. */
    public boolean running(long catalogId, String execution) {
        return running.containsKey(key(catalogId, execution)) || leases.held(lease(catalogId, execution));
    }

    /**
     * Commits the execution's staged outputs. Returns true when the commit has finished, false when
     * it goes on in the background ({@code background} null: when it is large).
     */
    public boolean commit(long catalogId, String execution, boolean keep, Boolean inBackground, RequestClient client) {
        MlSql.rid("Execution", execution);
        Leases.Lease lease =
                leases.tryAcquire(lease(catalogId, execution)).orElseThrow(() -> underWay(catalogId, execution));
        return commit(lease, catalogId, execution, keep, inBackground, client, false);
    }

    private static CairnException underWay(long catalogId, String execution) {
        return new CairnException.Conflict(
                ErrorCode.COMMIT_IN_PROGRESS,
                "A commit of execution " + execution + " is under way; follow it on " + "GET /api/catalogs/" + catalogId
                        + "/executions/" + execution + ".");
    }

    /** As {@link #commit(long, String, boolean, Boolean, RequestClient)}, holding its lease, which ends with it. */
    private boolean commit(
            Leases.Lease lease,
            long catalogId,
            String execution,
            boolean keep,
            Boolean inBackground,
            RequestClient client,
            boolean resuming) {
        String key = key(catalogId, execution);
        Progress progress = new Progress();
        if (running.putIfAbsent(key, progress) != null) {
            lease.close();
            throw underWay(catalogId, execution);
        }
        boolean handedOver = false;
        try {
            Plan plan = begin(catalogId, execution, keep, progress, client, resuming);
            if (plan.nothingToDo()) {
                return true;
            }
            boolean later = inBackground != null
                    ? inBackground
                    : plan.bytes() > BACKGROUND_BYTES || plan.files().size() > BACKGROUND_FILES;
            if (later) {
                background.submit(() -> {
                    try {
                        run(plan, progress, client);
                    } catch (RuntimeException e) {
                        LOG.log(
                                Level.WARNING,
                                "The commit of execution " + execution + " in catalog " + catalogId + " failed",
                                e);
                    } finally {
                        running.remove(key);
                        lease.close();
                    }
                });
                handedOver = true;
                return false;
            }
            run(plan, progress, client);
            return true;
        } finally {
            if (!handedOver) {
                running.remove(key);
                lease.close();
            }
        }
    }

    /**
     * Step 1: checks the execution, makes it Pending_Upload, and lists what to store. A client's
     * commit of an execution already Uploaded is a 409; resuming one whose node died after the
     * status changed only records that it is done.
     */
    private Plan begin(
            long catalogId, String execution, boolean keep, Progress progress, RequestClient client, boolean resuming) {
        AtomicBoolean recorded = new AtomicBoolean();
        try {
            return databases.transaction(catalogId, client, c -> {
                String status = ExecutionStates.lockStatus(c, execution, "FOR UPDATE");
                List<StagedFile> files = new ArrayList<>();
                try (var s = Jdbc.prepare(
                                c,
                                "SELECT asset_schema, asset_table, filename, file_id, length, md5, sha256 "
                                        + "FROM \"_deriva_ml\".staged_output WHERE execution = ? AND asset_rid IS NULL "
                                        + "ORDER BY asset_schema, asset_table, filename",
                                execution);
                        var r = s.executeQuery()) {
                    while (r.next()) {
                        files.add(new StagedFile(
                                r.getString(1),
                                r.getString(2),
                                r.getString(3),
                                r.getString(4),
                                r.getLong(5),
                                r.getString(6),
                                r.getString(7)));
                    }
                }
                if (status.equals("Uploaded") && !resuming) {
                    throw new CairnException.Conflict(
                            ErrorCode.EXECUTION_STATE,
                            "Execution " + execution + " is Uploaded: its outputs were committed. Start a new "
                                    + "execution for more outputs.");
                }
                if (status.equals("Uploaded") && files.isEmpty()) {
                    markSystem(catalogId, execution, "done", null, keep, null);
                    return new Plan(catalogId, execution, keep, files, true);
                }
                if (!ExecutionStates.COMMITTABLE.contains(status)) {
                    throw new CairnException.Conflict(
                            ErrorCode.EXECUTION_STATE,
                            "Execution " + execution + " is " + status + "; outputs are committed once it "
                                    + "is Stopped or Failed (set its status first).");
                }
                if (!status.equals("Pending_Upload")) {
                    Jdbc.update(
                            c,
                            "UPDATE \"_deriva_ml\".execution_clock SET upload_started = now() WHERE execution = ?",
                            execution);
                }
                Jdbc.update(
                        c,
                        "UPDATE " + MlSql.ml("Execution") + " SET \"Status\" = 'Pending_Upload', \"Status_Detail\" = ? "
                                + "WHERE \"RID\" = ?",
                        "Committing " + files.size() + " files",
                        execution);
                progress.filesTotal.set(files.size());
                progress.bytesTotal.set(
                        files.stream().mapToLong(StagedFile::length).sum());
                // recorded before the status commits: a crash from here on is resumed at start-up
                startSystem(catalogId, execution, keep, progress);
                recorded.set(true);
                return new Plan(catalogId, execution, keep, files, false);
            });
        } catch (RuntimeException e) {
            if (recorded.get()) {
                markSystem(catalogId, execution, "failed", e.getMessage(), keep, null);
            }
            throw e;
        }
    }

    /** Steps 2 to 4. */
    private void run(Plan plan, Progress progress, RequestClient client) {
        long catalogId = plan.catalogId();
        String execution = plan.execution();
        long started = System.nanoTime();
        try {
            Map<StagedFile, String> urls = storeAll(plan, progress, client);
            Set<AssetTable> tables = new LinkedHashSet<>();
            for (StagedFile f : plan.files()) {
                tables.add(assetTables
                        .of(catalogId, f.schema(), f.table())
                        .orElseThrow(() -> new CairnException.Conflict("Asset table " + f.schema() + ":" + f.table()
                                + " no longer exists; unstage " + f.filename() + ".")));
            }
            List<String> spent = new ArrayList<>();
            databases.transaction(catalogId, client, c -> {
                insertAssets(c, execution, urls, tables);
                if (!plan.keep()) {
                    try (var s = Jdbc.prepare(
                                    c,
                                    "DELETE FROM \"_deriva_ml\".staged_output WHERE execution = ? "
                                            + "AND asset_rid IS NOT NULL RETURNING file_id",
                                    execution);
                            var r = s.executeQuery()) {
                        while (r.next()) {
                            spent.add(r.getString(1));
                        }
                    }
                }
                String duration = ExecutionStates.durationSince(c, execution, "upload_started");
                Jdbc.update(
                        c,
                        "UPDATE " + MlSql.ml("Execution") + " SET \"Status\" = 'Uploaded', \"Status_Detail\" = ?, "
                                + "\"Upload_Duration\" = ? WHERE \"RID\" = ?",
                        "Committed " + plan.files().size() + " files",
                        duration,
                        execution);
                return null;
            });
            markSystem(catalogId, execution, "done", null, plan.keep(), progress);
            spent.forEach(fileId -> workspaces.delete(catalogId, execution, fileId));
            metrics.commit("uploaded", System.nanoTime() - started);
        } catch (RuntimeException e) {
            metrics.commit("failed", System.nanoTime() - started);
            markSystem(catalogId, execution, "failed", e.getMessage(), plan.keep(), progress);
            try {
                databases.transaction(
                        catalogId,
                        client,
                        c -> Jdbc.update(
                                c,
                                "UPDATE " + MlSql.ml("Execution") + " SET \"Status_Detail\" = ? WHERE \"RID\" = ?",
                                "Commit failed (retry it): " + e.getMessage(),
                                execution));
            } catch (RuntimeException ignored) {
                // the failure itself is what the client hears about
            }
            throw e;
        }
    }

    /** Step 2, on {@link #WORKERS} threads: every staged file as an object-store version. */
    private Map<StagedFile, String> storeAll(Plan plan, Progress progress, RequestClient client) {
        Map<StagedFile, String> urls = new ConcurrentHashMap<>();
        Set<String> namespaces = new LinkedHashSet<>();
        for (StagedFile f : plan.files()) {
            namespaces.add(HatracPath.nameOf(List.of(Long.toString(plan.catalogId()), f.schema(), f.table())));
        }
        for (String namespace : namespaces) {
            ensureNamespace(namespace, client);
        }
        ConcurrentLinkedQueue<StagedFile> queue = new ConcurrentLinkedQueue<>(plan.files());
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < Math.min(WORKERS, plan.files().size()); i++) {
            futures.add(workers.submit(() -> {
                for (List<StagedFile> group = take(queue); !group.isEmpty(); group = take(queue)) {
                    Map<StagedFile, VersionInfo> stored = storeGroup(plan, group, client);
                    for (StagedFile f : group) {
                        urls.put(f, stored.get(f).url());
                        progress.bytesDone.addAndGet(f.length());
                    }
                    progress.filesDone.addAndGet(group.size());
                    recordProgress(plan, progress);
                }
                return null;
            }));
        }
        RuntimeException failure = null;
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                queue.clear();
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r
                            ? r
                            : new CairnException.Unavailable(
                                    "Storing the outputs failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CairnException.Unavailable("The commit was interrupted.", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return urls;
    }

    private void ensureNamespace(String namespace, RequestClient client) {
        try {
            if (store.kindOf(namespace) != StoreName.Kind.namespace) {
                throw new CairnException.Conflict(
                        ErrorCode.WRONG_KIND, namespace + " is an object in the object store, not a namespace.");
            }
        } catch (CairnException.NotFound absent) {
            try {
                store.createNamespace(namespace, true, client);
            } catch (CairnException.Conflict createdMeanwhile) {
                // another commit made it
            }
        }
    }

    private static List<StagedFile> take(ConcurrentLinkedQueue<StagedFile> queue) {
        List<StagedFile> group = new ArrayList<>(GROUP);
        while (group.size() < GROUP) {
            StagedFile f = queue.poll();
            if (f == null) {
                break;
            }
            group.add(f);
        }
        return group;
    }

    /**
     * Files kept in the object store's staging area become versions {@link #GROUP} at a time, in one
     * transaction of the store's; when a group is refused (a staged file changed), its files are
     * stored one by one so that the refusal names the file. Files of the old layout go one by one.
     */
    private Map<StagedFile, VersionInfo> storeGroup(Plan plan, List<StagedFile> group, RequestClient client) {
        Map<StagedFile, VersionInfo> stored = new HashMap<>();
        List<StagedFile> kept = new ArrayList<>();
        List<ObjectStore.Copy> copies = new ArrayList<>();
        for (StagedFile f : group) {
            Optional<ObjectStore.Received> content = workspaces.kept(received(f));
            if (content.isPresent()) {
                kept.add(f);
                copies.add(new ObjectStore.Copy(objectName(plan, f), content.get(), contentType(f)));
            } else {
                stored.put(f, storeOne(plan, f, client));
            }
        }
        if (!copies.isEmpty()) {
            try {
                List<VersionInfo> versions = store.commitCopies(copies, client);
                for (int i = 0; i < kept.size(); i++) {
                    stored.put(kept.get(i), versions.get(i));
                }
            } catch (CairnException.BadRequest e) {
                for (StagedFile f : kept) {
                    stored.put(f, storeOne(plan, f, client));
                }
            }
        }
        return stored;
    }

    private static String objectName(Plan plan, StagedFile f) {
        return HatracPath.nameOf(
                List.of(Long.toString(plan.catalogId()), f.schema(), f.table(), f.md5() + "." + f.filename()));
    }

    private static String contentType(StagedFile f) {
        return Optional.ofNullable(URLConnection.guessContentTypeFromName(f.filename()))
                .orElse("application/octet-stream");
    }

    private static Workspaces.Received received(StagedFile f) {
        return new Workspaces.Received(f.fileId(), f.length(), f.md5(), f.sha256());
    }

    /** The file's version: the current one if it holds these bytes already, else a new one. */
    private VersionInfo storeOne(Plan plan, StagedFile f, RequestClient client) {
        String name = objectName(plan, f);
        Optional<VersionInfo> current = store.find(name).filter(v -> v.sha256().equals(f.sha256()));
        if (current.isPresent()) {
            return current.get();
        }
        String type = contentType(f);
        Workspaces.Received file = received(f);
        Optional<ObjectStore.Received> kept = workspaces.kept(file);
        if (kept.isPresent()) {
            try {
                return store.commitCopy(name, kept.get(), type, client);
            } catch (CairnException.BadRequest e) {
                throw changed(f, e);
            }
        }
        try (InputStream in = workspaces.open(plan.catalogId(), plan.execution(), file)) {
            return store.put(
                    name,
                    true,
                    in,
                    new ObjectStore.Declared(f.length(), f.md5(), f.sha256(), type, null),
                    Preconditions.NONE,
                    client);
        } catch (IOException e) {
            throw new CairnException.Unavailable(
                    "Staged file " + f.table() + "/" + f.filename() + " cannot be read: " + e.getMessage(), e);
        } catch (CairnException.BadRequest e) {
            throw changed(f, e);
        }
    }

    private static CairnException changed(StagedFile f, CairnException.BadRequest e) {
        return new CairnException.Conflict(
                ErrorCode.CHECKSUM_MISMATCH,
                "Staged file " + f.table() + "/" + f.filename() + " no longer matches what was " + "staged ("
                        + e.getMessage() + "); unstage it or stage it again, then retry the commit.");
    }

    /** Step 3's inserts, set-wise per asset table. */
    private static void insertAssets(
            Connection c, String execution, Map<StagedFile, String> urls, Set<AssetTable> tables) throws SQLException {
        List<StagedFile> files = new ArrayList<>(urls.keySet());
        Jdbc.update(
                c,
                "UPDATE \"_deriva_ml\".staged_output s SET url = x.url "
                        + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS x(asset_schema, asset_table, filename, url) "
                        + "WHERE s.execution = ? AND s.asset_schema = x.asset_schema AND s.asset_table = x.asset_table "
                        + "AND s.filename = x.filename AND s.asset_rid IS NULL",
                files.stream().map(StagedFile::schema).toArray(String[]::new),
                files.stream().map(StagedFile::table).toArray(String[]::new),
                files.stream().map(StagedFile::filename).toArray(String[]::new),
                files.stream().map(urls::get).toArray(String[]::new),
                execution);
        if (files.size() > ANALYZE_ABOVE) {
            // Staged rows arrive faster than autovacuum counts them: without fresh statistics the
            // planner takes the staged files for one row and joins the inserted assets to them by
            // nested loop, n² comparisons (4 s for 5,000 files, measured).
            Jdbc.execute(c, "ANALYZE \"_deriva_ml\".staged_output");
        }
        for (AssetTable t : tables) {
            // ROWS_PER_STATEMENT at a time: each statement stays well inside the catalog's statement limit
            Map<String, String> rids;
            do {
                rids = Assets.insert(
                        c,
                        t,
                        "SELECT url, filename, length, md5, description, "
                                + "array_append(types, 'Output_File') AS types FROM \"_deriva_ml\".staged_output WHERE execution = ? "
                                + "AND asset_schema = ? AND asset_table = ? AND asset_rid IS NULL AND url IS NOT NULL "
                                + "ORDER BY filename LIMIT " + ROWS_PER_STATEMENT,
                        new Object[] {execution, t.schema(), t.name()},
                        execution,
                        "Output");
                Jdbc.update(
                        c,
                        "UPDATE \"_deriva_ml\".staged_output o SET asset_rid = x.rid FROM unnest(?::text[], ?::text[]) "
                                + "AS x(filename, rid) WHERE o.execution = ? AND o.asset_schema = ? AND o.asset_table = ? AND o.filename = x.filename",
                        rids.keySet().toArray(String[]::new),
                        rids.values().toArray(String[]::new),
                        execution,
                        t.schema(),
                        t.name());
            } while (rids.size() == ROWS_PER_STATEMENT);
        }
    }

    // ---- the system database's record of commits

    private void startSystem(long catalogId, String execution, boolean keep, Progress progress) {
        system(
                "INSERT INTO cairn.output_commit (catalog_id, execution_rid, state, files_total, bytes_total, keep_files) "
                        + "VALUES (?, ?, 'running', ?, ?, ?) ON CONFLICT (catalog_id, execution_rid) DO UPDATE SET state = 'running', "
                        + "files_total = EXCLUDED.files_total, files_done = 0, bytes_total = EXCLUDED.bytes_total, bytes_done = 0, "
                        + "started_at = now(), finished_at = NULL, error = NULL, keep_files = EXCLUDED.keep_files",
                catalogId,
                execution,
                progress.filesTotal.get(),
                progress.bytesTotal.get(),
                keep);
    }

    /** Ends the recorded commit; with progress, records how far it got too. */
    private void markSystem(
            long catalogId, String execution, String state, String error, boolean keep, Progress progress) {
        system(
                "UPDATE cairn.output_commit SET state = ?, error = ?, finished_at = now(), keep_files = ?, "
                        + "files_done = coalesce(CAST(? AS int), files_done), bytes_done = coalesce(CAST(? AS bigint), bytes_done) "
                        + "WHERE catalog_id = ? AND execution_rid = ?",
                state,
                error,
                keep,
                progress == null ? null : progress.filesDone.get(),
                progress == null ? null : progress.bytesDone.get(),
                catalogId,
                execution);
    }

    private void system(String sql, Object... parameters) {
        try (Connection c = database.system().getConnection()) {
            Jdbc.update(c, sql, parameters);
        } catch (SQLException e) {
            throw new CairnException.Unavailable("The system database failed: " + e.getMessage(), e);
        }
    }

    /** The latest commit of the execution, live while it runs. */
    public Optional<JsonObject> progress(long catalogId, String execution) {
        Progress live = running.get(key(catalogId, execution));
        try (Connection c = database.system().getConnection()) {
            return Jdbc.jsonObject(
                            c,
                            "SELECT jsonb_build_object('state', state, 'filesTotal', files_total, 'filesDone', files_done, "
                                    + "'bytesTotal', bytes_total, 'bytesDone', bytes_done, 'startedAt', started_at, 'finishedAt', finished_at, "
                                    + "'error', error) FROM cairn.output_commit WHERE catalog_id = ? AND execution_rid = ?",
                            catalogId,
                            execution)
                    .map(row -> live == null
                            ? row
                            : JsonBodies.JSON
                                    .createObjectBuilder(row)
                                    .add("filesDone", live.filesDone.get())
                                    .add("bytesDone", live.bytesDone.get())
                                    .build());
        } catch (SQLException e) {
            throw new CairnException.Unavailable("The system database failed: " + e.getMessage(), e);
        }
    }

    private static String key(long catalogId, String execution) {
        return catalogId + "/" + execution;
    }

    private static String lease(long catalogId, String execution) {
        return "commit/" + key(catalogId, execution);
    }
}
