package dev.cairn.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's meters, written at {@code /metrics} in the Prometheus text format. Components record
 * into it through the few methods here, so meter names and tags are chosen in one place:
 * <ul>
 * <li>{@code cairn_http_requests_seconds} (histogram): every request, by {@code api} (ermrest,
 * hatrac, api, aios, authn, web, ...), {@code method} and {@code status} class (2xx...5xx);</li>
 * <li>{@code hikaricp_connections_*}: each connection pool, by {@code pool} ({@code cairn-system},
 * {@code cairn-catalog-<id>});</li>
 * <li>{@code cairn_store_received_bytes_total} and {@code cairn_store_sent_bytes_total}: object-store
 * content received and sent;</li>
 * <li>{@code cairn_audit_batches_total}: transactions that appended audit entries on this node;</li>
 * <li>{@code cairn_upload_jobs_open}, {@code cairn_audit_entries} (from the database, so the same
 * on every node), {@code cairn_commits_running} (this node) and {@code cairn_commit_seconds}
 * (histogram, by {@code outcome});</li>
 * <li>the JVM's memory, garbage collection, threads, classes, CPU and uptime.</li>
 * </ul>
 */
@ApplicationScoped
public class Metrics {

    private static final Logger LOG = Logger.getLogger(Metrics.class.getName());
    /** Latency buckets from 1 ms to 2 min: enough to see a slow query without one series per millisecond. */
    private static final Duration MIN_LATENCY = Duration.ofMillis(1);

    private static final Duration MAX_LATENCY = Duration.ofMinutes(2);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter auditBatches;

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        bytesIn = Counter.builder("cairn.store.received")
                .baseUnit("bytes")
                .description("Object content received by the store (uploads, chunks, staged execution files)")
                .register(registry);
        bytesOut = Counter.builder("cairn.store.sent")
                .baseUnit("bytes")
                .description("Object content sent by the store (downloads, ranges, bags)")
                .register(registry);
        auditBatches = Counter.builder("cairn.audit.batches")
                .description("Transactions that appended audit entries (entries that arrive together share one)")
                .register(registry);
    }

    @PreDestroy
    void close() {
        gc.close();
        registry.close();
    }

    /** For libraries that report into a Micrometer registry themselves (HikariCP). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter, in the Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    /** One request that was answered, by its API, method and status class. */
    public void request(String api, String method, int status, long nanos) {
        String statusClass = status / 100 + "xx";
        // looked up once per combination: building and registering a meter on every request costs more than the
        // request's timing
        requests.computeIfAbsent(
                        api + " " + method + " " + statusClass,
                        key -> Timer.builder("cairn.http.requests")
                                .description("Requests answered, by API, method and status class")
                                .tag("api", api)
                                .tag("method", method)
                                .tag("status", statusClass)
                                .publishPercentileHistogram()
                                .minimumExpectedValue(MIN_LATENCY)
                                .maximumExpectedValue(MAX_LATENCY)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void bytesIn(long bytes) {
        if (bytes > 0) {
            bytesIn.increment(bytes);
        }
    }

    /** One transaction of audit entries committed. */
    public void auditBatch() {
        auditBatches.increment();
    }

    public void bytesOut(long bytes) {
        if (bytes > 0) {
            bytesOut.increment(bytes);
        }
    }

    /**
     * A gauge read when {@code /metrics} is scraped; a reading that fails (the database is away)
     * shows as NaN and is logged at FINE, so scraping never fails for it.
     */
    public void gauge(String name, String description, Supplier<Number> reading) {
        Gauge.builder(name, () -> {
                    try {
                        return reading.get();
                    } catch (RuntimeException e) {
                        LOG.log(Level.FINE, "gauge " + name + " not read", e);
                        return Double.NaN;
                    }
                })
                .description(description)
                .register(registry);
    }

    /** The duration of one finished commit, by outcome ({@code uploaded} or {@code failed}). */
    public void commit(String outcome, long nanos) {
        Timer.builder("cairn.commit")
                .description("Execution output commits, by outcome")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }
}
