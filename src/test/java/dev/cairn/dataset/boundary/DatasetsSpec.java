package dev.cairn.dataset.boundary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import gov.loc.repository.bagit.domain.Bag;
import gov.loc.repository.bagit.reader.BagReader;
import gov.loc.repository.bagit.verify.BagVerifier;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * Datasets over HTTP, the whole story: element types for a domain table and an asset table,
 * nested datasets and a refused cycle, members by RID and by table, dev versions and releases,
 * the bag of a release staying byte-identical while everything it was made from changes, bags
 * validated by the Library of Congress's BagIt library (fetch.txt fetched for holey ones), diffs
 * that see deletions, soft delete, citations, and an execution that records the version it used.
 */
public abstract class DatasetsSpec extends CairnSpec {

    private String cid;
    private String api;

    private JsonObject created(String path, String json) {
        Reply reply = http().postJson(api + path, json);
        assertEquals(201, reply.status(), reply::toString);
        return reply.json();
    }

    private JsonObject ok(Reply reply) {
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private String status(String execution, String status) {
        Reply reply = http().send(
                        "PUT",
                        api + "/executions/" + execution + "/status",
                        "application/json",
                        "{\"status\": \"" + status + "\"}");
        assertEquals(200, reply.status(), reply::toString);
        return execution;
    }

    /** An image file committed by an execution, pointing at a subject; returns its RID. */
    private String image(String workflow, String subject, String content) {
        String execution = status(
                created("/executions", "{\"workflow\": \"" + workflow + "\"}").getString("RID"), "Running");
        Reply staged = http().put(
                        api + "/executions/" + execution + "/outputs/Image/" + content + ".png",
                        content.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, staged.status(), staged::toString);
        status(execution, "Stopped");
        JsonObject committed = ok(http().postJson(api + "/executions/" + execution + "/commit", ""));
        String rid = committed.getJsonArray("Assets").getValuesAs(JsonObject.class).stream()
                .filter(a -> a.getString("Asset_Role").equals("Output"))
                .findFirst()
                .orElseThrow()
                .getString("RID");
        Reply linked = http().send(
                        "PUT",
                        "/ermrest/catalog/" + cid + "/attributegroup/demo:Image/RID;Subject",
                        "application/json",
                        "[{\"RID\": \"" + rid + "\", \"Subject\": \"" + subject + "\"}]");
        assertEquals(200, linked.status(), linked::toString);
        return rid;
    }

    private byte[] bag(String dataset, String query, String... headers) {
        HttpResponse<byte[]> response = http().binary(api + "/datasets/" + dataset + "/bag?" + query, headers);
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(
                "application/zip", response.headers().firstValue("Content-Type").orElse(""));
        return response.body();
    }

    /** The zip's entries by their path inside the bag folder. */
    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName().substring(e.getName().indexOf('/') + 1), in.readAllBytes());
            }
        }
        return out;
    }

    private static String text(Map<String, byte[]> entries, String path) {
        byte[] bytes = entries.get(path);
        assertNotNull(bytes, () -> path + " is not in the bag: " + entries.keySet());
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Unpacks the zip, fetches what fetch.txt lists, and checks the bag with bagit-java. */
    private Path validate(byte[] zip) throws Exception {
        Path dir = Files.createTempDirectory("bag");
        String root = null;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path file = dir.resolve(e.getName()).normalize();
                assertTrue(file.startsWith(dir), e.getName());
                Files.createDirectories(file.getParent());
                Files.write(file, in.readAllBytes());
                root = e.getName().substring(0, e.getName().indexOf('/'));
            }
        }
        Path bagDir = dir.resolve(root);
        Path fetch = bagDir.resolve("fetch.txt");
        if (Files.exists(fetch)) {
            for (String line : Files.readAllLines(fetch)) {
                String[] parts = line.split(" ", 3);
                assertTrue(parts[0].startsWith("http://"), line);
                String path = parts[0].substring(parts[0].indexOf("/hatrac/"));
                HttpResponse<byte[]> file = http().bytes(path);
                assertEquals(200, file.statusCode(), path);
                assertEquals(Long.parseLong(parts[1]), file.body().length);
                Path target = bagDir.resolve(parts[2]);
                Files.createDirectories(target.getParent());
                Files.write(target, file.body());
            }
        }
        Bag bag = new BagReader().read(bagDir);
        try (BagVerifier verifier = new BagVerifier()) {
            verifier.isValid(bag, false);
        }
        return bagDir;
    }

    /** The RID column of a CSV file (the values Cairn writes hold no commas or quotes here). */
    private static Set<String> csvRids(String csv) {
        List<String> lines = csv.lines().toList();
        int column = List.of(lines.get(0).split(",")).indexOf("RID");
        return lines.stream().skip(1).map(l -> l.split(",")[column]).collect(Collectors.toSet());
    }

    private List<String> rids(JsonArray rows) {
        return rows.getValuesAs(JsonObject.class).stream()
                .map(r -> r.getString("RID"))
                .toList();
    }

    @Test
    void datasetsFromMembersToReproducibleBags() throws Exception {
        cid = createCatalog("{\"name\": \"datasets\", \"domainSchema\": \"demo\"}")
                .getString("id");
        api = "/api/catalogs/" + cid;
        String cat = "/ermrest/catalog/" + cid;
        assertEquals(
                201,
                http().postJson(
                                cat + "/schema/demo/table",
                                "{\"table_name\": \"Subject\", \"column_definitions\": "
                                        + "[{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}]}")
                        .status());
        created("/asset-tables", "{\"name\": \"Image\", \"referencedTables\": [\"Subject\"]}");

        // element types: a domain table and an asset table; asking again changes nothing
        assertEquals(
                "demo:Dataset_Subject",
                created("/datasets/element-types", "{\"table\": \"Subject\"}").getString("association"));
        created("/datasets/element-types", "{\"table\": \"Image\"}");
        assertEquals(
                200,
                http().postJson(api + "/datasets/element-types", "{\"table\": \"Subject\"}")
                        .status());
        assertEquals(
                400,
                http().postJson(api + "/datasets/element-types", "{\"table\": \"Dataset_Type\"}")
                        .status());
        Set<String> types =
                http().get(api + "/datasets/element-types").jsonArray().getValuesAs(JsonObject.class).stream()
                        .map(t -> t.getString("schema") + ":" + t.getString("table"))
                        .collect(Collectors.toSet());
        assertEquals(Set.of("demo:Subject", "demo:Image", "deriva-ml:Dataset"), types);

        // datasets start released at 0.1.0, pinned to a snapshot
        JsonObject a =
                created("/datasets", "{\"description\": \"all subjects\", \"types\": [\"Training\", \"Labeled\"]}");
        assertEquals("0.1.0", a.getString("Current_Version"));
        assertEquals(
                List.of("Labeled", "Training"),
                a.getJsonArray("Dataset_Type").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString)
                        .toList());
        assertFalse(a.isNull("Snapshot"));
        String ds = a.getString("RID");
        String child = created("/datasets", "{\"description\": \"held out\"}").getString("RID");
        assertEquals(
                400,
                http().postJson(api + "/datasets", "{\"types\": [\"No_Such_Type\"]}")
                        .status());

        // nesting, and the cycles it must refuse
        assertEquals(
                1,
                ok(http().postJson(
                                        api + "/datasets/" + ds + "/members",
                                        "{\"members\": {\"Dataset\": [\"" + child + "\"]}}"))
                        .getInt("added"));
        assertEquals(
                409,
                http().postJson(api + "/datasets/" + child + "/members", "{\"members\": [\"" + ds + "\"]}")
                        .status());
        assertEquals(
                409,
                http().postJson(api + "/datasets/" + ds + "/members", "{\"members\": {\"Dataset\": [\"" + ds + "\"]}}")
                        .status());

        // members by bare RID (their table found) and by table; each change bumps the dev version
        JsonArray subjects = http().postJson(
                        cat + "/entity/demo:Subject", "[{\"Name\": \"s1\"}, {\"Name\": \"s2\"}, {\"Name\": \"s3\"}]")
                .jsonArray();
        String s1 = subjects.getJsonObject(0).getString("RID");
        String s2 = subjects.getJsonObject(1).getString("RID");
        String s3 = subjects.getJsonObject(2).getString("RID");
        String workflow = created(
                        "/workflows", "{\"name\": \"w\", \"type\": \"Training\", \"url\": \"u\", \"checksum\": \"c\"}")
                .getString("RID");
        String img = image(workflow, s1, "image-one");
        JsonObject added = ok(http().postJson(
                        api + "/datasets/" + ds + "/members", "{\"members\": [\"" + s1 + "\", \"" + s2 + "\"]}"));
        assertEquals(2, added.getInt("added"));
        assertEquals("0.1.0.post1.dev2", added.getString("Version"));
        assertEquals(
                "0.1.0.post1.dev3",
                ok(http().postJson(
                                        api + "/datasets/" + ds + "/members",
                                        "{\"members\": {\"Image\": [\"" + img + "\"]}}"))
                        .getString("Version"));
        assertEquals(
                0,
                ok(http().postJson(api + "/datasets/" + ds + "/members", "{\"members\": [\"" + s1 + "\"]}"))
                        .getInt("added"));
        assertEquals(
                "0.1.0.post1.dev3", http().get(api + "/datasets/" + ds).json().getString("Current_Version"));
        ok(http().postJson(api + "/datasets/" + child + "/members", "{\"members\": [\"" + s3 + "\"]}"));
        assertEquals(
                400,
                http().postJson(api + "/datasets/" + ds + "/members", "{\"members\": [\"ZZZZ\"]}")
                        .status());
        assertEquals(
                400,
                http().postJson(api + "/datasets/" + ds + "/members", "{\"members\": {\"Nope\": [\"" + s1 + "\"]}}")
                        .status());
        assertEquals(
                400,
                http().postJson(api + "/datasets/" + ds + "/members", "{\"members\": [\"not a rid\"]}")
                        .status());

        // listing: counts per type, pages of rows, nested members with recurse
        Map<String, Integer> counts = http()
                .get(api + "/datasets/" + ds + "/members")
                .json()
                .getJsonArray("members")
                .getValuesAs(JsonObject.class)
                .stream()
                .collect(Collectors.toMap(m -> m.getString("table"), m -> m.getInt("count")));
        assertEquals(Map.of("Subject", 2, "Image", 1, "Dataset", 1), counts);
        JsonObject page = http().get(api + "/datasets/" + ds + "/members?table=Subject&limit=1")
                .json();
        assertEquals(List.of(s1), rids(page.getJsonArray("rows")));
        assertEquals(
                List.of(s2),
                rids(http().get(api + "/datasets/" + ds + "/members?table=Subject&limit=1&after="
                                + page.getString("next"))
                        .json()
                        .getJsonArray("rows")));
        assertEquals(
                List.of(s1, s2, s3),
                rids(http().get(api + "/datasets/" + ds + "/members?table=Subject&recurse=true")
                        .json()
                        .getJsonArray("rows")));
        assertEquals(
                400,
                http().get(api + "/datasets/" + ds + "/members?tabel=Subject").status());

        // release: the dev version becomes 0.2.0 in place with a snapshot; nothing to release after
        JsonObject released = ok(http().postJson(
                        api + "/datasets/" + ds + "/release", "{\"bump\": \"minor\", \"description\": \"v2\"}"));
        assertEquals("0.2.0", released.getString("Version"));
        String snapshot = released.getString("Snapshot");
        assertEquals(
                409,
                http().postJson(api + "/datasets/" + ds + "/release", "{\"bump\": \"minor\"}")
                        .status());
        assertEquals(
                400,
                http().postJson(api + "/datasets/" + ds + "/release", "{\"bump\": \"huge\"}")
                        .status());
        assertEquals(
                List.of("0.1.0", "0.2.0"),
                http().get(api + "/datasets/" + ds + "/versions").jsonArray().getValuesAs(JsonObject.class).stream()
                        .map(v -> v.getString("Version"))
                        .toList());

        // an execution records the released version it consumed; a dev label is refused
        JsonObject run = created(
                "/executions",
                "{\"workflow\": \"" + workflow + "\", \"datasets\": [{\"rid\": \"" + ds
                        + "\", \"version\": \"0.2.0\"}]}");
        assertEquals(
                "0.2.0", run.getJsonArray("Dataset_Versions").getJsonObject(0).getString("Version"));
        assertEquals(
                400,
                http().postJson(
                                api + "/executions",
                                "{\"workflow\": \"" + workflow + "\", \"datasets\": [{\"rid\": \"" + ds
                                        + "\", \"version\": \"0.2.0.post1.dev1\"}]}")
                        .status());
        assertEquals(
                400,
                http().postJson(
                                api + "/executions",
                                "{\"workflow\": \"" + workflow + "\", \"datasets\": [{\"rid\": \"" + ds
                                        + "\", \"version\": \"7.0.0\"}]}")
                        .status());

        // the bag of 0.2.0, materialized and holey, valid for bagit-java
        byte[] first = bag(ds, "version=0.2.0");
        Map<String, byte[]> entries = entries(first);
        assertTrue(
                text(entries, "bag-info.txt").contains("External-Identifier: "), () -> text(entries, "bag-info.txt"));
        assertTrue(text(entries, "bag-info.txt").contains("/id/" + cid + "/" + ds + "@" + snapshot));
        assertTrue(text(entries, "bag-info.txt").contains("Cairn-Dataset-Version: 0.2.0"));
        assertEquals(Set.of(s1, s2, s3), csvRids(text(entries, "data/demo/Subject.csv")));
        assertTrue(text(entries, "data/deriva-ml/Asset_Type.csv").contains("Model_File"), "vocabularies come in full");
        assertTrue(text(entries, "data/schema.json").contains("\"Subject\""));
        assertEquals("image-one", text(entries, "data/assets/Image/" + img + "/image-one.png"));
        Path unpacked = validate(first);
        assertTrue(Files.exists(unpacked.resolve("data/assets/Image/" + img + "/image-one.png")));
        byte[] holey = bag(ds, "version=0.2.0&materialize=false");
        Map<String, byte[]> holeyEntries = entries(holey);
        assertFalse(holeyEntries.containsKey("data/assets/Image/" + img + "/image-one.png"));
        assertTrue(text(holeyEntries, "fetch.txt").contains(" data/assets/Image/" + img + "/image-one.png"));
        validate(holey);

        // now change everything the bag was made from: members, rows, nesting and the model
        assertEquals(
                1,
                ok(http().send("DELETE", api + "/datasets/" + ds + "/members/" + s2, null, null))
                        .getInt("removed"));
        assertEquals(
                200,
                http().send(
                                "PUT",
                                cat + "/attributegroup/demo:Subject/RID;Name",
                                "application/json",
                                "[{\"RID\": \"" + s1 + "\", \"Name\": \"renamed\"}]")
                        .status());
        assertEquals(204, http().delete(cat + "/entity/demo:Subject/RID=" + s3).status());
        assertEquals(
                201,
                http().postJson(
                                cat + "/schema/demo/table/Subject/column",
                                "{\"name\": \"Age\", \"type\": {\"typename\": \"int4\"}}")
                        .status());
        image(workflow, s1, "image-two");

        // the release's bag: the same bytes, kept (entity tag, ranges) and rebuilt from the history alike
        // (the first download keeps the bag in the background once it is sent)
        HttpResponse<byte[]> kept = http().binary(api + "/datasets/" + ds + "/bag?version=0.2.0");
        for (int i = 0; i < 100 && kept.headers().firstValue("ETag").isEmpty(); i++) {
            Thread.sleep(100);
            kept = http().binary(api + "/datasets/" + ds + "/bag?version=0.2.0");
        }
        assertArrayEquals(first, kept.body());
        String etag = kept.headers().firstValue("ETag").orElseThrow();
        assertArrayEquals(first, bag(ds, "version=0.2.0", "Cache-Control", "no-cache"));
        HttpResponse<byte[]> range =
                http().binary(api + "/datasets/" + ds + "/bag?version=0.2.0", "Range", "bytes=10-29");
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(first, 10, 30), range.body());
        assertEquals(
                304,
                http().binary(api + "/datasets/" + ds + "/bag?version=0.2.0", "If-None-Match", etag)
                        .statusCode());
        // the live (dev) state is another bag, marked unreleased
        Map<String, byte[]> live = entries(bag(ds, "version=dev"));
        assertTrue(text(live, "bag-info.txt").contains("Cairn-Release-State: unreleased"));
        assertEquals(Set.of(s1), csvRids(text(live, "data/demo/Subject.csv")));
        assertTrue(text(live, "data/demo/Subject.csv").contains("renamed"));

        // the diff sees the member removed, the row changed and the row deleted
        JsonObject diff = ok(http().get(api + "/datasets/" + ds + "/diff?from=0.2.0"));
        JsonObject members = diff.getJsonArray("members").getValuesAs(JsonObject.class).stream()
                .filter(m -> m.getString("table").equals("demo:Subject"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of(s2),
                members.getJsonArray("removed_rids").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString)
                        .toList());
        JsonObject rows = diff.getJsonArray("rows").getValuesAs(JsonObject.class).stream()
                .filter(m -> m.getString("table").equals("demo:Subject"))
                .findFirst()
                .orElseThrow();
        assertTrue(rows.getJsonArray("changed_rids").toString().contains("\"" + s1 + "\""), rows::toString);
        assertTrue(rows.getJsonArray("deleted_rids").toString().contains("\"" + s3 + "\""), rows::toString);
        assertTrue(rows.getJsonArray("removed_rids").toString().contains("\"" + s2 + "\""), rows::toString);

        // members at a version read the snapshot; an old dev label names nothing any more
        assertEquals(
                List.of(s1, s2),
                rids(http().get(api + "/datasets/" + ds + "/members?table=Subject&version=0.2.0")
                        .json()
                        .getJsonArray("rows")));
        assertEquals(
                409,
                http().get(api + "/datasets/" + ds + "/members?version=0.1.0.post1.dev1")
                        .status());
        assertEquals(
                400,
                http().get(api + "/datasets/" + ds + "/members?version=1.2").status());

        // concurrent releases: one wins
        ok(http().postJson(api + "/datasets/" + ds + "/dev", "{}"));
        List<CompletableFuture<Reply>> releases = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            releases.add(CompletableFuture.supplyAsync(
                    () -> http().postJson(api + "/datasets/" + ds + "/release", "{\"bump\": \"patch\"}")));
        }
        List<Integer> statuses =
                releases.stream().map(f -> f.join().status()).sorted().toList();
        assertEquals(List.of(200, 409, 409, 409), statuses);

        // citations resolve a RID now and at a snapshot, deleted rows included
        JsonObject cited = ok(http().get("/id/" + cid + "/" + ds + "@" + snapshot));
        assertEquals("Dataset", cited.getString("table"));
        assertEquals(
                s3,
                ok(http().get("/id/" + cid + "/" + s3 + "@" + snapshot))
                        .getJsonObject("row")
                        .getString("RID"));
        assertEquals(404, http().get("/id/" + cid + "/" + s3).status());
        assertEquals(
                "renamed",
                ok(http().get("/id/" + cid + "/" + s1)).getJsonObject("row").getString("Name"));

        // soft delete: refused while nested, then the dataset is withdrawn but kept
        assertEquals(409, http().delete(api + "/datasets/" + child).status());
        ok(http().postJson(
                        api + "/datasets/" + ds + "/members/remove",
                        "{\"members\": {\"Dataset\": [\"" + child + "\"]}}"));
        assertEquals(204, http().delete(api + "/datasets/" + child).status());
        assertFalse(rids(http().get(api + "/datasets").jsonArray()).contains(child));
        assertTrue(rids(http().get(api + "/datasets?deleted=true").jsonArray()).contains(child));
        assertEquals(
                409,
                http().postJson(api + "/datasets/" + child + "/members", "{\"members\": [\"" + s1 + "\"]}")
                        .status());
        assertEquals(404, http().get(api + "/datasets/ZZZZ").status());
    }
}
