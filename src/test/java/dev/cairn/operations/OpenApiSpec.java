package dev.cairn.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import dev.cairn.operations.control.ApiDocument;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * {@code /openapi}: a valid OpenAPI 3.1 document, as YAML or JSON, in which every JAX-RS resource
 * method of the WAR is an operation described by hand, and nothing else is; and {@code /api-docs},
 * the browsable page.
 */
public abstract class OpenApiSpec extends CairnSpec {

    /** Every resource class compiled into the WAR, found independently of the server. */
    static List<Class<?>> resourceClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(ApiDocument.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (var files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
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
            if (op.path("summary").asText().isBlank() || op.path("description").asText().isBlank()
                    || !op.path("responses").has("default") || op.path("responses").size() < 2) {
                undescribed.add(operation.httpMethod() + " " + operation.path() + " (" + operation.type().getSimpleName()
                        + "." + operation.method().getName() + ")");
            }
        }
        assertEquals(List.of(), undescribed, "operations without summary, description and responses in openapi.yaml");
        Set<String> documented = new TreeSet<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(verb -> {
            if (Set.of("get", "put", "post", "delete", "head", "patch", "options").contains(verb)) {
                documented.add(verb + " " + path.getKey());
            }
        }));
        documented.removeAll(expected);
        assertEquals(Set.of(), documented, "operations in openapi.yaml that no resource serves");
        assertEquals("ERMrest model", paths.path("/ermrest/catalog/{cid}/{model}").path("get").path("tags").get(0).asText());
        assertEquals("ERMrest data", paths.path("/ermrest/catalog/{cid}/{api}/{path}").path("get").path("tags").get(0).asText());
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

        Reply proxied = http().anonymous().get("/openapi?format=json", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "cairn.example.org");
        assertEquals("https://cairn.example.org", ApiDocument.JSON.readTree(proxied.body()).get("servers").get(0).get("url").asText());
        Reply hostile = http().anonymous().get("/openapi?format=json", "X-Forwarded-Host", "evil\"/><script>");
        assertEquals(http().base(), ApiDocument.JSON.readTree(hostile.body()).get("servers").get(0).get("url").asText());

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
        assertEquals(404, http().anonymous().get("/api-docs/ui/..%2F..%2FMETA-INF%2FMANIFEST.MF").status());
        assertTrue(http().anonymous().get("/").body().contains("href=\"/api-docs\""), "the web catalog links the API page");
    }
}
