package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.cairn.Http.Reply;
import dev.cairn.CairnSpec;
import jakarta.json.JsonObject;

/** Every error is application/problem+json with the right status, never an HTML page or a stack trace. */
public abstract class ProblemSpec extends CairnSpec {

    static JsonObject assertProblem(Reply reply, int status) {
        assertEquals(status, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply::toString);
        JsonObject problem = reply.json();
        assertEquals(status, problem.getInt("status"));
        assertTrue(problem.getString("type").startsWith("https://"), problem::toString);
        assertTrue(!problem.getString("title").isBlank(), problem::toString);
        assertTrue(!problem.getString("detail").isBlank(), problem::toString);
        assertTrue(problem.getString("instance").startsWith("urn:uuid:"), problem::toString);
        assertTrue(!reply.body().contains("Exception"), "no stack trace or exception names: " + reply.body());
        return problem;
    }

    @Test
    void unknownPathIsNotFound() {
        assertProblem(http().get("/no/such/thing"), 404);
        assertProblem(http().get("/ermrest/nothing-here"), 404);
    }

    @Test
    void unknownCatalogIsNotFound() {
        JsonObject problem = assertProblem(http().get("/ermrest/catalog/987654/schema"), 404);
        assertTrue(problem.getString("detail").contains("987654"), problem::toString);
        assertProblem(http().get("/ermrest/catalog/not-a-number"), 404);
        assertProblem(http().get("/api/catalogs/-1"), 404);
    }

    @Test
    void malformedJsonIsBadRequest() {
        JsonObject problem = assertProblem(http().postJson("/api/catalogs", "{\"name\": "), 400);
        assertTrue(problem.getString("detail").contains("JSON"), problem::toString);
        assertProblem(http().postJson("/api/catalogs", "[1, 2]"), 400);
        assertProblem(http().postJson("/ermrest/catalog", "{oops"), 400);
    }

    @Test
    void wrongMethodIsNotAllowedWithAllowHeader() {
        Reply reply = http().send("PUT", "/api/catalogs", "application/json", "{}");
        assertProblem(reply, 405);
        assertTrue(reply.header("Allow").orElse("").contains("POST"), reply::toString);
    }

    @Test
    void wrongContentTypeIsUnsupported() {
        assertProblem(http().send("POST", "/api/catalogs", "text/plain", "name=x"), 415);
    }

    @Test
    void eachProblemHasItsOwnInstance() {
        String first = assertProblem(http().get("/missing"), 404).getString("instance");
        String second = assertProblem(http().get("/missing"), 404).getString("instance");
        assertNotEquals(first, second);
    }
}
