package dev.cairn.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import org.junit.jupiter.api.Test;

/** The server-rendered front page lists the catalogs, escaping what users typed. */
public abstract class HomePageSpec extends CairnSpec {

    @Test
    void listsCatalogsWithEscapedNames() {
        Reply created = http().postJson("/api/catalogs", "{\"name\": \"<script>alert(1)</script> images\"}");
        assertEquals(201, created.status(), created::toString);
        String id = created.json().getString("id");

        Reply page = http().get("/");
        assertEquals(200, page.status(), page::toString);
        assertTrue(page.contentType().startsWith("text/html"), page::toString);
        assertTrue(page.body().contains("&lt;script&gt;alert(1)&lt;/script&gt; images"), page.body());
        assertFalse(page.body().contains("<script>alert(1)"), "names are escaped");
        assertTrue(page.body().contains("href=\"/ermrest/catalog/" + id + "/schema\""), page.body());
    }
}
