package dev.cairn.operations.control;

import dev.cairn.execution.control.OutputCommits;
import dev.cairn.platform.Metrics;
import dev.cairn.security.control.Audit;
import dev.cairn.store.control.UploadJobs;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

/**
 * Registers the gauges that other components answer when {@code /metrics} is scraped: open upload
 * jobs and the audit log's length (from the database, alike on every node) and the commits running
 * on this node.
 */
@Startup
@Singleton
public class Gauges {

    @Inject
    Metrics metrics;

    @Inject
    UploadJobs uploads;

    @Inject
    Audit audit;

    @Inject
    OutputCommits commits;

    @PostConstruct
    void register() {
        metrics.gauge(
                "cairn.upload.jobs.open",
                "Chunked upload jobs created and not yet finished, cancelled or expired",
                uploads::open);
        metrics.gauge("cairn.audit.entries", "Entries in the audit log", audit::length);
        metrics.gauge("cairn.commits.running", "Execution output commits running on this node", commits::runningHere);
    }
}
