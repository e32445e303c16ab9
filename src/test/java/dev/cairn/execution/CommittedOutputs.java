package dev.cairn.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.Http;
import dev.cairn.Http.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;

/**
 * What the process tests that interrupt a commit share: the content of staged file {@code f<n>.bin}
 * (the first {@code large} are 30 MB, the rest 64 KB) and the check that a commit made every one
 * of them an asset exactly once, with one object version each.
 */
public final class CommittedOutputs {

    private final int files;
    private final int large;

    public CommittedOutputs(int files, int large) {
        this.files = files;
        this.large = large;
    }

    public byte[] content(int n) {
        byte[] b = new byte[n < large ? 30_000_000 : 64_000];
        new Random(n).nextBytes(b);
        return b;
    }

    public static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    /** The bytes of an object version, from where a 303 sends them (a signed URL of the bucket) if it does. */
    private static byte[] body(Http http, String url) throws Exception {
        HttpResponse<byte[]> response = http.bytes(url);
        if (response.statusCode() == 303) {
            response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(response.headers()
                                            .firstValue("Location")
                                            .orElseThrow()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
        }
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    /** Rows of the demo:Scan asset table. */
    public static int count(Http http, String cid) {
        Reply reply = http.get("/ermrest/catalog/" + cid + "/aggregate/demo:Scan/n:=cnt(*)");
        assertEquals(200, reply.status(), reply::toString);
        return reply.jsonArray().getJsonObject(0).getInt("n");
    }

    /** Every staged file is an asset once, with its MD5 and one object version; some are read back whole. */
    public void assertEachOnce(Http http, String api) throws Exception {
        JsonArray assets =
                http.get(api + "/asset-tables/Scan/assets?limit=10000").jsonArray();
        assertEquals(files, assets.size(), "every output exactly once");
        Set<String> names = new HashSet<>();
        for (JsonObject asset : assets.getValuesAs(JsonObject.class)) {
            String filename = asset.getString("Filename");
            assertTrue(names.add(filename), "duplicate " + filename);
            int n = Integer.parseInt(filename.substring(1, filename.indexOf('.')));
            assertEquals(md5(content(n)), asset.getString("MD5"));
            String url = asset.getString("URL");
            assertEquals(
                    1,
                    http.get(url.substring(0, url.lastIndexOf(':')) + ";versions")
                            .jsonArray()
                            .size(),
                    "one version of " + filename);
            if (n < large + 20) {
                assertEquals(md5(content(n)), md5(body(http, url)), "the bytes of " + filename);
            }
        }
    }
}
