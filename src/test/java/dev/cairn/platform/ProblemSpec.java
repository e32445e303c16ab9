package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import jakarta.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every error is application/problem+json with the right status, never an HTML page or a stack trace. */
public abstract class ProblemSpec extends CairnSpec {

    static JsonObject assertProblem(Reply reply, int status) {
        assertEquals(status, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply::toString);
        JsonObject problem = reply.json();
        assertEquals(status, problem.getInt("status"));
        String code = problem.getString("code");
        ErrorCode known =
                ErrorCode.of(code).orElseThrow(() -> new AssertionError("unknown code " + code + ": " + problem));
        assertEquals(known.type(), problem.getString("type"), problem::toString);
        assertEquals(known.status(), status, problem::toString);
        assertTrue(!problem.getString("title").isBlank(), problem::toString);
        assertTrue(!problem.getString("detail").isBlank(), problem::toString);
        assertTrue(problem.getString("instance").startsWith("urn:uuid:"), problem::toString);
        assertTrue(!reply.body().contains("Exception"), "no stack trace or exception names: " + reply.body());
        return problem;
    }

    static void assertCode(Reply reply, ErrorCode code) {
        assertEquals(code.code(), assertProblem(reply, code.status()).getString("code"), reply::toString);
    }

    @Test
    void unknownPathIsNotFound() {
        assertCode(http().get("/no/such/thing"), ErrorCode.NO_ROUTE);
        assertProblem(http().get("/ermrest/nothing-here"), 404);
    }

    /** Clients switch on the code: each kind of problem has its own, whatever the words of its detail. */
    @Test
    void eachKindOfProblemHasItsCode() {
        assertCode(http().get("/ermrest/catalog/987654/schema"), ErrorCode.NOT_FOUND);
        assertCode(http().postJson("/api/catalogs", "{\"name\": "), ErrorCode.INVALID_JSON);
        assertCode(http().get("/api/catalogs?no_such_parameter=1"), ErrorCode.INVALID_PARAMETER);
        assertCode(http().send("PUT", "/api/catalogs", "application/json", "{}"), ErrorCode.METHOD_NOT_ALLOWED);
        assertCode(http().send("POST", "/api/catalogs", "text/plain", "name=x"), ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertCode(
                http().anonymous().send("POST", "/api/catalogs", "application/json", "{\"name\": \"x\"}"),
                ErrorCode.UNAUTHORIZED);
        String namespace = "/hatrac/codes-" + UUID.randomUUID();
        assertEquals(
                201,
                http().send("PUT", namespace, "application/x-hatrac-namespace", "")
                        .status());
        assertCode(http().send("PUT", namespace, "application/x-hatrac-namespace", ""), ErrorCode.ALREADY_EXISTS);
        assertEquals(
                201,
                http().send("PUT", namespace + "/object", "application/octet-stream", "bytes")
                        .status());
        assertCode(
                http().send("PUT", namespace + "/object/below", "application/octet-stream", "bytes"),
                ErrorCode.WRONG_KIND);
        assertCode(http().send("DELETE", "/hatrac/", null, null), ErrorCode.SYSTEM_OWNED);
    }

    @Test
    void unknownCatalogIsNotFound() {
        JsonObject problem = assertProblem(http().get("/ermrest/catalog/987654/schema"), 404);
        assertEquals("not-found", problem.getString("code"));
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
