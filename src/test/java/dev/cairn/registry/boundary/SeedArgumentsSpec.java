package dev.cairn.registry.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.Http;
import dev.cairn.Http.Reply;
import dev.cairn.TestFiles;
import dev.cairn.security.boundary.PrincipalsSpec;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The seeds' own arguments, as each seed writes them, against the running server: AIOS's and the
 * registry's search without words, flowyml's automatic versions, the Asset Manager's {@code put} fields
 * (provenance, relationships, access_control), Pangolin's catalogs by name and its table options,
 * flowyml's lineage through executions and its references, and the kinds and inputs the seeds name.
 */
public abstract class SeedArgumentsSpec extends PrincipalsSpec {

    private String catalog(String prefix) {
        return createCatalog("{\"name\": \"" + prefix + "-"
                        + UUID.randomUUID().toString().substring(0, 8) + "\", \"domainSchema\": \"demo\"}")
                .getString("id");
    }

    private JsonObject register(Http as, String cid, String body) {
        Reply r = as.postJson("/aios/" + cid + "/asset", body);
        assertEquals(201, r.status(), r::toString);
        return r.json();
    }

    private static JsonObject ok(Reply r) {
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private static Set<String> ids(JsonArray assets) {
        return assets.getValuesAs(JsonObject.class).stream()
                .map(a -> a.getString("asset_id"))
                .collect(Collectors.toSet());
    }

    @Test
    void searchFiltersWithoutWordsAndVersionsOfTheirOwn() throws Exception {
        String cid = catalog("seed-versions");
        String r = "/api/catalogs/" + cid + "/registry";
        JsonObject stable = register(
                http(),
                cid,
                "{\"asset_name\": \"m\", \"asset_version\": {\"version\": \"1.4.0\"}, \"asset_kind\": \"Model\", "
                        + "\"asset_tags\": [\"vision\"], \"asset_metadata\": {\"framework\": \"onnx\"}}");
        JsonObject candidate = register(
                http(),
                cid,
                "{\"asset_name\": \"m\", \"asset_version\": {\"version\": \"2.0.0-rc.1\"}, \"asset_kind\": \"Model\"}");
        register(
                http(),
                cid,
                "{\"asset_name\": \"d\", \"asset_version\": {\"version\": \"1\"}, \"asset_kind\": \"Dataset\"}");

        // filters alone: no 400, and exactly the matches
        assertEquals(
                Set.of(stable.getString("asset_id"), candidate.getString("asset_id")),
                ids(http().get(r + "/search?kind=Model").jsonArray()));
        assertEquals(
                Set.of(stable.getString("asset_id")),
                ids(http().get(r + "/search?tag=vision").jsonArray()));
        assertEquals(
                Set.of(stable.getString("asset_id")),
                ids(http().get(r + "/search?framework=onnx").jsonArray()));
        assertEquals(2, http().get(r + "/search?name=m").jsonArray().size());
        assertEquals(3, http().get(r + "/search").jsonArray().size(), "no parameter at all: everything, newest first");
        assertEquals("d", http().get(r + "/search").jsonArray().getJsonObject(0).getString("asset_name"));

        // latest is the newest release, never a pre-release
        assertEquals(
                "1.4.0",
                ok(http().get("/aios/" + cid + "/asset/m:latest"))
                        .getJsonObject("asset_version")
                        .getString("version"));
        assertEquals(
                "1.4.0",
                ok(http().get(r + "/resolve?ref=m"))
                        .getJsonObject("asset_version")
                        .getString("version"));

        // no version: the next one (a patch bump of the latest release, the next integer, 1 for a new name)
        assertEquals(
                "1.4.1",
                register(http(), cid, "{\"asset_name\": \"m\"}")
                        .getJsonObject("asset_version")
                        .getString("version"));
        assertEquals(
                "2",
                register(http(), cid, "{\"asset_name\": \"d\"}")
                        .getJsonObject("asset_version")
                        .getString("version"));
        assertEquals(
                "1",
                register(http(), cid, "{\"asset_name\": \"fresh\", \"asset_version\": {\"tag\": \"x\"}}")
                        .getJsonObject("asset_version")
                        .getString("version"));
        assertEquals(
                "7",
                register(http(), cid, "{\"asset_name\": \"plain\", \"asset_version\": \"7\"}")
                        .getJsonObject("asset_version")
                        .getString("version"),
                "flowyml passes a version as a plain string");
        // concurrent registrations of one name get distinct versions
        List<CompletableFuture<Reply>> racing = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(
                        () -> http().postJson("/aios/" + cid + "/asset", "{\"asset_name\": \"raced\"}")))
                .toList();
        Set<String> versions = racing.stream()
                .map(CompletableFuture::join)
                .peek(reply -> assertEquals(201, reply.status(), reply::toString))
                .map(reply -> reply.json().getJsonObject("asset_version").getString("version"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("1", "2", "3", "4", "5", "6"), versions);
        // a name whose versions are not numbers: the client must name one
        register(http(), cid, "{\"asset_name\": \"words\", \"asset_version\": {\"version\": \"initial\"}}");
        assertEquals(
                409,
                http().postJson("/aios/" + cid + "/asset", "{\"asset_name\": \"words\"}")
                        .status());
    }

    @Test
    void seed003PutFieldsAreStoredAndApplied() {
        String cid = catalog("seed-put");
        String r = "/api/catalogs/" + cid + "/registry";
        Http reader = user();
        Http stranger = user();
        String readerId = id(reader);
        JsonObject data =
                register(http(), cid, "{\"asset_name\": \"people\", \"asset_version\": {\"version\": \"1\"}}");
        JsonObject model = register(
                http(),
                cid,
                "{\"asset_name\": \"survival\", \"asset_version\": {\"version\": \"1\"}, "
                        + "\"provenance\": {\"author\": \"Ann\", \"source\": \"lab 3\", \"doi\": \"10.1000/xyz\"}, "
                        + "\"relationships\": {\"trained_on\": [\"people:1\"], \"evaluated_on\": \"people\"}, "
                        + "\"access_control\": {\"" + readerId + "\": \"READ\"}}");
        String id = model.getString("asset_id");
        JsonObject full = ok(http().get(r + "/assets/" + id));
        assertEquals("10.1000/xyz", full.getJsonObject("provenance").getString("doi"));
        assertEquals(
                Set.of("trained_on", "evaluated_on"),
                full.getJsonArray("relationships").getValuesAs(JsonObject.class).stream()
                        .map(x -> x.getString("relationship"))
                        .collect(Collectors.toSet()));
        assertEquals(
                List.of(data.getString("asset_id")),
                full.getJsonArray("parents").getValuesAs(JsonString::getString));
        assertEquals(
                1,
                http().postJson("/aios/" + cid + "/assets", "{\"provenance.author\": \"Ann\"}")
                        .jsonArray()
                        .size(),
                "provenance is queryable");

        // access_control became a grant on this one asset: the reader sees it, and only it; a stranger sees nothing
        assertEquals(200, reader.get(r + "/assets/" + id).status());
        assertEquals(
                404, reader.get(r + "/assets/" + data.getString("asset_id")).status());
        assertEquals(403, stranger.get(r + "/assets/" + id).status(), "no right on the registry at all");
        assertTrue(http().get("/api/catalogs/" + cid + "/grants").jsonArray().getValuesAs(JsonObject.class).stream()
                .anyMatch(g -> g.getString("scope").equals("asset:" + id)
                        && g.getString("principal").equals(readerId)));
        // the Asset Manager's set_access_control: a PUT makes the grants exactly these ({} takes them back)
        ok(http().send("PUT", "/aios/" + cid + "/asset/survival:1", "application/json", "{\"access_control\": {}}"));
        assertEquals(403, reader.get(r + "/assets/" + id).status(), "no grant left: no right on the registry at all");
        // an asset grant through the grants API, by an owner
        assertEquals(
                201,
                http().postJson(
                                "/api/catalogs/" + cid + "/grants",
                                "{\"principal\": \"" + id(stranger) + "\", \"role\": \"READ\", " + "\"scope\": \"asset:"
                                        + data.getString("asset_id") + "\"}")
                        .status());
        assertEquals(
                200, stranger.get(r + "/assets/" + data.getString("asset_id")).status());
        assertEquals(
                404,
                http().postJson(
                                "/api/catalogs/" + cid + "/grants",
                                "{\"principal\": \"*\", \"role\": \"READ\", \"scope\": \"asset:1-ZZZZ\"}")
                        .status());

        // refused access_control leaves nothing: an unknown principal, a role that is not one, a caller who does not
        // own the catalog
        for (String bad : List.of("{\"user:nosuch\": \"READ\"}", "{\"*\": \"OWNER\"}", "{\"READ\": [5]}")) {
            Reply refused = http().postJson(
                            "/aios/" + cid + "/asset",
                            "{\"asset_name\": \"leftover\", \"access_control\": " + bad + "}");
            assertEquals(400, refused.status(), refused::toString);
        }
        Reply notOwner = reader.postJson(
                "/aios/" + cid + "/asset", "{\"asset_name\": \"leftover\", \"access_control\": {\"*\": \"READ\"}}");
        assertEquals(403, notOwner.status(), notOwner::toString);
        assertEquals(404, http().get(r + "/names/leftover/versions").status(), "no row was left behind");
    }

    @Test
    void catalogsByNameAsPangolinAddressesThem() {
        String name = "retina-" + UUID.randomUUID().toString().substring(0, 8);
        String cid = createCatalog("{\"name\": \"" + name + "\", \"domainSchema\": \"demo\"}")
                .getString("id");
        assertEquals(cid, ok(http().get("/api/catalogs/" + name)).getString("id"));
        register(http(), name, "{\"asset_name\": \"by-name\", \"asset_version\": {\"version\": \"1\"}}");
        assertEquals(
                "by-name:1",
                ok(http().get("/aios/" + name + "/asset/by-name:1")).getString("asset_uri"));
        assertEquals(
                1,
                http().get("/api/catalogs/" + name + "/registry/search?name=by-name")
                        .jsonArray()
                        .size());
        assertEquals(200, http().get("/ermrest/catalog/" + name + "/schema").status());
        assertEquals(404, http().get("/api/catalogs/no-such-" + name).status());
        // names that look like ids, or are paths of their own, are refused at creation
        for (String bad : List.of("42", "007", "health", "asset_registry", "check_health", "..")) {
            assertEquals(
                    400,
                    http().postJson("/api/catalogs", "{\"name\": \"" + bad + "\"}")
                            .status(),
                    bad);
        }
        // a name two catalogs share addresses neither
        String twice = "twice-" + UUID.randomUUID().toString().substring(0, 8);
        createCatalog("{\"name\": \"" + twice + "\"}");
        createCatalog("{\"name\": \"" + twice + "\"}");
        Reply ambiguous = http().get("/api/catalogs/" + twice);
        assertEquals(409, ambiguous.status(), ambiguous::toString);
        assertTrue(ambiguous.body().contains("by its id"), ambiguous::toString);
        // the registry of Assets DBs keeps its own paths
        assertEquals("cairn-aios-registry", ok(http().get("/aios/health")).getString("service"));
    }

    @Test
    void pangolinTablesHonourLocationAndCompressionAndReadBackByName() throws Exception {
        String cid = catalog("seed-tables");
        String r = "/api/catalogs/" + cid + "/registry";
        // flowyml's Dataset.create with a dict of columns, as Parquet with Pangolin's codec, at a location
        assertEquals(
                201,
                http().send("PUT", "/hatrac/" + cid + "/exports?parents=true", "application/x-hatrac-namespace", null)
                        .status());
        Reply written = http().send(
                        "POST",
                        r + "/tables?namespace=data/exports&name=customers&format=parquet&compression=snappy"
                                + "&location=/hatrac/" + cid + "/exports",
                        "application/json",
                        "{\"id\": [1, 2, 3], \"email\": [\"a@x\", null, \"c@x\"]}");
        assertEquals(201, written.status(), written::toString);
        JsonObject table = written.json();
        assertTrue(
                table.getString("url").startsWith("/hatrac/" + cid + "/exports/customers.parquet:"), table::toString);
        assertEquals(3, table.getJsonObject("asset_file_info").getInt("row_count"));
        // the codec is honoured: the same rows under another codec are other bytes
        String rows = "{\"id\": [1, 2, 3], \"email\": [\"a@x\", null, \"c@x\"]}";
        Set<String> digests = new HashSet<>();
        for (String codec : List.of("snappy", "gzip", "uncompressed")) {
            Reply same = http().send(
                            "POST",
                            r + "/tables?name=codec-" + codec + "&format=parquet&compression=" + codec,
                            "application/json",
                            rows);
            assertEquals(201, same.status(), same::toString);
            digests.add(same.json().getJsonObject("asset_file_info").getString("md5"));
        }
        assertEquals(3, digests.size(), "three codecs, three files");
        // read back by namespace/name, with or without a version
        String json =
                http().get(r + "/tables/data/exports/customers?format=json").body();
        assertTrue(json.contains("\"email\":\"c@x\"") || json.contains("\"email\": \"c@x\""), json);
        assertEquals(
                200,
                http().get(r + "/tables/data/exports/customers:1?format=csv").status());
        assertEquals(
                200, http().get(r + "/tables/customers?format=csv").status(), "a bare name unique across namespaces");
        // what cannot be honoured is said, and nothing is stored
        for (String bad : List.of(
                "compression=brotli",
                "compression=gzip&format=csv",
                "location=s3://bucket/x",
                "location=/hatrac/999/x",
                "location=/hatrac/" + cid + "/a/../b")) {
            Reply refused = http().send("POST", r + "/tables?name=refused&" + bad, "text/csv", "a\n1\n");
            assertEquals(400, refused.status(), bad + ": " + refused);
        }
        for (String ragged :
                List.of("{\"id\": [1, 2], \"x\": [1]}", "{\"id\": 5}", "{\"id\": [1], \"x\": {\"y\": 1}}")) {
            Reply refused = http().send("POST", r + "/tables?name=refused", "application/json", ragged);
            assertEquals(400, refused.status(), ragged + ": " + refused);
        }
        assertEquals(404, http().get(r + "/names/refused/versions").status());

        // a Lance dataset is a directory: registered by its Hatrac namespace URL
        String lance = "/hatrac/" + cid + "/datasets/reviews.lance";
        assertEquals(
                201,
                http().send("PUT", lance + "?parents=true", "application/x-hatrac-namespace", null)
                        .status());
        assertEquals(201, http().put(lance + "/0.lance", "fragment".getBytes()).status());
        JsonObject directory = register(
                http(),
                cid,
                "{\"asset_name\": \"reviews\", \"asset_kind\": \"Lance\", \"asset_public_url\": \"" + lance + "\"}");
        assertEquals(lance, directory.getString("asset_public_url"));
        assertEquals(
                409,
                http().get("/aios/" + cid + "/asset-object/" + directory.getString("asset_id"))
                        .status(),
                "a directory has no one file");
    }

    @Test
    void flowymlLineageThroughExecutionsAndItsReferences() {
        String cid = catalog("seed-lineage");
        String api = "/api/catalogs/" + cid;
        JsonObject raw = register(
                http(),
                cid,
                "{\"asset_name\": \"raw\", \"asset_version\": {\"version\": \"1\"}, \"asset_kind\": \"Dataset\"}");
        String workflow = http().postJson(api + "/workflows", "{\"name\": \"pipeline\", \"type\": \"Training\"}")
                .json()
                .getString("RID");
        String step = http().postJson(
                        api + "/executions",
                        "{\"workflow\": \"" + workflow + "\", \"assets\": [\"" + raw.getString("asset_id") + "\"]}")
                .json()
                .getString("RID");
        JsonObject clean = register(
                http(),
                cid,
                "{\"asset_name\": \"clean\", \"asset_version\": {\"version\": \"1\"}, \"execution\": \"" + step
                        + "\"}");
        JsonObject cleanFull = ok(http().get(api + "/registry/assets/" + clean.getString("asset_id")));
        assertEquals(
                List.of(raw.getString("asset_id")),
                cleanFull.getJsonArray("parents").getValuesAs(JsonString::getString),
                "the producing step's input is a parent");
        assertEquals(
                List.of(clean.getString("asset_id")),
                ok(http().get(api + "/registry/assets/" + raw.getString("asset_id")))
                        .getJsonArray("children")
                        .getValuesAs(JsonString::getString));

        // name:version references, and a bare name that only one namespace has
        JsonObject model = register(
                http(),
                cid,
                "{\"asset_name\": \"model\", \"asset_namespace\": \"ml/prod\", \"asset_version\": {\"version\": \"1\"}}");
        JsonObject derived = register(
                http(),
                cid,
                "{\"asset_name\": \"tuned\", \"asset_version\": {\"version\": \"1\"}, \"parents\": [\"model:1\"]}");
        assertEquals(
                List.of(model.getString("asset_id")),
                ok(http().get(api + "/registry/assets/" + derived.getString("asset_id")))
                        .getJsonArray("parents")
                        .getValuesAs(JsonString::getString));
        assertEquals(
                model.getString("asset_id"),
                ok(http().get(api + "/registry/resolve?ref=model")).getString("asset_id"));
        register(
                http(),
                cid,
                "{\"asset_name\": \"model\", \"asset_namespace\": \"ml/dev\", \"asset_version\": {\"version\": \"1\"}}");
        Reply ambiguous = http().get(api + "/registry/resolve?ref=model:1");
        assertEquals(409, ambiguous.status(), ambiguous::toString);
        assertTrue(ambiguous.body().contains("ml/dev") && ambiguous.body().contains("ml/prod"), ambiguous::toString);
    }

    @Test
    void everyKindTheSeedsNameAndNumpyArrays() {
        String cid = catalog("seed-kinds");
        for (String kind : List.of(
                "Log",
                "Report",
                "Visualization",
                "Execution_Output",
                "Intermediate",
                "Task",
                "Array",
                "FeatureSet",
                "Dataset",
                "Model",
                "Config",
                "Lance",
                "Vortex",
                "Parquet",
                "Custom")) {
            register(http(), cid, "{\"asset_name\": \"k-" + kind + "\", \"asset_kind\": \"" + kind + "\"}");
        }
        Reply uploaded = http().send(http().request("/aios/" + cid + "/upload_asset")
                .header("Content-Type", "multipart/form-data; boundary=XyZ")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TypedAssetsSpec.multipart(
                        "features.npy", TestFiles.npy("<f4", 100, 8), "{\"asset_name\": \"features\"}"))));
        assertEquals(201, uploaded.status(), uploaded::toString);
        JsonObject info = uploaded.json().getJsonObject("asset_file_info");
        assertEquals("float32", info.getString("dtype"));
        assertEquals("[100,8]", info.getJsonArray("shape").toString());
        assertEquals(100, info.getInt("num_samples"));
        assertEquals("Dataset", uploaded.json().getString("asset_kind"), "an array is data");
    }
}
