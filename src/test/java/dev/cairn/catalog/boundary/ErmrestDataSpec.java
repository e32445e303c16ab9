package dev.cairn.catalog.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ERMrest's data APIs over HTTP, on the deriva-ml tables of a fresh catalog: workflows and
 * executions (linked by a foreign key) and the seeded vocabularies.
 */
public abstract class ErmrestDataSpec extends CairnSpec {

    private String base;
    private String predict;

    @BeforeEach
    void catalogWithData() {
        base = "/ermrest/catalog/" + createCatalog("{\"name\": \"data\"}").getString("id");
        Reply workflows = http().postJson(
                        base + "/entity/deriva-ml:Workflow",
                        "[{\"Name\": \"Train\", \"Checksum\": \"a1\", \"Version\": \"1\"},"
                                + " {\"Name\": \"Predict\", \"Checksum\": \"b2\", \"Version\": \"2\"},"
                                + " {\"Name\": \"Unused\", \"Checksum\": \"c3\"}]");
        assertEquals(200, workflows.status(), workflows::toString);
        assertEquals(3, workflows.jsonArray().size());
        predict = workflows.jsonArray().getJsonObject(1).getString("RID");
        String train = workflows.jsonArray().getJsonObject(0).getString("RID");
        Reply executions = http().postJson(
                        base + "/entity/deriva-ml:Execution",
                        "[{\"Workflow\": \"" + train + "\", \"Status\": \"Running\", \"Description\": \"epoch sweep\"},"
                                + " {\"Workflow\": \"" + train + "\", \"Status\": \"Failed\"},"
                                + " {\"Workflow\": \"" + predict + "\", \"Status\": \"Running\"},"
                                + " {\"Workflow\": null, \"Status\": \"Created\"}]");
        assertEquals(200, executions.status(), executions::toString);
    }

    private JsonArray get(String path) {
        Reply reply = http().get(base + path);
        assertEquals(200, reply.status(), () -> path + ": " + reply);
        return reply.jsonArray();
    }

    private static List<String> values(JsonArray rows, String column) {
        return rows.getValuesAs(JsonObject.class).stream()
                .map(r -> r.isNull(column)
                        ? null
                        : r.get(column) instanceof JsonString s
                                ? s.getString()
                                : r.get(column).toString())
                .toList();
    }

    @Test
    void insertReturnsRowsWithSystemColumns() {
        JsonObject row = get("/entity/deriva-ml:Workflow/Name=Train").getJsonObject(0);
        assertTrue(row.getString("RID").matches("[0-9A-Z-]+"));
        assertTrue(row.containsKey("RCT") && row.containsKey("RMB"));
        assertEquals("a1", row.getString("Checksum"));
    }

    @Test
    void filterOperatorsAndLogic() {
        assertEquals(List.of("Predict"), values(get("/entity/deriva-ml:Workflow/Name=Predict"), "Name"));
        assertEquals(
                List.of("Predict", "Unused"),
                values(get("/entity/deriva-ml:Workflow/Checksum::gt::a1@sort(Name)"), "Name"));
        assertEquals(
                List.of("Predict", "Train"),
                values(get("/entity/deriva-ml:Workflow/Checksum::geq::a1&Checksum::lt::c3@sort(Name)"), "Name"));
        assertEquals(List.of("Unused"), values(get("/entity/deriva-ml:Workflow/Version::null::"), "Name"));
        assertEquals(
                List.of("Predict", "Unused"), values(get("/entity/deriva-ml:Workflow/!Name=Train@sort(Name)"), "Name"));
        assertEquals(
                List.of("Predict", "Train"),
                values(get("/entity/deriva-ml:Workflow/Name=Train;Name=Predict@sort(Name)"), "Name"));
        assertEquals(
                List.of("Train"),
                values(get("/entity/deriva-ml:Workflow/(Name=Train;Name=Predict)&Version=1"), "Name"));
        assertEquals(List.of("Train"), values(get("/entity/deriva-ml:Workflow/Name::regexp::%5ET"), "Name"));
        assertEquals(List.of("Predict"), values(get("/entity/deriva-ml:Workflow/Name::ciregexp::%5Epre"), "Name"));
        assertEquals(List.of("Unused"), values(get("/entity/deriva-ml:Workflow/*::ciregexp::unus"), "Name"));
        assertEquals(List.of("Train"), values(get("/entity/deriva-ml:Workflow/Version::leq::1"), "Name"));
        assertEquals(List.of("Train"), values(get("/entity/deriva-ml:Workflow/Name::regexp::T/Checksum=a1"), "Name"));
        assertEquals(2, get("/entity/deriva-ml:Execution/Status=Running").size());
    }

    @Test
    void joinsAliasesAndResets() {
        assertEquals(
                List.of("Running", "Running", "Failed").stream().sorted().toList(),
                values(
                        get("/entity/deriva-ml:Workflow/Name=Train;Name=Predict/deriva-ml:Execution@sort(Status)"),
                        "Status"));
        JsonArray ofPredict = get("/entity/E:=deriva-ml:Execution/deriva-ml:Workflow/Name=Predict/$E");
        assertEquals(1, ofPredict.size());
        assertEquals(predict, ofPredict.getJsonObject(0).getString("Workflow"));
        assertEquals(
                1, get("/entity/deriva-ml:Execution/(Workflow)/Name=Predict").size());
        assertEquals(
                1,
                get("/entity/E:=deriva-ml:Execution/(Workflow)=(deriva-ml:Workflow:RID)/Name=Predict/$E")
                        .size());
        JsonArray outer = get(
                "/attribute/E:=deriva-ml:Execution/W:=left(Workflow)=(deriva-ml:Workflow:RID)/$E/Status,wf:=W:Name@sort(Status)");
        assertEquals(4, outer.size(), "the execution without a workflow stays in a left join");
        assertTrue(outer.getJsonObject(0).isNull("wf"), "Created has no workflow");
        assertEquals(
                List.of("Predict", "Train"),
                values(get("/entity/deriva-ml:Execution/Status=Running/deriva-ml:Workflow@sort(Name)"), "Name"),
                "joins filter but never duplicate");
    }

    @Test
    void projectionsAggregatesAndGroups() {
        JsonObject renamed = get("/attribute/W:=deriva-ml:Workflow/Name=Train/n:=Name,W:Checksum")
                .getJsonObject(0);
        assertEquals("Train", renamed.getString("n"));
        assertEquals("a1", renamed.getString("Checksum"));
        JsonObject prefixed =
                get("/attribute/W:=deriva-ml:Workflow/Name=Train/W:*").getJsonObject(0);
        assertEquals("a1", prefixed.getString("W:Checksum"));

        JsonObject totals = get("/aggregate/deriva-ml:Execution/n:=cnt(*),statuses:=cnt_d(Status),first:=min(Status),"
                        + "last:=max(Status),all:=array_d(Status),wf:=cnt(Workflow)")
                .getJsonObject(0);
        assertEquals(4, totals.getInt("n"));
        assertEquals(3, totals.getInt("statuses"));
        assertEquals("Created", totals.getString("first"));
        assertEquals("Running", totals.getString("last"));
        assertEquals(3, totals.getJsonArray("all").size());
        assertEquals(3, totals.getInt("wf"), "cnt counts non-null values");

        JsonArray groups = get("/attributegroup/deriva-ml:Execution/Status;n:=cnt(*)@sort(n::desc::,Status)");
        assertEquals(List.of("Running", "Created", "Failed"), values(groups, "Status"));
        assertEquals(2, groups.getJsonObject(0).getInt("n"));
        JsonArray byWorkflow =
                get("/attributegroup/E:=deriva-ml:Execution/deriva-ml:Workflow/wf:=Name;n:=cnt(E:RID)@sort(wf)");
        assertEquals(List.of("Predict", "Train"), values(byWorkflow, "wf"));
        assertEquals(List.of("1", "2"), values(byWorkflow, "n"));
    }

    @Test
    void sortAndKeysetPaging() {
        String types = "/attribute/deriva-ml:Asset_Type/Name@sort(Name)";
        List<String> all = values(get(types), "Name");
        assertEquals(12, all.size());
        assertEquals(all.subList(0, 3), values(get(types + "?limit=3"), "Name"));
        assertEquals(all.subList(3, 6), values(get(types + "@after(" + all.get(2) + ")?limit=3"), "Name"));
        assertEquals(all.subList(3, 6), values(get(types + "@before(" + all.get(6) + ")?limit=3"), "Name"));
        assertEquals(
                all.subList(4, 6),
                values(get(types + "@after(" + all.get(3) + ")@before(" + all.get(6) + ")"), "Name"));
        List<String> descending =
                values(get("/attribute/deriva-ml:Asset_Type/Name@sort(Name::desc::)?limit=2"), "Name");
        assertEquals(List.of(all.get(11), all.get(10)), descending);
        // NULLs sort last ascending, and a page key can be NULL
        assertEquals(
                List.of("Train", "Predict", "Unused"),
                values(get("/attribute/deriva-ml:Workflow/Name,Version@sort(Version,Name)"), "Name"));
        assertEquals(
                List.of("Unused"),
                values(get("/attribute/deriva-ml:Workflow/Name,Version@sort(Version,Name)@after(2,Predict)"), "Name"));
        assertEquals(
                0,
                get("/attribute/deriva-ml:Workflow/Name,Version@sort(Version,Name)@after(::null::,Unused)")
                        .size());
    }

    @Test
    void csvAndJsonStreamOutAndIn() {
        Reply csv = http().get(
                        base + "/attribute/deriva-ml:Workflow/Name,Checksum@sort(Name)?accept=csv&download=workflows");
        assertEquals(200, csv.status());
        assertTrue(csv.contentType().startsWith("text/csv"));
        assertEquals("Name,Checksum\nPredict,b2\nTrain,a1\nUnused,c3\n", csv.body());
        assertEquals(
                "attachment; filename*=UTF-8''workflows.csv",
                csv.header("Content-Disposition").orElseThrow());
        Reply lines = http().get(
                        base + "/attribute/deriva-ml:Workflow/Name@sort(Name)", "Accept", "application/x-json-stream");
        assertEquals("{\"Name\":\"Predict\"}\n{\"Name\":\"Train\"}\n{\"Name\":\"Unused\"}\n", lines.body());

        Reply fromCsv = http().send(
                        "POST",
                        base + "/entity/deriva-ml:Workflow",
                        "text/csv",
                        "Name,Checksum,Version\n\"Quoted, name\",d4,\nPlain,e5,3\n");
        assertEquals(200, fromCsv.status(), fromCsv::toString);
        assertTrue(fromCsv.jsonArray().getJsonObject(0).isNull("Version"), "an empty CSV field is NULL");
        Reply fromLines = http().send(
                        "POST",
                        base + "/entity/deriva-ml:Workflow",
                        "application/x-json-stream",
                        "{\"Name\": \"Line 1\"}\n{\"Name\": \"Line 2\"}\n");
        assertEquals(2, fromLines.jsonArray().size());
        assertEquals(7, get("/entity/deriva-ml:Workflow").size());
    }

    @Test
    void defaultsNondefaultsConflictsAndUpsert() {
        assertEquals(
                400,
                http().postJson(
                                base + "/entity/deriva-ml:Workflow?nondefaults=RID",
                                "[{\"RID\": \"MY-RID!\", \"Name\": \"Chosen\"}]")
                        .status(),
                "a RID has RID syntax");
        Reply rid = http().postJson(
                        base + "/entity/deriva-ml:Workflow?nondefaults=RID",
                        "[{\"RID\": \"1-MYR0\", \"Name\": \"Chosen\"}]");
        assertEquals(200, rid.status(), rid::toString);
        assertEquals("1-MYR0", rid.jsonArray().getJsonObject(0).getString("RID"));
        Reply ignored =
                http().postJson(base + "/entity/deriva-ml:Workflow", "[{\"RID\": \"IGNORED\", \"Name\": \"Given\"}]");
        assertTrue(
                !ignored.jsonArray().getJsonObject(0).getString("RID").equals("IGNORED"),
                "RID is the server's by default");
        Reply defaulted = http().postJson(
                        base + "/entity/deriva-ml:Dataset_Version?defaults=Version",
                        "[{\"Version\": \"9.9.9\", \"Dataset\": null}]");
        assertEquals(409, defaulted.status(), "Dataset is NOT NULL: " + defaulted);

        Reply duplicate = http().postJson(
                        base + "/entity/deriva-ml:Asset_Type",
                        "[{\"Name\": \"Output_File\", \"Description\": \"again\"}]");
        assertEquals(409, duplicate.status());
        assertTrue(duplicate.json().getString("detail").contains("Asset_Type_Namekey1"), duplicate::toString);
        Reply skipped = http().postJson(
                        base + "/entity/deriva-ml:Asset_Type?onconflict=skip",
                        "[{\"Name\": \"Output_File\", \"Description\": \"again\"}, {\"Name\": \"Mask\", \"Description\": \"new\"}]");
        assertEquals(200, skipped.status(), skipped::toString);
        assertEquals(List.of("Mask"), values(skipped.jsonArray(), "Name"));

        Reply upsert = http().send(
                        "PUT",
                        base + "/entity/deriva-ml:Asset_Type",
                        "application/json",
                        "[{\"Name\": \"Mask\", \"Description\": \"changed\"}, {\"Name\": \"Brand_New\", \"Description\": \"inserted\"}]");
        assertEquals(200, upsert.status(), upsert::toString);
        assertEquals(List.of("changed"), values(get("/entity/deriva-ml:Asset_Type/Name=Mask"), "Description"));
        assertEquals(1, get("/entity/deriva-ml:Asset_Type/Name=Brand_New").size());
    }

    @Test
    void deleteByPathAndEntityRid() {
        String unused =
                get("/entity/deriva-ml:Workflow/Name=Unused").getJsonObject(0).getString("RID");
        Reply resolved = http().get(base + "/entity_rid/" + unused);
        assertEquals("Workflow", resolved.json().getString("table_name"));
        assertEquals("deriva-ml", resolved.json().getString("schema_name"));
        assertEquals(
                204,
                http().delete(base + "/entity/deriva-ml:Workflow/Name=Unused").status());
        assertEquals(0, get("/entity/deriva-ml:Workflow/Name=Unused").size());
        assertEquals(404, http().get(base + "/entity_rid/" + unused).status());
        assertEquals(
                409,
                http().delete(base + "/entity/deriva-ml:Workflow/Name=Train").status(),
                "executions still refer to it");
        assertEquals(
                204,
                http().delete(base + "/entity/E:=deriva-ml:Execution/deriva-ml:Workflow/Name=Predict/$E")
                        .status());
        assertEquals(3, get("/entity/deriva-ml:Execution").size());
    }

    @Test
    void errorsSayWhatAndWhere() {
        Reply syntax = http().get(base + "/entity/deriva-ml:Workflow/Name=x&");
        assertEquals(400, syntax.status());
        assertTrue(syntax.json().getString("detail").contains("character"), syntax::toString);
        assertEquals(404, http().get(base + "/entity/deriva-ml:Nope").status());
        assertEquals(404, http().get(base + "/entity/deriva-ml:Workflow/Nope=1").status());
        assertEquals(
                404,
                http().get("/ermrest/catalog/999999/entity/deriva-ml:Workflow").status());
        assertEquals(
                400,
                http().get(base + "/entity/deriva-ml:Workflow/RCT::gt::not-a-date")
                        .status());
        assertEquals(
                400,
                http().get(base + "/entity/deriva-ml:Workflow/Name::regexp::(").status());
        assertEquals(
                400, http().get(base + "/entity/deriva-ml:Workflow@sort(Nope)").status());
        assertEquals(
                400,
                http().get(base + "/entity/deriva-ml:Workflow/deriva-ml:Asset_Type")
                        .status(),
                "no link");
        assertEquals(
                400,
                http().postJson(base + "/entity/deriva-ml:Workflow", "{\"not\": \"an array\"}")
                        .status());
        assertEquals(
                400, http().get(base + "/entity/deriva-ml:Workflow?limit=0").status());
    }

    @Test
    void hostileInputStaysData() {
        String injection = "x'%3B%20DROP%20SCHEMA%20%22deriva-ml%22%20CASCADE%3B%20--";
        assertEquals(0, get("/entity/deriva-ml:Workflow/Name=" + injection).size());
        assertEquals(
                404,
                http().get(base + "/entity/deriva-ml:Workflow%22%3B%20DROP%20TABLE%20x%3B%20--")
                        .status());
        assertEquals(
                404,
                http().get(base + "/entity/deriva-ml:Workflow/Name%22%20OR%201%3D1%20--=x")
                        .status());
        Reply stored = http().postJson(
                        base + "/entity/deriva-ml:Workflow",
                        "[{\"Name\": \"'); DROP TABLE \\\"deriva-ml\\\".\\\"Workflow\\\"; --\"}]");
        assertEquals(200, stored.status());
        assertEquals(
                1,
                get("/entity/deriva-ml:Workflow/Name=%27%29%3B%20DROP%20TABLE%20%22deriva-ml%22.%22Workflow%22%3B%20--")
                        .size());
        assertEquals(4, get("/entity/deriva-ml:Workflow").size(), "the table is intact");
        assertEquals(
                400,
                http().postJson(base + "/entity/deriva-ml:Workflow", "[{\"Name\\\" text); --\": 1}]")
                        .status());
    }

    private String snaptime() {
        Reply catalog = http().get(base);
        assertEquals(200, catalog.status());
        return catalog.json().getString("snaptime");
    }

    @Test
    void snapshotsReadTheDataAsItWas() {
        String before = snaptime();
        String rid =
                get("/entity/deriva-ml:Workflow/Name=Unused").getJsonObject(0).getString("RID");
        assertEquals(
                200,
                http().send(
                                "PUT",
                                base + "/entity/deriva-ml:Workflow",
                                "application/json",
                                "[{\"RID\": \"" + rid + "\", \"Name\": \"Renamed\"}]")
                        .status());
        String renamed = snaptime();
        assertTrue(!renamed.equals(before), "every committed change advances the snaptime");
        assertEquals(
                204,
                http().delete(base + "/entity/deriva-ml:Workflow/RID=" + rid).status());
        String deleted = snaptime();

        assertEquals(
                List.of("Unused"),
                values(
                        http().get(base + "@" + before + "/attribute/deriva-ml:Workflow/RID=" + rid + "/Name")
                                .jsonArray(),
                        "Name"));
        assertEquals(
                List.of("Renamed"),
                values(
                        http().get(base + "@" + renamed + "/attribute/deriva-ml:Workflow/RID=" + rid + "/Name")
                                .jsonArray(),
                        "Name"));
        assertEquals(
                0,
                http().get(base + "@" + deleted + "/entity/deriva-ml:Workflow/RID=" + rid)
                        .jsonArray()
                        .size());
        assertEquals(0, get("/entity/deriva-ml:Workflow/RID=" + rid).size());
        JsonObject counts = http().get(base + "@" + before + "/aggregate/deriva-ml:Workflow/n:=cnt(*)")
                .jsonArray()
                .getJsonObject(0);
        assertEquals(3, counts.getInt("n"), "aggregates read the snapshot too");
        assertEquals(before, http().get(base + "@" + before).json().getString("snaptime"));
        assertEquals(
                409,
                http().postJson(base + "@" + before + "/entity/deriva-ml:Workflow", "[{\"Name\": \"x\"}]")
                        .status(),
                "snapshots are read-only");
        assertEquals(
                400,
                http().get(base + "@not-a-snaptime/entity/deriva-ml:Workflow").status());
    }

    @Test
    void entityTagsMakeReadsConditionalAndWritesSafe() {
        Reply first = http().get(base + "/entity/deriva-ml:Workflow");
        String etag = first.header("ETag").orElseThrow();
        assertEquals(
                304,
                http().get(base + "/entity/deriva-ml:Workflow", "If-None-Match", etag)
                        .status());
        Reply stale = http().send(http().request(base + "/entity/deriva-ml:Workflow")
                .header("Content-Type", "application/json")
                .header("If-Match", "\"0\"")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"Name\": \"x\"}]")));
        assertEquals(412, stale.status(), stale::toString);
        Reply fresh = http().send(http().request(base + "/entity/deriva-ml:Workflow")
                .header("Content-Type", "application/json")
                .header("If-Match", etag)
                .POST(HttpRequest.BodyPublishers.ofString("[{\"Name\": \"x\"}]")));
        assertEquals(200, fresh.status(), fresh::toString);
        assertEquals(
                200,
                http().get(base + "/entity/deriva-ml:Workflow", "If-None-Match", etag)
                        .status(),
                "the data changed");
    }

    @Test
    void bulkUpdateByKey() {
        Reply updated = http().send(
                        "PUT",
                        base + "/attributegroup/deriva-ml:Workflow/Name;Checksum,Version",
                        "application/json",
                        "[{\"Name\": \"Train\", \"Checksum\": \"new1\", \"Version\": \"9\"}, {\"Name\": \"Nobody\", \"Checksum\": \"x\", \"Version\": \"0\"}]");
        assertEquals(200, updated.status(), updated::toString);
        assertEquals(1, updated.jsonArray().size(), "only matching rows are updated");
        assertEquals("new1", updated.jsonArray().getJsonObject(0).getString("Checksum"));
        assertEquals(List.of("new1"), values(get("/entity/deriva-ml:Workflow/Name=Train"), "Checksum"));
        assertEquals(
                List.of("b2"), values(get("/entity/deriva-ml:Workflow/Name=Predict"), "Checksum"), "others untouched");
        assertEquals(
                400,
                http().send("PUT", base + "/attributegroup/deriva-ml:Workflow/Name;c:=cnt(*)", "application/json", "[]")
                        .status());
        Reply partial = http().send(
                        "PUT",
                        base + "/attributegroup/deriva-ml:Workflow/Name;Checksum,Version",
                        "application/json",
                        "[{\"Name\": \"Train\", \"Checksum\": \"new2\"}]");
        assertEquals(400, partial.status(), "a row without Version would set it to NULL: " + partial);
        assertTrue(partial.body().contains("Row 1, column Version"), partial::toString);
        assertEquals(
                List.of("new1"), values(get("/entity/deriva-ml:Workflow/Name=Train"), "Checksum"), "nothing changed");
        // a key that names nothing is ignored, as ERMrest ignores it, and named in the answer
        Reply extra = http().send(
                        "PUT",
                        base + "/attributegroup/deriva-ml:Workflow/Name;Checksum",
                        "application/json",
                        "[{\"Name\": \"Train\", \"Checksum\": \"new2\", \"Nope\": 1}]");
        assertEquals(200, extra.status(), extra::toString);
        assertEquals("Nope", extra.header(ErmrestDataResource.IGNORED_KEYS).orElse(""));
        assertEquals(
                405,
                http().send("PUT", base + "/attribute/deriva-ml:Workflow/Name", "application/json", "[]")
                        .status());
    }
}
