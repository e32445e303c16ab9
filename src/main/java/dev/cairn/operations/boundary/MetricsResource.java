package dev.cairn.operations.boundary;

import dev.cairn.platform.Caller;
import dev.cairn.platform.Metrics;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code /metrics}: this node's meters in the Prometheus text format ({@link Metrics} lists them).
 * Access: administrators (a read-only personal token of one suits a scraper), or anyone when
 * {@code cairn.metrics.public=true}, for a scraper on a private network.
 */
@Path("/metrics")
public class MetricsResource {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    @Inject
    Metrics metrics;

    @Inject
    Caller caller;

    @GET
    @Produces(PROMETHEUS_TEXT)
    public String scrape() {
        // read here, not injected: a resource class is not a CDI bean on every server (GlassFish)
        boolean open = ConfigProvider.getConfig(MetricsResource.class.getClassLoader())
                .getOptionalValue("cairn.metrics.public", Boolean.class)
                .orElse(false);
        if (!open && !caller.administrator()) {
            throw caller.refused("Only administrators may read the metrics (or set cairn.metrics.public=true).");
        }
        return metrics.scrape();
    }
}
