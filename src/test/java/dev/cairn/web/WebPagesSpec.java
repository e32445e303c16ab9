package dev.cairn.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
        String lastPage = null;
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
            lastPage = next;
            next = n.find() ? n.group(1) : null;
        }
        assertEquals(ROWS, seen.size(), "every row once");
        assertEquals((ROWS + 24) / 25, pages.size());
        // descending, the empty ages come last (ERMrest's own order puts them first)
        Map<String, Integer> ages = new HashMap<>();
        for (JsonObject row : http().get("/ermrest/catalog/" + cid + "/entity/demo:Subject")
                .jsonArray()
                .getValuesAs(JsonObject.class)) {
            ages.put(row.getString("RID"), row.isNull("Age") ? null : row.getInt("Age"));
        }
        List<String> order = new ArrayList<>(seen);
        int firstEmpty = order.indexOf(
                order.stream().filter(r -> ages.get(r) == null).findFirst().orElseThrow());
        assertEquals(ROWS - ROWS / 10, firstEmpty, "the rows without an age come after all others");
        for (int i = 1; i < firstEmpty; i++) {
            assertTrue(ages.get(order.get(i - 1)) >= ages.get(order.get(i)), "descending at " + i);
        }
        // and back from the last page, through the part without ages into the part with them
        List<String> back = new ArrayList<>();
        String previous = lastPage;
        guard = 0;
        while (previous != null && guard++ < 50) {
            Reply page = html(unescape(previous));
            assertEquals(200, page.status(), page::toString);
            Matcher m = RID.matcher(page.body());
            List<String> rids = new ArrayList<>();
            while (m.find()) {
                rids.add(m.group(1));
            }
            back.addAll(0, rids);
            Matcher p = Pattern.compile("id=\"previous\" href=\"([^\"]+)\"").matcher(page.body());
            previous = p.find() ? p.group(1) : null;
        }
        assertEquals(order, back, "the same rows in the same order, read backwards");
        // and back: the page before the last is the one we saw
        Reply last =
                html(table + "?sort=-Age&after=" + URLEncoder.encode("::null::," + "ZZZZ", StandardCharsets.UTF_8));
        assertEquals(200, last.status(), last::toString);
    }

    @Test
    void pagesOfAChosenSizeSayWhichRowsTheyShow() {
        String next = table + "?sort=Name&size=100";
        List<String> positions = new ArrayList<>();
        while (next != null) {
            Reply page = html(unescape(next));
            assertEquals(200, page.status(), page::toString);
            Matcher p = Pattern.compile("id=\"position\">([^<]+)<").matcher(page.body());
            assertTrue(p.find(), page.body());
            positions.add(p.group(1));
            Matcher n = Pattern.compile("id=\"next\" href=\"([^\"]+)\"").matcher(page.body());
            next = n.find() ? n.group(1) : null;
        }
        assertEquals(List.of("rows 1–100 of", "rows 101–200 of", "rows 201–230 of"), positions);
        // the chosen size stays through the page's other links and forms
        String sized = html(table + "?size=50&open=Species").body();
        Matcher facet = Pattern.compile("href=\"([^\"]+)\"[^>]*>mouse</a>").matcher(sized);
        assertTrue(facet.find(), sized);
        assertTrue(unescape(facet.group(1)).contains("size=50"), facet.group(1));
        assertTrue(sized.contains("name=\"size\" value=\"50\""), "the search form keeps it: " + sized);
        Reply narrowed = html(unescape(facet.group(1)));
        assertEquals(200, narrowed.status(), narrowed::toString);
        assertTrue(narrowed.body().contains("<option value=\"50\" selected>"), narrowed.body());
        for (String bad : new String[] {"size=7", "size=x", "pos=-1", "size=10&size=25"}) {
            assertEquals(400, html(table + "?" + bad).status(), bad);
        }
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
            assertEquals("/", URI.create(r.header("Location").orElseThrow()).getPath(), next);
        }
        Reply forged = http().anonymous()
                .send(http().anonymous()
                        .request("/web/login")
                        .header("Content-Type", form)
                        .header("Origin", "https://evil.example")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "username=" + name + "&password=a+long+page+passphrase")));
        assertEquals(403, forged.status(), forged::toString);
        assertTrue(forged.header("Set-Cookie").isEmpty());
    }

    private static final String FORM = "application/x-www-form-urlencoded";

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Reply post(String path, String body) {
        return http().send("POST", path, FORM, body);
    }

    private JsonObject row(String table, String rid) {
        Reply r = http().get("/ermrest/catalog/" + cid + "/entity/demo:" + table + "/RID=" + rid);
        assertEquals(200, r.status(), r::toString);
        return r.jsonArray().isEmpty() ? null : r.jsonArray().getJsonObject(0);
    }

    private static String hidden(String page, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"")
                .matcher(page);
        assertTrue(m.find(), name + " in " + page);
        return unescape(m.group(1));
    }

    @Test
    void formsCreateEditAndDeleteRowsWithoutScriptAndNeverOverwriteAnotherEdit() {
        String api = "/api/catalogs/" + cid;
        Reply vocabulary = http().postJson(api + "/vocabularies", "{\"name\": \"Visit_Kind\"}");
        assertEquals(201, vocabulary.status(), vocabulary::toString);
        assertEquals(
                201,
                http().postJson(
                                api + "/vocabularies/Visit_Kind/terms",
                                "{\"name\": \"Baseline\", \"description\": \"first\"}")
                        .status());
        Reply t = http().postJson(
                        "/ermrest/catalog/" + cid + "/schema/demo/table",
                        "{\"table_name\": \"Visit\", \"column_definitions\": ["
                                + "{\"name\": \"Subject\", \"type\": {\"typename\": \"text\"}, \"nullok\": false},"
                                + "{\"name\": \"Kind\", \"type\": {\"typename\": \"text\"}},"
                                + "{\"name\": \"Day\", \"type\": {\"typename\": \"date\"}},"
                                + "{\"name\": \"Score\", \"type\": {\"typename\": \"float8\"}},"
                                + "{\"name\": \"Visits\", \"type\": {\"typename\": \"int4\"}},"
                                + "{\"name\": \"Done\", \"type\": {\"typename\": \"boolean\"}},"
                                + "{\"name\": \"Notes\", \"type\": {\"typename\": \"markdown\"}},"
                                + "{\"name\": \"Meta\", \"type\": {\"typename\": \"jsonb\"}},"
                                + "{\"name\": \"Tags\", \"type\": {\"typename\": \"text[]\", \"is_array\": true, \"base_type\": {\"typename\": \"text\"}}},"
                                + "{\"name\": \"Seen\", \"type\": {\"typename\": \"timestamptz\"}}],"
                                + "\"foreign_keys\": ["
                                + "{\"foreign_key_columns\": [{\"schema_name\": \"demo\", \"table_name\": \"Visit\", \"column_name\": \"Subject\"}],"
                                + " \"referenced_columns\": [{\"schema_name\": \"demo\", \"table_name\": \"Subject\", \"column_name\": \"RID\"}]},"
                                + "{\"foreign_key_columns\": [{\"schema_name\": \"demo\", \"table_name\": \"Visit\", \"column_name\": \"Kind\"}],"
                                + " \"referenced_columns\": [{\"schema_name\": \"demo\", \"table_name\": \"Visit_Kind\", \"column_name\": \"Name\"}]}]}");
        assertEquals(201, t.status(), t::toString);
        String create = "/web/" + cid + "/create/demo:Visit";
        String s5 = http().get("/ermrest/catalog/" + cid + "/entity/demo:Subject/Name=S5")
                .jsonArray()
                .getJsonObject(0)
                .getString("RID");

        // the empty form: typed inputs, the vocabulary as a drop-down with a new-term box, a large table by name
        Reply form = html(create);
        assertEquals(200, form.status(), form::toString);
        String f = form.body();
        assertTrue(f.contains("type=\"date\""), f);
        assertTrue(f.contains("type=\"number\" step=\"any\""), f);
        assertTrue(f.contains("<option value=\"Baseline\" >Baseline</option>"), f);
        assertTrue(f.contains("name=\"t.0.Kind\""), f);
        assertTrue(f.contains("list=\"l0-1\" data-reference=\"Subject\""), f); // 230 subjects: typed, with suggestions

        // what cannot be stored comes back next to its field, with everything typed kept
        String bad = "v.0.Subject=" + enc("nobody here") + "&v.0.Score=abc&v.0.Day=2026-13-45&v.0.Meta=" + enc("{oops")
                + "&v.0.Notes=" + enc("kept *as typed*") + "&v.0.Visits=1.5";
        Reply refused = post(create, bad);
        assertEquals(400, refused.status(), refused::toString);
        String r = refused.body();
        for (String column : new String[] {"Subject", "Score", "Day", "Meta", "Visits"}) {
            Matcher field = Pattern.compile("(?s)data-column=\"" + column + "\">.*?</div>")
                    .matcher(r);
            assertTrue(field.find(), column);
            assertTrue(field.group().contains("class=\"field-error\""), column + ": " + field.group());
        }
        assertTrue(r.contains(">kept *as typed*</textarea>"), r);
        assertTrue(r.contains("value=\"abc\""), r);
        assertEquals(
                0,
                http().get("/ermrest/catalog/" + cid + "/entity/demo:Visit")
                        .jsonArray()
                        .size());
        // nothing a careless or hostile client sends is dropped in silence: unknown, repeated or stray fields are
        // refused
        for (String stray : new String[] {
            "v.0.Subject=S5&v.0.Nope=1",
            "v.0.Subject=S5&v.0.Subject=S6",
            "v.0.Subject=S5&v.1.Score=2",
            "v.0.Subject=S5&x=1",
            "v.0.Subject=S5&t.0.Day=new",
            "v.0.Subject=%zz"
        }) {
            assertEquals(400, post(create, stray).status(), stray);
        }
        assertEquals(
                0,
                http().get("/ermrest/catalog/" + cid + "/entity/demo:Visit")
                        .jsonArray()
                        .size());

        // a good row: a subject by name, a new term, every type stored as typed
        Reply made = post(
                create,
                "v.0.Subject=S5&t.0.Kind=" + enc("Follow-up") + "&v.0.Day=2026-12-07&v.0.Score=2.5&v.0.Visits=3"
                        + "&v.0.Done=true&v.0.Notes=" + enc("# Visit\nfine") + "&v.0.Meta=" + enc("{\"a\": [1, 2]}")
                        + "&v.0.Tags=" + enc("left\r\nright\r\n") + "&v.0.Seen=" + enc("2026-12-07 10:55:00+01:00"));
        assertEquals(303, made.status(), made::toString);
        String location = made.header("Location").orElseThrow();
        String visit = location.substring(location.lastIndexOf('/') + 1);
        assertTrue(location.endsWith("/web/" + cid + "/record/demo%3AVisit/" + visit), location);
        JsonObject stored = row("Visit", visit);
        assertEquals(s5, stored.getString("Subject"));
        assertEquals("Follow-up", stored.getString("Kind"));
        assertEquals("2026-12-07", stored.getString("Day"));
        assertEquals(2.5, stored.getJsonNumber("Score").doubleValue());
        assertEquals(3, stored.getInt("Visits"));
        assertTrue(stored.getBoolean("Done"));
        assertEquals("# Visit\nfine", stored.getString("Notes"));
        assertEquals(2, stored.getJsonObject("Meta").getJsonArray("a").size());
        assertEquals(List.of("left", "right"), stored.getJsonArray("Tags").getValuesAs(JsonString::getString));
        assertTrue(stored.getString("Seen").startsWith("2026-12-07T09:55:00"), stored.toString());
        assertEquals(
                1,
                http().get("/ermrest/catalog/" + cid + "/entity/demo:Visit_Kind/Name=Follow-up")
                        .jsonArray()
                        .size(),
                "the new term is in the vocabulary");
        // the record page offers Edit and Delete, the table page Create and a selection to edit
        String record = html(URI.create(location).getRawPath()).body();
        assertTrue(record.contains("id=\"edit\""), record);
        assertTrue(record.contains("id=\"delete\""), record);
        assertTrue(html("/web/" + cid + "/table/demo:Visit").body().contains("id=\"create\""));

        // an edit keyed by the RMT it was read with: a change meanwhile is shown, not overwritten
        String edit = "/web/" + cid + "/edit/demo:Visit";
        Reply editing = html(edit + "?rid=" + visit);
        assertEquals(200, editing.status(), editing::toString);
        String rmt = hidden(editing.body(), "rmt.0");
        assertTrue(editing.body().contains("<option value=\"Follow-up\" selected>Follow-up</option>"), editing.body());
        assertEquals(
                200,
                http().send(
                                "PUT",
                                "/ermrest/catalog/" + cid + "/attributegroup/demo:Visit/RID;Score",
                                "application/json",
                                "[{\"RID\": \"" + visit + "\", \"Score\": 9}]")
                        .status());
        String mine = "rid.0=" + visit + "&rmt.0=" + enc(rmt) + "&v.0.Subject=" + s5
                + "&v.0.Kind=Follow-up&v.0.Day=2026-12-07"
                + "&v.0.Score=3.5&v.0.Visits=3&v.0.Done=true&v.0.Notes=" + enc("# Visit\r\nfine") + "&v.0.Meta="
                + enc("{\"a\": [1, 2]}") + "&v.0.Tags=" + enc("left\nright") + "&v.0.Seen="
                + enc(stored.getString("Seen"));
        Reply conflict = post(edit, mine);
        assertEquals(409, conflict.status(), conflict::toString);
        assertTrue(conflict.body().contains("Someone changed " + visit), conflict.body());
        Matcher score = Pattern.compile("(?s)data-column=\"Score\">.*?</div>").matcher(conflict.body());
        assertTrue(score.find());
        assertTrue(score.group().contains("value=\"3.5\""), score.group());
        assertTrue(score.group().contains("Stored now: <code>9</code>"), score.group());
        assertEquals(9, row("Visit", visit).getJsonNumber("Score").intValue(), "nothing overwritten");
        // a refused form leaves the vocabulary as it was: the new term it needed is taken back
        Reply refusedWithTerm = post(edit, mine.replace("&v.0.Kind=Follow-up", "&t.0.Kind=" + enc("Second look")));
        assertEquals(409, refusedWithTerm.status(), refusedWithTerm::toString);
        assertEquals(
                0,
                http().get("/ermrest/catalog/" + cid + "/entity/demo:Visit_Kind/Name=Second%20look")
                        .jsonArray()
                        .size(),
                "the refused form's new term is gone");
        // saving the form again (it now holds the new RMT) replaces it on purpose
        String newer = hidden(conflict.body(), "rmt.0");
        assertFalse(newer.equals(rmt));
        Reply saved = post(edit, mine.replace("rmt.0=" + enc(rmt), "rmt.0=" + enc(newer)));
        assertEquals(303, saved.status(), saved::toString);
        JsonObject after = row("Visit", visit);
        assertEquals(3.5, after.getJsonNumber("Score").doubleValue());
        assertEquals(stored.getString("Seen"), after.getString("Seen"), "untouched values stay exactly as stored");

        // several rows at once, all or nothing
        JsonArray subjects = http().get("/ermrest/catalog/" + cid + "/entity/demo:Subject/Name=S1;Name=S2@sort(Name)")
                .jsonArray();
        String editSubjects = "/web/" + cid + "/edit/demo:Subject";
        String many = html(editSubjects + "?rid=" + subjects.getJsonObject(0).getString("RID") + "&rid="
                        + subjects.getJsonObject(1).getString("RID"))
                .body();
        StringBuilder both = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            JsonObject s = subjects.getJsonObject(i);
            both.append(i == 0 ? "" : "&")
                    .append("rid.")
                    .append(i)
                    .append('=')
                    .append(s.getString("RID"))
                    .append("&rmt.")
                    .append(i)
                    .append('=')
                    .append(enc(hidden(many, "rmt." + i)))
                    .append("&v.")
                    .append(i)
                    .append(".Name=")
                    .append(s.getString("Name"))
                    .append("&v.")
                    .append(i)
                    .append(".Age=")
                    .append(i == 0 ? "41" : "oops")
                    .append("&v.")
                    .append(i)
                    .append(".Species=edited");
        }
        assertEquals(400, post(editSubjects, both.toString()).status());
        assertEquals(0, ermrestCount("/Species=edited"), "one bad row: no row changed");
        Reply twoSaved = post(editSubjects, both.toString().replace("Age=oops", "Age=42"));
        assertEquals(303, twoSaved.status(), twoSaved::toString);
        assertEquals(2, ermrestCount("/Species=edited"));

        // delete after a confirmation page; refusals change nothing
        String delete = "/web/" + cid + "/delete/demo:Visit/" + visit;
        assertTrue(html(delete).body().contains("id=\"confirm-delete\""));
        assertEquals(401, http().anonymous().send("POST", delete, FORM, "").status());
        assertEquals(401, http().anonymous().get(create, "Accept", "text/html").status());
        Reply forged = http().send(http().request(delete)
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, forged.status(), forged::toString);
        assertNotNull(row("Visit", visit));
        Reply deleted = post(delete, "");
        assertEquals(303, deleted.status(), deleted::toString);
        assertEquals(null, row("Visit", visit));
    }

    @Test
    void anAssetFormStoresItsFileWithItsChecksumsAndFillsTheRowFromIt() throws Exception {
        Reply table = http().postJson("/api/catalogs/" + cid + "/asset-tables", "{\"name\": \"Scan\"}");
        assertEquals(201, table.status(), table::toString);
        String create = "/web/" + cid + "/create/demo:Scan";
        String f = html(create).body();
        assertTrue(f.contains("enctype=\"multipart/form-data\""), f);
        assertTrue(f.contains("type=\"file\""), f);
        assertFalse(f.contains("data-column=\"MD5\""), "the store fills the file's columns: " + f);

        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        String boundary = "cairn-form-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"v.0.Description\"\r\n\r\n"
                        + "a scan\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\scans\\\\left eye.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        Reply made = http().send(http().request(create)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertEquals(303, made.status(), made::toString);
        String location = made.header("Location").orElseThrow();
        JsonObject row = row("Scan", location.substring(location.lastIndexOf('/') + 1));
        assertEquals("left eye.bin", row.getString("Filename"));
        assertEquals(bytes.length, row.getJsonNumber("Length").longValue());
        assertEquals(md5, row.getString("MD5"));
        assertEquals("a scan", row.getString("Description"));
        String url = row.getString("URL");
        assertTrue(url.startsWith("/hatrac/" + cid + "/demo/Scan/" + md5 + ".left%20eye.bin:"), url);
        HttpResponse<byte[]> stored = http().bytes(url);
        assertEquals(200, stored.statusCode());
        assertTrue(Arrays.equals(bytes, stored.body()), "the stored bytes are the sent ones");

        // the edit form offers to replace the file: the new one becomes the row's, the old stays a version
        String rid = row.getString("RID");
        String edit = "/web/" + cid + "/edit/demo:Scan";
        String editing = html(edit + "?rid=" + rid).body();
        assertTrue(
                editing.contains("enctype=\"multipart/form-data\"") && editing.contains(">Replace the file<"), editing);
        byte[] second = "a corrected scan\n".getBytes(StandardCharsets.UTF_8);
        Reply replaced = multipart(
                edit,
                Map.of("rid.0", rid, "rmt.0", hidden(editing, "rmt.0"), "v.0.Description", "corrected"),
                "right eye.txt",
                second);
        assertEquals(303, replaced.status(), replaced::toString);
        JsonObject now = row("Scan", rid);
        assertEquals("right eye.txt", now.getString("Filename"));
        assertEquals(second.length, now.getJsonNumber("Length").longValue());
        assertEquals("corrected", now.getString("Description"));
        assertTrue(Arrays.equals(second, http().bytes(now.getString("URL")).body()));
        assertEquals(200, http().bytes(url).statusCode(), "the earlier file stays");
        // a stale form with a file changes nothing
        Reply stale = multipart(
                edit,
                Map.of("rid.0", rid, "rmt.0", hidden(editing, "rmt.0"), "v.0.Description", "stale"),
                "third.txt",
                "third".getBytes(StandardCharsets.UTF_8));
        assertEquals(409, stale.status(), stale::toString);
        assertEquals("right eye.txt", row("Scan", rid).getString("Filename"));
        // editing without choosing a file keeps it
        String again = html(edit + "?rid=" + rid).body();
        Reply kept = multipart(
                edit,
                Map.of("rid.0", rid, "rmt.0", hidden(again, "rmt.0"), "v.0.Description", "kept"),
                "",
                new byte[0]);
        assertEquals(303, kept.status(), kept::toString);
        assertEquals("right eye.txt", row("Scan", rid).getString("Filename"));
        assertEquals("kept", row("Scan", rid).getString("Description"));

        // without a file: the form again, the error at the file, nothing stored
        Reply none = post(create, "v.0.Description=" + enc("no file"));
        assertEquals(400, none.status(), none::toString);
        Matcher file = Pattern.compile("(?s)data-column=\"file\">.*?</div>").matcher(none.body());
        assertTrue(file.find(), none.body());
        assertTrue(file.group().contains("field-error"), file.group());
        assertEquals(
                1,
                http().get("/ermrest/catalog/" + cid + "/entity/demo:Scan")
                        .jsonArray()
                        .size());
    }

    /** A multipart form as a browser sends it: the fields, then the file (an empty name when none was chosen). */
    private Reply multipart(String path, Map<String, String> fields, String filename, byte[] content) {
        String boundary = "cairn-form-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                        .getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http().send(http().request(path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    @Test
    void anExecutionIsStartedAndFailedFromItsPageWithoutScript() {
        String api = "/api/catalogs/" + cid;
        String workflow = http().postJson(
                        api + "/workflows",
                        "{\"name\": \"Pager\", \"type\": \"Training\", \"url\": \"https://example.org/p\", \"checksum\": \"p1\"}")
                .json()
                .getString("RID");
        String execution = http().postJson(api + "/executions", "{\"workflow\": \"" + workflow + "\"}")
                .json()
                .getString("RID");
        String page = "/web/" + cid + "/execution/" + execution;
        String status = page + "/status";
        assertTrue(html(page).body().contains("id=\"to-Running\""));
        assertEquals(
                401,
                http().anonymous().send("POST", status, FORM, "status=Running").status());
        assertEquals(
                "Created", http().get(api + "/executions/" + execution).json().getString("Status"));
        Reply started = post(status, "status=Running");
        assertEquals(303, started.status(), started::toString);
        String running = html(page).body();
        assertTrue(running.contains("id=\"to-Stopped\"") && running.contains("id=\"to-Failed\""), running);
        assertFalse(running.contains("id=\"to-Running\""), running);
        assertEquals(
                303,
                post(status, "status=Failed&detail=" + enc("out of memory")).status());
        JsonObject failed = http().get(api + "/executions/" + execution).json();
        assertEquals("Failed", failed.getString("Status"));
        assertEquals("out of memory", failed.getString("Status_Detail"));
        assertFalse(html(page).body().contains("id=\"to-"), "a failed execution moves no further from its page");
        Reply again = post(status, "status=Running");
        assertEquals(409, again.status(), again::toString);
    }

    @Test
    void foreignKeyFacetsShowAndSearchTheReferencedRowsNames() {
        Reply t = http().postJson(
                        "/ermrest/catalog/" + cid + "/schema/demo/table",
                        "{\"table_name\": \"Sample\", \"column_definitions\": [{\"name\": \"Subject\", \"type\": {\"typename\": \"text\"}}],"
                                + "\"foreign_keys\": [{\"foreign_key_columns\": [{\"schema_name\": \"demo\", \"table_name\": \"Sample\", \"column_name\": \"Subject\"}],"
                                + " \"referenced_columns\": [{\"schema_name\": \"demo\", \"table_name\": \"Subject\", \"column_name\": \"RID\"}]}]}");
        assertEquals(201, t.status(), t::toString);
        JsonArray subjects = http().get("/ermrest/catalog/" + cid + "/entity/demo:Subject/Name=S3;Name=S40@sort(Name)")
                .jsonArray();
        String s3 = subjects.getJsonObject(0).getString("RID");
        String s40 = subjects.getJsonObject(1).getString("RID");
        assertEquals(
                200,
                http().postJson(
                                "/ermrest/catalog/" + cid + "/entity/demo:Sample",
                                "[{\"Subject\": \"" + s3 + "\"}, {\"Subject\": \"" + s3 + "\"}, {\"Subject\": \"" + s40
                                        + "\"}]")
                        .status());
        String sample = "/web/" + cid + "/table/demo:Sample";
        Reply page = html(sample + "?open=Subject");
        assertEquals(200, page.status(), page::toString);
        Matcher facet =
                Pattern.compile("(?s)data-column=\"Subject\">.*?</section>").matcher(page.body());
        assertTrue(facet.find(), page.body());
        assertTrue(facet.group().matches("(?s).*>S3</a>\\s*<span class=\"count\">2</span>.*"), facet.group());
        assertTrue(facet.group().contains(">S40</a>"), facet.group());
        assertFalse(facet.group().contains(">" + s3 + "</a>"), "the name, not the RID: " + facet.group());
        // searching the facet by name finds the subject; its link still selects by key
        Reply searched = html(sample + "?fq.Subject=S40");
        Matcher found =
                Pattern.compile("(?s)data-column=\"Subject\">.*?</section>").matcher(searched.body());
        assertTrue(found.find(), searched.body());
        assertTrue(found.group().contains(">S40</a>"), found.group());
        assertFalse(found.group().contains(">S3</a>"), found.group());
        assertTrue(unescape(found.group()).contains("f.Subject=" + s40), found.group());
        // the subject's record names its first related samples, each a link
        String record = html("/web/" + cid + "/record/demo:Subject/" + s3).body();
        Matcher related =
                Pattern.compile("(?s)data-table=\"demo:Sample\">.*?</section>").matcher(record);
        assertTrue(related.find(), record);
        assertEquals(2, related.group().split("/record/demo%3ASample/", -1).length - 1, related.group());
        Matcher one = TOTAL.matcher(html(sample + "?f.Subject=" + s40).body());
        assertTrue(one.find());
        assertEquals("1", one.group(1));
    }

    private void annotate(String path, String tag, String json) {
        Reply r = http().send(
                        "PUT",
                        "/ermrest/catalog/" + cid + "/schema/demo" + path + "/annotation/"
                                + URLEncoder.encode(tag, StandardCharsets.UTF_8),
                        "application/json",
                        json);
        assertTrue(r.status() == 200 || r.status() == 201 || r.status() == 204, r::toString);
    }

    @Test
    void pagesFollowTheAnnotationsChaiseReads() {
        Reply t = http().postJson(
                        "/ermrest/catalog/" + cid + "/schema/demo/table",
                        "{\"table_name\": \"Tissue_Sample\", \"column_definitions\": [{\"name\": \"Subject\", \"type\": {\"typename\": \"text\"}},"
                                + "{\"name\": \"Site\", \"type\": {\"typename\": \"text\"}}],"
                                + "\"foreign_keys\": [{\"names\": [[\"demo\", \"Tissue_Sample_Subject_fkey\"]],"
                                + " \"foreign_key_columns\": [{\"schema_name\": \"demo\", \"table_name\": \"Tissue_Sample\", \"column_name\": \"Subject\"}],"
                                + " \"referenced_columns\": [{\"schema_name\": \"demo\", \"table_name\": \"Subject\", \"column_name\": \"RID\"}]}]}");
        assertEquals(201, t.status(), t::toString);
        String s5 = http().get("/ermrest/catalog/" + cid + "/entity/demo:Subject/Name=S5")
                .jsonArray()
                .getJsonObject(0)
                .getString("RID");
        assertEquals(
                200,
                http().postJson(
                                "/ermrest/catalog/" + cid + "/entity/demo:Tissue_Sample",
                                "[{\"Subject\": \"" + s5 + "\", \"Site\": \"retina\"}]")
                        .status());
        // as deriva-py's ermrest_model writes them (and deriva-ml for its own schema)
        annotate(
                "",
                "tag:isrd.isi.edu,2015:display",
                "{\"name_style\": {\"underline_space\": true, \"title_case\": true}}");
        annotate("/table/Subject", "tag:isrd.isi.edu,2015:display", "{\"name\": \"Study subjects\"}");
        annotate("/table/Subject/column/Species", "tag:isrd.isi.edu,2015:display", "{\"name\": \"Kind of animal\"}");
        annotate(
                "/table/Subject",
                "tag:isrd.isi.edu,2016:visible-columns",
                "{\"compact\": [\"Name\", \"Species\"], \"detailed\": [\"Species\", \"Name\"], \"entry\": [\"Name\"],"
                        + " \"filter\": {\"and\": [{\"source\": \"Species\", \"open\": true}, {\"source\": \"Name\"}]}}");
        annotate(
                "/table/Subject",
                "tag:isrd.isi.edu,2016:table-display",
                "{\"compact\": {\"row_order\": [{\"column\": \"Name\", \"descending\": true}]}}");
        annotate(
                "/table/Subject",
                "tag:isrd.isi.edu,2016:visible-foreign-keys",
                "{\"detailed\": [[\"demo\", \"Tissue_Sample_Subject_fkey\"]]}");

        // the table page: its name, the compact columns with their names, the filter facets, the row order
        String page = html(table).body();
        assertTrue(page.contains("<h1>Study subjects"), page);
        List<String> headers = new ArrayList<>();
        Matcher h = Pattern.compile("<th scope=\"col\" aria-sort=\"[a-z]+\">(?:<a href=\"[^\"]*\">)?([^<▲▼]+)")
                .matcher(page);
        while (h.find()) {
            headers.add(h.group(1).strip());
        }
        assertEquals(List.of("RID", "Name", "Kind of animal"), headers, page);
        List<String> facets = new ArrayList<>();
        Matcher f = Pattern.compile("<section class=\"facet[^\"]*\" id=\"[^\"]*\" data-column=\"([^\"]+)\"")
                .matcher(page);
        while (f.find()) {
            facets.add(f.group(1));
        }
        assertEquals(List.of("Species", "Name"), facets);
        assertTrue(page.contains(">mouse</a>"), "the Species facet starts open: " + page);
        Matcher first = Pattern.compile("/record/demo%3ASubject/[0-9A-Z-]+\">[0-9A-Z-]+</a></td><td>([^<]+)<")
                .matcher(page);
        assertTrue(first.find(), page);
        assertEquals("S99", first.group(1), "row_order: Name descending");

        // the record: the detailed columns in order (RID kept), the one related table named
        String record = html("/web/" + cid + "/record/demo:Subject/" + s5).body();
        int species = record.indexOf("data-column=\"Species\"");
        int name = record.indexOf("data-column=\"Name\"");
        assertTrue(species > 0 && name > species, record);
        assertFalse(record.contains("data-column=\"Age\""), record);
        assertTrue(record.contains(">Kind of animal</dt>"), record);
        assertTrue(record.contains("data-table=\"demo:Tissue_Sample\""), record);
        // the other table takes the schema's name style
        assertTrue(html("/web/" + cid + "/table/demo:Tissue_Sample").body().contains("<h1>Tissue Sample"));

        // the edit form shows the entry context, and what it does not show stays as stored
        String edit = "/web/" + cid + "/edit/demo:Subject";
        String form = html(edit + "?rid=" + s5).body();
        assertTrue(form.contains("name=\"v.0.Name\""), form);
        assertFalse(form.contains("name=\"v.0.Species\""), form);
        JsonObject before = http().get("/ermrest/catalog/" + cid + "/entity/demo:Subject/RID=" + s5)
                .jsonArray()
                .getJsonObject(0);
        Reply saved =
                post(edit, "rid.0=" + s5 + "&rmt.0=" + enc(hidden(form, "rmt.0")) + "&v.0.Name=" + enc("S5 renamed"));
        assertEquals(303, saved.status(), saved::toString);
        JsonObject after = http().get("/ermrest/catalog/" + cid + "/entity/demo:Subject/RID=" + s5)
                .jsonArray()
                .getJsonObject(0);
        assertEquals("S5 renamed", after.getString("Name"));
        assertEquals(before.get("Species"), after.get("Species"));
        assertEquals(before.get("Age"), after.get("Age"));
    }

    private void table(String json) {
        Reply t = http().postJson("/ermrest/catalog/" + cid + "/schema/demo/table", json);
        assertEquals(201, t.status(), t::toString);
    }

    private static String fk(String name, String from, String column, String to) {
        return "{\"names\": [[\"demo\", \"" + name
                + "\"]], \"foreign_key_columns\": [{\"schema_name\": \"demo\", \"table_name\": \""
                + from + "\", \"column_name\": \"" + column
                + "\"}], \"referenced_columns\": [{\"schema_name\": \"demo\", \"table_name\": \""
                + to + "\", \"column_name\": \"RID\"}]}";
    }

    private JsonArray insert(String table, String rows) {
        Reply r = http().postJson("/ermrest/catalog/" + cid + "/entity/demo:" + table, rows);
        assertEquals(200, r.status(), r::toString);
        return r.jsonArray();
    }

    @Test
    void markdownPatternsPseudoColumnsAndPreFormatShowAsDerivaMlAnnotatesThem() {
        table(
                "{\"table_name\": \"Workflow_Type\", \"column_definitions\": [{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}]}");
        table(
                "{\"table_name\": \"Workflow\", \"column_definitions\": [{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}},"
                        + "{\"name\": \"URL\", \"type\": {\"typename\": \"text\"}}, {\"name\": \"Cost\", \"type\": {\"typename\": \"float8\"}}]}");
        table(
                "{\"table_name\": \"Workflow_Workflow_Type\", \"column_definitions\": [{\"name\": \"Workflow\", \"type\": {\"typename\": \"text\"}},"
                        + "{\"name\": \"Workflow_Type\", \"type\": {\"typename\": \"text\"}}], \"foreign_keys\": ["
                        + fk("WWT_Workflow_fkey", "Workflow_Workflow_Type", "Workflow", "Workflow") + ","
                        + fk("WWT_Type_fkey", "Workflow_Workflow_Type", "Workflow_Type", "Workflow_Type") + "]}");
        JsonArray types = insert("Workflow_Type", "[{\"Name\": \"Training\"}, {\"Name\": \"Testing\"}]");
        JsonArray flows = insert(
                "Workflow",
                "[{\"Name\": \"w1\", \"URL\": \"https://example.org/w1\", \"Cost\": 3.5},"
                        + " {\"Name\": \"w2 <script>alert(1)</script>\", \"URL\": \"javascript:alert(2)\", \"Cost\": null}]");
        String w1 = flows.getJsonObject(0).getString("RID");
        String w2 = flows.getJsonObject(1).getString("RID");
        insert(
                "Workflow_Workflow_Type",
                "[{\"Workflow\": \"" + w1 + "\", \"Workflow_Type\": \""
                        + types.getJsonObject(0).getString("RID") + "\"}," + " {\"Workflow\": \"" + w1
                        + "\", \"Workflow_Type\": \"" + types.getJsonObject(1).getString("RID") + "\"}]");
        // deriva-ml's own Workflow annotation: an inbound-then-outbound pseudo-column and a virtual
        // column whose pattern uses $location and $catalog; column-display on two columns
        String columns = "[\"RID\", \"Name\", {\"source\": [{\"inbound\": [\"demo\", \"WWT_Workflow_fkey\"]},"
                + " {\"outbound\": [\"demo\", \"WWT_Type_fkey\"]}, \"RID\"], \"markdown_name\": \"Workflow Types\"},"
                + " {\"display\": {\"markdown_pattern\": \"[cite](https://{{{$location.host}}}/id/{{{$catalog.id}}}/{{{RID}}})\"},"
                + " \"markdown_name\": \"Permalink\"}, \"URL\", \"Cost\","
                + " {\"source\": [{\"inbound\": [\"demo\", \"nowhere_fkey\"]}, \"RID\"], \"markdown_name\": \"Unknown\"},"
                + " {\"source\": \"Name\", \"aggregate\": \"cnt\", \"markdown_name\": \"Counted\"}]";
        annotate(
                "/table/Workflow",
                "tag:isrd.isi.edu,2016:visible-columns",
                "{\"compact\": " + columns + ", \"detailed\": " + columns + "}");
        annotate(
                "/table/Workflow/column/URL",
                "tag:isrd.isi.edu,2016:column-display",
                "{\"*\": {\"markdown_pattern\": \"[{{{URL}}}]({{{URL}}})\"}}");
        annotate(
                "/table/Workflow/column/Cost",
                "tag:isrd.isi.edu,2016:column-display",
                "{\"compact\": {\"pre_format\": {\"format\": \"%.2f\"}}, \"detailed\": {\"markdown_pattern\": \"**{{{Cost}}}** GPU hours\"}}");

        Reply table = html("/web/" + cid + "/table/demo:Workflow");
        assertEquals(200, table.status(), table::toString);
        String page = table.body();
        List<String> headers = new ArrayList<>();
        Matcher h = Pattern.compile("<th scope=\"col\" aria-sort=\"[a-z]+\">(?:<a href=\"[^\"]*\">)?([^<▲▼]+)")
                .matcher(page);
        while (h.find()) {
            headers.add(h.group(1).strip());
        }
        assertEquals(
                List.of("RID", "Name", "Workflow Types", "Permalink", "URL", "Cost"),
                headers,
                "entries Cairn cannot show are left out");
        Matcher row = Pattern.compile("(?s)<tr>[^\n]*?/record/demo%3AWorkflow/" + w1 + "\".*?</tr>")
                .matcher(page);
        assertTrue(row.find(), page);
        String cells = row.group();
        assertTrue(cells.contains(">Training</a>") && cells.contains(">Testing</a>"), "the types by name: " + cells);
        assertTrue(
                cells.contains(
                        "/record/demo%3AWorkflow_Type/" + types.getJsonObject(0).getString("RID")),
                cells);
        assertTrue(
                unescape(cells)
                        .contains("<a rel=\"nofollow\" href=\"https://example.org/w1\">https://example.org/w1</a>"),
                cells);
        assertTrue(
                unescape(cells).matches("(?s).*href=\"https://[^/\"]+/id/" + cid + "/" + w1 + "\">cite</a>.*"), cells);
        assertTrue(cells.contains(">3.50<"), "pre_format: " + cells);
        // markup in values and patterns stays text; a script link loses its target
        assertFalse(page.contains("<script>alert"), page);
        assertFalse(page.contains("href=\"javascript:"), page);

        String record = html("/web/" + cid + "/record/demo:Workflow/" + w1).body();
        assertTrue(record.contains("<strong>3.5</strong> GPU hours"), "the detailed context's pattern: " + record);
        assertTrue(record.contains(">Training</a>"), record);
        String other = html("/web/" + cid + "/record/demo:Workflow/" + w2).body();
        Matcher none = Pattern.compile("(?s)data-column=\"entry-2\">(.*?)</dd>").matcher(other);
        assertTrue(none.find(), other);
        assertTrue(none.group(1).contains("—"), "no types: " + none.group(1));
        assertFalse(other.contains("<script>alert"), other);
    }
}
