package dev.cairn.store.control;

import dev.cairn.platform.Database;
import dev.cairn.platform.Leases;
import dev.cairn.platform.StartupFailure;
import dev.cairn.store.backend.filesystem.FilesystemBlobStore;
import dev.cairn.store.backend.s3.S3BlobStore;
import dev.cairn.store.spi.BlobStore;
import dev.cairn.store.spi.BlobStore.Area;
import dev.cairn.store.spi.KeptReferences;
import dev.cairn.store.spi.StorageException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The blob store of this server, chosen by {@code CAIRN_STORE}: {@code filesystem} (the default,
 * under {@code <data dir>/store}, for one node) or {@code s3} (a bucket that any number of nodes
 * share, from {@code S3_BUCKET}, {@code S3_PREFIX}, {@code S3_REGION}, {@code S3_ENDPOINT_URL},
 * {@code S3_USE_SSL}, {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}).
 *
 * <p>Made consistent with the database by a sweep that one node at a time runs (a lease), at
 * start-up and then on a schedule: it expires abandoned upload jobs, and removes what no row
 * refers to and is older than {@code cairn.store.sweep.grace}: staged content of interrupted
 * writes, kept content no {@link dev.cairn.store.spi.KeptReferences} claims, upload areas of jobs
 * that are gone, blobs whose commit never happened. The grace period
 * keeps it away from what another node is writing now; a filesystem store belongs to one node,
 * so at start-up everything left there is from before and goes at once.
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Storage {

    private static final Logger LOG = Logger.getLogger(Storage.class.getName());
    /**
     * Staged ids: transient content on its way into a version; {@code up-} and {@code ws-} are swept
     * by their owners' rows.
     */
    static final String TRANSIENT = "tmp-";

    static final String UPLOAD = "up-";

    @Inject
    Database database;

    @Inject
    Leases leases;

    @Inject
    UploadJobs uploadJobs;

    @Inject
    Instance<KeptReferences> keptReferences;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "cairn.store.upload.sweep", defaultValue = "PT5M")
    Duration sweepInterval;

    @Inject
    @ConfigProperty(name = "cairn.store.sweep.grace", defaultValue = "PT1H")
    Duration grace;

    /** How often blobs are listed whole (a large bucket is many listing calls); staging and uploads each sweep. */
    @Inject
    @ConfigProperty(name = "cairn.store.sweep.blobs", defaultValue = "PT24H")
    Duration blobSweepInterval;

    private volatile Instant blobsSweptAt = Instant.MIN;

    /** GETs of content at least this large are redirected to the backend (when it can sign a URL); negative: never. */
    @Inject
    @ConfigProperty(name = "cairn.store.redirect.above", defaultValue = "-1")
    long redirectAbove;

    @Inject
    @ConfigProperty(name = "cairn.store.redirect.expiry", defaultValue = "PT5M")
    Duration redirectExpiry;

    /**
     * Whether the proxy in front sends file content itself ({@code nginx}: {@code X-Accel-Redirect},
     * {@code apache}: {@code X-Sendfile}) once Cairn has checked access; {@code none} by default.
     */
    @Inject
    @ConfigProperty(name = "cairn.store.offload", defaultValue = "none")
    String offload;

    /** The internal location nginx serves the store's blob folder at ({@code alias} of it). */
    @Inject
    @ConfigProperty(name = "cairn.store.offload.prefix", defaultValue = "/_cairn_blobs/")
    String offloadPrefix;

    private BlobStore blobs;
    private String kind;
    /** With CAIRN_STORE=s3: {@code s3://bucket/prefix/}, the address of the store's own names. */
    private String s3Root;

    private ScheduledFuture<?> sweeper;

    @PostConstruct
    void start() {
        try {
            Config config = ConfigProvider.getConfig(Storage.class.getClassLoader());
            kind = config.getOptionalValue("cairn.store", String.class)
                    .orElse("filesystem")
                    .trim()
                    .toLowerCase(Locale.ROOT);
            blobs = switch (kind) {
                case "filesystem" ->
                    new FilesystemBlobStore(database.config().dataDir().resolve("store"));
                case "s3" -> {
                    S3BlobStore.Settings settings = s3Settings(config);
                    String prefix = settings.prefix().replaceAll("^/+|/+$", "");
                    s3Root = "s3://" + settings.bucket() + "/" + (prefix.isEmpty() ? "" : prefix + "/");
                    yield new S3BlobStore(settings);
                }
                default -> throw new IllegalArgumentException("CAIRN_STORE must be filesystem or s3, not " + kind);
            };
            offload = offload.trim().toLowerCase(Locale.ROOT);
            if (!List.of("none", "nginx", "apache").contains(offload)) {
                throw new IllegalArgumentException("CAIRN_STORE_OFFLOAD must be none, nginx or apache, not " + offload);
            }
            if (offload.equals("nginx") && !offloadPrefix.matches("/[A-Za-z0-9_/.-]*/")) {
                throw new IllegalArgumentException(
                        "CAIRN_STORE_OFFLOAD_PREFIX must be a path that starts and ends with /, not " + offloadPrefix);
            }
            Instant before =
                    kind.equals("filesystem") ? Instant.now() : Instant.now().minus(grace);
            // a bucket's blobs can take long to list: on S3 that waits for the first scheduled sweep
            boolean local = kind.equals("filesystem");
            if (!leases.runAlone("store.sweep", () -> sweep(before, local))) {
                LOG.info("Another node is sweeping the object store");
            }
        } catch (Exception e) {
            throw StartupFailure.stop(database.config(), "object store", e);
        }
        LOG.info(() -> "Object store: " + kind + (offload.equals("none") ? "" : ", GETs offloaded to " + offload));
        sweeper = scheduler.scheduleWithFixedDelay(
                this::scheduled, sweepInterval.toMillis(), sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    static S3BlobStore.Settings s3Settings(Config config) {
        String bucket = config.getOptionalValue("s3.bucket", String.class)
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("CAIRN_STORE=s3 needs S3_BUCKET"));
        Optional<URI> endpoint = config.getOptionalValue("s3.endpoint.url", String.class)
                .filter(s -> !s.isBlank())
                .map(url -> {
                    boolean ssl =
                            config.getOptionalValue("s3.use.ssl", Boolean.class).orElse(true);
                    return URI.create(url.contains("://") ? url : (ssl ? "https://" : "http://") + url);
                });
        return new S3BlobStore.Settings(
                bucket,
                config.getOptionalValue("s3.prefix", String.class).orElse(""),
                config.getOptionalValue("s3.region", String.class)
                        .or(() -> config.getOptionalValue("aws.region", String.class))
                        .orElse("us-east-1"),
                endpoint,
                config.getOptionalValue("aws.access.key.id", String.class),
                config.getOptionalValue("aws.secret.access.key", String.class));
    }

    @PreDestroy
    void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (blobs instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing the blob store", e);
            }
        }
    }

    /**
     * The store's name an {@code s3://} URL stands for, when the store is S3 and the URL is inside
     * its bucket and prefix ({@code s3://bucket/prefix/1/exports} is {@code /1/exports}); empty
     * otherwise. Bytes are kept by content there, so the URL addresses the store's names, not keys.
     */
    public Optional<String> nameOfS3Url(String url) {
        if (s3Root == null || url == null || !url.startsWith(s3Root) || url.length() == s3Root.length()) {
            return Optional.empty();
        }
        return Optional.of("/" + url.substring(s3Root.length()).replaceAll("/+$", ""));
    }

    public BlobStore blobs() {
        return blobs;
    }

    /**
     * Where a GET of the version may be sent instead of streaming it (large content, when allowed);
     * empty: stream it.
     */
    public Optional<URI> redirect(VersionInfo version, String contentDisposition) {
        if (redirectAbove < 0 || version.length() < redirectAbove) {
            return Optional.empty();
        }
        return blobs.presign(version.sha256(), redirectExpiry, version.contentType(), contentDisposition);
    }

    /** A response header that has the proxy in front send a blob's file: its name and value. */
    public record Offload(String header, String value) {}

    /**
     * The header that hands a GET of the version to the proxy in front, which then sends the file
     * itself (with {@code sendfile}, ranges included): when the operator set
     * {@code CAIRN_STORE_OFFLOAD}, the blob is a local file, and the request came through that
     * proxy, which says so with {@code X-Sendfile-Type} (as Rack's convention has it). Empty: Cairn
     * sends the bytes, as for a direct GET.
     */
    public Optional<Offload> offload(VersionInfo version, String sendfileType) {
        if (offload.equals("none") || sendfileType == null) {
            return Optional.empty();
        }
        String header = offload.equals("nginx") ? "X-Accel-Redirect" : "X-Sendfile";
        if (!sendfileType.trim().equalsIgnoreCase(header)) {
            return Optional.empty();
        }
        return blobs.localFile(null, version.sha256())
                .map(file -> new Offload(
                        header,
                        offload.equals("nginx")
                                ? offloadPrefix
                                        + blobRoot()
                                                .relativize(file.toAbsolutePath())
                                                .toString()
                                                .replace('\\', '/')
                                : file.toAbsolutePath().toString()));
    }

    private Path blobRoot() {
        return database.config().dataDir().resolve("store").resolve("blobs").toAbsolutePath();
    }

    private void scheduled() {
        try {
            leases.runAlone("store.sweep", () -> {
                uploadJobs.expire();
                sweep(
                        Instant.now().minus(grace),
                        blobsSweptAt.plus(blobSweepInterval).isBefore(Instant.now()));
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Sweeping the object store failed; trying again in " + sweepInterval, e);
        }
    }

    /**
     * Removes what no row refers to and was last written before {@code before}; blobs too when
     * asked (every {@code cairn.store.sweep.blobs}, and at a filesystem store's start-up).
     */
    void sweep(Instant before, boolean blobsToo) {
        AtomicInteger staged = new AtomicInteger();
        AtomicInteger uploads = new AtomicInteger();
        AtomicInteger orphans = new AtomicInteger();
        try {
            blobs.list(Area.STAGING, before, ids -> {
                Set<String> gone = unknown(
                        "cairn.store_upload_job",
                        "id",
                        ids.stream()
                                .filter(id -> id.startsWith(UPLOAD))
                                .map(id -> id.substring(UPLOAD.length()))
                                .toList());
                List<String> kept = ids.stream()
                        .filter(id -> id.startsWith(ObjectStore.WORKSPACE))
                        .toList();
                Set<String> wanted = new HashSet<>();
                if (!kept.isEmpty()) {
                    if (keptReferences.isUnsatisfied()) {
                        wanted.addAll(kept);
                    }
                    keptReferences.forEach(r -> wanted.addAll(r.referenced(kept)));
                }
                for (String id : ids) {
                    // assembled content stays while its job does (finishing it again commits it)
                    if (id.startsWith(TRANSIENT)
                            || (id.startsWith(UPLOAD) && gone.contains(id.substring(UPLOAD.length())))
                            || (id.startsWith(ObjectStore.WORKSPACE) && !wanted.contains(id))) {
                        quietly(() -> blobs.discard(new BlobStore.Staged(id, 0)));
                        staged.incrementAndGet();
                    }
                }
            });
            blobs.list(Area.UPLOADS, before, ids -> {
                for (String job : unknown("cairn.store_upload_job", "id", ids)) {
                    quietly(() -> blobs.deleteUpload(job));
                    uploads.incrementAndGet();
                }
            });
            if (blobsToo) {
                blobsSweptAt = Instant.now();
                blobs.list(Area.BLOBS, before, digests -> {
                    for (String sha256 : unknown("cairn.store_blob", "sha256", digests)) {
                        quietly(() -> blobs.delete(sha256));
                        orphans.incrementAndGet();
                    }
                });
            }
        } catch (StorageException e) {
            throw new IllegalStateException("the object store cannot be listed: " + e.getMessage(), e);
        }
        if (staged.get() + uploads.get() + orphans.get() > 0) {
            LOG.info(() -> "Object store swept: " + staged + " staged, " + uploads + " upload areas and " + orphans
                    + " uncommitted blobs removed");
        }
    }

    /** Those of the values that no row of the table has in the column. */
    private Set<String> unknown(String table, String column, List<String> values) {
        if (values.isEmpty()) {
            return Set.of();
        }
        Set<String> missing = new HashSet<>(values);
        database.jdbcTransaction("sweep the object store", c -> {
            try (var s = c.prepareStatement("SELECT " + column + " FROM " + table + " WHERE " + column + " = ANY(?)")) {
                s.setArray(1, c.createArrayOf("text", values.toArray()));
                try (var r = s.executeQuery()) {
                    while (r.next()) {
                        missing.remove(r.getString(1));
                    }
                }
            }
            return null;
        });
        return missing;
    }

    private interface StoreWork {
        void run() throws StorageException;
    }

    private static void quietly(StoreWork work) {
        try {
            work.run();
        } catch (StorageException e) {
            LOG.log(Level.WARNING, "Sweeping the object store: " + e.getMessage(), e);
        }
    }
}
