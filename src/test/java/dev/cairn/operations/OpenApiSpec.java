package dev.cairn.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import dev.cairn.operations.control.ApiDocument;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi}: a valid OpenAPI 3.1 document, as YAML or JSON, in which every JAX-RS resource
 * method of the WAR is an operation described by hand, and nothing else is; and {@code /api-docs},
 * the browsable page.
 */
public abstract class OpenApiSpec extends CairnSpec {

    /** Every resource class compiled into the WAR, found independently of the server. */
    static List<Class<?>> resourceClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(ApiDocument.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Class<?>> found = new ArrayList<>();
        try (var files = Files.walk(classes)) {
            for (Path file : files.filter(f ->
                            f.toString().endsWith(".class") && !f.toString().contains("$"))
                    .toList()) {
                String name =
                        classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, OpenApiSpec.class.getClassLoader());
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    found.add(type);
                }
            }
        }
        return found;
    }

    private JsonNode document() throws IOException {
        Reply reply = http().anonymous().get("/openapi", "Accept", "application/json");
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
        return ApiDocument.JSON.readTree(reply.body());
    }

    @Test
    void everyResourceMethodIsDescribedAndNothingElse() throws Exception {
        JsonNode paths = document().get("paths");
        List<ApiDocument.Operation> operations = ApiDocument.operations(resourceClasses());
        assertTrue(operations.size() > 100, "found only " + operations.size() + " resource methods");
        Set<String> expected = new TreeSet<>();
        List<String> undescribed = new ArrayList<>();
        for (ApiDocument.Operation operation : operations) {
            String verb = operation.httpMethod().toLowerCase();
            expected.add(verb + " " + operation.path());
            JsonNode op = paths.path(operation.path()).path(verb);
            if (op.path("summary").asText().isBlank()
                    || op.path("description").asText().isBlank()
                    || !op.path("responses").has("default")
                    || op.path("responses").size() < 2) {
                undescribed.add(operation.httpMethod() + " " + operation.path() + " ("
                        + operation.type().getSimpleName() + "."
                        + operation.method().getName() + ")");
            }
        }
        assertEquals(List.of(), undescribed, "operations without summary, description and responses in openapi.yaml");
        Set<String> documented = new TreeSet<>();
        paths.fields()
                .forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(verb -> {
                    if (Set.of("get", "put", "post", "delete", "head", "patch", "options")
                            .contains(verb)) {
                        documented.add(verb + " " + path.getKey());
                    }
                }));
        documented.removeAll(expected);
        assertEquals(Set.of(), documented, "operations in openapi.yaml that no resource serves");
        assertEquals(
                "ERMrest model",
                paths.path("/ermrest/catalog/{cid}/{model}")
                        .path("get")
                        .path("tags")
                        .get(0)
                        .asText());
        assertEquals(
                "ERMrest data",
                paths.path("/ermrest/catalog/{cid}/{api}/{path}")
                        .path("get")
                        .path("tags")
                        .get(0)
                        .asText());
    }

    @Test
    void theDocumentIsValidOpenApi31() throws Exception {
        Reply json = http().anonymous().get("/openapi?format=json");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(json.body(), null, options);
        assertEquals(List.of(), parsed.getMessages());
        assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
        assertEquals("Cairn", parsed.getOpenAPI().getInfo().getTitle());
        assertNotEquals("unknown", parsed.getOpenAPI().getInfo().getVersion());
        assertFalse(parsed.getOpenAPI().getInfo().getVersion().contains("${"));
    }

    @Test
    void yamlByDefaultJsonByAcceptAndServersFromTheRequest() throws Exception {
        Reply yaml = http().anonymous().get("/openapi");
        assertEquals(200, yaml.status());
        assertTrue(yaml.contentType().startsWith("application/yaml"), yaml.contentType());
        JsonNode fromYaml = ApiDocument.YAML.readTree(yaml.body());
        assertEquals("3.1.0", fromYaml.get("openapi").asText());
        assertEquals(http().base(), fromYaml.get("servers").get(0).get("url").asText());
        assertEquals(document().get("paths"), fromYaml.get("paths"));

        Reply proxied = http().anonymous()
                .get("/openapi?format=json", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "cairn.example.org");
        assertEquals(
                "https://cairn.example.org",
                ApiDocument.JSON
                        .readTree(proxied.body())
                        .get("servers")
                        .get(0)
                        .get("url")
                        .asText());
        Reply hostile = http().anonymous().get("/openapi?format=json", "X-Forwarded-Host", "evil\"/><script>");
        assertEquals(
                http().base(),
                ApiDocument.JSON
                        .readTree(hostile.body())
                        .get("servers")
                        .get(0)
                        .get("url")
                        .asText());

        // OPTIONS says what is allowed, without a WADL document
        for (String path : new String[] {"/api/catalogs", "/openapi", "/hatrac/", "/ermrest/catalog/1/entity/a:b"}) {
            Reply options = http().send("OPTIONS", path, null, null);
            assertTrue(options.status() < 300, path + " " + options);
            assertTrue(options.header("Allow").orElse("").contains("GET"), path + " " + options);
            assertFalse(options.body().contains("wadl"), options.body());
        }

        Reply wrong = http().anonymous().get("/openapi?format=xml");
        assertEquals(400, wrong.status());
        assertEquals("application/problem+json", wrong.contentType());
    }

    @Test
    void theBrowsablePageServesSwaggerUiFromTheWar() {
        Reply page = http().anonymous().get("/api-docs");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("/api-docs/ui/swagger-ui-bundle.js"), page.body());
        for (String file : List.of("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css")) {
            Reply served = http().anonymous().get("/api-docs/ui/" + file);
            assertEquals(200, served.status(), file);
            assertTrue(served.body().length() > 10_000, file);
        }
        assertEquals(200, http().anonymous().get("/static/api-docs.js").status());
        assertEquals(404, http().anonymous().get("/api-docs/ui/index.html").status());
        assertEquals(
                404,
                http().anonymous()
                        .get("/api-docs/ui/..%2F..%2FMETA-INF%2FMANIFEST.MF")
                        .status());
        assertTrue(
                http().anonymous().get("/").body().contains("href=\"/api-docs\""),
                "the web catalog links the API page");
    }

    // ---- the documented schemas against real requests and answers

    /** Validates documents against the schemas of one OpenAPI document (JSON Schema 2020-12, as OpenAPI 3.1 says). */
    private static final class Schemas {
        private final JsonNode document;
        private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

        Schemas(JsonNode document) {
            this.document = document;
        }

        /**
         * The problems of a body against the schema at a JSON pointer of the document (an operation's
         * request or answer).
         */
        List<String> problems(String pointer, String body) throws IOException {
            JsonNode schema = document.at(pointer);
            assertFalse(schema.isMissingNode(), "the document has no schema at " + pointer);
            String defs =
                    document.get("components").get("schemas").toString().replace("#/components/schemas/", "#/$defs/");
            String own = schema.toString().replace("#/components/schemas/", "#/$defs/");
            ObjectNode whole = (ObjectNode) ApiDocument.JSON.readTree(own);
            whole.set("$defs", ApiDocument.JSON.readTree(defs));
            List<String> out = new ArrayList<>();
            for (com.networknt.schema.Error e : registry.getSchema(whole).validate(ApiDocument.JSON.readTree(body))) {
                out.add(e.getInstanceLocation() + ": " + e.getMessage());
            }
            return out;
        }
    }

    private static String op(String path, String method) {
        return "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method;
    }

    /**
     * The registry's, AIOS's, the grants' and identity's operations, called for real: each request
     * body sent is valid against the operation's documented request schema, and each answer against
     * its documented success schema, so that a client generated from the document has true types.
     */
    @Test
    void documentedSchemasDescribeRealRequestsAndAnswers() throws Exception {
        Schemas schemas = new Schemas(document());
        List<String> failures = new ArrayList<>();
        String cid = createCatalog("{\"name\": \"openapi-"
                        + UUID.randomUUID().toString().substring(0, 8) + "\", \"domainSchema\": \"demo\"}")
                .getString("id");
        String a = "/aios/" + cid;
        String r = "/api/catalogs/" + cid + "/registry";
        class Call {
            String send(String template, String method, String path, String contentType, String body, int status)
                    throws IOException {
                if (body != null && "application/json".equals(contentType)) {
                    schemas.problems(op(template, method) + "/requestBody/content/application~1json/schema", body)
                            .forEach(p -> failures.add(method + " " + template + " request: " + p));
                }
                Reply reply = http().send(method.toUpperCase(Locale.ROOT), path, contentType, body);
                if (reply.status() != status) {
                    failures.add(method + " " + template + " answered " + reply.status() + ", not " + status + ": "
                            + reply.body());
                    return reply.body();
                }
                schemas.problems(
                                op(template, method) + "/responses/" + status + "/content/application~1json/schema",
                                reply.body())
                        .forEach(p -> failures.add(method + " " + template + " answer: " + p));
                return reply.body();
            }
        }
        Call call = new Call();
        String json = "application/json";
        call.send(
                "/aios/{cid}/asset",
                "post",
                a + "/asset",
                json,
                "{\"asset_name\": \"data\", \"asset_version\": {\"version\": \"1\"}}",
                201);
        String created = call.send(
                "/aios/{cid}/asset",
                "post",
                a + "/asset",
                json,
                "{\"asset_name\": \"model\", \"asset_kind\": \"Model\", "
                        + "\"provenance\": {\"author\": \"Ann\"}, \"relationships\": {\"trained_on\": [\"data:1\"]}, \"asset_tags\": [\"x\"]}",
                201);
        String id = ApiDocument.JSON.readTree(created).get("asset_id").asText();
        call.send("/aios/{cid}/asset/{uri}", "get", a + "/asset/model:1", null, null, 200);
        call.send(
                "/aios/{cid}/asset/{uri}",
                "put",
                a + "/asset/model:1",
                json,
                "{\"asset_tags\": [\"y\"], \"asset_description\": \"d\"}",
                200);
        call.send("/aios/{cid}/assets", "post", a + "/assets", json, "{\"asset_tags\": \"y\"}", 200);
        call.send("/aios/{cid}/health", "get", a + "/health", null, null, 200);
        call.send("/api/catalogs/{cid}/registry/assets/{id}", "get", r + "/assets/" + id, null, null, 200);
        call.send(
                "/api/catalogs/{cid}/registry/names/{name}/versions",
                "get",
                r + "/names/model/versions",
                null,
                null,
                200);
        call.send("/api/catalogs/{cid}/registry/search", "get", r + "/search?kind=Model", null, null, 200);
        call.send("/api/catalogs/{cid}/registry/search", "get", r + "/search?q=model", null, null, 200);
        call.send("/api/catalogs/{cid}/registry/resolve", "get", r + "/resolve?ref=model", null, null, 200);
        call.send(
                "/api/catalogs/{cid}/registry/assets/{id}/annotations",
                "post",
                r + "/assets/" + id + "/annotations",
                json,
                "{\"note\": \"checked\"}",
                201);
        call.send(
                "/api/catalogs/{cid}/registry/assets/{id}/annotations",
                "get",
                r + "/assets/" + id + "/annotations",
                null,
                null,
                200);
        String other = ApiDocument.JSON
                .readTree(
                        call.send("/aios/{cid}/asset", "post", a + "/asset", json, "{\"asset_name\": \"other\"}", 201))
                .get("asset_id")
                .asText();
        call.send(
                "/api/catalogs/{cid}/registry/assets/{id}/relationships",
                "post",
                r + "/assets/" + id + "/relationships",
                json,
                "{\"relationship\": \"evaluated_on\", \"related_asset\": \"" + other + "\"}",
                201);
        call.send("/api/catalogs/{cid}/registry/tables", "post", r + "/tables?name=t", "text/csv", "a,b\n1,2\n", 201);
        call.send(
                "/api/catalogs/{cid}/grants",
                "post",
                "/api/catalogs/" + cid + "/grants",
                json,
                "{\"principal\": \"*\", \"role\": \"READ\", \"scope\": \"asset:" + id + "\"}",
                201);
        call.send("/api/catalogs/{cid}/grants", "get", "/api/catalogs/" + cid + "/grants", null, null, 200);
        call.send("/aios/{cid}/asset/{uri}", "delete", a + "/asset/other:1?force=true", null, null, 200);
        String entry = call.send(
                "/aios/asset_registry",
                "post",
                "/aios/asset_registry",
                json,
                "{\"asset_registry_name\": \"x\", "
                        + "\"asset_registry_tags\": [\"t\"], \"asset_registry_public_url\": \"http://10.0.0.1/x\"}",
                201);
        String entryId =
                ApiDocument.JSON.readTree(entry).get("asset_registry_id").asText();
        call.send("/aios/asset_registry/{id}", "get", "/aios/asset_registry/" + entryId, null, null, 200);
        call.send(
                "/aios/asset_registry/{id}",
                "put",
                "/aios/asset_registry/" + entryId,
                json,
                "{\"asset_registry_name\": \"y\"}",
                200);
        call.send(
                "/aios/asset_registries",
                "post",
                "/aios/asset_registries",
                json,
                "{\"asset_registry_name\": \"y\"}",
                200);
        call.send("/aios/check_health/{id}", "get", "/aios/check_health/" + entryId, null, null, 200);
        call.send("/aios/health", "get", "/aios/health", null, null, 200);
        String user = "oa" + UUID.randomUUID().toString().substring(0, 8);
        call.send(
                "/api/users",
                "post",
                "/api/users",
                json,
                "{\"username\": \"" + user + "\", \"password\": \"a long passphrase\"}",
                201);
        call.send("/api/users", "get", "/api/users", null, null, 200);
        call.send("/api/users/{username}", "patch", "/api/users/" + user, json, "{\"display_name\": \"O. A.\"}", 200);
        call.send("/api/users/{username}", "get", "/api/users/" + user, null, null, 200);
        call.send("/api/groups", "post", "/api/groups", json, "{\"name\": \"" + user + "g\"}", 201);
        call.send("/api/groups/{name}", "patch", "/api/groups/" + user + "g", json, "{\"display_name\": \"G\"}", 200);
        call.send("/api/groups", "get", "/api/groups", null, null, 200);
        call.send(
                "/api/tokens",
                "post",
                "/api/tokens",
                json,
                "{\"name\": \"openapi\", \"scopes\": {\"catalogs\": [" + cid + "], \"read_only\": true}}",
                201);
        call.send("/api/tokens", "get", "/api/tokens", null, null, 200);
        // DerivaML's API: a catalog, vocabularies, an asset table, a workflow, an execution through its states,
        // datasets
        String ml = ApiDocument.JSON
                .readTree(call.send(
                        "/api/catalogs",
                        "post",
                        "/api/catalogs",
                        json,
                        "{\"name\": \"openapi-ml-" + user + "\", \"domainSchema\": \"demo\"}",
                        201))
                .get("id")
                .asText();
        String c = "/api/catalogs/" + ml;
        String t = "/api/catalogs/{cid}";
        call.send(t + "/vocabularies", "post", c + "/vocabularies", json, "{\"name\": \"Tissue\"}", 201);
        call.send(t + "/vocabularies", "get", c + "/vocabularies", null, null, 200);
        call.send(
                t + "/vocabularies/{vocabulary}/terms",
                "post",
                c + "/vocabularies/Tissue/terms",
                json,
                "{\"name\": \"liver\", \"description\": \"d\", \"synonyms\": [\"hepar\"]}",
                201);
        call.send(
                t + "/vocabularies/{vocabulary}/terms",
                "post",
                c + "/vocabularies/Tissue/terms",
                json,
                "{\"name\": \"liver\", \"description\": \"d\"}",
                200);
        call.send(t + "/vocabularies/{vocabulary}/terms", "get", c + "/vocabularies/Tissue/terms", null, null, 200);
        call.send(
                t + "/vocabularies/{vocabulary}/terms/{term}",
                "get",
                c + "/vocabularies/Tissue/terms/hepar",
                null,
                null,
                200);
        call.send(
                t + "/asset-tables",
                "post",
                c + "/asset-tables",
                json,
                "{\"name\": \"Image\", \"columns\": [{\"name\": \"Width\", " + "\"type\": \"int4\"}]}",
                201);
        call.send(t + "/asset-tables", "get", c + "/asset-tables", null, null, 200);
        String workflow = ApiDocument.JSON
                .readTree(call.send(
                        t + "/workflows",
                        "post",
                        c + "/workflows",
                        json,
                        "{\"name\": \"w\", \"type\": \"Training\", \"url\": \"u\", \"checksum\": \"c\"}",
                        201))
                .get("RID")
                .asText();
        call.send(
                t + "/workflows",
                "post",
                c + "/workflows",
                json,
                "{\"name\": \"w\", \"type\": \"Training\", \"url\": \"u\", \"checksum\": \"c\"}",
                200);
        call.send(t + "/workflows", "get", c + "/workflows", null, null, 200);
        call.send(t + "/workflows/{rid}", "get", c + "/workflows/" + workflow, null, null, 200);
        String execution = ApiDocument.JSON
                .readTree(call.send(
                        t + "/executions",
                        "post",
                        c + "/executions",
                        json,
                        "{\"workflow\": \"" + workflow + "\"}",
                        201))
                .get("RID")
                .asText();
        call.send(
                t + "/executions/{rid}/status",
                "put",
                c + "/executions/" + execution + "/status",
                json,
                "{\"status\": \"Running\"}",
                200);
        call.send(
                t + "/executions/{rid}/outputs/{table}/{filename}",
                "put",
                c + "/executions/" + execution + "/outputs/Image/a.png",
                "application/octet-stream",
                "pixels",
                201);
        call.send(t + "/executions/{rid}/outputs", "get", c + "/executions/" + execution + "/outputs", null, null, 200);
        call.send(
                t + "/executions/{rid}/status",
                "put",
                c + "/executions/" + execution + "/status",
                json,
                "{\"status\": \"Stopped\"}",
                200);
        call.send(t + "/executions/{rid}/commit", "post", c + "/executions/" + execution + "/commit", null, null, 200);
        call.send(t + "/executions/{rid}", "get", c + "/executions/" + execution, null, null, 200);
        call.send(t + "/executions", "get", c + "/executions", null, null, 200);
        call.send(t + "/asset-tables/{table}/assets", "get", c + "/asset-tables/Image/assets", null, null, 200);
        call.send(t + "/assets/{rid}/lineage", "get", c + "/assets/" + execution + "/lineage", null, null, 200);
        String dataset = ApiDocument.JSON
                .readTree(call.send(t + "/datasets", "post", c + "/datasets", json, "{\"description\": \"d\"}", 201))
                .get("RID")
                .asText();
        call.send(t + "/datasets", "get", c + "/datasets", null, null, 200);
        call.send(t + "/datasets/element-types", "get", c + "/datasets/element-types", null, null, 200);
        call.send(t + "/datasets/{rid}/versions", "get", c + "/datasets/" + dataset + "/versions", null, null, 200);
        // datasets through a release, with members, types and a diff
        call.send(
                t + "/datasets/element-types",
                "post",
                c + "/datasets/element-types",
                json,
                "{\"table\": \"Image\"}",
                201);
        call.send(
                t + "/datasets/element-types",
                "post",
                c + "/datasets/element-types",
                json,
                "{\"table\": \"Image\"}",
                200);
        String child = ApiDocument.JSON
                .readTree(
                        call.send(t + "/datasets", "post", c + "/datasets", json, "{\"description\": \"child\"}", 201))
                .get("RID")
                .asText();
        String d = c + "/datasets/" + dataset;
        call.send(t + "/datasets/{rid}", "get", d, null, null, 200);
        call.send(t + "/datasets/{rid}/types", "post", d + "/types", json, "{\"add\": [\"Training\"]}", 200);
        call.send(
                t + "/datasets/{rid}/members", "post", d + "/members", json, "{\"members\": [\"" + child + "\"]}", 200);
        call.send(t + "/datasets/{rid}/members", "get", d + "/members", null, null, 200);
        call.send(t + "/datasets/{rid}/dev", "post", d + "/dev", json, "{\"description\": \"x\"}", 200);
        call.send(
                t + "/datasets/{rid}/release",
                "post",
                d + "/release",
                json,
                "{\"bump\": \"minor\", \"description\": \"r\"}",
                200);
        call.send(
                t + "/datasets/{rid}/members/remove",
                "post",
                d + "/members/remove",
                json,
                "{\"members\": [\"" + child + "\"]}",
                200);
        call.send(t + "/datasets/{rid}/members/{member}", "delete", d + "/members/" + child, null, null, 200);
        call.send(t + "/datasets/{rid}/diff", "get", d + "/diff?from=0.1.0", null, null, 200);
        // the registry's aliases, namespaces, metrics and compatibility
        String m = ApiDocument.JSON
                .readTree(call.send(
                        "/aios/{cid}/asset",
                        "post",
                        "/aios/" + ml + "/asset",
                        json,
                        "{\"asset_name\": \"m\", \"metrics\": {\"acc\": 0.9}}",
                        201))
                .get("asset_id")
                .asText();
        call.send(
                "/aios/{cid}/asset",
                "post",
                "/aios/" + ml + "/asset",
                json,
                "{\"asset_name\": \"d\", \"asset_kind\": \"Dataset\"}",
                201);
        call.send(
                t + "/registry/names/{name}/aliases/{alias}",
                "put",
                c + "/registry/names/m/aliases/prod",
                json,
                "{\"asset_id\": \"" + m + "\"}",
                200);
        call.send(
                t + "/registry/names/{name}/aliases/{alias}",
                "get",
                c + "/registry/names/m/aliases/prod",
                null,
                null,
                200);
        call.send(t + "/registry/names/{name}/aliases", "get", c + "/registry/names/m/aliases", null, null, 200);
        call.send(t + "/registry/namespaces", "get", c + "/registry/namespaces", null, null, 200);
        call.send(t + "/registry/metrics", "get", c + "/registry/metrics?name=m", null, null, 200);
        call.send(
                t + "/registry/compatibility",
                "get",
                c + "/registry/compatibility?model=m:1&dataset=d:1",
                null,
                null,
                200);
        call.send("/authn/session", "get", "/authn/session", null, null, 200);
        call.send("/api/audit", "get", "/api/audit?limit=2", null, null, 200);
        call.send("/api/audit/verify", "get", "/api/audit/verify", null, null, 200);
        call.send(t + "/ml-schema", "post", c + "/ml-schema", null, null, 200);
        // ERMrest's catalog document, RID resolution and citations; an asset of any table; inputs; a catalog in the
        // registry
        call.send("/ermrest/catalog/{cid}", "get", "/ermrest/catalog/" + ml, null, null, 200);
        call.send(
                "/ermrest/catalog/{cid}/entity_rid/{rid}",
                "get",
                "/ermrest/catalog/" + ml + "/entity_rid/" + workflow,
                null,
                null,
                200);
        call.send("/id/{cid}/{rid}", "get", "/id/" + ml + "/" + workflow, null, null, 200);
        String second = ApiDocument.JSON
                .readTree(call.send(
                        t + "/executions",
                        "post",
                        c + "/executions",
                        json,
                        "{\"workflow\": \"" + workflow + "\"}",
                        201))
                .get("RID")
                .asText();
        call.send(
                t + "/executions/{rid}/inputs",
                "post",
                c + "/executions/" + second + "/inputs",
                json,
                "{\"assets\": [\"" + m + "\"]}",
                200);
        call.send(t + "/assets/{rid}", "get", c + "/assets/" + m, null, null, 200);
        call.send(
                "/aios/{cid}/register",
                "post",
                "/aios/" + ml + "/register",
                json,
                "{\"asset_registry_tags\": [\"x\"]}",
                201);
        call.send("/api/catalogs/{cid}", "get", c, null, null, 200);
        call.send("/api/catalogs", "get", "/api/catalogs", null, null, 200);
        assertTrue(
                failures.isEmpty(),
                failures.size() + " disagreements between the document and the server:\n"
                        + String.join("\n", failures));
    }
}
