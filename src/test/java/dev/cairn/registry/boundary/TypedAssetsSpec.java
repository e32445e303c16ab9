package dev.cairn.registry.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.Http;
import dev.cairn.Http.Reply;
import dev.cairn.TestFiles;
import dev.cairn.security.boundary.PrincipalsSpec;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Typed assets over HTTP (seeds 002 to 004): what Cairn reads from real files of each kind made in
 * the test, validation before storage (kind rules, a registered JSON Schema, an operator's
 * validator) leaving nothing behind, Pangolin's tables, namespaces, search, snapshot references,
 * lineage fields, secrets and namespace grants, and flowyml's metrics, parents and artifact paths.
 */
public abstract class TypedAssetsSpec extends PrincipalsSpec {

    private String catalog(String name) {
        return createCatalog("{\"name\": \"" + name + "\", \"domainSchema\": \"demo\"}")
                .getString("id");
    }

    /** An upload_asset body: the AssetObject as JSON, then the file. */
    static byte[] multipart(String filename, byte[] file, String metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--XyZ\r\nContent-Disposition: form-data; name=\"asset_metadata\"\r\n\r\n" + metadata
                        + "\r\n--XyZ\r\n" + "Content-Disposition: form-data; name=\"asset\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes("\r\n--XyZ--\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static Reply upload(Http as, String cid, String filename, byte[] file, String metadata) {
        return as.send(as.request("/aios/" + cid + "/upload_asset")
                .header("Content-Type", "multipart/form-data; boundary=XyZ")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(filename, file, metadata))));
    }

    private JsonObject uploaded(String cid, String filename, byte[] file, String name) {
        Reply r = upload(
                http(),
                cid,
                filename,
                file,
                "{\"asset_name\": \"" + name + "\", \"asset_version\": {\"version\": \"1\"}}");
        assertEquals(201, r.status(), r::toString);
        return r.json();
    }

    private static JsonObject info(JsonObject asset) {
        return asset.getJsonObject("asset_file_info");
    }

    @Test
    void eachKindDescribesItselfOnArrival() throws Exception {
        String cid = catalog("typed-kinds");
        JsonObject csv = uploaded(cid, "people.csv", TestFiles.csv(), "people");
        assertEquals("Dataset", csv.getString("asset_kind"), "the kind the bytes suggest, when the client names none");
        assertEquals(4, info(csv).getInt("row_count"));
        assertEquals(4, info(csv).getInt("num_samples"));
        assertEquals(
                List.of("id", "age", "name", "score"),
                info(csv).getJsonArray("feature_columns").getValuesAs(JsonString::getString));
        JsonObject age = info(csv).getJsonObject("column_stats").getJsonObject("age");
        assertEquals(1, age.getInt("nulls"));
        assertEquals(38.0, age.getJsonNumber("mean").doubleValue(), 1e-9);
        assertEquals("ok", info(csv).getJsonObject("inspection").getString("status"));

        JsonObject lines = uploaded(cid, "people.jsonl", TestFiles.jsonLines(), "people-lines");
        assertEquals(
                3,
                info(lines).getJsonObject("column_stats").getJsonObject("age").getInt("count"));
        JsonObject parquet = uploaded(cid, "numbers.parquet", TestFiles.parquet(10_000), "numbers");
        assertEquals(10_000, info(parquet).getInt("row_count"));
        assertEquals(
                5000.5,
                info(parquet)
                        .getJsonObject("column_stats")
                        .getJsonObject("x")
                        .getJsonNumber("mean")
                        .doubleValue(),
                1e-9);

        JsonObject safetensors = uploaded(cid, "model.safetensors", TestFiles.safetensors(), "tiny-llm");
        assertEquals("Model", safetensors.getString("asset_kind"));
        assertEquals(19, info(safetensors).getInt("parameters"));
        assertEquals(2, info(safetensors).getInt("num_layers"));
        JsonObject onnx = uploaded(cid, "tiny.onnx", TestFiles.onnx(), "tiny-onnx");
        assertEquals(16, info(onnx).getInt("parameters"));
        assertEquals(17, info(onnx).getInt("opset"));
        assertEquals("x", info(onnx).getJsonArray("inputs").getJsonObject(0).getString("name"));

        JsonObject png = uploaded(cid, "pixel.png", TestFiles.png(), "pixel");
        assertEquals("Image", png.getString("asset_kind"));
        assertEquals(7, info(png).getInt("width"));
        assertEquals(5, info(png).getInt("height"));
        JsonObject wav = uploaded(cid, "tone.wav", TestFiles.wav(), "tone");
        assertEquals("Audio", wav.getString("asset_kind"));
        assertEquals(8000, info(wav).getInt("sample_rate"));
        JsonObject mp4 = uploaded(cid, "clip.mp4", TestFiles.mp4(), "clip");
        assertEquals("Video", mp4.getString("asset_kind"));
        assertEquals("320x240", info(mp4).getString("resolution"));
        assertEquals(5.0, info(mp4).getJsonNumber("duration_seconds").doubleValue(), 0.01);

        // a file that cannot be read is stored, with the reason
        JsonObject broken =
                uploaded(cid, "broken.onnx", "not protobuf at all".getBytes(StandardCharsets.UTF_8), "broken");
        assertEquals("unreadable", info(broken).getJsonObject("inspection").getString("status"));
        assertFalse(
                info(broken).getJsonObject("inspection").getString("reason").contains("/"),
                "no server paths in the reason");

        // what was read is searchable like any metadata
        JsonArray models = http().postJson(
                        "/aios/" + cid + "/assets", "{\"asset_file_info.parameters\": {\"$gte\": 16}}")
                .jsonArray();
        assertEquals(
                Set.of("tiny-llm", "tiny-onnx"),
                models.getValuesAs(JsonObject.class).stream()
                        .map(a -> a.getString("asset_name"))
                        .collect(Collectors.toSet()));
    }

    private long files(String folder) throws IOException {
        Path dir = dataDir().resolve("store").resolve(folder);
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void validationRefusesWithEveryViolationAndLeavesNothing() throws Exception {
        String cid = catalog("typed-validation");
        String schema = """
                type: object
                properties:
                  metadata:
                    type: object
                    required: [organism]
                  file_info:
                    type: object
                    properties:
                      column_stats:
                        type: object
                        required: [age]
                        properties:
                          age:
                            type: object
                            properties:
                              type: {enum: [BIGINT, INTEGER]}
                              nulls: {const: 0}
                """;
        JsonObject schemaAsset =
                uploaded(cid, "people.schema.yaml", schema.getBytes(StandardCharsets.UTF_8), "people-schema");
        assertEquals("Config", schemaAsset.getString("asset_kind"));
        long blobs = files("blobs");
        long staged = files("staging");
        Reply refused = upload(http(), cid, "people.csv", TestFiles.csv(), """
                {"asset_name": "people", "asset_version": {"version": "1"}, "asset_kind": "Dataset",
                 "asset_metadata": {"modality": "rna", "forbidden": true},
                 "specs": [{"role": "output", "modality": "clinical", "semantic": "not a curie"}],
                 "declarative_schema": "people-schema:1"}""");
        assertEquals(422, refused.status(), refused::toString);
        assertEquals("application/problem+json", refused.contentType());
        Set<String> where = refused.json().getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("source") + " " + e.getString("path"))
                .collect(Collectors.toSet());
        assertTrue(
                where.containsAll(Set.of(
                        "kind /specs/0/modality",
                        "kind /specs/0/semantic",
                        "declarative_schema /file_info/column_stats/age/nulls",
                        "declarative_schema /metadata",
                        "reject-marked ")),
                where::toString);
        assertEquals(blobs, files("blobs"), "no object was stored");
        assertEquals(staged, files("staging"), "no staged file was left");
        assertEquals(
                404,
                http().get("/api/catalogs/" + cid + "/registry/names/people/versions")
                        .status(),
                "no row");

        // the same file passes a schema it meets; the schema is recorded with the row
        JsonObject passing = uploaded(
                cid,
                "ok.schema.json",
                "{\"properties\": {\"file_info\": {\"required\": [\"row_count\"]}}}".getBytes(StandardCharsets.UTF_8),
                "ok-schema");
        Reply accepted = upload(
                http(),
                cid,
                "people.csv",
                TestFiles.csv(),
                "{\"asset_name\": \"people\", \"asset_version\": {\"version\": \"1\"}, "
                        + "\"asset_metadata\": {\"modality\": \"clinical\"}, \"declarative_schema\": \""
                        + passing.getString("asset_id") + "\"}");
        assertEquals(201, accepted.status(), accepted::toString);
        assertEquals(
                passing.getString("asset_id"),
                http().get("/api/catalogs/" + cid + "/registry/assets/"
                                + accepted.json().getString("asset_id"))
                        .json()
                        .getString("declarative_schema"));

        // a schema cannot reach files or the network; an unknown schema reference is the client's mistake
        JsonObject sneaky = uploaded(
                cid, "sneaky.json", "{\"$ref\": \"file:///etc/passwd\"}".getBytes(StandardCharsets.UTF_8), "sneaky");
        Reply refs = http().postJson(
                        "/aios/" + cid + "/asset",
                        "{\"asset_name\": \"x\", \"asset_version\": {\"version\": \"1\"}, "
                                + "\"declarative_schema\": \"" + sneaky.getString("asset_id") + "\"}");
        assertTrue(refs.status() == 400 || refs.status() == 422, refs::toString);
        assertFalse(refs.body().contains("root:"), "the file was not read");
        assertEquals(
                400,
                http().postJson(
                                "/aios/" + cid + "/asset",
                                "{\"asset_name\": \"x\", \"asset_version\": {\"version\": \"1\"}, "
                                        + "\"declarative_schema\": \"no-such-schema:9\"}")
                        .status());
        // kind rules for assets without bytes, and metadata-only validation by the operator's check
        Reply metrics = http().postJson(
                        "/aios/" + cid + "/asset",
                        "{\"asset_name\": \"m\", \"asset_version\": {\"version\": \"1\"}, "
                                + "\"asset_kind\": \"Metrics\", \"asset_metadata\": {\"forbidden\": true}}");
        assertEquals(422, metrics.status(), metrics::toString);
        assertEquals(3, metrics.json().getJsonArray("errors").size(), metrics::toString);
        assertEquals(
                400,
                http().postJson(
                                "/aios/" + cid + "/asset",
                                "{\"asset_name\": \"m\", \"asset_version\": {\"version\": \"1\"}, "
                                        + "\"metrics\": {\"accuracy\": \"high\"}}")
                        .status(),
                "metrics are numbers");
    }

    @Test
    void pangolinTablesNamespacesSearchAndSnapshots() throws Exception {
        String cid = catalog("typed-pangolin");
        String api = "/api/catalogs/" + cid + "/registry";
        Reply written = http().send(http().request(
                        api + "/tables?namespace=data_files/exports&name=customers&version=2025&format=parquet")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "[{\"id\": 1, \"email\": \"a@x\"}, {\"id\": 2, \"email\": null}]")));
        assertEquals(201, written.status(), written::toString);
        String table = written.json().getString("asset_id");
        assertEquals("Parquet", written.json().getString("asset_kind"));
        assertEquals("parquet", info(written.json()).getString("format"));
        assertEquals(
                "id,email\n1,a@x\n2,\n",
                http().get(api + "/assets/" + table + "/data?format=csv").body());
        assertEquals(
                2,
                http().get(api + "/assets/" + table + "/data?format=json")
                        .jsonArray()
                        .size());
        byte[] parquet =
                http().bytes(api + "/assets/" + table + "/data?format=parquet").body();
        assertEquals("PAR1", new String(parquet, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(
                409,
                http().get(api + "/assets/"
                                + uploaded(cid, "pixel.png", TestFiles.png(), "pixel")
                                        .getString("asset_id") + "/data")
                        .status(),
                "not a table");
        assertEquals(
                400,
                http().send(http().request(api + "/tables?name=t&version=1&format=xml")
                                .header("Content-Type", "text/csv")
                                .POST(HttpRequest.BodyPublishers.ofString("a\n1\n")))
                        .status());

        String models = "/aios/" + cid + "/asset";
        String v1 = http().postJson(models, """
                {"asset_name": "customer_churn", "asset_version": {"version": "1.0.0"}, "asset_namespace": "ml_models/production",
                 "asset_kind": "Model", "asset_description": "Customer churn classification model",
                 "asset_metadata": {"framework": "scikit-learn", "deployment_status": "production"},
                 "metrics": {"accuracy": 0.90, "f1_score": 0.88},
                 "lineage": {"training_data": ["data_files/exports/customers"]}}""").json().getString("asset_id");
        String snaptime = http().get("/ermrest/catalog/" + cid).json().getString("snaptime");
        Reply v2 = http().postJson(models, """
                {"asset_name": "customer_churn", "asset_version": {"version": "2.0.1"}, "asset_namespace": "ml_models/production",
                 "asset_kind": "Model", "asset_metadata": {"framework": "pytorch", "deployment_status": "staging"},
                 "metrics": {"accuracy": 0.92, "f1_score": 0.91},
                 "lineage": {"parent_model": "ml_models/production/customer_churn:1.0.0", "training_data": ["data_files/exports/customers@snapshot-%s"]}}""".formatted(snaptime));
        assertEquals(201, v2.status(), v2::toString);
        String v2id = v2.json().getString("asset_id");
        http().postJson(
                        models,
                        "{\"asset_name\": \"photos\", \"asset_version\": {\"version\": \"1\"}, \"asset_namespace\": \"media/images\"}");

        // snapshot references name what the catalog held then
        assertEquals(
                v1,
                http().get(api + "/resolve?ref=ml_models/production/customer_churn@snapshot-" + snaptime)
                        .json()
                        .getString("asset_id"));
        assertEquals(
                v2id,
                http().get(api + "/resolve?ref=ml_models/production/customer_churn")
                        .json()
                        .getString("asset_id"));
        assertEquals(
                404,
                http().get(api + "/resolve?ref=ml_models/production/customer_churn@2001-01-01")
                        .status());
        assertEquals(
                400, http().get(api + "/resolve?ref=customer_churn@2025-13-45").status());

        // lineage fields became relationships: parents and children, and the lineage graph
        JsonObject second = http().get(api + "/assets/" + v2id).json();
        assertEquals(
                Set.of(v1, table), Set.copyOf(second.getJsonArray("parents").getValuesAs(JsonString::getString)));
        assertEquals(
                List.of(v2id),
                http().get(api + "/assets/" + v1)
                        .json()
                        .getJsonArray("children")
                        .getValuesAs(JsonString::getString));
        JsonObject lineage = http().get("/api/catalogs/" + cid + "/assets/" + v2id + "/lineage?direction=up")
                .json();
        assertTrue(
                lineage.getJsonArray("edges").getValuesAs(JsonObject.class).stream()
                        .anyMatch(e -> e.getString("from").equals(table)
                                && e.getString("role").equals("trained_on")),
                lineage::toString);

        // namespaces, listed and browsed
        JsonArray spaces = http().get(api + "/namespaces?under=ml_models").jsonArray();
        assertEquals(
                List.of("ml_models", "ml_models/production"),
                spaces.getValuesAs(JsonObject.class).stream()
                        .map(n -> n.getString("namespace"))
                        .toList());
        assertEquals(2, spaces.getJsonObject(0).getInt("assets_below"));
        // ranked search with filters
        JsonArray found = http().get(api + "/search?q=classification&framework=scikit-learn")
                .jsonArray();
        assertEquals(
                List.of(v1),
                found.getValuesAs(JsonObject.class).stream()
                        .map(a -> a.getString("asset_id"))
                        .toList());
        assertEquals(
                2,
                http().get(api + "/search?q=churn&namespace=ml_models")
                        .jsonArray()
                        .size());
        assertEquals(
                0,
                http().get(api + "/search?q=churn&namespace=ml_model")
                        .jsonArray()
                        .size(),
                "namespaces match whole segments");
        assertEquals(400, http().get(api + "/search?q=x&bad%20key=1").status());
        // metrics compared across versions
        JsonObject compared = http().get(
                        api + "/metrics?name=customer_churn&namespace=ml_models/production&names=accuracy")
                .json();
        assertEquals(
                List.of("2.0.1", "1.0.0"),
                compared.getJsonArray("assets").getValuesAs(JsonObject.class).stream()
                        .map(a -> a.getString("version"))
                        .toList());
        assertEquals(
                v2id,
                compared.getJsonObject("summary").getJsonObject("accuracy").getString("max_asset"));
        assertEquals(
                0.88,
                http()
                        .get(api + "/metrics?assets=" + v1 + "," + v2id)
                        .json()
                        .getJsonArray("assets")
                        .getValuesAs(JsonObject.class)
                        .stream()
                        .filter(a -> a.getString("asset_id").equals(v1))
                        .findFirst()
                        .orElseThrow()
                        .getJsonObject("metrics")
                        .getJsonNumber("f1_score")
                        .doubleValue(),
                1e-12);
        // metrics can be added later; what was validated cannot change
        assertEquals(
                200,
                http().send(
                                "PUT",
                                "/aios/" + cid + "/asset/ml_models/production/customer_churn:1.0.0",
                                "application/json",
                                "{\"metrics\": {\"auc_roc\": 0.95}}")
                        .status());
        assertEquals(
                409,
                http().send(
                                "PUT",
                                "/aios/" + cid + "/asset/ml_models/production/customer_churn:1.0.0",
                                "application/json",
                                "{\"specs\": []}")
                        .status());
        assertEquals(
                0.95,
                http().get(api + "/assets/" + v1)
                        .json()
                        .getJsonObject("metrics")
                        .getJsonNumber("auc_roc")
                        .doubleValue(),
                1e-12);
    }

    @Test
    void secretsAndNamespaceGrants() {
        Http alice = user();
        Http bob = user();
        String cid = alice.postJson("/api/catalogs", "{\"name\": \"typed-grants\"}")
                .json()
                .getString("id");
        assertTrue(alice.get("/api/catalogs/" + cid).json().getBoolean("ml"), "a new catalog has the ML schema");
        String models = "/aios/" + cid + "/asset";
        String api = "/api/catalogs/" + cid + "/registry";
        Reply connection = alice.postJson(
                models,
                "{\"asset_name\": \"warehouse\", \"asset_version\": {\"version\": \"1\"}, "
                        + "\"asset_namespace\": \"ml_models/production\", \"asset_kind\": \"Database_Connection\", "
                        + "\"connection_string\": \"postgresql://etl:s3cret@db.internal/warehouse\"}");
        assertEquals(201, connection.status(), connection::toString);
        assertFalse(connection.body().contains("s3cret"));
        String warehouse = connection.json().getString("asset_id");
        Reply secret = alice.get(api + "/assets/" + warehouse + "/connection");
        assertEquals(
                "postgresql://etl:s3cret@db.internal/warehouse", secret.json().getString("connection_string"));
        assertEquals("no-store", secret.header("Cache-Control").orElse(""));
        assertFalse(alice.get("/ermrest/catalog/" + cid + "/entity/deriva-ml:Registered_Asset")
                .body()
                .contains("s3cret"));
        assertEquals(
                422,
                alice.postJson(
                                models,
                                "{\"asset_name\": \"w2\", \"asset_version\": {\"version\": \"1\"}, \"asset_kind\": \"Model\", "
                                        + "\"connection_string\": \"x\"}")
                        .status(),
                "a secret only on a Database_Connection");

        alice.postJson(
                models,
                "{\"asset_name\": \"secret-model\", \"asset_version\": {\"version\": \"1\"}, \"asset_namespace\": \"ml_models/staging\"}");
        String grants = "/api/catalogs/" + cid + "/grants";
        assertEquals(
                201,
                alice.postJson(
                                grants,
                                "{\"principal\": \"" + id(bob)
                                        + "\", \"role\": \"READ\", \"scope\": \"registry:ml_models/production\"}")
                        .status());
        assertEquals(
                201,
                alice.postJson(
                                grants,
                                "{\"principal\": \"" + id(bob)
                                        + "\", \"role\": \"READ_WRITE\", \"scope\": \"registry:experiments\"}")
                        .status());
        assertTrue(alice.get(grants).body().contains("registry:ml_models/production"));
        // bob reads production (not its secret), not staging; writes in experiments and below only
        assertEquals(200, bob.get(api + "/assets/" + warehouse).status());
        assertEquals(403, bob.get(api + "/assets/" + warehouse + "/connection").status());
        JsonArray visible = bob.postJson("/aios/" + cid + "/assets", "{}").jsonArray();
        assertEquals(
                Set.of("warehouse"),
                visible.getValuesAs(JsonObject.class).stream()
                        .map(a -> a.getString("asset_name"))
                        .collect(Collectors.toSet()));
        assertEquals(
                201,
                bob.postJson(
                                models,
                                "{\"asset_name\": \"trial\", \"asset_version\": {\"version\": \"1\"}, \"asset_namespace\": \"experiments/x\"}")
                        .status());
        assertEquals(
                403,
                bob.postJson(
                                models,
                                "{\"asset_name\": \"trial\", \"asset_version\": {\"version\": \"1\"}, \"asset_namespace\": \"ml_models/production\"}")
                        .status());
        assertEquals(
                403,
                bob.postJson(
                                models,
                                "{\"asset_name\": \"trial\", \"asset_version\": {\"version\": \"1\"}, \"asset_namespace\": \"experimentsX\"}")
                        .status());
        // taken back
        String grantId = alice.get(grants).jsonArray().getValuesAs(JsonObject.class).stream()
                .filter(g -> g.getString("scope").equals("registry:ml_models/production"))
                .findFirst()
                .orElseThrow()
                .getString("id");
        assertEquals(204, alice.delete(grants + "/" + grantId).status());
        assertEquals(
                Set.of("trial"),
                bob.postJson("/aios/" + cid + "/assets", "{}").jsonArray().getValuesAs(JsonObject.class).stream()
                        .map(a -> a.getString("asset_name"))
                        .collect(Collectors.toSet()));
    }

    @Test
    void flowymlArtifactsKnowTheirProducer() {
        String cid = catalog("typed-flowyml");
        String api = "/api/catalogs/" + cid;
        String workflow = http().postJson(
                        api + "/workflows",
                        "{\"name\": \"churn pipeline\", \"type\": \"Training\", \"url\": \"u\", \"checksum\": \"c\"}")
                .json()
                .getString("RID");
        String execution = http().postJson(api + "/executions", "{\"workflow\": \"" + workflow + "\"}")
                .json()
                .getString("RID");
        String raw = http().postJson(
                        "/aios/" + cid + "/asset", "{\"asset_name\": \"raw\", \"asset_version\": {\"version\": \"1\"}}")
                .json()
                .getString("asset_id");
        Reply clean = upload(
                http(),
                cid,
                "clean.csv",
                TestFiles.csv(),
                "{\"asset_name\": \"clean_data\", \"asset_version\": {\"version\": \"1\"}, " + "\"execution\": \""
                        + execution + "\", \"step\": \"preprocess\", \"parents\": [\"" + raw + "\"]}");
        assertEquals(201, clean.status(), clean::toString);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertEquals(
                "churn_pipeline/" + today + "/" + execution + "/data/preprocess",
                clean.json().getString("asset_namespace"));
        JsonObject asset = http().get(api + "/registry/assets/" + clean.json().getString("asset_id"))
                .json();
        assertEquals(execution, asset.getJsonObject("producer").getString("execution"));
        assertEquals("churn pipeline", asset.getJsonObject("producer").getString("workflow_name"));
        assertEquals("preprocess", asset.getJsonObject("producer").getString("step"));
        assertEquals(List.of(raw), asset.getJsonArray("parents").getValuesAs(JsonString::getString));
        assertEquals(
                201,
                http().postJson(
                                "/aios/" + cid + "/asset",
                                "{\"asset_name\": \"eval\", \"asset_version\": {\"version\": \"1\"}, "
                                        + "\"asset_kind\": \"Metrics\", \"metrics\": {\"accuracy\": 0.95, \"loss\": 0.15}}")
                        .status());
        assertEquals(
                400,
                http().postJson(
                                "/aios/" + cid + "/asset",
                                "{\"asset_name\": \"eval2\", \"asset_version\": {\"version\": \"1\"}, "
                                        + "\"parents\": [\"no-such:1\"]}")
                        .status(),
                "a parent that names nothing");
    }

    @Test
    void carelessAndHostileRequestsAreClientErrors() {
        String cid = catalog("typed-hostile");
        String api = "/api/catalogs/" + cid + "/registry";
        String aios = "/aios/" + cid;
        String id = http().postJson(aios + "/asset", "{\"asset_name\": \"a\", \"asset_version\": {\"version\": \"1\"}}")
                .json()
                .getString("asset_id");
        List<String[]> requests = List.of(
                new String[] {"GET", api + "/resolve", null, null},
                new String[] {"GET", api + "/resolve?ref=a@snapshot-!!!", null, null},
                new String[] {"GET", api + "/resolve?ref=a@9999-01-01", null, null},
                new String[] {"GET", api + "/resolve?ref=" + "x".repeat(5000), null, null},
                new String[] {"GET", api + "/search?q=a&a.b.c.d.e.f.g.h.i=1", null, null},
                new String[] {"GET", api + "/search?q=a&limit=0", null, null},
                new String[] {"GET", api + "/search?q=a&q=b", null, null},
                new String[] {"GET", api + "/metrics", null, null},
                new String[] {"GET", api + "/metrics?assets=not-a-rid", null, null},
                new String[] {"GET", api + "/metrics?assets=" + id + "&name=a", null, null},
                new String[] {"GET", api + "/compatibility?model=a", null, null},
                new String[] {"GET", api + "/namespaces?under=nowhere", null, null},
                new String[] {"GET", api + "/assets/" + id + "/data?format=xml", null, null},
                new String[] {"GET", api + "/assets/" + id + "/data", null, null},
                new String[] {"GET", api + "/assets/" + id + "/connection", null, null},
                new String[] {"POST", api + "/tables?name=t&version=1", "application/json", "{\"not\": \"an array\"}"},
                new String[] {"POST", api + "/tables?name=t&version=1", "application/json", "[1, 2"},
                new String[] {
                    "POST", api + "/tables?name=t&version=1", "application/json", "[{\"a\": 1}, {\"a\": \"y\"}, [1, 2]]"
                },
                new String[] {"POST", api + "/tables?name=t&version=1", "application/x-ndjson", "{\"a\": 1}\n[1]\n"},
                new String[] {"POST", api + "/tables?name=t&version=1", "text/csv", "a,b\n1,2\n3,4,5\n6\n"},
                new String[] {"POST", api + "/tables?name=t&version=1", "image/png", "abc"},
                new String[] {"POST", api + "/tables?name=t&version=1", "text/csv", ""},
                new String[] {"POST", api + "/tables?name=t/x&version=1", "text/csv", "a\n1\n"},
                new String[] {"POST", api + "/tables?name=t&version=1&format=json", "text/csv", "a\n1\n"},
                new String[] {"POST", api + "/tables?version=1", "text/csv", "a\n1\n"},
                new String[] {
                    "POST",
                    aios + "/asset",
                    "application/json",
                    "{\"asset_name\": \"b\", \"asset_version\": {\"version\": \"1\"}, \"specs\": {}}"
                },
                new String[] {
                    "POST",
                    aios + "/asset",
                    "application/json",
                    "{\"asset_name\": \"b\", \"asset_version\": {\"version\": \"1\"}, \"specs\": [1]}"
                },
                new String[] {
                    "POST",
                    aios + "/asset",
                    "application/json",
                    "{\"asset_name\": \"b\", \"asset_version\": {\"version\": \"1\"}, \"metrics\": {\"\": 1}}"
                },
                new String[] {
                    "POST",
                    aios + "/asset",
                    "application/json",
                    "{\"asset_name\": \"b\", \"asset_version\": {\"version\": \"1\"}, \"lineage\": {\"uncle\": \"a\"}}"
                },
                new String[] {
                    "POST",
                    aios + "/asset",
                    "application/json",
                    "{\"asset_name\": \"b\", \"asset_version\": {\"version\": \"1\"}, \"lineage\": {\"parent_model\": 7}}"
                },
                new String[] {
                    "POST",
                    aios + "/asset",
                    "application/json",
                    "{\"asset_name\": \"b\", \"asset_version\": {\"version\": \"1\"}, \"parents\": [\"a@1999-01-01\"]}"
                },
                new String[] {
                    "POST",
                    aios + "/asset",
                    "application/json",
                    "{\"asset_name\": \"b\", \"asset_version\": {\"version\": \"1\"}, \"asset_namespace\": \"a//b\"}"
                },
                new String[] {
                    "POST",
                    aios + "/asset",
                    "application/json",
                    "{\"asset_name\": \"b\", \"asset_version\": {\"version\": \"1\"}, \"declarative_schema\": \"" + id
                            + "\"}"
                },
                new String[] {
                    "POST",
                    aios + "/asset",
                    "application/json",
                    "{\"asset_name\": \"b\", \"asset_version\": {\"version\": \"1\"}, \"step\": \"s\", \"execution\": \"ZZZZ\"}"
                },
                new String[] {
                    "POST",
                    "/api/catalogs/" + cid + "/grants",
                    "application/json",
                    "{\"principal\": \"user:x\", \"role\": \"ADMIN\", \"scope\": \"registry:a\"}"
                },
                new String[] {
                    "POST",
                    "/api/catalogs/" + cid + "/grants",
                    "application/json",
                    "{\"principal\": \"user:x\", \"role\": \"READ\", \"scope\": \"registry:/a\"}"
                });
        for (String[] r : requests) {
            Reply reply = http().send(r[0], r[1], r[2], r[3]);
            assertTrue(
                    reply.status() >= 400 && reply.status() < 500,
                    () -> r[0] + " " + r[1] + " " + r[3] + " -> " + reply);
            assertEquals("application/problem+json", reply.contentType(), () -> r[1] + " -> " + reply);
        }
        assertEquals(1, http().postJson(aios + "/assets", "{}").jsonArray().size(), "nothing was registered");
        assertEquals(
                200, http().get(api + "/search?q=" + "%28%22-or".repeat(50)).status(), "any text is a query");
    }

    @Test
    void bytesPutThroughHatracAreReadInTheBackground() throws Exception {
        String cid = catalog("typed-hatrac");
        String url = "/hatrac/" + cid + "/deriva-ml/Execution_Asset/people.csv";
        Reply put = http().put(url + "?parents=true", TestFiles.csv(), "Content-Type", "text/csv");
        assertEquals(201, put.status(), put::toString);
        String version = put.body().trim();
        String rid = http().send(
                        "POST",
                        "/ermrest/catalog/" + cid + "/entity/deriva-ml:Execution_Asset",
                        "application/json",
                        "[{\"URL\": \"" + version + "\", \"Filename\": \"people.csv\", \"Length\": "
                                + TestFiles.csv().length + ", \"MD5\": \""
                                + HexFormat.of()
                                        .formatHex(
                                                MessageDigest.getInstance("MD5").digest(TestFiles.csv()))
                                + "\"}]")
                .jsonArray()
                .getJsonObject(0)
                .getString("RID");
        JsonObject asset = null;
        for (int i = 0; i < 100; i++) {
            asset = http().get("/api/catalogs/" + cid + "/assets/" + rid).json();
            if (asset.get("File_Info") instanceof JsonObject) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(
                asset.get("File_Info") instanceof JsonObject,
                () -> "never read: " + http().get("/api/catalogs/" + cid + "/assets/" + rid));
        assertEquals(4, asset.getJsonObject("File_Info").getInt("row_count"));
        // registering that version reuses the reading
        Reply registered = http().postJson(
                        "/aios/" + cid + "/asset",
                        "{\"asset_name\": \"people\", \"asset_version\": {\"version\": \"1\"}, "
                                + "\"asset_public_url\": \"" + version + "\"}");
        assertEquals(201, registered.status(), registered::toString);
        assertEquals(
                asset.getJsonObject("File_Info").getJsonObject("inspection"),
                info(registered.json()).getJsonObject("inspection"));
        assertEquals("Dataset", registered.json().getString("asset_kind"));
    }
}
