package dev.cairn.catalog.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import jakarta.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code /api/catalogs}: create, list, read and delete catalogs. */
public abstract class CatalogApiSpec extends CairnSpec {

    private boolean listed(String id) {
        Reply list = http().get("/api/catalogs");
        assertEquals(200, list.status(), list::toString);
        return list.jsonArray().getValuesAs(JsonObject.class).stream()
                .anyMatch(c -> c.getString("id").equals(id));
    }

    @Test
    void createListGetDelete() {
        Reply created = http().postJson(
                        "/api/catalogs",
                        "{\"name\": \"demo\", \"domainSchema\": \"demo\", \"description\": \"a demo\"}");
        assertEquals(201, created.status(), created::toString);
        JsonObject catalog = created.json();
        String id = catalog.getString("id");
        assertTrue(id.matches("[1-9][0-9]*"), id);
        assertTrue(created.header("Location").orElseThrow().endsWith("/api/catalogs/" + id));
        assertEquals("demo", catalog.getString("name"));
        assertEquals("demo", catalog.getString("domainSchema"));
        assertEquals("a demo", catalog.getString("description"));
        assertEquals("/ermrest/catalog/" + id, catalog.getString("ermrest"));
        assertEquals("user:admin", catalog.getString("createdBy"), "the creator is recorded");

        assertTrue(listed(id));
        Reply one = http().get("/api/catalogs/" + id);
        assertEquals(200, one.status(), one::toString);
        assertEquals("demo", one.json().getString("name"));

        Reply deleted = http().delete("/api/catalogs/" + id);
        assertEquals(204, deleted.status(), deleted::toString);
        assertEquals(404, http().get("/api/catalogs/" + id).status());
        assertEquals(404, http().get("/ermrest/catalog/" + id + "/schema").status());
        assertFalse(listed(id));
        assertEquals(404, http().delete("/api/catalogs/" + id).status());
    }

    @Test
    void catalogWithoutDomainSchema() {
        JsonObject catalog = createCatalog("{\"name\": \"plain\"}");
        assertTrue(catalog.isNull("domainSchema"));
        JsonObject schemas = http().get("/ermrest/catalog/" + catalog.getString("id") + "/schema")
                .json()
                .getJsonObject("schemas");
        assertEquals(Set.of("deriva-ml", "public"), schemas.keySet());
    }

    @Test
    void invalidRequestsAreRejected() {
        assertEquals(400, http().postJson("/api/catalogs", "{}").status());
        assertEquals(400, http().postJson("/api/catalogs", "{\"name\": \"  \"}").status());
        for (String reserved :
                new String[] {"deriva-ml", "public", "_ermrest", "pg_catalog", "information_schema", ""}) {
            Reply reply = http().postJson("/api/catalogs", "{\"name\": \"x\", \"domainSchema\": \"" + reserved + "\"}");
            assertEquals(400, reply.status(), reserved + ": " + reply);
        }
        String tooLong = "s".repeat(64);
        assertEquals(
                400,
                http().postJson("/api/catalogs", "{\"name\": \"x\", \"domainSchema\": \"" + tooLong + "\"}")
                        .status());
    }

    @Test
    void domainSchemaNameCannotInjectSql() {
        String hostile = "x\\\"; DROP SCHEMA \\\"deriva-ml\\\" CASCADE; --";
        JsonObject catalog = createCatalog("{\"name\": \"hostile\", \"domainSchema\": \"" + hostile + "\"}");
        JsonObject schemas = http().get("/ermrest/catalog/" + catalog.getString("id") + "/schema")
                .json()
                .getJsonObject("schemas");
        assertTrue(schemas.containsKey("deriva-ml"), "deriva-ml survives");
        assertTrue(schemas.containsKey("x\"; DROP SCHEMA \"deriva-ml\" CASCADE; --"), schemas.keySet()::toString);
    }
}
