package dev.cairn.catalog.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import org.junit.jupiter.api.Test;

/** ERMrest's catalog routes, as Deriva clients call them. */
public abstract class ErmrestCatalogSpec extends CairnSpec {

    @Test
    void createWithoutBodyDescribeAndDelete() {
        Reply created = http().send("POST", "/ermrest/catalog", null, null);
        assertEquals(201, created.status(), created::toString);
        String id = created.json().getString("id");
        assertTrue(created.header("Location").orElseThrow().endsWith("/ermrest/catalog/" + id), created::toString);

        Reply catalog = http().get("/ermrest/catalog/" + id);
        assertEquals(200, catalog.status(), catalog::toString);
        assertEquals(id, catalog.json().getString("id"));
        assertTrue(catalog.json().containsKey("annotations"));
        assertTrue(catalog.json().containsKey("acls"));

        assertEquals(204, http().delete("/ermrest/catalog/" + id).status());
        assertEquals(404, http().get("/ermrest/catalog/" + id).status());
        assertEquals(404, http().delete("/ermrest/catalog/" + id).status());
    }

    @Test
    void createWithNameAndDescription() {
        Reply created = http().postJson("/ermrest/catalog", "{\"name\": \"from deriva-py\", \"description\": \"d\"}");
        assertEquals(201, created.status(), created::toString);
        Reply catalog = http().get("/ermrest/catalog/" + created.json().getString("id"));
        assertEquals("from deriva-py", catalog.json().getString("name"));
        assertEquals("d", catalog.json().getString("description"));
    }

    @Test
    void clientChosenIdsAreRefused() {
        Reply refused = http().postJson("/ermrest/catalog", "{\"id\": \"42\"}");
        assertEquals(400, refused.status(), refused::toString);
    }
}
