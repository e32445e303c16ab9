package dev.cairn.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web catalog's pages over HTTP: facets (OR within, AND across, NOT) agree with ERMrest's own
 * counts, keyset pages visit every row once, long selections are kept by id, careless and hostile
 * parameters get friendly 400 pages, and nothing private shows to an anonymous visitor.
 */
public abstract class WebPagesSpec extends CairnSpec {

    static final String[] SPECIES = {"mouse", "rat", "human", "zebrafish"};
    static final int ROWS = 230;
    private static final Pattern TOTAL = Pattern.compile("id=\"total\">([0-9,]+)<");
    private static final Pattern RID = Pattern.compile("/record/demo%3ASubject/([0-9A-Z-]+)\"");

    private String cid;
    private String table;

    @BeforeEach
    void subjects() {
        cid = createCatalog("{\"name\": \"web pages\", \"domainSchema\": \"demo\"}")
                .getString("id");
        Reply t = http().postJson(
                        "/ermrest/catalog/" + cid + "/schema/demo/table",
                        "{\"table_name\": \"Subject\", \"column_definitions\": ["
                                + "{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}, {\"name\": \"Age\", \"type\": {\"typename\": \"int4\"}},"
                                + "{\"name\": \"Species\", \"type\": {\"typename\": \"text\"}}]}");
        assertEquals(201, t.status(), t::toString);
        StringBuilder rows = new StringBuilder("[");
        for (int i = 0; i < ROWS; i++) {
            rows.append(i == 0 ? "" : ",")
                    .append("{\"Name\": \"S")
                    .append(i)
                    .append(i == 7 ? " <b>bold</b>" : "")
                    .append("\", \"Age\": ")
                    .append(i % 10 == 9 ? "null" : String.valueOf(i % 90))
                    .append(", \"Species\": \"")
                    .append(SPECIES[i % 4])
                    .append("\"}");
        }
        Reply inserted = http().postJson(
                        "/ermrest/catalog/" + cid + "/entity/demo:Subject",
                        rows.append(']').toString());
        assertEquals(200, inserted.status(), inserted::toString);
        table = "/web/" + cid + "/table/demo:Subject";
    }

    private long ermrestCount(String filters) {
        Reply r = http().get("/ermrest/catalog/" + cid + "/aggregate/demo:Subject" + filters + "/n:=cnt(*)");
        assertEquals(200, r.status(), r::toString);
        return r.jsonArray().getJsonObject(0).getJsonNumber("n").longValue();
    }

    private long total(String query) {
        Reply page = html(table + "?" + query);
        assertEquals(200, page.status(), page::toString);
        Matcher m = TOTAL.matcher(page.body());
        assertTrue(m.find(), page.body());
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    /** An attribute value as the browser reads it (Mustache escapes = and & in links). */
    static String unescape(String s) {
        return s.replace("&#61;", "=")
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#39;", "'");
    }

    private Reply html(String path) {
        return http().get(path, "Accept", "text/html");
    }

    @Test
    void facetsAreOrWithinAndAcrossAndNegatable() {
        assertEquals(ROWS, total(""));
        assertEquals(ermrestCount("/Species=mouse;Species=rat"), total("f.Species=mouse&f.Species=rat"));
        assertEquals(
                ermrestCount("/Species=mouse;Species=rat/Age::geq::10/Age::leq::40"),
                total("f.Species=mouse&f.Species=rat&lo.Age=10&hi.Age=40"));
        assertEquals(ermrestCount("/!(Species=mouse)"), total("x.Species=mouse"));
        assertEquals(ermrestCount("/Age::null::"), total("p.Age=absent"));
        assertEquals(ermrestCount("/!(Age::null::)"), total("p.Age=present"));
        assertEquals(1, total("q=S7+bold"));

        // a facet's counts are of the rows the other facets allow: rat among Age 10..40
        Reply page = html(table + "?lo.Age=10&hi.Age=40&open=Species");
        long rats = ermrestCount("/Species=rat/Age::geq::10/Age::leq::40");
        int at = page.body().indexOf(">rat</a>");
        assertTrue(at > 0, page.body());
        assertTrue(
                page.body().substring(at).matches("(?s)>rat</a>\\s*<span class=\"count\">" + rats + "</span>.*"),
                rats + " rats: "
                        + page.body().substring(at, Math.min(page.body().length(), at + 200)));
        // the histogram of an open range facet is drawn, each bar a link to its range
        Reply ages = html(table + "?open=Age");
        assertTrue(ages.body().contains("class=\"histogram\""), ages.body());
        assertTrue(unescape(ages.body()).contains("lo.Age="), ages.body());
    }

    @Test
    void keysetPagesVisitEveryRowOnceInEitherDirection() {
        Set<String> seen = new LinkedHashSet<>();
        List<String> pages = new ArrayList<>();
        String next = table + "?sort=-Age";
        int guard = 0;
        while (next != null && guard++ < 50) {
            Reply page = html(unescape(next));
            assertEquals(200, page.status(), page::toString);
            Matcher m = RID.matcher(page.body());
            List<String> rids = new ArrayList<>();
            while (m.find()) {
                rids.add(m.group(1));
            }
            pages.add(String.join(",", rids));
            for (String rid : rids) {
                assertTrue(seen.add(rid), "row " + rid + " shown twice");
            }
            Matcher n = Pattern.compile("id=\"next\" href=\"([^\"]+)\"").matcher(page.body());
            next = n.find() ? n.group(1) : null;
        }
        assertEquals(ROWS, seen.size(), "every row once");
        assertEquals((ROWS + 24) / 25, pages.size());
        // and back: the page before the last is the one we saw
        Reply last =
                html(table + "?sort=-Age&after=" + URLEncoder.encode("::null::," + "ZZZZ", StandardCharsets.UTF_8));
        assertEquals(200, last.status(), last::toString);
    }

    @Test
    void longSelectionsAreKeptByIdSoLinksNeverBreak() {
        StringBuilder query = new StringBuilder("f.Species=rat");
        for (int i = 0; i < 120; i++) {
            query.append("&f.Species=not-a-species-").append(i);
        }
        Reply redirect = html(table + "?" + query);
        assertEquals(303, redirect.status(), redirect::toString);
        String location = redirect.header("Location").orElseThrow();
        assertTrue(location.matches(".*/table/demo%3ASubject\\?s=[0-9A-Z]+"), location);
        String path = location.substring(location.indexOf("/web/"));
        assertEquals(ermrestCount("/Species=rat"), total(path.substring(path.indexOf('?') + 1)));
        // the same selection gets the same id
        assertEquals(location, html(table + "?" + query).header("Location").orElseThrow());
        // a form that changes a saved selection gets a new address
        Reply changed = html(path + "&q=S1");
        assertEquals(303, changed.status(), changed::toString);
        assertFalse(changed.header("Location").orElseThrow().equals(location));
        // a made-up id is a 404
        assertEquals(404, html(table + "?s=ZZZZZZZZ").status());
    }

    @Test
    void carelessAndHostileParametersGetFriendly400Pages() {
        for (String bad : new String[] {
            "f.NoSuchColumn=1",
            "unknown=1",
            "after=1)/RID=x",
            "lo.Age=abc",
            "sort=Nope",
            "p.Age=maybe",
            "before=a/b",
            "sort=a&sort=b",
            "limit=5",
            "after=1&before=2",
            "after=1&after=2"
        }) {
            Reply page = html(table + "?" + bad);
            assertEquals(400, page.status(), bad + ": " + page);
            assertTrue(page.contentType().startsWith("text/html"), bad + ": " + page.contentType());
            assertTrue(page.body().contains("id=\"request-id\">urn:uuid:"), page.body());
        }
        // an API client still gets problem+json on the same path
        Reply api = http().get(table + "?unknown=1", "Accept", "*/*");
        assertEquals(400, api.status());
        assertTrue(api.contentType().startsWith("application/problem+json"), api.contentType());
        // regular-expression characters search literally; markup in data is escaped
        assertEquals(0, total("q=" + URLEncoder.encode(".*(", StandardCharsets.UTF_8)));
        Reply page = html(table + "?q=bold");
        assertTrue(page.body().contains("S7 &lt;b&gt;bold&lt;/b&gt;"), page.body());
        assertFalse(page.body().contains("<b>bold</b>"));
        // a huge value is refused, not run
        assertEquals(400, html(table + "?q=" + "x".repeat(3000)).status());
    }

    @Test
    void exportStreamsTheSelectionAsCsvAndJson() {
        Reply page = html(table + "?f.Species=human&lo.Age=20");
        Matcher csv = Pattern.compile("id=\"export-csv\" href=\"([^\"]+)\"").matcher(page.body());
        assertTrue(csv.find(), page.body());
        Reply export = http().get(unescape(csv.group(1)));
        assertEquals(200, export.status(), export::toString);
        assertTrue(export.contentType().startsWith("text/csv"), export.contentType());
        long expected = ermrestCount("/Species=human/Age::geq::20");
        assertEquals(expected + 1, export.body().lines().count(), export.body());
        assertTrue(export.header("Content-Disposition").orElse("").contains("Subject"));
    }

    @Test
    void privateCatalogsAndTablesStayHiddenFromAnonymousVisitors() {
        Reply home = http().anonymous().get("/", "Accept", "text/html");
        assertEquals(200, home.status());
        assertFalse(home.body().contains("href=\"/web/" + cid + "\""), "a private catalog is not listed");
        for (String path : new String[] {"/web/" + cid, table, "/web/" + cid + "/search?q=S1"}) {
            Reply refused = http().anonymous().get(path, "Accept", "text/html");
            assertTrue(
                    refused.status() == 401 || refused.status() == 403 || refused.status() == 404,
                    path + ": " + refused);
            assertTrue(refused.body().contains("/web/login?next="), refused.body());
            assertFalse(refused.body().contains("zebrafish"), "no data leaks into the error page");
        }
        // the administrator sees it, with counts and a search
        Reply catalog = html("/web/" + cid);
        assertEquals(200, catalog.status(), catalog::toString);
        assertTrue(catalog.body().contains(">Subject</a></td><td>" + ROWS + "<"), catalog.body());
        Reply search = html("/web/" + cid + "/search?q=S7+bold");
        assertTrue(search.body().contains("demo:Subject"), search.body());
    }

    @Test
    void recordPageShowsColumnsRelatedRowsAndCitation() {
        Reply r = http().get("/ermrest/catalog/" + cid + "/entity/demo:Subject/Name=S3");
        String rid = r.jsonArray().getJsonObject(0).getString("RID");
        Reply page = html("/web/" + cid + "/record/demo:Subject/" + rid);
        assertEquals(200, page.status(), page::toString);
        Matcher citation =
                Pattern.compile("id=\"citation\">" + rid + "@([0-9A-Z-]+)<").matcher(page.body());
        assertTrue(citation.find(), page.body());
        assertTrue(page.body().contains("data-column=\"Species\">" + SPECIES[3] + "<"), page.body());
        // the catalog is named in the header and the breadcrumbs, not numbered
        assertTrue(page.body().contains("<a href=\"/web/" + cid + "\">web pages</a>"), page.body());
        assertFalse(page.body().contains("Catalog " + cid + "<"), page.body());
        // as of that snapshot, after a change, the old value shows
        assertEquals(
                200,
                http().send(
                                "PUT",
                                "/ermrest/catalog/" + cid + "/attributegroup/demo:Subject/RID;Species",
                                "application/json",
                                "[{\"RID\": \"" + rid + "\", \"Species\": \"changed\"}]")
                        .status());
        Reply then = html("/web/" + cid + "/record/demo:Subject/" + rid + "?at=" + citation.group(1));
        assertEquals(200, then.status(), then::toString);
        assertTrue(then.body().contains("data-column=\"Species\">" + SPECIES[3] + "<"), then.body());
        assertTrue(then.body().contains("id=\"as-of\""), then.body());
        assertTrue(html("/web/" + cid + "/record/demo:Subject/" + rid)
                .body()
                .contains("data-column=\"Species\">changed<"));
        assertEquals(404, html("/web/" + cid + "/record/demo:Subject/ZZZZ").status());
        assertNotNull(page.header("Cache-Control").orElse(null));
    }

    @Test
    void datasetAndRegisteredAssetPagesShowVersionsMembersAndChanges() {
        String api = "/api/catalogs/" + cid;
        assertEquals(
                201,
                http().postJson(api + "/datasets/element-types", "{\"table\": \"demo:Subject\"}")
                        .status());
        String dataset = http().postJson(api + "/datasets", "{\"description\": \"Cohort <one>\"}")
                .json()
                .getString("RID");
        List<String> rids = new ArrayList<>();
        http().get("/ermrest/catalog/" + cid + "/entity/demo:Subject@sort(RID)?limit=3")
                .jsonArray()
                .forEach(v -> rids.add(v.asJsonObject().getString("RID")));
        assertEquals(
                200,
                http().postJson(
                                api + "/datasets/" + dataset + "/members",
                                "{\"members\": [\"" + rids.get(0) + "\", \"" + rids.get(1) + "\"]}")
                        .status());
        assertEquals(
                200,
                http().postJson(api + "/datasets/" + dataset + "/release", "{\"bump\": \"minor\"}")
                        .status());
        assertEquals(
                200,
                http().postJson(api + "/datasets/" + dataset + "/members", "{\"members\": [\"" + rids.get(2) + "\"]}")
                        .status());
        assertEquals(
                200,
                http().postJson(api + "/datasets/" + dataset + "/release", "{\"bump\": \"minor\"}")
                        .status());

        Reply page = html("/web/" + cid + "/dataset/" + dataset);
        assertEquals(200, page.status(), page::toString);
        String body = unescape(page.body());
        assertTrue(body.contains("Cohort &lt;one&gt;"), body);
        assertTrue(body.contains(">0.3.0</a> <span class=\"muted\">(current)"), body);
        assertTrue(body.contains("/bag?version=0.2.0"), body);
        assertTrue(body.contains("demo:Subject <span class=\"muted\">(3)</span>"), body);
        // members as they were at 0.2.0, and what changed from 0.2.0 to now
        assertTrue(unescape(html("/web/" + cid + "/dataset/" + dataset + "?version=0.2.0")
                        .body())
                .contains("demo:Subject <span class=\"muted\">(2)</span>"));
        assertTrue(body.contains("demo:Subject: +1 −0"), body);
        assertEquals(
                400, html("/web/" + cid + "/dataset/" + dataset + "?nope=1").status());
        // the Compare form's default "To: now" sends an empty value (was a 400)
        Reply compared = html("/web/" + cid + "/dataset/" + dataset + "?from=0.2.0&to=");
        assertEquals(200, compared.status(), compared::toString);
        assertTrue(compared.body().contains("From 0.2.0 to now"), compared.body());

        // an execution that used the dataset shows it with its version (was a 500)
        String workflow = http().postJson(
                        api + "/workflows",
                        "{\"name\": \"Pages\", \"type\": \"Training\", \"url\": \"https://example.org/pages\", "
                                + "\"checksum\": \"p1\", \"version\": \"1\"}")
                .json()
                .getString("RID");
        Reply created = http().postJson(
                        api + "/executions",
                        "{\"workflow\": \"" + workflow + "\", \"datasets\": [{\"rid\": \"" + dataset
                                + "\", \"version\": \"0.3.0\"}]}");
        assertEquals(201, created.status(), created::toString);
        Reply execution = html("/web/" + cid + "/execution/" + created.json().getString("RID"));
        assertEquals(200, execution.status(), execution::toString);
        assertTrue(execution.body().contains("/web/" + cid + "/record/deriva-ml:Dataset/" + dataset), execution.body());
        assertTrue(execution.body().contains("0.3.0"), execution.body());
        // a foreign key shows the referenced row's name (a Workflow's Name), linked to the row, in tables and records
        String named = "/record/deriva-ml%3AWorkflow/" + workflow + "\">Pages</a>";
        Reply executions = html("/web/" + cid + "/table/deriva-ml:Execution");
        assertTrue(executions.body().contains(named), executions.body());
        Reply record = html(
                "/web/" + cid + "/record/deriva-ml:Execution/" + created.json().getString("RID"));
        assertTrue(record.body().contains(named), record.body());

        // a registered asset: its other versions
        for (String v : new String[] {"1.0.0", "1.1.0"}) {
            assertEquals(
                    201,
                    http().postJson(
                                    "/aios/" + cid + "/asset",
                                    "{\"asset_name\": \"churn\", \"asset_version\": {\"version\": \"" + v
                                            + "\"}, \"asset_kind\": \"Model\"}")
                            .status());
        }
        String newest = http().get(
                        "/ermrest/catalog/" + cid + "/entity/deriva-ml:Registered_Asset/Name=churn/Version=1.1.0")
                .jsonArray()
                .getJsonObject(0)
                .getString("RID");
        Reply asset = html("/web/" + cid + "/record/deriva-ml:Registered_Asset/" + newest);
        assertEquals(200, asset.status(), asset::toString);
        assertTrue(asset.body().contains("<strong>1.1.0</strong>"), asset.body());
        assertTrue(asset.body().contains(">1.0.0</a>"), asset.body());
    }

    @Test
    void loginFormSetsTheSessionAndRefusesWhatItShould() {
        String name = "pageuser" + System.nanoTime() % 100000;
        assertEquals(
                201,
                http().postJson(
                                "/api/users",
                                "{\"username\": \"" + name + "\", \"password\": \"a long page passphrase\"}")
                        .status());
        String form = "application/x-www-form-urlencoded";
        Reply wrong = http().anonymous()
                .send("POST", "/web/login", form, "username=" + name + "&password=nope&next=%2Fweb%2F" + cid);
        assertEquals(401, wrong.status(), wrong::toString);
        assertTrue(wrong.body().contains("id=\"login-error\""), wrong.body());
        assertTrue(wrong.header("Set-Cookie").isEmpty());
        Reply right = http().anonymous()
                .send(
                        "POST",
                        "/web/login",
                        form,
                        "username=" + name + "&password=a+long+page+passphrase&next=%2Fweb%2F" + cid);
        assertEquals(303, right.status(), right::toString);
        assertTrue(
                right.header("Location").orElseThrow().endsWith("/web/" + cid),
                right.header("Location").orElseThrow());
        String cookie = right.header("Set-Cookie").orElseThrow();
        assertTrue(
                cookie.startsWith("webauthn=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
                cookie);
        // the session is the API's too
        Reply session = http().anonymous()
                .send(http().anonymous()
                        .request("/authn/session")
                        .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                        .GET());
        assertEquals(200, session.status(), session::toString);
        // never a redirect to another site, never a login posted from another site
        for (String next : new String[] {"%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%5Cevil.example"}) {
            Reply r = http().anonymous()
                    .send(
                            "POST",
                            "/web/login",
                            form,
                            "username=" + name + "&password=a+long+page+passphrase&next=" + next);
            assertEquals(
                    "/", java.net.URI.create(r.header("Location").orElseThrow()).getPath(), next);
        }
        Reply forged = http().anonymous()
                .send(http().anonymous()
                        .request("/web/login")
                        .header("Content-Type", form)
                        .header("Origin", "https://evil.example")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "username=" + name + "&password=a+long+page+passphrase")));
        assertEquals(403, forged.status(), forged::toString);
        assertTrue(forged.header("Set-Cookie").isEmpty());
    }
}
