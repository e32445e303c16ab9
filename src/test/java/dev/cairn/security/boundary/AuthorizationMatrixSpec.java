package dev.cairn.security.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.Http;
import dev.cairn.Http.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The authorization matrix: every principal (anonymous, a plain user, a member of a group granted
 * READ, the catalog's owner, an administrator, an expired and a revoked token) times every route of
 * ERMrest, Hatrac, the ML API and the identity API. A principal below a route's level must be
 * refused (401 without valid credentials, 403 with them) and the refusal must leave the catalog,
 * the store and the identities as they were; a principal at or above it must succeed on reads.
 */
public abstract class AuthorizationMatrixSpec extends PrincipalsSpec {

    /** Who may use a route, from least to most. */
    enum Level {
        LOGIN,
        READ,
        WRITE,
        OWNER,
        ADMIN
    }

    record Route(Level level, String method, String path, String contentType, String body) {}

    record Principal(String name, Http http, Level level, boolean valid) {}

    @Test
    void noPrincipalGetsMoreThanItsLevelAndNoRefusalChangesAnything() throws Exception {
        String readers = group();
        Http owner = user();
        Http member = user(readers);
        Http plain = user();
        String catalogName = "matrix-" + UUID.randomUUID().toString().substring(0, 8); // addressed by name below
        Reply made = owner.postJson("/api/catalogs", "{\"name\": \"" + catalogName + "\", \"domainSchema\": \"m\"}");
        assertEquals(201, made.status(), made::toString);
        String id = made.json().getString("id");
        String cat = "/ermrest/catalog/" + id;
        String api = "/api/catalogs/" + id;
        assertEquals(
                201,
                owner.postJson(api + "/grants", "{\"principal\": \"group:" + readers + "\", \"role\": \"READ\"}")
                        .status());
        assertEquals(
                201,
                owner.send(
                                "POST",
                                cat + "/schema/m/table",
                                "application/json",
                                "{\"table_name\": \"Sample\", \"column_definitions\": [{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}]}")
                        .status());
        String row = owner.send("POST", cat + "/entity/m:Sample", "application/json", "[{\"Name\": \"s1\"}]")
                .jsonArray()
                .getJsonObject(0)
                .getString("RID");
        String workflow = owner.postJson(
                        api + "/workflows",
                        "{\"name\": \"w\", \"type\": \"Training\", \"url\": \"u\", \"checksum\": \"c\"}")
                .json()
                .getString("RID");
        String execution = owner.postJson(api + "/executions", "{\"workflow\": \"" + workflow + "\"}")
                .json()
                .getString("RID");
        assertEquals(
                201,
                owner.postJson(api + "/vocabularies", "{\"name\": \"Tissue\"}").status());
        String dataset = owner.postJson(api + "/datasets", "{\"description\": \"d\"}")
                .json()
                .getString("RID");
        assertEquals(
                201,
                owner.postJson(api + "/datasets/element-types", "{\"table\": \"m:Sample\"}")
                        .status());
        assertEquals(
                200,
                owner.postJson(api + "/datasets/" + dataset + "/members", "{\"members\": [\"" + row + "\"]}")
                        .status());
        String aios = "/aios/" + id;
        String asset = owner.postJson(
                        aios + "/asset", "{\"asset_name\": \"m\", \"asset_version\": {\"version\": \"1\"}}")
                .json()
                .getString("asset_id");
        assertEquals(
                200,
                owner.send(
                                "PUT",
                                api + "/registry/names/m/aliases/prod",
                                "application/json",
                                "{\"asset_id\": \"" + asset + "\"}")
                        .status());
        String table = owner.send("POST", api + "/registry/tables?name=t&version=1", "text/csv", "a,b\n1,2\n")
                .json()
                .getString("asset_id");
        String connection = owner.postJson(
                        aios + "/asset",
                        "{\"asset_name\": \"db\", \"asset_version\": {\"version\": \"1\"}, "
                                + "\"asset_kind\": \"Database_Connection\", \"connection_string\": \"postgresql://u:p@h/d\"}")
                .json()
                .getString("asset_id");
        String ns = "/hatrac/matrix-" + UUID.randomUUID();
        assertEquals(
                201,
                http().send("PUT", ns, "application/x-hatrac-namespace", null).status());
        assertEquals(
                204,
                http().send("PUT", ns + ";acl/owner", "application/json", "[\"" + id(owner) + "\"]")
                        .status());
        assertEquals(201, owner.put(ns + "/obj", "bytes".getBytes()).status());
        assertEquals(
                201,
                owner.postJson(
                                api + "/grants",
                                "{\"principal\": \"group:" + readers + "\", \"role\": \"READ\", \"scope\": \"" + ns
                                        + "\"}")
                        .status());

        Http expired = http().as(owner.postJson(
                        "/api/tokens",
                        "{\"name\": \"short\", \"expires\": \"" + Instant.now().plusSeconds(1) + "\"}")
                .json()
                .getString("token"));
        Reply revokedToken = owner.postJson("/api/tokens", "{\"name\": \"revoked\"}");
        Http revoked = http().as(revokedToken.json().getString("token"));
        assertEquals(
                204,
                owner.delete("/api/tokens/" + revokedToken.json().getString("id"))
                        .status());
        Thread.sleep(1500);

        List<Principal> principals = List.of(
                new Principal("anonymous", http().anonymous(), null, false),
                new Principal("expired token", expired, null, false),
                new Principal("revoked token", revoked, null, false),
                new Principal("plain user", plain, Level.LOGIN, true),
                new Principal("group member", member, Level.READ, true),
                new Principal("catalog owner", owner, Level.OWNER, true),
                new Principal("administrator", http(), Level.ADMIN, true));

        String json = "application/json";
        List<Route> routes = List.of(
                // ERMrest reads
                new Route(Level.READ, "GET", cat, null, null),
                new Route(Level.READ, "GET", cat + "/schema", null, null),
                new Route(Level.READ, "GET", cat + "/schema/m/table/Sample", null, null),
                new Route(Level.READ, "GET", cat + "/entity/m:Sample", null, null),
                new Route(Level.READ, "GET", cat + "/attribute/m:Sample/Name", null, null),
                new Route(Level.READ, "GET", cat + "/aggregate/m:Sample/n:=cnt(*)", null, null),
                new Route(Level.READ, "GET", cat + "/attributegroup/m:Sample/Name", null, null),
                new Route(Level.READ, "GET", cat + "/entity_rid/" + row, null, null),
                // the web catalog's pages read through the same checks
                new Route(Level.READ, "GET", "/web/" + id, null, null),
                new Route(Level.READ, "GET", "/web/" + id + "/search?q=s1", null, null),
                new Route(Level.READ, "GET", "/web/" + id + "/table/m:Sample?open=Name", null, null),
                new Route(Level.READ, "GET", "/web/" + id + "/record/m:Sample/" + row, null, null),
                new Route(Level.READ, "GET", "/web/" + id + "/execution/" + execution, null, null),
                new Route(Level.READ, "GET", "/web/" + id + "/lineage/" + execution, null, null),
                // and its forms write through the same rights
                new Route(Level.WRITE, "GET", "/web/" + id + "/create/m:Sample", null, null),
                new Route(Level.WRITE, "GET", "/web/" + id + "/edit/m:Sample?rid=" + row, null, null),
                new Route(Level.WRITE, "GET", "/web/" + id + "/delete/m:Sample/" + row, null, null),
                new Route(
                        Level.WRITE,
                        "POST",
                        "/web/" + id + "/create/m:Sample",
                        "application/x-www-form-urlencoded",
                        "v.0.Name=evil"),
                new Route(
                        Level.WRITE,
                        "POST",
                        "/web/" + id + "/edit/m:Sample",
                        "application/x-www-form-urlencoded",
                        "rid.0=" + row + "&rmt.0=x&v.0.Name=evil"),
                new Route(Level.WRITE, "POST", "/web/" + id + "/delete/m:Sample/" + row, null, null),
                new Route(Level.READ, "GET", api, null, null),
                // ERMrest writes
                new Route(Level.WRITE, "POST", cat + "/entity/m:Sample", json, "[{\"Name\": \"x\"}]"),
                new Route(
                        Level.WRITE,
                        "PUT",
                        cat + "/entity/m:Sample",
                        json,
                        "[{\"RID\": \"" + row + "\", \"Name\": \"y\"}]"),
                new Route(
                        Level.WRITE,
                        "PUT",
                        cat + "/attributegroup/m:Sample/RID;Name",
                        json,
                        "[{\"RID\": \"" + row + "\", \"Name\": \"z\"}]"),
                new Route(Level.WRITE, "DELETE", cat + "/entity/m:Sample/RID=" + row, null, null),
                // ERMrest model and ACLs
                new Route(Level.OWNER, "POST", cat + "/schema/evil", null, null),
                new Route(
                        Level.OWNER,
                        "POST",
                        cat + "/schema/m/table",
                        json,
                        "{\"table_name\": \"Evil\", \"column_definitions\": []}"),
                new Route(
                        Level.OWNER,
                        "POST",
                        cat + "/schema/m/table/Sample/column",
                        json,
                        "{\"name\": \"Evil\", \"type\": {\"typename\": \"text\"}}"),
                new Route(Level.OWNER, "PUT", cat + "/schema/m/table/Sample", json, "{\"comment\": \"evil\"}"),
                new Route(Level.OWNER, "PUT", cat + "/schema/m/table/Sample/annotation/tag:evil", json, "1"),
                new Route(Level.OWNER, "PUT", cat + "/schema/m/table/Sample/comment", "text/plain", "evil"),
                new Route(Level.OWNER, "PUT", cat + "/acl/select", json, "[\"*\"]"),
                new Route(
                        Level.OWNER,
                        "PUT",
                        cat + "/schema/m/table/Sample/acl_binding/evil",
                        json,
                        "{\"types\": [\"select\"], \"projection\": \"Name\"}"),
                new Route(Level.OWNER, "GET", cat + "/acl", null, null),
                new Route(Level.OWNER, "DELETE", cat + "/schema/m/table/Sample/column/Name", null, null),
                new Route(Level.OWNER, "DELETE", cat + "/schema/m/table/Sample", null, null),
                new Route(Level.OWNER, "DELETE", cat + "/schema/public/table/ERMrest_Client", null, null),
                new Route(Level.OWNER, "DELETE", cat, null, null),
                new Route(Level.OWNER, "DELETE", api, null, null),
                new Route(Level.OWNER, "POST", api + "/ml-schema", null, null),
                new Route(Level.OWNER, "GET", api + "/grants", null, null),
                new Route(Level.OWNER, "POST", api + "/grants", json, "{\"principal\": \"*\", \"role\": \"ADMIN\"}"),
                // the ML API
                new Route(Level.READ, "GET", api + "/executions", null, null),
                new Route(Level.READ, "GET", api + "/executions/" + execution, null, null),
                new Route(Level.READ, "GET", api + "/workflows", null, null),
                new Route(Level.READ, "GET", api + "/vocabularies", null, null),
                new Route(Level.READ, "GET", api + "/vocabularies/Tissue/terms", null, null),
                new Route(Level.READ, "GET", api + "/asset-tables", null, null),
                new Route(
                        Level.WRITE,
                        "POST",
                        api + "/workflows",
                        json,
                        "{\"name\": \"evil\", \"type\": \"Training\", \"url\": \"v\", \"checksum\": \"d\"}"),
                new Route(Level.WRITE, "POST", api + "/executions", json, "{\"workflow\": \"" + workflow + "\"}"),
                new Route(
                        Level.WRITE,
                        "POST",
                        api + "/vocabularies/Tissue/terms",
                        json,
                        "{\"name\": \"Evil\", \"description\": \"x\"}"),
                new Route(
                        Level.OWNER,
                        "PUT",
                        api + "/executions/" + execution + "/status",
                        json,
                        "{\"status\": \"Aborted\"}"),
                new Route(Level.OWNER, "POST", api + "/executions/" + execution + "/commit", null, null),
                new Route(Level.OWNER, "POST", api + "/vocabularies", json, "{\"name\": \"Evil\"}"),
                new Route(Level.OWNER, "POST", api + "/asset-tables", json, "{\"name\": \"Evil\"}"),
                // datasets
                new Route(Level.READ, "GET", api + "/datasets", null, null),
                new Route(Level.READ, "GET", api + "/datasets/" + dataset, null, null),
                new Route(Level.READ, "GET", api + "/datasets/element-types", null, null),
                new Route(Level.READ, "GET", api + "/datasets/" + dataset + "/members?table=Sample", null, null),
                new Route(Level.READ, "GET", api + "/datasets/" + dataset + "/versions", null, null),
                new Route(Level.READ, "GET", api + "/datasets/" + dataset + "/diff?from=0.1.0", null, null),
                new Route(Level.READ, "GET", api + "/datasets/" + dataset + "/bag?version=0.1.0", null, null),
                new Route(Level.READ, "GET", "/id/" + id + "/" + dataset, null, null),
                new Route(Level.WRITE, "POST", api + "/datasets", json, "{\"description\": \"evil\"}"),
                new Route(
                        Level.WRITE,
                        "POST",
                        api + "/datasets/" + dataset + "/members",
                        json,
                        "{\"members\": {\"Dataset\": []}}"),
                new Route(Level.WRITE, "DELETE", api + "/datasets/" + dataset + "/members/" + row, null, null),
                new Route(
                        Level.WRITE,
                        "POST",
                        api + "/datasets/" + dataset + "/types",
                        json,
                        "{\"add\": [\"Training\"]}"),
                new Route(Level.WRITE, "POST", api + "/datasets/" + dataset + "/dev", json, "{}"),
                new Route(
                        Level.WRITE, "POST", api + "/datasets/" + dataset + "/release", json, "{\"bump\": \"major\"}"),
                new Route(Level.WRITE, "DELETE", api + "/datasets/" + dataset, null, null),
                new Route(Level.OWNER, "POST", api + "/datasets/element-types", json, "{\"table\": \"m:Sample\"}"),
                // the asset registry (seed 001's Assets DB) and the registry core
                new Route(Level.READ, "GET", aios + "/asset/m:1", null, null),
                new Route(Level.READ, "POST", aios + "/assets", json, "{}"),
                new Route(Level.READ, "GET", api + "/registry/assets/" + asset, null, null),
                new Route(Level.READ, "GET", api + "/registry/names/m/versions", null, null),
                new Route(Level.READ, "GET", api + "/registry/names/m/aliases/prod", null, null),
                new Route(Level.READ, "GET", api + "/registry/assets/" + asset + "/annotations", null, null),
                new Route(Level.READ, "GET", api + "/registry/namespaces", null, null),
                new Route(Level.READ, "GET", api + "/registry/search?q=m", null, null),
                new Route(Level.READ, "GET", api + "/registry/metrics?assets=" + asset, null, null),
                new Route(Level.READ, "GET", api + "/registry/resolve?ref=m", null, null),
                new Route(Level.READ, "GET", api + "/registry/compatibility?model=m&dataset=m", null, null),
                new Route(Level.READ, "GET", api + "/registry/assets/" + table + "/data?format=json", null, null),
                new Route(
                        Level.WRITE,
                        "POST",
                        aios + "/asset",
                        json,
                        "{\"asset_name\": \"evil\", \"asset_version\": {\"version\": \"1\"}}"),
                new Route(
                        Level.WRITE,
                        "POST",
                        aios + "/upload_asset",
                        "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; "
                                + "name=\"asset_metadata\"\r\n\r\n{\"asset_name\": \"evil\", \"asset_version\": {\"version\": \"2\"}}\r\n--b\r\n"
                                + "Content-Disposition: form-data; name=\"asset\"; filename=\"e.txt\"\r\n\r\nevil\r\n--b--\r\n"),
                new Route(Level.WRITE, "PUT", aios + "/asset/m:1", json, "{\"asset_tags\": [\"evil\"]}"),
                new Route(
                        Level.WRITE,
                        "PUT",
                        api + "/registry/names/m/aliases/evil",
                        json,
                        "{\"asset_id\": \"" + asset + "\"}"),
                new Route(
                        Level.WRITE,
                        "POST",
                        api + "/registry/assets/" + asset + "/annotations",
                        json,
                        "{\"note\": \"evil\"}"),
                new Route(Level.WRITE, "DELETE", aios + "/asset/m:1", null, null),
                new Route(Level.WRITE, "POST", api + "/registry/tables?name=evil&version=3", "text/csv", "a\n1\n"),
                new Route(Level.WRITE, "GET", api + "/registry/assets/" + connection + "/connection", null, null),
                new Route(Level.OWNER, "POST", aios + "/register", json, "{}"),
                // wave 3: catalogs by name, asset grants and access_control, tables by name, the Assets DB directory
                new Route(Level.READ, "GET", "/api/catalogs/" + catalogName, null, null),
                new Route(Level.READ, "GET", "/aios/" + catalogName + "/asset/m:1", null, null),
                new Route(Level.READ, "GET", api + "/registry/tables/t?format=json", null, null),
                new Route(
                        Level.OWNER,
                        "POST",
                        api + "/grants",
                        json,
                        "{\"principal\": \"*\", \"role\": \"READ\", \"scope\": \"asset:" + asset + "\"}"),
                new Route(
                        Level.OWNER, "PUT", aios + "/asset/m:1", json, "{\"access_control\": {\"*\": \"READ_WRITE\"}}"),
                new Route(
                        Level.OWNER,
                        "POST",
                        aios + "/asset",
                        json,
                        "{\"asset_name\": \"evil\", \"access_control\": {\"*\": \"READ\"}}"),
                new Route(
                        Level.ADMIN,
                        "POST",
                        "/aios/asset_registry",
                        json,
                        "{\"asset_registry_public_url\": \"http://127.0.0.1:5432\"}"),
                // Hatrac
                new Route(Level.READ, "GET", ns, null, null),
                new Route(Level.READ, "GET", ns + "/obj", null, null),
                new Route(Level.READ, "HEAD", ns + "/obj", null, null),
                new Route(Level.READ, "GET", ns + "/obj;versions", null, null),
                new Route(Level.READ, "GET", ns + "/obj;metadata", null, null),
                new Route(Level.OWNER, "PUT", ns + "/obj", "application/octet-stream", "evil"),
                new Route(Level.OWNER, "PUT", ns + "/evil", "application/x-hatrac-namespace", null),
                new Route(
                        Level.OWNER, "POST", ns + "/big;upload", json, "{\"chunk-length\": 4, \"content-length\": 8}"),
                new Route(Level.OWNER, "GET", ns + "/obj;acl", null, null),
                new Route(Level.OWNER, "PUT", ns + "/obj;acl/read", json, "[\"*\"]"),
                new Route(Level.OWNER, "PUT", ns + ";acl/subtree-owner/evil", null, null),
                new Route(Level.OWNER, "DELETE", ns + "/obj", null, null),
                new Route(Level.OWNER, "DELETE", ns, null, null),
                new Route(
                        Level.ADMIN,
                        "PUT",
                        "/hatrac/evil-" + UUID.randomUUID(),
                        "application/x-hatrac-namespace",
                        null),
                new Route(Level.ADMIN, "DELETE", "/hatrac/", null, null),
                // identity and audit
                new Route(Level.LOGIN, "GET", "/api/tokens", null, null),
                new Route(Level.LOGIN, "GET", "/api/groups", null, null),
                new Route(Level.LOGIN, "POST", "/ermrest/catalog", null, null),
                new Route(Level.ADMIN, "GET", "/api/users", null, null),
                new Route(Level.ADMIN, "GET", "/metrics", null, null),
                new Route(
                        Level.ADMIN,
                        "POST",
                        "/api/users",
                        json,
                        "{\"username\": \"evil-" + UUID.randomUUID().toString().substring(0, 8)
                                + "\", \"password\": \"evil evil evil\", \"groups\": [\"admin\"]}"),
                new Route(Level.ADMIN, "POST", "/api/groups", json, "{\"name\": \"evil\"}"),
                new Route(
                        Level.ADMIN,
                        "PATCH",
                        "/api/users/" + id(plain).substring(5),
                        json,
                        "{\"groups\": [\"admin\"]}"),
                new Route(Level.ADMIN, "GET", "/api/audit", null, null),
                new Route(Level.ADMIN, "GET", "/api/audit/verify", null, null));

        List<String> failures = new ArrayList<>();
        int cells = 0;
        int refusals = 0;
        for (Route route : routes) {
            for (Principal principal : principals) {
                cells++;
                boolean allowed = principal.level() != null && principal.level().compareTo(route.level()) >= 0;
                if (allowed && !route.method().equals("GET") && !route.method().equals("HEAD")) {
                    continue; // writes by principals that may make them would change the fixture: the refusals are the
                    // point
                }
                Map<String, String> before = allowed ? null : state(id, cat, ns);
                Reply reply = principal.http().send(route.method(), route.path(), route.contentType(), route.body());
                if (allowed) {
                    if (reply.status() >= 400) {
                        failures.add(principal.name() + " was refused " + route.method() + " " + route.path() + ": "
                                + reply);
                    }
                    continue;
                }
                refusals++;
                int expected = principal.valid() ? 403 : 401;
                if (reply.status() != expected) {
                    failures.add(principal.name() + " got " + reply.status() + " (not " + expected + ") for "
                            + route.method() + " " + route.path() + ": " + reply.body());
                }
                Map<String, String> after = state(id, cat, ns);
                if (!after.equals(before)) {
                    failures.add(principal.name() + "'s refused " + route.method() + " " + route.path() + " changed "
                            + diff(before, after));
                }
            }
        }
        System.out.println(
                "Authorization matrix: " + routes.size() + " routes x " + principals.size() + " principals = " + cells
                        + " cells, " + refusals + " refusals checked, " + failures.size() + " failures");
        int total = cells;
        assertTrue(
                failures.isEmpty(),
                () -> failures.size() + " of " + total + " cells went wrong:\n" + String.join("\n", failures));
    }

    /** What a refused request must not change, read as the administrator. */
    private Map<String, String> state(String id, String cat, String ns) {
        Map<String, String> state = new LinkedHashMap<>();
        for (String path : List.of(
                cat,
                cat + "/acl",
                cat + "/schema/m/table/Sample/acl_binding",
                cat + "/schema/deriva-ml/table/Registered_Asset/acl_binding",
                ns,
                ns + "/obj;versions",
                ns + "/obj;acl",
                ns + ";acl",
                "/hatrac/",
                "/api/users",
                "/api/groups",
                "/api/catalogs",
                ns + "/big;upload",
                "/api/catalogs/" + id + "/executions",
                "/api/catalogs/" + id + "/datasets",
                "/api/catalogs/" + id + "/datasets/element-types",
                "/aios/" + id + "/asset/m:1",
                "/aios/" + id + "/asset/evil:1",
                "/aios/" + id + "/asset/evil:2",
                "/api/catalogs/" + id + "/registry/names/m/aliases",
                "/api/catalogs/" + id + "/registry/names/evil/versions")) {
            Reply reply = http().get(path);
            // a problem document carries a fresh instance id: its status is what must not change
            state.put(path, reply.status() + (reply.status() < 300 ? " " + reply.body() : ""));
        }
        return state;
    }

    private static String diff(Map<String, String> before, Map<String, String> after) {
        return before.keySet().stream()
                .filter(k -> !before.get(k).equals(after.get(k)))
                .toList()
                .toString();
    }
}
