package dev.cairn.store.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Chunked uploads as Hatrac defines them, and what Cairn adds: the job tells which chunks it has,
 * finalization checks both digests and refuses gaps, abandoned jobs expire (the test deployment
 * sets a short expiry), and content far larger than the server's heap streams both ways.
 */
public abstract class UploadJobSpec extends CairnSpec {

    private String namespace() {
        String ns = "/hatrac/u-" + UUID.randomUUID();
        assertEquals(201, http().send("PUT", ns, HatracSpec.NAMESPACE, null).status());
        return ns;
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private String createJob(String object, String json) {
        Reply created = http().postJson(object + ";upload", json);
        assertEquals(201, created.status(), created::toString);
        String job = created.body().trim();
        assertTrue(job.startsWith(object + ";upload/"), job);
        assertTrue(created.header("Location").orElseThrow().endsWith(job));
        return job;
    }

    private static List<Integer> ints(JsonObject job, String name) {
        return job.getJsonArray(name).getValuesAs(JsonNumber.class).stream()
                .map(JsonNumber::intValue)
                .toList();
    }

    @Test
    void chunksInAnyOrderResumeAndFinalize() throws Exception {
        String object = namespace() + "/data.bin";
        byte[] content = random(2_500_000, 1);
        String job = createJob(
                object,
                "{\"chunk-length\": 1000000, \"content-length\": 2500000, "
                        + "\"content-type\": \"application/x-test\", \"content-md5\": \""
                        + HatracSpec.base64("MD5", content)
                        + "\", \"content-sha256\": \"" + HatracSpec.base64("SHA-256", content) + "\"}");
        assertEquals(
                204,
                http().put(job + "/2", Arrays.copyOfRange(content, 2_000_000, 2_500_000))
                        .status());
        assertEquals(
                204,
                http().put(job + "/0", Arrays.copyOfRange(content, 0, 1_000_000))
                        .status());

        JsonObject status = http().get(job).json();
        assertEquals(List.of(0, 2), ints(status, "received-chunks"));
        assertEquals(List.of(1), ints(status, "missing-chunks"));
        assertEquals(3, status.getInt("chunk-count"));
        assertEquals(
                List.of(job),
                http().get(object + ";upload").jsonArray().getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString)
                        .toList());

        Reply early = http().send("POST", job, null, null);
        assertEquals(409, early.status(), "a job with missing chunks is refused");
        assertTrue(early.json().getString("detail").contains("[1]"), early::toString);

        assertEquals(400, http().put(job + "/1", new byte[10]).status(), "a chunk has exactly its length");
        assertEquals(409, http().put(job + "/3", new byte[10]).status(), "no chunk beyond the end");
        assertEquals(400, http().put(job + "/x", new byte[10]).status());
        assertEquals(
                204,
                http().put(job + "/1", Arrays.copyOfRange(content, 1_000_000, 2_000_000))
                        .status());
        assertEquals(
                204,
                http().put(job + "/1", Arrays.copyOfRange(content, 1_000_000, 2_000_000))
                        .status(),
                "idempotent");

        Reply done = http().send("POST", job, null, null);
        assertEquals(201, done.status(), done::toString);
        String version = done.body().trim();
        assertTrue(version.startsWith(object + ":"), version);
        Reply get = http().get(version);
        assertEquals(
                HatracSpec.base64("MD5", content), get.header("Content-MD5").orElseThrow());
        assertTrue(get.contentType().startsWith("application/x-test"));
        assertEquals(404, http().get(job).status(), "a finished job is gone");
        assertEquals(404, http().put(job + "/0", new byte[1_000_000]).status());
    }

    @Test
    void finalizationChecksDigestsAndKeepsTheJob() throws Exception {
        String object = namespace() + "/checked";
        byte[] content = random(300_000, 2);
        byte[] wrong = random(300_000, 3);
        String job = createJob(
                object,
                "{\"chunk_bytes\": 100000, \"total_bytes\": 300000, \"content-sha256\": \""
                        + HatracSpec.base64("SHA-256", content) + "\"}");
        for (int n = 0; n < 3; n++) {
            assertEquals(
                    204,
                    http().put(job + "/" + n, Arrays.copyOfRange(wrong, n * 100_000, (n + 1) * 100_000))
                            .status());
        }
        Reply mismatch = http().send("POST", job, null, null);
        assertEquals(409, mismatch.status(), mismatch::toString);
        assertEquals(404, http().get(object).status(), "nothing was stored");
        assertEquals(200, http().get(job).status(), "the job stays, to be fixed or cancelled");
        for (int n = 0; n < 3; n++) {
            http().put(job + "/" + n, Arrays.copyOfRange(content, n * 100_000, (n + 1) * 100_000));
        }
        assertEquals(201, http().send("POST", job, null, null).status());
        assertEquals(
                HatracSpec.base64("SHA-256", content),
                http().get(object).header("Content-SHA256").orElseThrow());
    }

    @Test
    void aCommitThatFailsCanBeRetriedWithoutTheChunks() throws Exception {
        String parent = namespace() + "/later";
        assertEquals(201, http().send("PUT", parent, HatracSpec.NAMESPACE, null).status());
        String object = parent + "/retried";
        byte[] content = random(250_000, 4);
        String job = createJob(object, "{\"chunk-length\": 100000, \"content-length\": 250000}");
        for (int n = 0; n < 3; n++) {
            assertEquals(
                    204,
                    http().put(
                                    job + "/" + n,
                                    Arrays.copyOfRange(content, n * 100_000, Math.min(250_000, (n + 1) * 100_000)))
                            .status());
        }
        assertEquals(204, http().delete(parent).status());
        Reply failed = http().send("POST", job, null, null);
        assertEquals(404, failed.status(), "the object's namespace is gone: " + failed);
        assertEquals(
                409, http().put(job + "/0", Arrays.copyOf(content, 100_000)).status(), "assembled: no more chunks");
        assertEquals(201, http().send("PUT", parent, HatracSpec.NAMESPACE, null).status());
        Reply finished = http().send("POST", job, null, null);
        assertEquals(201, finished.status(), "finished from the assembled content: " + finished);
        assertEquals(
                HatracSpec.base64("MD5", content),
                http().get(finished.body().trim()).header("Content-MD5").orElseThrow());
        assertEquals(404, http().get(job).status(), "the job is done");
    }

    @Test
    void cancelledAndBadJobs() {
        String object = namespace() + "/cancelled";
        String job = createJob(object, "{\"chunk-length\": 10, \"content-length\": 20}");
        assertEquals(204, http().put(job + "/0", new byte[10]).status());
        assertEquals(204, http().delete(job).status());
        assertEquals(404, http().get(job).status());
        assertEquals(404, http().put(job + "/1", new byte[10]).status());
        assertEquals(
                400,
                http().postJson(object + ";upload", "{\"content-length\": 20}").status());
        assertEquals(
                400,
                http().postJson(object + ";upload", "{\"chunk-length\": 0, \"content-length\": 20}")
                        .status());
        assertEquals(400, http().postJson(object + ";upload", "not json").status());
        assertEquals(
                404,
                http().postJson(object + "/no/parent;upload", "{\"chunk-length\": 1, \"content-length\": 1}")
                        .status());
        assertEquals(404, http().get(object + ";upload/NOSUCHJOB").status());
    }

    @Test
    void emptyContentNeedsNoChunks() {
        String object = namespace() + "/empty";
        String job = createJob(object, "{\"chunk-length\": 1024, \"content-length\": 0}");
        assertEquals(201, http().send("POST", job, null, null).status());
        Reply get = http().get(object);
        assertEquals(200, get.status());
        assertEquals("0", get.header("Content-Length").orElseThrow());
    }

    @Test
    void abandonedJobsExpireAndTheirBytesAreReclaimed() throws Exception {
        String object = namespace() + "/abandoned";
        String job = createJob(object, "{\"chunk-length\": 1000, \"content-length\": 2000}");
        assertEquals(204, http().put(job + "/0", new byte[1000]).status());
        String id = job.substring(job.lastIndexOf('/') + 1);
        Path area = Path.of(System.getProperty("it.data.dir"), "arquillian", "store", "uploads", id);
        assertTrue(Files.exists(area));
        long deadline = System.currentTimeMillis() + 90_000;
        while (http().get(job).status() == 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(1000);
        }
        assertEquals(404, http().get(job).status(), "expired");
        assertFalse(Files.exists(area), "its bytes are gone");
    }

    @Test
    void contentLargerThanTheHeapStreamsBothWays() throws Exception {
        String object = namespace() + "/large.bin";
        long size = 1L << 30; // 1 GiB against a 256 MiB server heap
        MessageDigest sent = MessageDigest.getInstance("MD5");
        InputStream generated = new DigestInputStream(
                new InputStream() {
                    private final byte[] block = random(1 << 20, 4);
                    private long left = size;

                    @Override
                    public int read() {
                        return left-- > 0 ? block[(int) (left % block.length)] & 0xff : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = (int) Math.min(Math.min(len, left), block.length);
                        System.arraycopy(block, 0, b, off, n);
                        left -= n;
                        return n;
                    }
                },
                sent);
        Reply put = http().send(http().request(object)
                .timeout(Duration.ofMinutes(5))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> generated), size)));
        assertEquals(201, put.status(), put::toString);
        String expected = Base64.getEncoder().encodeToString(sent.digest());

        HttpResponse<InputStream> get = http().stream(
                http().request(object).timeout(Duration.ofMinutes(5)).GET());
        assertEquals(200, get.statusCode());
        assertEquals(
                String.valueOf(size), get.headers().firstValue("Content-Length").orElseThrow());
        MessageDigest received = MessageDigest.getInstance("MD5");
        try (InputStream in = new DigestInputStream(get.body(), received)) {
            assertEquals(size, in.transferTo(OutputStream.nullOutputStream()));
        }
        assertEquals(expected, Base64.getEncoder().encodeToString(received.digest()));
        assertEquals(expected, get.headers().firstValue("Content-MD5").orElseThrow());
    }
}
