package dev.cairn.store.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import jakarta.json.JsonString;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Hatrac's namespaces, objects and versions over HTTP, as Deriva clients use them. */
public abstract class HatracSpec extends CairnSpec {

    static final String NAMESPACE = "application/x-hatrac-namespace";

    /** A fresh namespace per test, so that tests never see each other's names. */
    protected String namespace() {
        String ns = "/hatrac/t-" + UUID.randomUUID();
        Reply created = http().send("PUT", ns, NAMESPACE, null);
        assertEquals(201, created.status(), created::toString);
        return ns;
    }

    static String base64(String algorithm, byte[] content) throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance(algorithm).digest(content));
    }

    private static List<String> urls(Reply reply) {
        return reply.jsonArray().getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)
                .toList();
    }

    @Test
    void namespacesNestListAndDeleteRecursively() {
        String ns = namespace();
        assertEquals(404, http().send("PUT", ns + "/a/b", NAMESPACE, null).status(), "parent missing");
        Reply created = http().send("PUT", ns + "/a/b?parents=true", NAMESPACE, null);
        assertEquals(201, created.status(), created::toString);
        assertEquals(ns + "/a/b", created.header("Location").orElseThrow().replaceFirst("^https?://[^/]+", ""));
        assertEquals(409, http().send("PUT", ns + "/a", NAMESPACE, null).status(), "exists");
        assertEquals(List.of(ns + "/a"), urls(http().get(ns)));
        Reply uriList = http().get(ns + "/a", "Accept", "text/uri-list");
        assertEquals(ns + "/a/b\n", uriList.body());
        assertEquals(201, http().put(ns + "/a/b/obj", "bytes".getBytes()).status());
        String version = http().put(ns + "/a/b/obj", "more".getBytes())
                .header("Location")
                .orElseThrow();
        assertEquals(204, http().delete(ns + "/a").status(), "a namespace goes with everything below it, as in Hatrac");
        assertEquals(404, http().get(ns + "/a").status());
        assertEquals(404, http().get(ns + "/a/b").status());
        assertEquals(404, http().get(ns + "/a/b/obj").status());
        assertEquals(
                404, http().get(version.replaceFirst("^https?://[^/]+", "")).status());
        assertTrue(urls(http().get("/hatrac/")).contains(ns));
        assertEquals(403, http().delete("/hatrac/").status(), "the root stays");
    }

    @Test
    void putGetHeadWithChecksumsAndMetadata() throws Exception {
        String ns = namespace();
        byte[] content = "...content...\n".getBytes(StandardCharsets.UTF_8);
        String md5 = base64("MD5", content);
        String sha = base64("SHA-256", content);
        Reply put = http().put(
                        ns + "/obj.txt",
                        content,
                        "Content-Type",
                        "text/plain",
                        "Content-MD5",
                        md5,
                        "Content-SHA256",
                        sha,
                        "Content-Disposition",
                        "filename*=UTF-8''test.txt");
        assertEquals(201, put.status(), put::toString);
        String versionUrl = put.body().trim();
        assertTrue(versionUrl.matches(ns + "/obj\\.txt:[0-9A-Z]+"), versionUrl);
        assertTrue(put.header("Location").orElseThrow().endsWith(versionUrl));

        Reply get = http().get(ns + "/obj.txt");
        assertEquals(200, get.status());
        assertEquals("...content...\n", get.body());
        assertEquals(md5, get.header("Content-MD5").orElseThrow());
        assertEquals(sha, get.header("Content-SHA256").orElseThrow());
        assertEquals("14", get.header("Content-Length").orElseThrow());
        assertTrue(get.contentType().startsWith("text/plain"));
        assertEquals(
                "filename*=UTF-8''test.txt", get.header("Content-Disposition").orElseThrow());
        assertEquals(versionUrl, get.header("Content-Location").orElseThrow());
        String etag = get.header("ETag").orElseThrow();

        Reply head = http().send(http().request(ns + "/obj.txt").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.status());
        assertEquals("14", head.header("Content-Length").orElseThrow());
        assertEquals(md5, head.header("Content-MD5").orElseThrow());
        assertEquals("", head.body());

        assertEquals(304, http().get(ns + "/obj.txt", "If-None-Match", etag).status());
        assertEquals("...content...\n", http().get(versionUrl).body());
        Reply metadata = http().get(ns + "/obj.txt;metadata");
        assertEquals(sha, metadata.json().getString("content-sha256"));
        assertEquals(md5, http().get(versionUrl + ";metadata/content-md5").body());
    }

    @Test
    void hexDigestsAreAcceptedAndMismatchesStoreNothing() throws Exception {
        String ns = namespace();
        byte[] content = "checked".getBytes(StandardCharsets.UTF_8);
        String hexMd5 =
                HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        assertEquals(
                201, http().put(ns + "/hex", content, "Content-MD5", hexMd5).status());

        Reply badMd5 = http().put(ns + "/bad", content, "Content-MD5", base64("MD5", "other".getBytes()));
        assertEquals(400, badMd5.status(), badMd5::toString);
        assertTrue(badMd5.contentType().startsWith("application/problem+json"));
        Reply badSha = http().put(ns + "/bad", content, "Content-SHA256", base64("SHA-256", "other".getBytes()));
        assertEquals(400, badSha.status());
        assertEquals(
                400, http().put(ns + "/bad", content, "Content-MD5", "nonsense").status());
        assertEquals(404, http().get(ns + "/bad").status(), "nothing was stored");
        assertEquals(List.of(ns + "/hex"), urls(http().get(ns)));
    }

    @Test
    void versionsPreconditionsAndDeletion() {
        String ns = namespace();
        String obj = ns + "/model.pt";
        String v1 =
                http().put(obj, "one".getBytes(), "If-None-Match", "*").body().trim();
        assertEquals(
                412, http().put(obj, "two".getBytes(), "If-None-Match", "*").status());
        String etag1 = http().get(obj).header("ETag").orElseThrow();
        assertEquals(
                412, http().put(obj, "two".getBytes(), "If-Match", "\"NOPE\"").status());
        String v2 = http().put(obj, "two".getBytes(), "If-Match", etag1).body().trim();
        assertNotEquals(v1, v2);
        assertEquals("two", http().get(obj).body());
        assertEquals("one", http().get(v1).body());
        assertEquals(List.of(v2, v1), urls(http().get(obj + ";versions")));

        assertEquals(204, http().delete(v2).status());
        assertEquals("one", http().get(obj).body(), "the previous version is current again");
        assertEquals(404, http().get(v2).status());
        assertEquals(204, http().delete(obj).status());
        assertEquals(404, http().get(obj).status());
        assertEquals(404, http().get(v1).status());
        assertEquals(201, http().put(obj, "three".getBytes()).status(), "a deleted object can be restored");
        Reply update = http().send("PUT", obj, NAMESPACE, "");
        assertEquals(409, update.status(), "a namespace cannot replace an object: " + update);
        assertEquals("three", http().get(obj).body(), "the object keeps its current version");
        assertEquals(List.of(obj), urls(http().get(ns)), "and it stays an object");
    }

    @Test
    void aNameIsANamespaceOrAnObjectNeverBoth() {
        String ns = namespace();
        assertEquals(201, http().send("PUT", ns + "/dir", NAMESPACE, null).status());
        assertEquals(409, http().put(ns + "/dir", "x".getBytes()).status());
        assertEquals(201, http().put(ns + "/file", "x".getBytes()).status());
        assertEquals(409, http().put(ns + "/file/child", "x".getBytes()).status());
        assertEquals(409, http().get(ns + "/dir;versions").status());
        assertEquals(404, http().put(ns + "/missing/obj", "x".getBytes()).status());
        assertEquals(
                201,
                http().put(ns + "/made/by/parents?parents=true", "x".getBytes()).status());
    }

    @Test
    void rangesResumeDownloads() {
        String ns = namespace();
        http().put(ns + "/digits", "0123456789".getBytes());
        Reply part = http().get(ns + "/digits", "Range", "bytes=3-5");
        assertEquals(206, part.status());
        assertEquals("345", part.body());
        assertEquals("bytes 3-5/10", part.header("Content-Range").orElseThrow());
        assertEquals("789", http().get(ns + "/digits", "Range", "bytes=7-").body());
        assertEquals("89", http().get(ns + "/digits", "Range", "bytes=-2").body());
        assertEquals(416, http().get(ns + "/digits", "Range", "bytes=10-").status());
        assertEquals(
                200,
                http().get(ns + "/digits", "Range", "bytes=3-5", "If-Range", "\"OLD\"")
                        .status());
    }

    @Test
    void pathsCannotEscapeOrSmuggle() {
        String ns = namespace();
        for (String hostile : new String[] {
            "/..%2F..%2Fetc%2Fpasswd",
            "/%2e%2e/x",
            "/a%2Fb",
            "/" + "n".repeat(300),
            "/a//b",
            "/%C3%28",
            "/obj:lower-case-version"
        }) {
            Reply reply = http().put(ns + hostile, "x".getBytes());
            assertEquals(400, reply.status(), hostile + ": " + reply);
            assertTrue(reply.contentType().startsWith("application/problem+json"), hostile);
        }
        // Payara refuses an escaped NUL itself, with a bare 400, before Cairn sees it
        assertEquals(400, http().put(ns + "/a%00b", "x".getBytes()).status());
        // an escaped backslash is a character of a name (platform/EscapeGuard lets it through Payara), never a
        // separator
        Reply backslashes = http().put(ns + "/a%5C..%5C..", "x".getBytes());
        assertEquals(201, backslashes.status(), backslashes::toString);
        assertTrue(
                urls(http().get(ns)).contains(ns + "/a%5C..%5C.."),
                () -> http().get(ns).body());
        assertEquals("x", http().get(ns + "/a%5C..%5C..").body());
        assertEquals(
                400,
                http().put(ns + "/ok", "x".getBytes(), "Content-Disposition", "filename*=UTF-8''..%2F..%2Fx")
                        .status());
        assertFalse(urls(http().get(ns)).stream().anyMatch(u -> !u.startsWith(ns + "/")));
    }

    @Test
    void identicalContentIsStoredOnce() throws Exception {
        String ns = namespace();
        byte[] content = ("same bytes " + UUID.randomUUID()).getBytes();
        http().put(ns + "/one", content);
        http().put(ns + "/two", content);
        Reply one = http().get(ns + "/one");
        Reply two = http().get(ns + "/two");
        assertEquals(one.header("Content-SHA256"), two.header("Content-SHA256"));
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Path blobs = Path.of(System.getProperty("it.data.dir"), "arquillian", "store", "blobs");
        try (var files = Files.walk(blobs)) {
            assertEquals(
                    1,
                    files.filter(f -> f.getFileName().toString().equals(sha256)).count(),
                    "one copy on disk");
        }
        assertEquals(204, http().delete(ns + "/one").status());
        assertEquals(new String(content), http().get(ns + "/two").body(), "the bytes stay while a version uses them");
    }
}
