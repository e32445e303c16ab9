package dev.cairn.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.Http;
import dev.cairn.Http.Reply;
import dev.cairn.security.boundary.PrincipalsSpec;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: administrators only, Prometheus text, Cairn's own meters moving with the work done. */
public abstract class MetricsSpec extends PrincipalsSpec {

    private String scrape() {
        Reply metrics = http().get("/metrics");
        assertEquals(200, metrics.status(), metrics::toString);
        assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
        return metrics.body();
    }

    /** The sum of every sample of a metric whose labels contain {@code labels} (a substring, or "" for all). */
    static double value(String scrape, String metric, String labels) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{[^}]*})? (\\S+)$")
                .matcher(scrape);
        while (m.find()) {
            if (labels.isEmpty() || (m.group(1) != null && m.group(1).contains(labels))) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    @Test
    void onlyAdministratorsReadTheMetrics() {
        Reply anonymous = http().anonymous().get("/metrics");
        assertEquals(401, anonymous.status());
        assertEquals("application/problem+json", anonymous.contentType());
        assertEquals(403, user().get("/metrics").status());
        // a scraper's read-only administrator token
        Reply token = http().postJson("/api/tokens", "{\"name\": \"prometheus\", \"scopes\": {\"read_only\": true}}");
        assertEquals(201, token.status(), token::toString);
        assertEquals(
                200, http().as(token.json().getString("token")).get("/metrics").status());
    }

    @Test
    void metersMoveWithRequestsBytesAndJobs() {
        String before = scrape();
        for (String meter : new String[] {
            "cairn_http_requests_seconds_bucket",
            "hikaricp_connections_active",
            "cairn_store_received_bytes_total",
            "cairn_store_sent_bytes_total",
            "cairn_upload_jobs_open",
            "cairn_audit_entries",
            "cairn_commits_running",
            "cairn_commit_seconds_count",
            "jvm_memory_used_bytes"
        }) {
            if (!meter.equals("cairn_commit_seconds_count")) {
                assertTrue(before.contains("\n" + meter), meter + " missing from /metrics");
            }
        }
        assertTrue(before.contains("pool=\"cairn-system\""), "the system pool is reported");

        Http admin = http();
        String ns = "/hatrac/metrics-" + UUID.randomUUID();
        assertEquals(
                201,
                admin.send("PUT", ns, "application/x-hatrac-namespace", null).status());
        byte[] content = new byte[5000];
        assertEquals(201, admin.put(ns + "/obj", content).status());
        assertEquals(200, admin.bytes(ns + "/obj").statusCode());
        assertEquals(404, admin.get("/hatrac/no-such-" + UUID.randomUUID()).status());
        Reply job = admin.send(
                "POST", ns + "/big;upload", "application/json", "{\"chunk-length\": 1000, \"content-length\": 3000}");
        assertEquals(201, job.status(), job::toString);

        String after = scrape();
        assertTrue(value(after, "cairn_store_received_bytes_total", "")
                        - value(before, "cairn_store_received_bytes_total", "")
                >= 5000);
        assertTrue(value(after, "cairn_store_sent_bytes_total", "") - value(before, "cairn_store_sent_bytes_total", "")
                >= 5000);
        assertTrue(value(after, "cairn_http_requests_seconds_count", "api=\"hatrac\"")
                        - value(before, "cairn_http_requests_seconds_count", "api=\"hatrac\"")
                >= 4);
        assertTrue(value(after, "cairn_http_requests_seconds_count", "status=\"4xx\"")
                > value(before, "cairn_http_requests_seconds_count", "status=\"4xx\""));
        assertTrue(value(after, "cairn_upload_jobs_open", "") >= 1);
        assertTrue(value(after, "cairn_audit_entries", "") > value(before, "cairn_audit_entries", ""));
        assertEquals(
                204,
                admin.delete(java.net
                                .URI
                                .create(job.header("Location").orElseThrow())
                                .getRawPath())
                        .status());
    }
}
