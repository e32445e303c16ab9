package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Route templates, the API a path belongs to, and the request log's record. */
class RoutesTest {

    @Test
    void templatesDropRegularExpressionsAndJoinCleanly() {
        assertEquals(
                "/web/{cid}/record/{table}/{rid}", Routes.join("/web/{cid: [0-9]{1,18}}/record/{table}/{rid}", ""));
        assertEquals(
                "/api/catalogs/{cid}/datasets/{rid}/members",
                Routes.join("/api/catalogs/{cid}/datasets", "{rid: [0-9A-Z-]+}/members"));
        assertEquals("/api/catalogs", Routes.join("/api/catalogs/", ""));
        assertEquals("/", Routes.join("/", ""));
        assertEquals("/aios/{cid}/asset/{uri}", Routes.join("/aios/{cid: [0-9]+}", "asset/{uri: .+}"));
        assertEquals("/x/{a}{b}", Routes.join("x/{a: (p|q){2}}{b: (/.*)?}", ""));
    }

    @Test
    void everyPathBelongsToOneApi() {
        assertEquals("ermrest", RequestLog.api("/ermrest/catalog/1/entity/a:b"));
        assertEquals("hatrac", RequestLog.api("/hatrac"));
        assertEquals("hatrac", RequestLog.api("/hatrac;acl"));
        assertEquals("web", RequestLog.api("/"));
        assertEquals("web", RequestLog.api("/api-docs/ui/swagger-ui.css"));
        assertEquals("api", RequestLog.api("/api/catalogs"));
        assertEquals("other", RequestLog.api("/wp-login.php"));
        assertEquals("PATCH", RequestLog.method("PATCH"));
        assertEquals("OTHER", RequestLog.method("X" + System.nanoTime()));
    }

    @Test
    void theLogRecordIsOneLineWithItsFieldsAndNoBraces() {
        String unmatched = RequestLog.unmatched("/a b\n{0}\u0007" + "x".repeat(300));
        assertFalse(unmatched.contains("\n") || unmatched.contains("{") || unmatched.contains(" "), unmatched);
        assertTrue(unmatched.length() <= 203, unmatched);
        LogRecord record =
                RequestLog.record("GET", "/api/catalogs/{cid}", 404, 12_345_678, "user:a", "127.0.0.1", "urn:uuid:x");
        assertEquals(
                "GET /api/catalogs/{cid} 404 12.3ms client=user:a address=127.0.0.1 id=urn:uuid:x",
                record.getMessage());
        assertEquals(
                "{method=GET, route=/api/catalogs/{cid}, status=404, ms=12.3, client=user:a, address=127.0.0.1, id=urn:uuid:x}",
                record.getParameters()[0].toString());
    }
}
