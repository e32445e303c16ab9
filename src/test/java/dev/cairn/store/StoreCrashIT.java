package dev.cairn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnProcess;
import dev.cairn.Http;
import dev.cairn.Http.Reply;
import dev.cairn.S3Proxy;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * kill -9 while clients upload: after the restart every version the server acknowledged reads
 * back with its checksum, no version is partial, no temporary file is left, and an upload job
 * begun before the kill resumes with the chunks it had. Under many small concurrent PUTs, whose
 * audit entries are written in groups, every acknowledged PUT also keeps its entry and the chain
 * still verifies.
 */
class StoreCrashIT {

    private static final Path ROOT = Path.of(System.getProperty("it.data.dir", "target/it-data"));
    private static final int[] SIZES = {1_000, 100_000, 1_000_000, 8_000_000, 24_000_000};
    private static final byte[] NOISE = new byte[24_000_000];

    static {
        new Random(7).nextBytes(NOISE);
    }

    /** Content unique to (client, n): a slice of noise with the pair stamped at its start. */
    private static byte[] content(int client, int n, int size) {
        byte[] bytes = Arrays.copyOf(NOISE, size);
        ByteBuffer.wrap(bytes).putInt(0, client).putInt(4, n);
        return bytes;
    }

    private static String md5(byte[] bytes) throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    }

    @Test
    void killedDuringUploadsLosesNothingAcknowledged() throws Exception {
        Path data = ROOT.resolve("store-crash");
        killedDuringUploads(data, "256m", Map.of(), data.resolve("store/staging"));
    }

    /**
     * The same on S3 (S3Proxy); start-up sweeps at once what the killed server left (no grace: it was
     * the only node).
     */
    @Test
    void onS3TooLosesNothingAcknowledged() throws Exception {
        Path data = ROOT.resolve("store-crash-s3");
        CairnProcess.wipe(data);
        try (S3Proxy s3 = S3Proxy.start(data.resolve("s3"))) {
            Map<String, String> environment = new HashMap<>(s3.environment("crash"));
            environment.put("CAIRN_STORE_SWEEP_GRACE", "PT0S");
            // parts of 8 MiB, up to three per upload, are held in memory on their way to S3
            killedDuringUploads(data.resolve("cairn"), "512m", environment, data.resolve("s3/objects/crash/staging"));
        }
    }

    /**
     * 16 clients PUT 4 KiB objects as fast as the server takes them, so that their audit entries
     * share transactions; kill -9 mid-stream. Each PUT the server answered 201 reads back with its
     * bytes and has exactly one audit entry, and the chain verifies.
     */
    @Test
    void killedDuringGroupedSmallWritesLosesNoVersionAndNoAuditEntry() throws Exception {
        Path data = ROOT.resolve("store-crash-grouped");
        CairnProcess.wipe(data);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        int clients = 16;
        double batches;
        try (CairnProcess server = CairnProcess.start(data, "256m").awaitReady()) {
            Http http = server.http();
            assertEquals(
                    201,
                    http.send("PUT", "/hatrac/grouped", "application/x-hatrac-namespace", null)
                            .status());
            double batchesBefore = auditBatches(http);
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            for (int c = 0; c < clients; c++) {
                int client = c;
                pool.submit(() -> {
                    for (int n = 0; running.get(); n++) {
                        byte[] bytes = content(client, n, 4096);
                        try {
                            String version = single(http, "/hatrac/grouped/c" + client + "-" + n, bytes);
                            if (version != null) {
                                acknowledged.put(version, md5(bytes));
                            }
                        } catch (Exception serverGone) {
                            return null;
                        }
                    }
                    return null;
                });
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (acknowledged.size() < 300 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            batches = auditBatches(http) - batchesBefore;
            int before = acknowledged.size();
            server.kill();
            running.set(false);
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
            assertTrue(before >= 100, "enough PUTs were answered before the kill: " + before);
            assertTrue(batches < before, batches + " audit transactions for " + before + " PUTs: they were grouped");
        }

        try (CairnProcess server = CairnProcess.start(data, "256m").awaitReady()) {
            Http http = server.http();
            for (Map.Entry<String, String> version : acknowledged.entrySet()) {
                HttpResponse<byte[]> get = http.bytes(version.getKey());
                assertEquals(200, get.statusCode(), version.getKey() + " was acknowledged");
                assertEquals(version.getValue(), md5(get.body()), "the bytes of " + version.getKey());
            }
            Map<String, Integer> entries = new HashMap<>();
            long after = 0;
            for (JsonArray page;
                    !(page = http.get("/api/audit?limit=10000&target=/hatrac/grouped/&after=" + after)
                                    .jsonArray())
                            .isEmpty(); ) {
                for (JsonValue v : page) {
                    JsonObject entry = v.asJsonObject();
                    if (entry.getString("method").equals("PUT") && entry.getInt("outcome") == 201) {
                        entries.merge(entry.getString("target"), 1, Integer::sum);
                    }
                    after = entry.getJsonNumber("seq").longValue();
                }
            }
            for (String version : acknowledged.keySet()) {
                String object = version.substring(0, version.indexOf(':'));
                assertEquals(
                        1, entries.getOrDefault(object, 0), "one audit entry for the acknowledged PUT of " + object);
            }
            JsonObject verified = http.get("/api/audit/verify").json();
            assertTrue(verified.getBoolean("valid"), verified::toString);
        }
    }

    private static double auditBatches(Http http) {
        Matcher m = Pattern.compile("(?m)^cairn_audit_batches_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$")
                .matcher(http.get("/metrics").body());
        assertTrue(m.find(), "cairn_audit_batches_total is published");
        return Double.parseDouble(m.group(1));
    }

    private void killedDuringUploads(Path data, String heap, Map<String, String> environment, Path staged)
            throws Exception {
        CairnProcess.wipe(data);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        byte[] resumed = content(99, 0, 2_000_000);
        String job;
        try (CairnProcess server = CairnProcess.start(data, heap, environment).awaitReady()) {
            Http http = server.http();
            assertEquals(
                    201,
                    http.send("PUT", "/hatrac/crash", "application/x-hatrac-namespace", null)
                            .status());
            job = http.postJson(
                            "/hatrac/crash/resumed;upload",
                            "{\"chunk-length\": 1000000, \"content-length\": 2000000, " + "\"content-md5\": \""
                                    + md5(resumed) + "\"}")
                    .body()
                    .trim();
            assertEquals(
                    204, http.put(job + "/0", Arrays.copyOf(resumed, 1_000_000)).status());
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(8);
            for (int c = 0; c < 8; c++) {
                int client = c;
                clients.submit(() -> {
                    Random random = new Random(client);
                    for (int n = 0; running.get(); n++) {
                        byte[] bytes = content(client, n, SIZES[random.nextInt(SIZES.length)]);
                        try {
                            String version = client == 0
                                    ? chunked(http, "/hatrac/crash/c" + client + "-" + n, bytes)
                                    : single(http, "/hatrac/crash/c" + client + "-" + n, bytes);
                            if (version != null) {
                                acknowledged.put(version, md5(bytes));
                            }
                        } catch (Exception serverGone) {
                            return null;
                        }
                    }
                    return null;
                });
            }
            long deadline = System.currentTimeMillis() + 20_000;
            while (acknowledged.size() < 40 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            server.kill();
            running.set(false);
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
        }
        assertTrue(acknowledged.size() >= 10, "enough uploads completed before the kill: " + acknowledged.size());

        try (CairnProcess server = CairnProcess.start(data, heap, environment).awaitReady()) {
            Http http = server.http();
            for (Map.Entry<String, String> version : acknowledged.entrySet()) {
                HttpResponse<byte[]> get = http.bytes(version.getKey());
                assertEquals(200, get.statusCode(), version.getKey() + " was acknowledged");
                assertEquals(
                        version.getValue(),
                        get.headers().firstValue("Content-MD5").orElseThrow());
                assertEquals(version.getValue(), md5(get.body()), "the bytes of " + version.getKey());
            }
            for (String object : http.get("/hatrac/crash").jsonArray().getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString)
                    .toList()) {
                for (String version : http.get(object + ";versions").jsonArray().getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString)
                        .toList()) {
                    HttpResponse<byte[]> get = http.bytes(version);
                    assertEquals(200, get.statusCode(), version);
                    assertEquals(
                            get.headers().firstValue("Content-MD5").orElseThrow(),
                            md5(get.body()),
                            "no partial version is visible: " + version);
                }
            }
            if (Files.exists(staged)) {
                try (Stream<Path> staging = Files.walk(staged)) {
                    assertEquals(
                            List.of(),
                            staging.filter(Files::isRegularFile)
                                    .map(f -> f.getFileName().toString())
                                    .filter(name -> name.startsWith("tmp-"))
                                    .toList(),
                            "no temporary file is left");
                }
            }

            // the upload job begun before the kill resumes where it stopped
            assertEquals(
                    "[0]", http.get(job).json().getJsonArray("received-chunks").toString());
            assertEquals(
                    204,
                    http.put(job + "/1", Arrays.copyOfRange(resumed, 1_000_000, 2_000_000))
                            .status());
            Reply finished = http.send("POST", job, null, null);
            assertEquals(201, finished.status(), finished::toString);
            assertEquals(md5(resumed), md5(http.bytes(finished.body().trim()).body()));
        }
    }

    private static String single(Http http, String object, byte[] bytes) throws Exception {
        Reply put = http.put(object, bytes, "Content-MD5", md5(bytes));
        return put.status() == 201 ? put.body().trim() : null;
    }

    private static String chunked(Http http, String object, byte[] bytes) throws Exception {
        int chunk = 400_000;
        Reply job = http.postJson(
                object + ";upload",
                "{\"chunk-length\": " + chunk + ", \"content-length\": " + bytes.length + ", \"content-md5\": \""
                        + md5(bytes) + "\"}");
        if (job.status() != 201) {
            return null;
        }
        String url = job.body().trim();
        for (int n = 0; (long) n * chunk < bytes.length; n++) {
            byte[] part = Arrays.copyOfRange(bytes, n * chunk, Math.min(bytes.length, (n + 1) * chunk));
            if (http.put(url + "/" + n, part).status() != 204) {
                return null;
            }
        }
        Reply done = http.send("POST", url, null, null);
        return done.status() == 201 ? done.body().trim() : null;
    }
}
