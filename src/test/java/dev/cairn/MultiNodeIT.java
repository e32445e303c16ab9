package dev.cairn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.Http.Reply;
import dev.cairn.execution.CommittedOutputs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * Two Cairn processes on one PostgreSQL and one S3 bucket (S3Proxy), as an operator runs them
 * behind a load balancer: what is written through one node is read through the other at once
 * (objects, rows, model changes, snapshots), an upload job's chunks may arrive at either, and a
 * commit whose node is killed with {@code kill -9} is finished by the other node, once.
 */
class MultiNodeIT {

    private static final Path DATA = Path.of(System.getProperty("it.data.dir", "target/it-data"), "multi-node");
    private static final int SMALL = 300;
    private static final int LARGE = 2;
    private static final int FILES = SMALL + LARGE;
    private static final CommittedOutputs OUTPUTS = new CommittedOutputs(FILES, LARGE);

    private static String md5Base64(byte[] b) throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void twoNodesShareOneDatabaseAndOneBucket() throws Exception {
        CairnProcess.wipe(DATA);
        try (S3Proxy s3 = S3Proxy.start(DATA.resolve("s3"));
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(DATA.resolve("postgres"))
                        .setCleanDataDirectory(true)
                        .setServerConfig("max_connections", "300")
                        .start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("CREATE DATABASE cairn");
            }
            byte[] key = new byte[32];
            new Random(3).nextBytes(key);
            Map<String, String> environment = new HashMap<>(s3.environment("cairn-nodes"));
            environment.put("CAIRN_DB_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/cairn");
            environment.put("CAIRN_DB_USER", "postgres");
            environment.put("CAIRN_SECRET_KEY", Base64.getEncoder().encodeToString(key));
            environment.put("CAIRN_COMMIT_RESUME_INTERVAL", "PT2S");
            environment.put("CAIRN_STORE_REDIRECT_ABOVE", "1000000");

            try (CairnProcess a = CairnProcess.start(DATA.resolve("a"), "384m", environment)
                            .awaitReady();
                    CairnProcess b = CairnProcess.start(DATA.resolve("b"), "384m", environment)
                            .awaitReady()) {
                String token = Files.readString(DATA.resolve("a").resolve("admin-token"))
                        .trim();
                Http na = a.as(token);
                Http nb = b.as(token);
                objectsAndUploadJobs(na, nb);
                String cid = rowsModelAndSnapshots(na, nb);
                pangolinLocationsInTheBucket(na, nb, cid);
                revocationsAndDeletionsReachEveryNode(na, nb);
                commitFinishedByTheOtherNode(a, na, nb, cid);
            }
        }
    }

    private static void objectsAndUploadJobs(Http na, Http nb) throws Exception {
        assertEquals(
                201,
                na.send("PUT", "/hatrac/nodes", "application/x-hatrac-namespace", null)
                        .status());
        byte[] small = OUTPUTS.content(7);
        Reply put = na.put("/hatrac/nodes/small", small, "Content-MD5", md5Base64(small));
        assertEquals(201, put.status(), put::toString);
        HttpResponse<byte[]> read = nb.bytes(put.body().trim());
        assertEquals(200, read.statusCode(), "written through A, read through B at once");
        assertArrayEquals(small, read.body());

        // 5 MiB chunks, each an S3 part, sent to either node; finished through the other
        int chunk = 5 << 20;
        byte[] big = new byte[3 * chunk - 12345];
        new Random(11).nextBytes(big);
        Reply job = na.postJson(
                "/hatrac/nodes/big;upload",
                "{\"chunk-length\": " + chunk + ", \"content-length\": " + big.length + ", \"content-md5\": \""
                        + md5Base64(big) + "\"}");
        assertEquals(201, job.status(), job::toString);
        String url = job.body().trim();
        for (int n : new int[] {2, 0, 1}) {
            Http node = n % 2 == 0 ? nb : na;
            assertEquals(
                    204,
                    node.put(url + "/" + n, Arrays.copyOfRange(big, n * chunk, Math.min(big.length, (n + 1) * chunk)))
                            .status());
        }
        Reply finished = nb.send("POST", url, null, null);
        assertEquals(201, finished.status(), finished::toString);
        String version = finished.body().trim();

        // large content: after the access check, a short-lived signed URL of the bucket, Range and all
        assertTrue(
                Set.of(401, 403).contains(na.anonymous().bytes(version).statusCode()),
                "no redirect before the access check");
        HttpResponse<byte[]> redirected = na.bytes(version);
        assertEquals(303, redirected.statusCode());
        assertEquals(
                md5Base64(big), redirected.headers().firstValue("Content-MD5").orElseThrow());
        URI signed = URI.create(redirected.headers().firstValue("Location").orElseThrow());
        HttpClient plain = HttpClient.newHttpClient();
        HttpResponse<byte[]> whole =
                plain.send(HttpRequest.newBuilder(signed).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, whole.statusCode());
        assertArrayEquals(big, whole.body(), "the bytes of the chunked upload");
        HttpResponse<byte[]> part = plain.send(
                HttpRequest.newBuilder(signed).header("Range", "bytes=100-199").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(big, 100, 200), part.body());
    }

    /**
     * Pangolin's location= as an s3:// URL of Cairn's own bucket names the store's namespace; another
     * bucket is refused.
     */
    private static void pangolinLocationsInTheBucket(Http na, Http nb, String cid) {
        String r = "/api/catalogs/" + cid + "/registry";
        Reply written = na.send(
                "POST",
                r + "/tables?name=exported&format=parquet&location=s3://cairn-nodes/" + cid + "/exports",
                "text/csv",
                "id,name\n1,a\n2,b\n");
        assertEquals(201, written.status(), written::toString);
        assertTrue(
                written.json().getString("url").startsWith("/hatrac/" + cid + "/exports/exported.parquet:"),
                written::toString);
        assertEquals(
                200,
                nb.get("/hatrac/" + cid + "/exports/exported.parquet").status(),
                "the namespace the URL named, through the other node");
        assertTrue(nb.get(r + "/tables/exported?format=csv").body().contains("1,a"));
        assertEquals(
                400,
                na.send(
                                "POST",
                                r + "/tables?name=elsewhere&location=s3://someone-elses-bucket/" + cid + "/x",
                                "text/csv",
                                "a\n1\n")
                        .status());
    }

    private static String rowsModelAndSnapshots(Http na, Http nb) {
        String cid = na.postJson("/api/catalogs", "{\"name\": \"nodes\", \"domainSchema\": \"demo\"}")
                .json()
                .getString("id");
        String base = "/ermrest/catalog/" + cid;
        assertEquals(
                201,
                na.postJson(
                                base + "/schema/demo/table",
                                "{\"table_name\": \"T\", \"column_definitions\": "
                                        + "[{\"name\": \"Label\", \"type\": {\"typename\": \"text\"}}]}")
                        .status());
        assertEquals(
                200,
                na.postJson(base + "/entity/demo:T", "[{\"Label\": \"from A\"}]")
                        .status());
        assertEquals(1, nb.get(base + "/entity/demo:T").jsonArray().size(), "a row written through A, read through B");

        // B knows the model now; A changes it; B uses the change at once
        Reply added = na.postJson(
                base + "/schema/demo/table/T/column", "{\"name\": \"Extra\", \"type\": {\"typename\": \"text\"}}");
        assertEquals(201, added.status(), added::toString);
        Reply written = nb.postJson(base + "/entity/demo:T", "[{\"Label\": \"from B\", \"Extra\": \"new column\"}]");
        assertEquals(200, written.status(), written::toString);
        assertEquals(
                "new column",
                na.get(base + "/entity/demo:T/Label=from%20B")
                        .jsonArray()
                        .getJsonObject(0)
                        .getString("Extra"));

        String snaptime = na.get(base).json().getString("snaptime");
        assertEquals(
                200,
                nb.postJson(base + "/entity/demo:T", "[{\"Label\": \"later\"}]").status());
        assertEquals(
                2, na.get(base + "@" + snaptime + "/entity/demo:T").jsonArray().size());
        assertEquals(
                2,
                nb.get(base + "@" + snaptime + "/entity/demo:T").jsonArray().size(),
                "both nodes read the snapshot alike");
        assertEquals(3, nb.get(base + "/entity/demo:T").jsonArray().size());
        return cid;
    }

    /**
     * A token B has cached, revoked through A, and a catalog B remembers, deleted through A: B
     * refuses both within a second (it would otherwise remember them for 10 and 5 seconds).
     */
    private static void revocationsAndDeletionsReachEveryNode(Http na, Http nb) throws Exception {
        Reply made = na.postJson("/api/tokens", "{\"name\": \"nodes\"}");
        assertEquals(201, made.status(), made::toString);
        Http viaB = nb.as(made.json().getString("token"));
        assertEquals(200, viaB.get("/api/tokens").status());
        assertEquals(
                204, na.delete("/api/tokens/" + made.json().getString("id")).status());
        assertEquals(401, soon(() -> viaB.get("/api/tokens").status(), 401), "revoked through A, refused by B");

        String cid = na.postJson("/api/catalogs", "{\"name\": \"gone\", \"domainSchema\": \"demo\"}")
                .json()
                .getString("id");
        assertEquals(200, nb.get("/ermrest/catalog/" + cid).status());
        assertTrue(Set.of(200, 204).contains(na.delete("/api/catalogs/" + cid).status()));
        assertEquals(404, soon(() -> nb.get("/ermrest/catalog/" + cid).status(), 404), "deleted through A, gone on B");
    }

    /** The status, asked again for up to a second until it is the expected one. */
    private static int soon(IntSupplier status, int expected) throws InterruptedException {
        int last = status.getAsInt();
        for (int i = 0; i < 20 && last != expected; i++) {
            Thread.sleep(50);
            last = status.getAsInt();
        }
        return last;
    }

    private static void commitFinishedByTheOtherNode(CairnProcess a, Http na, Http nb, String cid) throws Exception {
        String api = "/api/catalogs/" + cid;
        assertEquals(
                201, na.postJson(api + "/asset-tables", "{\"name\": \"Scan\"}").status());
        String workflow = nb.postJson(api + "/workflows", "{\"name\": \"w\", \"type\": \"Training\"}")
                .json()
                .getString("RID");
        String execution = na.postJson(api + "/executions", "{\"workflow\": \"" + workflow + "\"}")
                .json()
                .getString("RID");
        assertEquals(
                200,
                nb.send(
                                "PUT",
                                api + "/executions/" + execution + "/status",
                                "application/json",
                                "{\"status\": \"Running\"}")
                        .status());
        for (int n = 0; n < FILES; n++) {
            Http node = n % 2 == 0 ? na : nb;
            Reply staged =
                    node.put(api + "/executions/" + execution + "/outputs/Scan/f" + n + ".bin", OUTPUTS.content(n));
            assertEquals(201, staged.status(), staged::toString);
        }
        assertEquals(
                FILES,
                na.get(api + "/executions/" + execution + "/outputs")
                        .jsonArray()
                        .size(),
                "staged through both, seen by both");
        assertEquals(
                200,
                na.send(
                                "PUT",
                                api + "/executions/" + execution + "/status",
                                "application/json",
                                "{\"status\": \"Stopped\"}")
                        .status());

        Reply accepted = na.postJson(api + "/executions/" + execution + "/commit?async=true", "");
        assertEquals(202, accepted.status(), accepted::toString);
        assertEquals(
                409,
                nb.postJson(api + "/executions/" + execution + "/commit", "").status(),
                "one commit at a time, across nodes");
        for (int polls = 0; ; polls++) {
            JsonObject commit = na.get(api + "/executions/" + execution).json().getJsonObject("Commit");
            if (commit.getInt("filesDone") >= 20 || polls > 3000) {
                assertEquals(
                        "running", commit.getString("state"), "the commit ran too fast to be interrupted: " + commit);
                break;
            }
            Thread.sleep(10);
        }
        a.kill();

        JsonObject doc = nb.get(api + "/executions/" + execution).json();
        for (int i = 0; i < 1200 && !doc.getString("Status").equals("Uploaded"); i++) {
            int rows = CommittedOutputs.count(nb, cid);
            assertTrue(rows == 0 || rows == FILES, "all or nothing, saw " + rows);
            Thread.sleep(100);
            doc = nb.get(api + "/executions/" + execution).json();
        }
        assertEquals("Uploaded", doc.getString("Status"), doc::toString);
        assertEquals("done", doc.getJsonObject("Commit").getString("state"));

        OUTPUTS.assertEachOnce(nb, api);
        assertEquals(
                0,
                nb.get(api + "/executions/" + execution + "/outputs")
                        .jsonArray()
                        .size(),
                "the staged files are spent");
        List<String> staged = new ArrayList<>();
        Path staging = DATA.resolve("s3/objects/cairn-nodes/staging");
        if (Files.exists(staging)) { // S3Proxy removes a folder once its last key is gone
            try (var keys = Files.walk(staging)) {
                keys.filter(Files::isRegularFile)
                        .forEach(f -> staged.add(f.getFileName().toString()));
            }
        }
        assertEquals(
                List.of(),
                staged.stream().filter(k -> k.startsWith("ws-")).toList(),
                "and their bytes are gone from the bucket");
    }
}
