package dev.cairn.security.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.Http;
import dev.cairn.Http.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Identity, ERMrest's and Hatrac's access control and the audit log over HTTP: who may see and
 * change what, and that a refused request changes nothing.
 */
public abstract class AccessControlSpec extends PrincipalsSpec {

    // ---- identity

    @Test
    void sessionsDescribeTheClientAndEnd() {
        String group = group();
        Http alice = user(group);
        String name = id(alice).substring("user:".length());
        String cookie = login(name);
        Reply session = withCookie("GET", "/authn/session", cookie, null, null);
        assertEquals(200, session.status(), session::toString);
        JsonObject doc = session.json();
        assertEquals("user:" + name, doc.getJsonObject("client").getString("id"));
        assertEquals("User " + name, doc.getJsonObject("client").getString("display_name"));
        assertTrue(doc.getJsonArray("attributes").stream()
                .anyMatch(a -> a.asJsonObject().getString("id").equals("group:" + group)));
        assertTrue(doc.getJsonNumber("seconds_remaining").longValue() > 3600);
        assertEquals(
                200, withCookie("PUT", "/authn/session", cookie, null, null).status());
        assertEquals(
                204, withCookie("DELETE", "/authn/session", cookie, null, null).status());
        assertEquals(
                404, withCookie("GET", "/authn/session", cookie, null, null).status(), "logged out");
        assertEquals(404, http().anonymous().get("/authn/session").status());
    }

    @Test
    void wrongPasswordsAreRefusedAndThrottled() {
        Http alice = user();
        String name = id(alice).substring("user:".length());
        int last = 0;
        for (int i = 0; i < 7; i++) {
            last = http().anonymous()
                    .send(http().anonymous()
                            .request("/authn/session")
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("username=" + name + "&password=wrong" + i)))
                    .status();
            if (i < 5) {
                assertEquals(401, last);
            }
        }
        assertEquals(429, last, "after five failures the user is throttled");
    }

    @Test
    void tokensAreListedWithoutSecretsAndRevokedAtOnce() {
        Http alice = user();
        Reply list = alice.get("/api/tokens");
        assertEquals(200, list.status());
        assertEquals(1, list.jsonArray().size());
        JsonObject listed = list.jsonArray().getJsonObject(0);
        assertTrue(!listed.containsKey("token") || listed.isNull("token"), "a secret is shown only once");
        assertNotNull(listed.getString("last_used"));
        Reply made = alice.postJson(
                "/api/tokens", "{\"name\":\"ci\",\"expires\":\"" + Instant.now().plusSeconds(3600) + "\"}");
        assertEquals(201, made.status(), made::toString);
        String secret = made.json().getString("token");
        assertTrue(secret.startsWith("cairn_") && secret.length() >= 43 + 6, secret);
        Http ci = http().as(secret);
        assertEquals(200, ci.get("/api/tokens").status());
        assertEquals(
                204, alice.delete("/api/tokens/" + made.json().getString("id")).status());
        Reply revoked = ci.get("/api/tokens");
        assertEquals(401, revoked.status(), "revoked with immediate effect");
        assertEquals("application/problem+json", revoked.contentType());
        assertEquals(401, http().as("cairn_not-a-token").get("/api/catalogs").status());
        assertEquals(
                401,
                http().anonymous()
                        .send(http().anonymous().request("/api/catalogs").header("Authorization", "Basic YWxpY2U6cHc="))
                        .status());
        assertEquals(
                400,
                alice.postJson("/api/tokens", "{\"name\":\"x\",\"expires\":\"2000-01-01T00:00:00Z\"}")
                        .status());
        assertEquals(
                400,
                alice.postJson("/api/tokens", "{\"name\":\"x\",\"scope\":{}}").status(),
                "unknown field");
    }

    @Test
    void expiredTokensAreRefused() throws InterruptedException {
        Http alice = user();
        Reply made = alice.postJson(
                "/api/tokens",
                "{\"name\":\"short\",\"expires\":\"" + Instant.now().plusSeconds(2) + "\"}");
        assertEquals(201, made.status(), made::toString);
        Http shortLived = http().as(made.json().getString("token"));
        assertEquals(200, shortLived.get("/api/tokens").status());
        Thread.sleep(2500);
        assertEquals(401, shortLived.get("/api/tokens").status());
    }

    @Test
    void administrationIsForAdministrators() {
        Http alice = user();
        assertEquals(403, alice.get("/api/users").status());
        assertEquals(403, alice.postJson("/api/groups", "{\"name\":\"mine\"}").status());
        assertEquals(403, alice.get("/api/audit").status());
        assertEquals(401, http().anonymous().get("/api/users").status());
        assertEquals(401, http().anonymous().get("/api/audit/verify").status());
        String name = id(alice).substring("user:".length());
        assertEquals(200, alice.get("/api/users/" + name).status(), "a user reads itself");
        assertEquals(403, alice.get("/api/users/admin").status());
        assertEquals(
                403,
                alice.send("PATCH", "/api/users/" + name, "application/json", "{\"groups\":[\"admin\"]}")
                        .status(),
                "nobody makes itself an administrator");
        Reply disabled = http().send("PATCH", "/api/users/" + name, "application/json", "{\"disabled\":true}");
        assertEquals(200, disabled.status(), disabled::toString);
        assertEquals(401, alice.get("/api/tokens").status(), "a disabled user's tokens stop working");
        assertFalse(http().get("/api/users").body().contains("password_hash"));
    }

    /** Nobody can leave the system without an administrator; names are one namespace whatever their case. */
    @Test
    void theLastAdministratorStays() {
        Http carol = user("admin");
        String name = id(carol).substring("user:".length());
        assertEquals(200, carol.get("/api/users").status(), "a second administrator");
        Reply demoted = http().send("PATCH", "/api/users/" + name, "application/json", "{\"groups\": []}");
        assertEquals(200, demoted.status(), demoted::toString);
        assertEquals(403, carol.get("/api/users").status());
        // administrators other specs (or an earlier run on this data folder) made step down first
        for (JsonValue user : http().get("/api/users").jsonArray()) {
            JsonObject u = user.asJsonObject();
            if (!u.getString("username").equals("admin")
                    && u.getJsonArray("groups").toString().contains("\"admin\"")) {
                assertEquals(
                        200,
                        http().send(
                                        "PATCH",
                                        "/api/users/" + u.getString("username"),
                                        "application/json",
                                        "{\"groups\": []}")
                                .status());
            }
        }
        for (String change : List.of("{\"groups\": []}", "{\"groups\": [\"" + group() + "\"]}")) {
            Reply last = http().send("PATCH", "/api/users/admin", "application/json", change);
            assertEquals(409, last.status(), last::toString);
            assertTrue(last.body().contains("administrator"), last::toString);
        }
        assertEquals(200, http().get("/api/users").status(), "still an administrator");
        assertEquals(
                409,
                http().postJson(
                                "/api/users",
                                "{\"username\": \"" + name.toUpperCase(Locale.ROOT)
                                        + "\", \"password\": \"a long passphrase\"}")
                        .status(),
                "user names are unique whatever their case");
        assertEquals(
                400,
                http().postJson("/api/users", "{\"username\": \"nopassword\"}").status(),
                "a new user needs a password");
        assertEquals(
                400,
                http().postJson("/api/tokens", "{\"name\": \"t\", \"scopes\": {\"catalogs\": [987654]}}")
                        .status(),
                "a token is scoped to catalogs that exist");
    }

    // ---- ERMrest

    @Test
    void aCatalogIsItsCreatorsUntilGranted() {
        Http alice = user();
        Http bob = user();
        assertEquals(
                401,
                http().anonymous().send("POST", "/ermrest/catalog", null, null).status());
        Reply created = alice.send("POST", "/ermrest/catalog", null, null);
        assertEquals(201, created.status(), created::toString);
        String cat = "/ermrest/catalog/" + created.json().getString("id");
        JsonObject doc = alice.get(cat).json();
        assertEquals(
                List.of(id(alice)),
                doc.getJsonObject("acls").getJsonArray("owner").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString)
                        .toList());
        assertTrue(doc.getJsonObject("rights").getBoolean("owner"));
        assertEquals(403, bob.get(cat).status());
        assertEquals(401, http().anonymous().get(cat + "/schema").status());
        assertEquals(403, bob.get(cat + "/entity/public:ERMrest_Client").status());
        assertEquals(403, bob.delete(cat).status());
        assertFalse(bob.get("/api/catalogs")
                .body()
                .contains("\"id\":" + created.json().getString("id") + ","));

        // one call makes it readable by everyone
        assertEquals(
                204,
                alice.send("PUT", cat + "/acl/select", "application/json", "[\"*\"]")
                        .status());
        assertEquals(200, http().anonymous().get(cat + "/schema").status());
        assertEquals(
                200,
                http().anonymous().get(cat + "/entity/public:ERMrest_Client").status());
        JsonObject seen = bob.get(cat).json();
        assertTrue(seen.getJsonObject("acls").isEmpty(), "ACLs show to owners only");
        assertFalse(seen.getJsonObject("rights").getBoolean("insert"));
        assertEquals(
                403,
                bob.send("POST", cat + "/entity/public:ERMrest_Client", "application/json", "[{\"ID\":\"x\"}]")
                        .status());
        assertEquals(403, bob.send("POST", cat + "/schema/evil", null, null).status());
        assertEquals(
                403, bob.delete(cat + "/schema/public/table/ERMrest_Client").status());
        assertEquals(
                200,
                alice.get(cat + "/schema/public/table/ERMrest_Client").status(),
                "the refused drop changed nothing");
        assertEquals(
                409,
                alice.send("PUT", cat + "/acl/owner", "application/json", "[\"" + id(bob) + "\"]")
                        .status(),
                "an owner cannot give the catalog away from under itself");
        assertEquals(
                204,
                alice.send("PUT", cat + "/acl/owner", "application/json", "[\"" + id(alice) + "\",\"" + id(bob) + "\"]")
                        .status());
        assertEquals(204, bob.delete(cat).status(), "a co-owner may delete it");

        // ERMrest's owner field: a catalog made for a group the creator belongs to
        String team = group();
        Http carol = user(team);
        assertEquals(
                400,
                carol.postJson("/ermrest/catalog", "{\"owner\": [\"" + id(bob) + "\"]}")
                        .status(),
                "not without yourself");
        Reply shared = carol.postJson("/ermrest/catalog", "{\"owner\": [\"group:" + team + "\"]}");
        assertEquals(201, shared.status(), shared::toString);
        assertTrue(carol.get("/ermrest/catalog/" + shared.json().getString("id"))
                .json()
                .getJsonObject("rights")
                .getBoolean("owner"));
    }

    @Test
    void tableAndColumnAclsGovernReadsAndWrites() {
        String curators = group();
        Http alice = user();
        Http curator = user(curators);
        Http outsider = user();
        String cat = "/ermrest/catalog/"
                + alice.send("POST", "/ermrest/catalog", null, null).json().getString("id");
        assertEquals(
                204,
                alice.send("PUT", cat + "/acl/enumerate", "application/json", "[\"*\"]")
                        .status());
        Reply table = alice.send(
                "POST", cat + "/schema/public/table", "application/json", """
                {"table_name": "Specimen", "column_definitions": [
                   {"name": "Label", "type": {"typename": "text"}},
                   {"name": "Donor", "type": {"typename": "text"}, "acls": {"select": ["%s"]}}],
                 "acls": {"select": ["group:%s"], "insert": ["group:%s"]}}""".formatted(id(alice), curators, curators));
        assertEquals(201, table.status(), table::toString);
        assertEquals(
                200,
                alice.send(
                                "POST",
                                cat + "/entity/public:Specimen",
                                "application/json",
                                "[{\"Label\":\"a\",\"Donor\":\"d1\"},{\"Label\":\"b\",\"Donor\":\"d2\"}]")
                        .status());

        Reply rows = curator.get(cat + "/entity/public:Specimen");
        assertEquals(200, rows.status(), rows::toString);
        assertEquals(2, rows.jsonArray().size());
        assertFalse(rows.jsonArray().getJsonObject(0).containsKey("Donor"), "a column it may not select is left out");
        assertEquals(403, curator.get(cat + "/attribute/public:Specimen/Donor").status());
        assertEquals(403, curator.get(cat + "/entity/public:Specimen/Donor=d1").status(), "nor filtered on");
        assertEquals(
                200, curator.get(cat + "/aggregate/public:Specimen/n:=cnt(*)").status());
        Reply inserted =
                curator.send("POST", cat + "/entity/public:Specimen", "application/json", "[{\"Label\":\"c\"}]");
        assertEquals(200, inserted.status(), inserted::toString);
        assertFalse(inserted.jsonArray().getJsonObject(0).containsKey("Donor"), "nor returned by a write");
        assertEquals(
                403,
                curator.send("PUT", cat + "/entity/public:Specimen", "application/json", "[{\"Label\":\"c\"}]")
                        .status(),
                "insert is not update");
        assertEquals(
                403, curator.delete(cat + "/entity/public:Specimen/Label=c").status());
        assertEquals(
                204,
                alice.send(
                                "PUT",
                                cat + "/schema/public/table/Specimen/column/Donor/acl/insert",
                                "application/json",
                                "[\"" + id(alice) + "\"]")
                        .status());
        assertEquals(
                403,
                curator.send(
                                "POST",
                                cat + "/entity/public:Specimen",
                                "application/json",
                                "[{\"Label\":\"e\",\"Donor\":\"d9\"}]")
                        .status(),
                "a column's own insert ACL counts");
        assertEquals(
                200,
                curator.send("POST", cat + "/entity/public:Specimen", "application/json", "[{\"Label\":\"e\"}]")
                        .status());
        // a foreign key's own insert ACL decides who may set the column that refers
        assertEquals(
                201,
                alice.send("POST", cat + "/schema/public/table", "application/json", """
                {"table_name": "Site", "column_definitions": [{"name": "Name", "type": {"typename": "text"}}],
                 "keys": [{"unique_columns": ["Name"]}], "acls": {"select": ["*"]}}""")
                        .status());
        assertEquals(
                200,
                alice.send("POST", cat + "/entity/public:Site", "application/json", "[{\"Name\":\"s1\"}]")
                        .status());
        assertEquals(
                201,
                alice.send(
                                "POST",
                                cat + "/schema/public/table/Specimen/column",
                                "application/json",
                                "{\"name\": \"Site\", \"type\": {\"typename\": \"text\"}}")
                        .status());
        Reply fk = alice.send("POST", cat + "/schema/public/table/Specimen/foreignkey", "application/json", """
                {"names": [["public", "Specimen_Site_fkey"]], "foreign_key_columns": [{"column_name": "Site"}],
                 "referenced_columns": [{"schema_name": "public", "table_name": "Site", "column_name": "Name"}],
                 "acls": {"insert": []}}""");
        assertEquals(201, fk.status(), fk::toString);
        assertEquals(
                403,
                curator.send(
                                "POST",
                                cat + "/entity/public:Specimen",
                                "application/json",
                                "[{\"Label\":\"f\",\"Site\":\"s1\"}]")
                        .status());

        assertEquals(403, outsider.get(cat + "/entity/public:Specimen").status());
        assertEquals(
                403, outsider.get(cat + "/aggregate/public:Specimen/n:=cnt(*)").status(), "counts do not leak");
        JsonObject model = outsider.get(cat + "/schema").json();
        assertFalse(model.getJsonObject("schemas")
                .getJsonObject("public")
                .getJsonObject("tables")
                .getJsonObject("Specimen")
                .getJsonObject("rights")
                .getBoolean("select"));
        assertEquals(
                4, alice.get(cat + "/entity/public:Specimen").jsonArray().size(), "the refused writes changed nothing");

        // a read-only token of the curator reads but does not write
        String readOnly = curator.postJson("/api/tokens", "{\"name\":\"ro\",\"scopes\":{\"read_only\":true}}")
                .json()
                .getString("token");
        Http ro = http().as(readOnly);
        assertEquals(200, ro.get(cat + "/entity/public:Specimen").status());
        assertEquals(
                403,
                ro.send("POST", cat + "/entity/public:Specimen", "application/json", "[{\"Label\":\"d\"}]")
                        .status());
        // a token scoped to another catalog does not reach this one
        String elsewhere = createCatalog("{\"name\": \"elsewhere\"}").getString("id");
        String scoped = curator.postJson(
                        "/api/tokens", "{\"name\":\"elsewhere\",\"scopes\":{\"catalogs\":[" + elsewhere + "]}}")
                .json()
                .getString("token");
        assertEquals(403, http().as(scoped).get(cat + "/entity/public:Specimen").status());
    }

    @Test
    void aclBindingsGrantRowsOnReadsCountsUpdatesAndDeletes() {
        String team = group();
        String project = group();
        Http alice = user();
        Http bob = user(team);
        Http carol = user(team);
        Http dave = user(project);
        String cat = "/ermrest/catalog/"
                + alice.send("POST", "/ermrest/catalog", null, null).json().getString("id");
        assertEquals(
                204,
                alice.send("PUT", cat + "/acl/enumerate", "application/json", "[\"*\"]")
                        .status());
        assertEquals(201, alice.send("POST", cat + "/schema/lab", null, null).status());
        assertEquals(
                201,
                alice.send("POST", cat + "/schema/lab/table", "application/json", """
                {"table_name": "Project", "column_definitions": [{"name": "Name", "type": {"typename": "text"}},
                   {"name": "Members", "type": {"typename": "text[]"}}],
                 "acls": {"select": ["*"]}}""")
                        .status());
        Reply table = alice.send("POST", cat + "/schema/lab/table", "application/json", """
                {"table_name": "Note", "column_definitions": [{"name": "Body", "type": {"typename": "text"}},
                   {"name": "Readers", "type": {"typename": "text[]"}}, {"name": "Project", "type": {"typename": "text"}}],
                 "foreign_keys": [{"names": [["lab", "Note_Project_fkey"]], "foreign_key_columns": [{"column_name": "Project"}],
                   "referenced_columns": [{"schema_name": "lab", "table_name": "Project", "column_name": "RID"}]}],
                 "acls": {"insert": ["group:%s", "group:%s"]},
                 "acl_bindings": {
                   "mine": {"types": ["select", "update", "delete"], "projection": "RCB", "projection_type": "acl"},
                   "readers": {"types": ["select"], "projection": "Readers"},
                   "project": {"types": ["select"], "projection": [{"outbound": ["lab", "Note_Project_fkey"]}, "Members"]}}}
                """.formatted(team, project));
        assertEquals(201, table.status(), table::toString);
        String projectRid = alice.send(
                        "POST",
                        cat + "/entity/lab:Project",
                        "application/json",
                        "[{\"Name\":\"P\",\"Members\":[\"group:" + project + "\"]}]")
                .jsonArray()
                .getJsonObject(0)
                .getString("RID");
        assertEquals(
                200,
                bob.send(
                                "POST",
                                cat + "/entity/lab:Note",
                                "application/json",
                                "[{\"Body\":\"bob 1\"},{\"Body\":\"bob 2\"}]")
                        .status());
        Reply carols = carol.send(
                "POST",
                cat + "/entity/lab:Note",
                "application/json",
                "[{\"Body\":\"for bob\",\"Readers\":[\"" + id(bob) + "\"]},{\"Body\":\"project\",\"Project\":\""
                        + projectRid + "\"}]");
        assertEquals(200, carols.status(), carols::toString);
        String forBob = carols.jsonArray().getJsonObject(0).getString("RID");

        assertEquals(3, bob.get(cat + "/entity/lab:Note").jsonArray().size(), "his two and the one naming him");
        assertEquals(
                3,
                bob.get(cat + "/aggregate/lab:Note/n:=cnt(*)")
                        .jsonArray()
                        .getJsonObject(0)
                        .getInt("n"),
                "counts see only visible rows");
        assertEquals(
                0, bob.get(cat + "/entity/lab:Note/Body=project").jsonArray().size());
        assertEquals(1, dave.get(cat + "/entity/lab:Note").jsonArray().size(), "through the project's members");
        assertEquals(4, alice.get(cat + "/entity/lab:Note").jsonArray().size(), "the owner sees all");
        assertEquals(
                0,
                http().anonymous().get(cat + "/entity/lab:Note").jsonArray().size(),
                "the bindings' scope is everyone, but no row names anonymous clients yet");
        JsonObject rights = bob.get(cat + "/schema/lab/table/Note").json().getJsonObject("rights");
        assertTrue(rights.isNull("select") && rights.isNull("update") && rights.getBoolean("insert"), rights::toString);

        for (JsonObject note : bob.get(cat + "/attribute/lab:Note/RID,Body,r:=trs(RID),c:=tcrs(RID)")
                .jsonArray()
                .getValuesAs(JsonObject.class)) {
            boolean his = note.getString("Body").startsWith("bob");
            assertEquals(his, note.getJsonObject("r").getBoolean("update"), note::toString);
            assertEquals(his, note.getJsonObject("r").getBoolean("delete"), note::toString);
            assertEquals(
                    his,
                    note.getJsonObject("c")
                            .getJsonObject("column_rights")
                            .getJsonObject("Body")
                            .getBoolean("update"));
        }
        assertEquals(400, bob.get(cat + "/attribute/lab:Note/r:=trs(Body)").status());

        Reply steal = bob.send(
                "PUT",
                cat + "/attributegroup/lab:Note/RID;Body",
                "application/json",
                "[{\"RID\":\"" + forBob + "\",\"Body\":\"mine now\"}]");
        assertEquals(403, steal.status(), steal::toString);
        assertEquals(403, bob.delete(cat + "/entity/lab:Note/RID=" + forBob).status());
        assertEquals(
                "for bob",
                alice.get(cat + "/entity/lab:Note/RID=" + forBob)
                        .jsonArray()
                        .getJsonObject(0)
                        .getString("Body"),
                "refused writes changed nothing");
        assertEquals(
                200,
                bob.send(
                                "PUT",
                                cat + "/attributegroup/lab:Note/Body;Readers",
                                "application/json",
                                "[{\"Body\":\"bob 1\",\"Readers\":[\"*\"]}]")
                        .status());
        assertEquals(
                204,
                bob.delete(cat + "/entity/lab:Note/Body=bob 2".replace(" ", "%20"))
                        .status());
        assertEquals(3, alice.get(cat + "/entity/lab:Note").jsonArray().size());
        assertEquals(
                3,
                carol.get(cat + "/entity/lab:Note").jsonArray().size(),
                "her two and bob's, which now names everyone");
        assertEquals(2, dave.get(cat + "/entity/lab:Note").jsonArray().size());
        assertEquals(
                1, http().anonymous().get(cat + "/entity/lab:Note").jsonArray().size(), "a row naming * is everyone's");
    }

    @Test
    void grantsAreAViewOverTheAclsAndExpire() throws InterruptedException {
        String readers = group();
        Http alice = user();
        Http bob = user(readers);
        String id = alice.send("POST", "/ermrest/catalog", null, null).json().getString("id");
        String cat = "/ermrest/catalog/" + id;
        String grants = "/api/catalogs/" + id + "/grants";
        assertEquals(
                403,
                bob.postJson(grants, "{\"principal\":\"" + id(bob) + "\",\"role\":\"ADMIN\"}")
                        .status());
        assertEquals(
                400,
                alice.postJson(grants, "{\"principal\":\"group:" + readers + "\",\"role\":\"OWNER\"}")
                        .status());
        Reply granted = alice.postJson(grants, "{\"principal\":\"group:" + readers + "\",\"role\":\"READ\"}");
        assertEquals(201, granted.status(), granted::toString);
        assertEquals(200, bob.get(cat + "/entity/public:ERMrest_Client").status());
        assertEquals(
                403,
                bob.send(
                                "POST",
                                cat + "/entity/public:ERMrest_Client",
                                "application/json",
                                "[{\"ID\":\"x\",\"Client_Object\":{}}]")
                        .status());
        assertTrue(
                alice.get(cat + "/acl").json().getJsonArray("select").toString().contains("group:" + readers),
                "the grant is an ACL entry");
        JsonObject listed = alice.get(grants).jsonArray().stream()
                .map(v -> v.asJsonObject())
                .filter(g -> g.getString("principal").equals("group:" + readers))
                .findFirst()
                .orElseThrow();
        assertEquals("READ", listed.getString("role"));
        assertEquals("catalog", listed.getString("scope"));
        assertEquals(403, bob.get(grants).status());

        // an ACL set directly shows as a grant too, and is revoked the same way
        assertEquals(
                204,
                alice.send("PUT", cat + "/acl/write", "application/json", "[\"group:" + readers + "\"]")
                        .status());
        assertEquals(
                "READ_WRITE",
                alice.get(grants).jsonArray().stream()
                        .map(v -> v.asJsonObject())
                        .filter(g -> g.getString("principal").equals("group:" + readers))
                        .findFirst()
                        .orElseThrow()
                        .getString("role"));
        assertEquals(204, alice.delete(grants + "/" + listed.getString("id")).status());
        assertEquals(403, bob.get(cat + "/entity/public:ERMrest_Client").status(), "revoked at once");
        assertEquals(404, alice.delete(grants + "/" + listed.getString("id")).status());

        // a namespace grant, with an expiry
        String ns = "/hatrac/" + id;
        assertEquals(
                201,
                http().send("PUT", ns, "application/x-hatrac-namespace", null).status());
        assertEquals(
                204,
                http().send("PUT", ns + ";acl/owner", "application/json", "[\"" + id(alice) + "\"]")
                        .status());
        assertEquals(201, alice.put(ns + "/model.pt", "weights".getBytes()).status());
        assertEquals(403, bob.get(ns + "/model.pt").status());
        Reply temporary = alice.postJson(
                grants,
                "{\"principal\":\"" + id(bob) + "\",\"role\":\"READ\",\"scope\":\"" + ns + "\",\"expires\":\""
                        + Instant.now().plusSeconds(2) + "\"}");
        assertEquals(201, temporary.status(), temporary::toString);
        assertEquals("weights", bob.get(ns + "/model.pt").body());
        assertTrue(alice.get(grants).body().contains(ns), "namespace grants are listed with the catalog's");
        long deadline = System.currentTimeMillis() + 45_000;
        while (bob.get(ns + "/model.pt").status() == 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(1000);
        }
        assertEquals(403, bob.get(ns + "/model.pt").status(), "an expired grant is taken back");
    }

    // ---- Hatrac

    @Test
    void namespacesBelongToTheirCreatorsAndGrantsOpenThem() {
        Http alice = user();
        Http bob = user();
        String ns = "/hatrac/acl-" + UUID.randomUUID();
        assertEquals(
                201,
                http().send("PUT", ns, "application/x-hatrac-namespace", null).status());
        assertEquals(
                403,
                alice.send("PUT", ns + "/a", "application/x-hatrac-namespace", null)
                        .status());
        assertEquals(
                204,
                http().send(
                                "PUT",
                                ns + ";acl/create/" + URLEncoder.encode(id(alice), StandardCharsets.UTF_8),
                                null,
                                null)
                        .status());
        assertEquals(
                201,
                alice.send("PUT", ns + "/a", "application/x-hatrac-namespace", null)
                        .status());
        assertEquals(201, alice.put(ns + "/a/obj", "secret".getBytes()).status());
        JsonObject acls = alice.get(ns + "/a/obj;acl").json();
        assertEquals(
                List.of(id(alice)),
                acls.getJsonArray("owner").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString)
                        .toList());
        assertTrue(acls.getJsonArray("read").isEmpty());

        assertEquals(403, bob.get(ns + "/a/obj").status());
        assertEquals(401, http().anonymous().get(ns + "/a/obj").status());
        assertEquals(403, bob.put(ns + "/a/obj", "overwrite".getBytes()).status());
        assertEquals(403, bob.delete(ns + "/a/obj").status());
        assertEquals(
                403,
                bob.send("PUT", ns + "/a/obj;acl/read", "application/json", "[\"*\"]")
                        .status());
        assertEquals("secret", alice.get(ns + "/a/obj").body(), "the refused writes changed nothing");

        assertEquals(
                204,
                alice.send("PUT", ns + "/a;acl/subtree-read", "application/json", "[\"" + id(bob) + "\"]")
                        .status());
        assertEquals("secret", bob.get(ns + "/a/obj").body());
        assertEquals(403, bob.put(ns + "/a/obj", "overwrite".getBytes()).status(), "read is not update");
        assertEquals(
                204,
                alice.send(
                                "PUT",
                                ns + "/a/obj;acl/update/" + URLEncoder.encode(id(bob), StandardCharsets.UTF_8),
                                null,
                                null)
                        .status());
        assertEquals(
                200,
                alice.get(ns + "/a/obj;acl/update/" + URLEncoder.encode(id(bob), StandardCharsets.UTF_8))
                        .status());
        assertEquals(201, bob.put(ns + "/a/obj", "new version".getBytes()).status());
        assertEquals(
                204,
                alice.delete(ns + "/a/obj;acl/update/" + URLEncoder.encode(id(bob), StandardCharsets.UTF_8))
                        .status());
        assertEquals(
                404,
                alice.get(ns + "/a/obj;acl/update/" + URLEncoder.encode(id(bob), StandardCharsets.UTF_8))
                        .status());
        assertEquals(403, bob.put(ns + "/a/obj", "again".getBytes()).status());
        assertEquals(204, alice.delete(ns + "/a").status());
    }

    @Test
    void anAssetsFileIsReadableWithItsRowAndKeptWhileTheRowIsThere() {
        String readers = group();
        Http alice = user();
        Http reader = user(readers);
        Http outsider = user();
        String id = alice.postJson("/api/catalogs", "{\"name\": \"files\", \"domainSchema\": \"d\"}")
                .json()
                .getString("id");
        String api = "/api/catalogs/" + id;
        assertEquals(
                201,
                alice.postJson(api + "/asset-tables", "{\"name\": \"Scan\"}").status());
        String workflow = alice.postJson(
                        api + "/workflows",
                        "{\"name\": \"w\", \"type\": \"Training\", \"url\": \"u\", \"checksum\": \"c\"}")
                .json()
                .getString("RID");
        String execution = alice.postJson(api + "/executions", "{\"workflow\": \"" + workflow + "\"}")
                .json()
                .getString("RID");
        assertEquals(
                200,
                alice.send(
                                "PUT",
                                api + "/executions/" + execution + "/status",
                                "application/json",
                                "{\"status\": \"Running\"}")
                        .status());
        assertEquals(
                403,
                outsider.put(api + "/executions/" + execution + "/outputs/Scan/s.bin", "x".getBytes())
                        .status(),
                "only its creator or an owner changes an execution");
        assertEquals(
                201,
                alice.put(api + "/executions/" + execution + "/outputs/Scan/s.bin", "scan bytes".getBytes())
                        .status());
        assertEquals(
                200,
                alice.send(
                                "PUT",
                                api + "/executions/" + execution + "/status",
                                "application/json",
                                "{\"status\": \"Stopped\"}")
                        .status());
        Reply committed = alice.postJson(api + "/executions/" + execution + "/commit", "");
        assertEquals(200, committed.status(), committed::toString);
        JsonObject scan = alice.get("/ermrest/catalog/" + id + "/entity/d:Scan")
                .jsonArray()
                .getJsonObject(0);
        String url = scan.getString("URL");
        String object = url.substring(0, url.lastIndexOf(':'));

        assertEquals(403, reader.get(url).status());
        assertEquals(
                201,
                alice.postJson(api + "/grants", "{\"principal\": \"group:" + readers + "\", \"role\": \"READ\"}")
                        .status());
        assertEquals("scan bytes", reader.get(url).body(), "whoever may select the row may read its file");
        assertEquals("scan bytes", reader.get(object).body());
        assertEquals(403, outsider.get(url).status());
        assertEquals(403, reader.delete(url).status());

        Reply kept = http().delete(url);
        assertEquals(409, kept.status(), "even an administrator cannot pull a file from under its row: " + kept);
        assertTrue(kept.body().contains(scan.getString("RID")), kept::body);
        assertEquals(409, http().delete(object).status());
        assertEquals(409, http().delete("/hatrac/" + id).status(), "nor delete the namespace that holds it");
        assertEquals(
                204,
                alice.delete("/ermrest/catalog/" + id + "/entity/d:Scan_Asset_Type")
                        .status());
        assertEquals(
                204,
                alice.delete("/ermrest/catalog/" + id + "/entity/d:Scan_Execution")
                        .status());
        assertEquals(
                204,
                alice.delete("/ermrest/catalog/" + id + "/entity/d:Scan/RID=" + scan.getString("RID"))
                        .status());
        assertEquals(204, http().delete(url).status(), "with the row gone, the file may go");
    }

    // ---- audit

    @Test
    void everyWriteAndRefusalIsAuditedInAVerifiableChain() throws Exception {
        Http alice = user();
        String marker = "/hatrac/audit-" + UUID.randomUUID();
        assertEquals(
                403,
                alice.send("PUT", marker, "application/x-hatrac-namespace", null)
                        .status());
        assertEquals(
                201,
                http().send("PUT", marker, "application/x-hatrac-namespace", null)
                        .status());
        Reply entries = http().get("/api/audit?target=" + URLEncoder.encode(marker, StandardCharsets.UTF_8));
        assertEquals(200, entries.status(), entries::toString);
        assertEquals(2, entries.jsonArray().size(), entries::toString);
        JsonObject refused = entries.jsonArray().getJsonObject(0);
        assertEquals(id(alice), refused.getString("client"));
        assertEquals(403, refused.getInt("outcome"));
        assertEquals("PUT", refused.getString("method"));
        assertTrue(refused.getString("requestId").startsWith("urn:uuid:"));
        assertEquals("user:admin", entries.jsonArray().getJsonObject(1).getString("client"));
        assertEquals(
                1,
                http().get("/api/audit?client=" + URLEncoder.encode(id(alice), StandardCharsets.UTF_8) + "&target="
                                + URLEncoder.encode(marker, StandardCharsets.UTF_8))
                        .jsonArray()
                        .size());

        String leak = "leak" + UUID.randomUUID();
        assertEquals(
                400,
                http().anonymous()
                        .send("POST", "/authn/session?password=" + leak, null, null)
                        .status());
        assertFalse(
                http().get("/api/audit?target=/authn/session").body().contains(leak),
                "secrets in a query are not kept");

        JsonObject verified = http().get("/api/audit/verify").json();
        assertTrue(verified.getBoolean("valid"), verified::toString);
        long seq = refused.getJsonNumber("seq").longValue();
        try (Connection c = systemDatabase();
                Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica"); // the tamperer disables the append-only trigger
            s.execute("UPDATE cairn.audit SET outcome = 201 WHERE seq = " + seq);
            JsonObject broken = http().get("/api/audit/verify").json();
            assertFalse(broken.getBoolean("valid"));
            assertEquals(seq, broken.getJsonNumber("firstBroken").longValue(), broken::toString);
            s.execute("UPDATE cairn.audit SET outcome = 403 WHERE seq = " + seq);
        }
        assertTrue(http().get("/api/audit/verify").json().getBoolean("valid"));
        try (Connection c = systemDatabase();
                Statement s = c.createStatement()) {
            s.execute("UPDATE cairn.audit SET outcome = 201 WHERE seq = " + seq);
            throw new AssertionError("the application's role could change the audit log");
        } catch (SQLException appendOnly) {
            assertTrue(appendOnly.getMessage().contains("append-only"), appendOnly.getMessage());
        }
    }

    /**
     * Writers that answer at the same time share audit transactions (group commit): every one of
     * them still finds its entry, once, in a chain that verifies, and the entries of concurrent
     * requests took fewer transactions than requests.
     */
    @Test
    void concurrentWritesEachGetOneEntryInAChainThatHolds() throws Exception {
        String marker = "/hatrac/audit-group-" + UUID.randomUUID();
        int clients = 16;
        int each = 10;
        double batchesBefore = auditBatches();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                int client = t;
                done.add(pool.submit(() -> {
                    int created = 0;
                    for (int i = 0; i < each; i++) {
                        created += http().send(
                                                        "PUT",
                                                        marker + "-" + client + "-" + i,
                                                        "application/x-hatrac-namespace",
                                                        null)
                                                .status()
                                        == 201
                                ? 1
                                : 0;
                    }
                    return created;
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(each, f.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        JsonArray entries = http().get(
                        "/api/audit?limit=1000&target=" + URLEncoder.encode(marker, StandardCharsets.UTF_8))
                .jsonArray();
        Set<String> targets = new HashSet<>();
        long previousSeq = 0;
        for (JsonValue v : entries) {
            JsonObject e = v.asJsonObject();
            assertTrue(targets.add(e.getString("target")), "one entry per request: " + e);
            assertEquals(201, e.getInt("outcome"));
            assertTrue(e.getJsonNumber("seq").longValue() > previousSeq);
            previousSeq = e.getJsonNumber("seq").longValue();
        }
        assertEquals(clients * each, targets.size());
        double batches = auditBatches() - batchesBefore;
        assertTrue(batches < clients * each, batches + " audit transactions for " + clients * each + " entries");
        JsonObject verified = http().get("/api/audit/verify").json();
        assertTrue(verified.getBoolean("valid"), verified::toString);
    }

    private double auditBatches() {
        Matcher m = Pattern.compile("(?m)^cairn_audit_batches_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$")
                .matcher(http().get("/metrics").body());
        assertTrue(m.find(), "cairn_audit_batches_total is published");
        return Double.parseDouble(m.group(1));
    }

    /** The deployment's system database, with the password from its data folder. */
    static Connection systemDatabase() throws Exception {
        return database("cairn");
    }
}
