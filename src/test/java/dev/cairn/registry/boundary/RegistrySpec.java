package dev.cairn.registry.boundary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnProcess;
import dev.cairn.CairnSpec;
import dev.cairn.Http;
import dev.cairn.Http.Reply;
import dev.cairn.registry.control.MongoEvaluator;
import dev.cairn.registry.control.MongoFilter;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The asset registry over HTTP: seed 001's every curl command as the seed writes it, the
 * asset_uri grammar, versions, aliases and their history, lineage through executions and
 * relationships, tombstones, the registry of Assets DBs across two Cairn instances, and
 * MongoDB-style queries held against an in-memory evaluator on random documents.
 */
public abstract class RegistrySpec extends CairnSpec {

    private String mlCatalog(String name) {
        return createCatalog("{\"name\": \"" + name + "\", \"domainSchema\": \"demo\"}")
                .getString("id");
    }

    private static byte[] multipart(String boundary, String filename, byte[] file, String metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"asset\"; filename=\"" + filename
                        + "\"\r\nContent-Type: image/png\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"asset_metadata\"\r\n\r\n"
                        + metadata + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private Reply upload(String base, String filename, byte[] file, String metadata) {
        return http().send(http().request(base + "/upload_asset")
                .header("Content-Type", "multipart/form-data; boundary=XyZ")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart("XyZ", filename, file, metadata))));
    }

    private static JsonObject ok(Reply reply) {
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private static Set<String> ids(JsonArray assets) {
        return assets.getValuesAs(JsonObject.class).stream()
                .map(a -> a.getString("asset_id"))
                .collect(Collectors.toSet());
    }

    @Test
    void seedCommandsAsWritten() {
        String base = "/aios/" + mlCatalog("aios-seed");
        byte[] png = new byte[70_000];
        new Random(1).nextBytes(png);
        // 1. Upload Asset API
        Reply uploaded = upload(base, "file.png", png, """
                {
                           "asset_name": "SampleAsset",
                           "asset_version": { "version": "1.0", "tag": "initial" },
                           "asset_metadata": { "description": "Sample asset upload" },
                           "asset_tags": ["image", "sample"]
                         }""");
        assertEquals(201, uploaded.status(), uploaded::toString);
        JsonObject asset = uploaded.json();
        String id = asset.getString("asset_id");
        assertEquals("SampleAsset:1.0-initial", asset.getString("asset_uri"));
        assertEquals(http().base() + base + "/asset-object/" + id, asset.getString("asset_public_url"));
        assertEquals(70_000, asset.getJsonObject("asset_file_info").getInt("size"));
        assertEquals(
                64, asset.getJsonObject("asset_file_info").getString("sha256").length());
        assertFalse(asset.getString("assets_db_id").isEmpty());

        // 2. Get Asset API
        assertEquals(asset, ok(http().send("GET", base + "/asset/SampleAsset:1.0-initial", "application/json", null)));
        // 3. Update Asset API
        JsonObject updated = ok(http().send("PUT", base + "/asset/SampleAsset:1.0-initial", "application/json", """
                {
                           "asset_metadata": {"description": "Updated asset description"},
                           "asset_tags": ["updated", "sample"]
                         }"""));
        assertEquals(
                "Updated asset description",
                updated.getJsonObject("asset_metadata").getString("description"));
        assertEquals(
                List.of("updated", "sample"), updated.getJsonArray("asset_tags").getValuesAs(JsonString::getString));
        // a client that PUTs back the object it read works; changing what names the version does not
        assertEquals(
                200,
                http().send("PUT", base + "/asset/SampleAsset:1.0-initial", "application/json", updated.toString())
                        .status());
        assertEquals(
                409,
                http().send(
                                "PUT",
                                base + "/asset/SampleAsset:1.0-initial",
                                "application/json",
                                "{\"asset_version\": {\"version\": \"2.0\", \"tag\": \"initial\"}}")
                        .status());

        // 8. Upload an external asset
        Reply external = http().send("POST", base + "/asset", "application/json", """
                {
                           "asset_name": "Sample Asset",
                           "asset_version": {"version": "1.0", "tag": "initial"},
                           "asset_metadata": {"description": "Sample asset for testing", "type": "image"},
                           "asset_tags": ["test", "sample"]
                         }""");
        assertEquals(201, external.status(), external::toString);
        String externalId = external.json().getString("asset_id");
        assertEquals(
                409,
                http().send(
                                "POST",
                                base + "/asset",
                                "application/json",
                                "{\"asset_name\": \"Sample Asset\", \"asset_version\": {\"version\": \"1.0\", \"tag\": \"initial\"}}")
                        .status());

        // 5. Query Assets API, the equality form: the tag and the metadata by example
        assertEquals(
                Set.of(externalId),
                ids(http().send("POST", base + "/assets", "application/json", """
                {
                           "asset_tags": ["sample"],
                           "asset_metadata": {"type": "image"}
                         }""")
                        .jsonArray()));
        // 6. Query Assets API, MongoDB-style
        assertEquals(
                Set.of(externalId, id),
                ids(http().send("POST", base + "/assets", "application/json", """
                {
                           "asset_tags": { "$in": ["sample", "image"] },
                           "asset_version.version": { "$gte": "1.0" }
                         }""")
                        .jsonArray()));
        assertEquals(
                Set.of(externalId),
                ids(http().send("POST", base + "/assets", "application/json", """
                {
                           "asset_tags": { "$in": ["sample", "image"] },
                           "asset_metadata.type": "image",
                           "asset_version.version": { "$gte": "1.0" }
                         }""")
                        .jsonArray()));
        Reply unknown =
                http().send("POST", base + "/assets", "application/json", "{\"asset_tags\": {\"$within\": [1]}}");
        assertEquals(400, unknown.status());
        assertTrue(unknown.body().contains("$within"), unknown::toString);
        Reply paged = http().send("POST", base + "/assets?limit=1", "application/json", "{}");
        assertEquals(1, paged.jsonArray().size());
        assertTrue(paged.header("Link")
                .orElseThrow()
                .contains("after=" + paged.jsonArray().getJsonObject(0).getString("asset_id")));

        // 7. Get Asset Object API: the bytes, with ETag, If-None-Match and Range
        HttpResponse<byte[]> object = http().bytes(base + "/asset-object/" + id);
        assertEquals(200, object.statusCode());
        assertArrayEquals(png, object.body());
        String etag = object.headers().firstValue("ETag").orElseThrow();
        assertEquals(
                304,
                http().binary(base + "/asset-object/" + id, "If-None-Match", etag)
                        .statusCode());
        HttpResponse<byte[]> range = http().binary(base + "/asset-object/" + id, "Range", "bytes=100-199");
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(png, 100, 200), range.body());
        assertEquals(404, http().get(base + "/asset-object/" + externalId).status());

        // 9. Health Check API
        assertEquals("healthy", ok(http().get(base + "/health")).getString("status"));
        // 4. Delete Asset API
        assertEquals(
                200,
                http().send("DELETE", base + "/asset/SampleAsset:1.0-initial", "application/json", null)
                        .status());
        assertEquals(404, http().get(base + "/asset/SampleAsset:1.0-initial").status());
        assertEquals(404, http().get(base + "/asset-object/" + id).status());

        // the registry of Assets DBs: 1. create, 2. get, 3. update, 4. query, 5. health, 3. delete
        Reply entry = http().send("POST", "/aios/asset_registry", "application/json", """
                {
                           "asset_registry_name": "ResNet Models registry",
                           "asset_registry_metadata": {
                             "framework": "PyTorch",
                             "version": "1.0",
                             "author": "OpenAI",
                             "license": "Apache-2.0"
                           },
                           "asset_registry_tags": ["image-classification", "deep-learning", "pytorch"],
                           "asset_registry_public_url": "https://example.com/models/resnet-models-registry"
                         }""");
        assertEquals(201, entry.status(), entry::toString);
        String entryId = entry.json().getString("asset_registry_id");
        assertEquals(
                "PyTorch",
                ok(http().send("GET", "/aios/asset_registry/" + entryId, "application/json", null))
                        .getJsonObject("asset_registry_metadata")
                        .getString("framework"));
        String query = """
                {
                           "$and": [
                             { "asset_registry_tags": { "$in": ["deep-learning"] } },
                             { "asset_registry_metadata.framework": "PyTorch" }
                           ]
                         }""";
        assertTrue(http().send("POST", "/aios/asset_registries", "application/json", query).jsonArray().stream()
                .anyMatch(e -> e.asJsonObject().getString("asset_registry_id").equals(entryId)));
        // the seed's update command is not JSON ("TensorFlow" models): a 400 that changes nothing
        Reply asWritten = http().send("PUT", "/aios/asset_registry/" + entryId, "application/json", """
                {
                           "asset_registry_metadata": {
                             "framework": "TensorFlow" models,
                             "version": "2.0"
                           },
                           "asset_registry_tags": ["neural-network", "tensorflow"]
                         }""");
        assertEquals(400, asWritten.status(), asWritten::toString);
        JsonObject changed = ok(http().send(
                        "PUT",
                        "/aios/asset_registry/" + entryId,
                        "application/json",
                        "{\"asset_registry_metadata\": {\"framework\": \"TensorFlow\", \"version\": \"2.0\"}, "
                                + "\"asset_registry_tags\": [\"neural-network\", \"tensorflow\"]}"));
        assertEquals(
                "TensorFlow", changed.getJsonObject("asset_registry_metadata").getString("framework"));
        // a change that leaves the tags out keeps them
        JsonObject renamed = ok(http().send(
                        "PUT",
                        "/aios/asset_registry/" + entryId,
                        "application/json",
                        "{\"asset_registry_name\": \"renamed\"}"));
        assertEquals("renamed", renamed.getString("asset_registry_name"));
        assertEquals(2, renamed.getJsonArray("asset_registry_tags").size());
        assertFalse(http().send("POST", "/aios/asset_registries", "application/json", query).jsonArray().stream()
                .anyMatch(e -> e.asJsonObject().getString("asset_registry_id").equals(entryId)));
        assertEquals(
                404,
                http().send(
                                "GET",
                                "/aios/check_health/tes-123e4567-e89b-12d3-a456-426614174000",
                                "application/json",
                                null)
                        .status());
        assertEquals(
                200,
                http().send("DELETE", "/aios/asset_registry/" + entryId, "application/json", null)
                        .status());
        assertEquals(404, http().get("/aios/asset_registry/" + entryId).status());
    }

    @Test
    void aLargeFileSentThroughHatracChunkedJobsIsRegisteredWithoutCopying() {
        String cid = mlCatalog("aios-chunked");
        String base = "/aios/" + cid;
        byte[] content = new byte[2_500_000];
        new Random(3).nextBytes(content);
        String object = "/hatrac/" + cid + "/uploads/model.safetensors";
        assertEquals(
                201,
                http().send("PUT", "/hatrac/" + cid + "/uploads?parents=true", "application/x-hatrac-namespace", null)
                        .status());
        Reply created = http().postJson(object + ";upload", "{\"chunk-length\": 1000000, \"content-length\": 2500000}");
        assertEquals(201, created.status(), created::toString);
        String job = created.body().trim();
        for (int chunk = 0; chunk < 3; chunk++) {
            assertEquals(
                    204,
                    http().put(
                                    job + "/" + chunk,
                                    Arrays.copyOfRange(
                                            content,
                                            chunk * 1_000_000,
                                            Math.min(content.length, (chunk + 1) * 1_000_000)))
                            .status());
        }
        Reply done = http().send("POST", job, null, null);
        assertEquals(201, done.status(), done::toString);
        String version = done.body().trim();

        Reply registered = http().postJson(
                        base + "/asset",
                        "{\"asset_name\": \"big\", \"asset_version\": {\"version\": \"1\"}, "
                                + "\"asset_public_url\": \"" + object + "\"}");
        assertEquals(201, registered.status(), registered::toString);
        JsonObject asset = registered.json();
        assertEquals(2_500_000, asset.getJsonObject("asset_file_info").getInt("size"));
        assertEquals(
                http().base() + base + "/asset-object/" + asset.getString("asset_id"),
                asset.getString("asset_public_url"));
        assertArrayEquals(
                content,
                http().bytes(base + "/asset-object/" + asset.getString("asset_id"))
                        .body());
        assertEquals(
                version,
                ok(http().get("/api/catalogs/" + cid + "/registry/assets/" + asset.getString("asset_id")))
                        .getString("url"),
                "the row names the version the job made: no bytes were copied");
        // bytes outside the catalog's namespace, or missing, are refused
        assertEquals(
                400,
                http().postJson(
                                base + "/asset",
                                "{\"asset_name\": \"x\", \"asset_version\": {\"version\": \"1\"}, "
                                        + "\"asset_public_url\": \"/hatrac/elsewhere/x\"}")
                        .status());
        assertEquals(
                404,
                http().postJson(
                                base + "/asset",
                                "{\"asset_name\": \"x\", \"asset_version\": {\"version\": \"1\"}, "
                                        + "\"asset_public_url\": \"" + object + "-missing\"}")
                        .status());
        // deleting the registration leaves the version the client uploaded itself
        assertEquals(200, http().delete(base + "/asset/big:1").status());
        assertEquals(200, http().bytes(version).statusCode());
    }

    @Test
    void uriGrammarVersionsLatestAndAliasesWithHistory() {
        String cid = mlCatalog("aios-names");
        String base = "/aios/" + cid;
        String api = "/api/catalogs/" + cid + "/registry";
        List<String> ids = new ArrayList<>();
        for (String v : List.of("1.2", "1.10.0", "1.9.0", "1.10.0-rc.1")) {
            ids.add(http().postJson(
                            base + "/asset",
                            "{\"asset_name\": \"resnet\", \"asset_version\": {\"version\": \"" + v + "\"}}")
                    .json()
                    .getString("asset_id"));
        }
        assertEquals(
                List.of("1.10.0", "1.10.0-rc.1", "1.9.0", "1.2"),
                http().get(api + "/names/resnet/versions").jsonArray().getValuesAs(JsonObject.class).stream()
                        .map(v -> v.getString("version"))
                        .toList());
        assertEquals(
                "1.10.0",
                ok(http().get(base + "/asset/resnet:latest"))
                        .getJsonObject("asset_version")
                        .getString("version"));
        assertEquals(
                "1.2",
                ok(http().get(base + "/asset/resnet:1.2"))
                        .getJsonObject("asset_version")
                        .getString("version"));

        // names and tags with ':' and '-'; one text, two readings that both exist: 409
        String colon = http().postJson(
                        base + "/asset",
                        "{\"asset_name\": \"team:model\", \"asset_version\": {\"version\": \"2\", "
                                + "\"tag\": \"fine-tuned\"}}")
                .json()
                .getString("asset_id");
        assertEquals(
                colon, ok(http().get(base + "/asset/team:model:2-fine-tuned")).getString("asset_id"));
        assertEquals(
                201,
                http().postJson(
                                base + "/asset",
                                "{\"asset_name\": \"team:model\", \"asset_version\": {\"version\": \"2-fine\", "
                                        + "\"tag\": \"tuned\"}}")
                        .status());
        assertEquals(409, http().get(base + "/asset/team:model:2-fine-tuned").status());
        // a namespace in front; a name may not hold '/'
        String nested = http().postJson(
                        base + "/asset",
                        "{\"asset_name\": \"clf\", \"asset_namespace\": \"ml_models/production\", "
                                + "\"asset_version\": {\"version\": \"1\"}}")
                .json()
                .getString("asset_id");
        assertEquals(
                nested,
                ok(http().get(base + "/asset/ml_models/production/clf:1")).getString("asset_id"));
        assertEquals(404, http().get(base + "/asset/clf:1").status());
        assertEquals(
                400,
                http().postJson(base + "/asset", "{\"asset_name\": \"a/b\", \"asset_version\": {\"version\": \"1\"}}")
                        .status());

        // aliases move atomically and keep every move
        assertEquals(
                200,
                http().send(
                                "PUT",
                                api + "/names/resnet/aliases/production",
                                "application/json",
                                "{\"asset_id\": \"" + ids.get(2) + "\"}")
                        .status());
        assertEquals(
                "1.9.0",
                ok(http().get(base + "/asset/resnet:production"))
                        .getJsonObject("asset_version")
                        .getString("version"));
        JsonObject moved = ok(http().send(
                        "PUT",
                        api + "/names/resnet/aliases/production",
                        "application/json",
                        "{\"asset_id\": \"" + ids.get(1) + "\"}"));
        assertEquals(ids.get(1), moved.getString("asset_id"));
        JsonArray history = moved.getJsonArray("history");
        assertEquals(2, history.size());
        assertTrue(history.getJsonObject(0).isNull("from"));
        assertEquals(ids.get(2), history.getJsonObject(1).getString("from"));
        assertEquals(ids.get(1), history.getJsonObject(1).getString("to"));
        assertEquals("user:admin", history.getJsonObject(1).getString("client"));
        assertEquals(
                "1.10.0",
                ok(http().get(base + "/asset/resnet:production"))
                        .getJsonObject("asset_version")
                        .getString("version"));
        assertEquals(
                400,
                http().send(
                                "PUT",
                                api + "/names/resnet/aliases/production",
                                "application/json",
                                "{\"asset_id\": \"" + colon + "\"}")
                        .status(),
                "an alias points at a version of its own name");
        assertEquals(
                400,
                http().send(
                                "PUT",
                                api + "/names/resnet/aliases/latest",
                                "application/json",
                                "{\"asset_id\": \"" + ids.get(0) + "\"}")
                        .status());
        assertEquals(
                204, http().delete(api + "/names/resnet/aliases/production").status());
        assertEquals(404, http().get(base + "/asset/resnet:production").status());
        assertEquals(
                3,
                ok(http().get(api + "/names/resnet/aliases/production"))
                        .getJsonArray("history")
                        .size());
        JsonObject note = http().postJson(
                        api + "/assets/" + ids.get(0) + "/annotations", "{\"note\": \"validated on holdout\"}")
                .json();
        assertEquals("user:admin", note.getString("client"));
        assertEquals(
                1,
                http().get(api + "/assets/" + ids.get(0) + "/annotations")
                        .jsonArray()
                        .size());
    }

    @Test
    void registeredAssetsJoinLineageErmrestAndLeaveTombstones() {
        String cid = mlCatalog("aios-lineage");
        String base = "/aios/" + cid;
        String api = "/api/catalogs/" + cid;
        String workflow = http().postJson(
                        api + "/workflows",
                        "{\"name\": \"train\", \"type\": \"Training\", \"url\": \"u\", \"checksum\": \"c\"}")
                .json()
                .getString("RID");
        String execution = http().postJson(api + "/executions", "{\"workflow\": \"" + workflow + "\"}")
                .json()
                .getString("RID");
        String data = http().postJson(
                        base + "/asset",
                        "{\"asset_name\": \"cifar\", \"asset_version\": {\"version\": \"1\"}, "
                                + "\"asset_kind\": \"Dataset\"}")
                .json()
                .getString("asset_id");
        Reply model = upload(
                base,
                "model.bin",
                "weights".getBytes(StandardCharsets.UTF_8),
                "{\"asset_name\": \"resnet\", \"asset_version\": {\"version\": \"1\"}, \"asset_kind\": \"Model\", \"execution\": \""
                        + execution + "\"}");
        assertEquals(201, model.status(), model::toString);
        String modelId = model.json().getString("asset_id");
        assertEquals(
                201,
                http().postJson(
                                api + "/registry/assets/" + modelId + "/relationships",
                                "{\"relationship\": \"trained_on\", \"related_asset\": \"" + data + "\"}")
                        .status());

        JsonObject lineage = ok(http().get(api + "/assets/" + modelId + "/lineage?direction=up"));
        Set<String> nodes = lineage.getJsonArray("nodes").getValuesAs(JsonObject.class).stream()
                .map(n -> n.getString("RID"))
                .collect(Collectors.toSet());
        assertEquals(Set.of(modelId, execution, data), nodes);
        assertTrue(lineage.getJsonArray("edges").getValuesAs(JsonObject.class).stream()
                .anyMatch(e ->
                        e.getString("from").equals(data) && e.getString("role").equals("trained_on")));
        // the same row through ERMrest; what names a version cannot change there either
        JsonArray row = http().get("/ermrest/catalog/" + cid + "/entity/deriva-ml:Registered_Asset/RID=" + modelId)
                .jsonArray();
        assertEquals("resnet", row.getJsonObject(0).getString("Name"));
        assertEquals("Model", row.getJsonObject(0).getString("Kind"));
        assertEquals(
                409,
                http().send(
                                "PUT",
                                "/ermrest/catalog/" + cid + "/attributegroup/deriva-ml:Registered_Asset/RID;Version",
                                "application/json",
                                "[{\"RID\": \"" + modelId + "\", \"Version\": \"2\"}]")
                        .status());

        // in lineage: refused, then forced by the owner, leaving a tombstone
        assertEquals(409, http().delete(base + "/asset/resnet:1").status());
        assertEquals(409, http().delete(base + "/asset/cifar:1").status());
        JsonObject forced = ok(http().send("DELETE", base + "/asset/resnet:1?force=true", null, null));
        assertTrue(forced.getBoolean("tombstone"));
        assertEquals(404, http().get(base + "/asset/resnet:1").status());
        JsonObject tombstone = ok(http().get(api + "/assets/" + modelId + "/lineage?direction=up"))
                .getJsonArray("nodes")
                .getValuesAs(JsonObject.class)
                .stream()
                .filter(n -> n.getString("RID").equals(modelId))
                .findFirst()
                .orElseThrow();
        assertFalse(tombstone.isNull("Deleted"));
        assertEquals(
                409,
                http().postJson(
                                base + "/asset",
                                "{\"asset_name\": \"resnet\", \"asset_version\": {\"version\": \"1\"}}")
                        .status(),
                "a version once in lineage is never reused");
    }

    @Test
    void registryOfAssetsDbsAcrossTwoInstances() throws Exception {
        String here = mlCatalog("aios-here");
        JsonObject self = http().postJson("/aios/" + here + "/register", "{\"asset_registry_tags\": [\"cairn\"]}")
                .json();
        assertEquals(
                ok(http().get("/aios/" + here + "/health")).getString("assets_db_id"),
                self.getString("asset_registry_id"));
        assertEquals(
                self.getString("asset_registry_id"),
                http().postJson("/aios/" + here + "/register", "{}").json().getString("asset_registry_id"),
                "registering again updates");

        Path data = Path.of(System.getProperty("it.data.dir", "target/it-data"), "aios-second");
        CairnProcess.wipe(data);
        try (CairnProcess second = CairnProcess.start(data, "384m", Map.of("CAIRN_HEALTH_ALLOW", "127.0.0.1/32"))) {
            second.awaitReady();
            Http other = second.http();
            Reply created = other.postJson("/api/catalogs", "{\"name\": \"there\", \"domainSchema\": \"demo\"}");
            assertEquals(201, created.status(), created::toString);
            String there = created.json().getString("id");
            JsonObject theirs =
                    other.postJson("/aios/" + there + "/register", "{}").json();
            // this instance registers the other's catalog by URL, and it registers this one's
            JsonObject remote = http().postJson(
                            "/aios/asset_registry",
                            "{\"asset_registry_name\": \"the other Cairn\", " + "\"asset_registry_public_url\": \""
                                    + theirs.getString("asset_registry_public_url") + "\"}")
                    .json();
            JsonObject healthy = ok(http().get("/aios/check_health/" + remote.getString("asset_registry_id")));
            assertEquals("healthy", healthy.getString("status"), healthy::toString);
            JsonObject back = other.postJson(
                            "/aios/asset_registry",
                            "{\"asset_registry_name\": \"this Cairn\", " + "\"asset_registry_public_url\": \""
                                    + self.getString("asset_registry_public_url") + "\"}")
                    .json();
            assertEquals(
                    "healthy",
                    other.get("/aios/check_health/" + back.getString("asset_registry_id"))
                            .json()
                            .getString("status"));
            assertNotEquals(theirs.getString("asset_registry_id"), self.getString("asset_registry_id"));

            JsonObject unreachable = http().postJson(
                            "/aios/asset_registry", "{\"asset_registry_public_url\": \"http://127.0.0.1:1/aios/9\"}")
                    .json();
            JsonObject down = ok(http().get("/aios/check_health/" + unreachable.getString("asset_registry_id")));
            assertEquals("unhealthy", down.getString("status"));
            assertTrue(down.isNull("last_healthy_at"));

            JsonObject metadata = http().postJson(
                            "/aios/asset_registry",
                            "{\"asset_registry_public_url\": \"http://169.254.169.254/latest\"}")
                    .json();
            JsonObject refused = ok(http().get("/aios/check_health/" + metadata.getString("asset_registry_id")));
            assertEquals("unhealthy", refused.getString("status"));
            // a private address is never called (this deployment allows only 127.0.0.1/32): answered at once, and no
            // answer tells a closed port from a database or a web server
            for (String target : List.of("http://10.0.0.1:5432", "http://192.168.0.1:22", "http://[fd00::1]:80")) {
                JsonObject scanned = http().postJson(
                                "/aios/asset_registry", "{\"asset_registry_public_url\": \"" + target + "\"}")
                        .json();
                long started = System.nanoTime();
                JsonObject told = ok(http().get("/aios/check_health/" + scanned.getString("asset_registry_id")));
                assertTrue(System.nanoTime() - started < 2_000_000_000L, "not called, so no time-out waited for");
                assertEquals(
                        Set.of(
                                "asset_registry_id",
                                "asset_registry_public_url",
                                "status",
                                "checked_at",
                                "last_healthy_at"),
                        told.keySet(),
                        told::toString);
                assertEquals("unhealthy", told.getString("status"));
            }
            assertEquals(
                    Set.of("asset_registry_id", "asset_registry_public_url", "status", "checked_at", "last_healthy_at"),
                    down.keySet(),
                    "a closed port says no more than unhealthy");

            assertTrue(second.stop());
            JsonObject gone = ok(http().get("/aios/check_health/" + remote.getString("asset_registry_id")));
            assertEquals("unhealthy", gone.getString("status"));
            assertEquals(
                    healthy.getString("checked_at"),
                    gone.getString("last_healthy_at"),
                    "it remembers when it last saw it healthy");
        }
    }

    // ---- MongoDB-style queries against an in-memory evaluator

    private static final List<String> WORDS =
            List.of("image", "Image", "text", "", "é", "z", "10", "2", "a-b", "😀", "x.y", "imag");
    private static final List<String> KEYS = List.of("type", "score", "list", "nested", "k y", "é");
    private static final List<String> TAGS = List.of("image", "sample", "test", "a-b", "ü", "😀");
    private static final List<String> VERSIONS =
            List.of("1.0", "1.9.0", "1.10.0", "2.0.0-rc.1", "2.0.0", "v3", "abc", "0.1", "10");

    private static JsonValue value(Random r, int depth) {
        int kind = r.nextInt(depth > 1 ? 5 : 8);
        return switch (kind) {
            case 0 -> Json.createValue(WORDS.get(r.nextInt(WORDS.size())));
            case 1 -> Json.createValue(List.of(0, 1, -2, 10, 100).get(r.nextInt(5)));
            case 2 -> Json.createValue(List.of(1.5, 2.0, -0.5).get(r.nextInt(3)));
            case 3 -> r.nextBoolean() ? JsonValue.TRUE : JsonValue.NULL;
            case 4 -> JsonValue.FALSE;
            case 5, 6 -> {
                JsonArrayBuilder a = Json.createArrayBuilder();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(value(r, depth + 1));
                }
                yield a.build();
            }
            default -> object(r, depth + 1);
        };
    }

    private static JsonObject object(Random r, int depth) {
        JsonObjectBuilder o = Json.createObjectBuilder();
        for (int i = r.nextInt(4); i > 0; i--) {
            o.add(KEYS.get(r.nextInt(KEYS.size())), value(r, depth));
        }
        return o.build();
    }

    private static String path(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> "asset_name";
            case 1 -> "asset_version.version";
            case 2 -> "asset_version.tag";
            case 3, 4 -> "asset_tags";
            case 5 -> "asset_metadata";
            case 6 -> "asset_public_url";
            case 7 -> "asset_metadata." + KEYS.get(r.nextInt(KEYS.size())) + "." + KEYS.get(r.nextInt(KEYS.size()));
            default -> "asset_metadata." + KEYS.get(r.nextInt(KEYS.size()));
        };
    }

    private static JsonValue operand(Random r) {
        return r.nextInt(4) == 0
                ? Json.createValue(TAGS.get(r.nextInt(TAGS.size())))
                : r.nextInt(5) == 0 ? Json.createValue(VERSIONS.get(r.nextInt(VERSIONS.size()))) : value(r, 2);
    }

    private static JsonValue comparable(Random r) {
        return r.nextBoolean()
                ? Json.createValue(WORDS.get(r.nextInt(WORDS.size())))
                : r.nextBoolean()
                        ? Json.createValue(VERSIONS.get(r.nextInt(VERSIONS.size())))
                        : Json.createValue(
                                List.of(0, 1, 2, 10, 1.5).get(r.nextInt(5)).doubleValue());
    }

    private static JsonObject operators(Random r, int depth) {
        JsonObjectBuilder o = Json.createObjectBuilder();
        for (int i = 1 + r.nextInt(2); i > 0; i--) {
            switch (r.nextInt(14)) {
                case 0 -> o.add("$eq", operand(r));
                case 1 -> o.add("$ne", operand(r));
                case 2 -> o.add("$gt", comparable(r));
                case 3 -> o.add("$gte", comparable(r));
                case 4 -> o.add("$lt", comparable(r));
                case 5 -> o.add("$lte", comparable(r));
                case 6 -> o.add("$in", Json.createArrayBuilder().add(operand(r)).add(operand(r)));
                case 7 -> o.add("$nin", Json.createArrayBuilder().add(operand(r)));
                case 8 ->
                    o.add(
                            "$all",
                            Json.createArrayBuilder()
                                    .add(operand(r))
                                    .add(Json.createValue(TAGS.get(r.nextInt(TAGS.size())))));
                case 9 -> o.add("$exists", r.nextBoolean());
                case 10 -> o.add("$size", r.nextInt(3));
                case 11 ->
                    o.add(
                                    "$regex",
                                    List.of("^im", "a", "e$", "[0-9]", "^$", "x\\.y", "^.$")
                                            .get(r.nextInt(7)))
                            .add("$options", r.nextBoolean() ? "i" : "");
                case 12 ->
                    o.add(
                            "$elemMatch",
                            depth > 2 || r.nextBoolean()
                                    ? Json.createObjectBuilder()
                                            .add("$gte", comparable(r))
                                            .build()
                                    : Json.createObjectBuilder()
                                            .add(KEYS.get(r.nextInt(KEYS.size())), operand(r))
                                            .build());
                default ->
                    o.add(
                            "$not",
                            depth > 2
                                    ? Json.createObjectBuilder()
                                            .add("$eq", operand(r))
                                            .build()
                                    : operators(r, depth + 1));
            }
        }
        return o.build();
    }

    private static JsonObject query(Random r, int depth) {
        JsonObjectBuilder q = Json.createObjectBuilder();
        if (depth < 2 && r.nextInt(4) == 0) {
            JsonArrayBuilder parts = Json.createArrayBuilder();
            for (int i = 1 + r.nextInt(2); i > 0; i--) {
                parts.add(query(r, depth + 1));
            }
            return q.add(List.of("$and", "$or", "$nor").get(r.nextInt(3)), parts)
                    .build();
        }
        for (int i = 1 + r.nextInt(2); i > 0; i--) {
            String field = path(r);
            JsonValue condition = switch (r.nextInt(5)) {
                case 0 -> operand(r);
                case 1 ->
                    field.equals("asset_tags")
                            ? Json.createArrayBuilder()
                                    .add(TAGS.get(r.nextInt(TAGS.size())))
                                    .build()
                            : field.startsWith("asset_metadata") ? object(r, 2) : operand(r);
                default -> operators(r, depth);
            };
            q.add(field, condition);
        }
        return q.build();
    }

    @Test
    void mongoStyleQueriesAgreeWithAnInMemoryEvaluator() {
        long seed = Long.getLong("registry.seed", System.nanoTime());
        Random r = new Random(seed);
        String base = "/aios/" + mlCatalog("aios-property");
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 120; i++) {
            String name = List.of("alpha", "beta", "ga:mma", "del-ta", "é").get(r.nextInt(5));
            String version = VERSIONS.get(r.nextInt(VERSIONS.size()));
            String tag = List.of("", "initial", "x-y", "prod").get(r.nextInt(4));
            if (!used.add(name + "\u0000" + version + "\u0000" + tag)) {
                continue;
            }
            JsonArrayBuilder tags = Json.createArrayBuilder();
            TAGS.stream().filter(t -> r.nextInt(3) == 0).forEach(tags::add);
            JsonObjectBuilder doc = Json.createObjectBuilder()
                    .add("asset_name", name)
                    .add(
                            "asset_version",
                            Json.createObjectBuilder().add("version", version).add("tag", tag))
                    .add("asset_metadata", object(r, 0))
                    .add("asset_tags", tags);
            if (r.nextBoolean()) {
                doc.add("asset_public_url", "https://example.org/" + r.nextInt(3));
            }
            Reply created = http().postJson(base + "/asset", doc.build().toString());
            assertEquals(201, created.status(), created::toString);
        }
        List<JsonObject> documents = http().send("POST", base + "/assets?limit=10000", "application/json", "{}")
                .jsonArray()
                .getValuesAs(JsonObject.class);
        assertEquals(used.size(), documents.size());

        int matchedSome = 0;
        for (int i = 0; i < 400; i++) {
            JsonObject q = query(r, 0);
            Reply reply = http().send("POST", base + "/assets?limit=10000", "application/json", q.toString());
            assertEquals(200, reply.status(), () -> "seed " + seed + ", query " + q + ": " + reply);
            MongoFilter.Node parsed = MongoFilter.parse(read(q));
            Set<String> expected = documents.stream()
                    .filter(d -> MongoEvaluator.matches(d, parsed))
                    .map(d -> d.getString("asset_id"))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> actual = new TreeSet<>(ids(reply.jsonArray()));
            if (!expected.equals(actual)) {
                Set<String> extra = new TreeSet<>(actual);
                extra.removeAll(expected);
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(actual);
                String example = documents.stream()
                        .filter(d ->
                                extra.contains(d.getString("asset_id")) || missing.contains(d.getString("asset_id")))
                        .findFirst()
                        .map(JsonObject::toString)
                        .orElse("");
                throw new AssertionError("seed " + seed + ", query " + q + ": SQL also matched " + extra + ", missed "
                        + missing + "; e.g. " + example);
            }
            matchedSome += !expected.isEmpty() && expected.size() < documents.size() ? 1 : 0;
        }
        int selective = matchedSome;
        assertTrue(
                selective > 50,
                () -> "queries that select some but not all documents: " + selective + " (seed " + seed + ")");
    }

    private static JsonObject read(JsonObject q) {
        try (var reader = Json.createReader(new StringReader(q.toString()))) {
            return reader.readObject();
        }
    }
}
