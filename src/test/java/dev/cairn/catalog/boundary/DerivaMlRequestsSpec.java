package dev.cairn.catalog.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.Http;
import dev.cairn.Http.Reply;
import dev.cairn.security.boundary.PrincipalsSpec;
import jakarta.json.JsonArray;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The ERMrest requests deriva-ml (through deriva-py) sends that Cairn answered differently from
 * ERMrest, each as deriva-ml sends it: ACLs inside an element's document (deriva-py's acl_config,
 * which create_ml_catalog runs), RIDs leased in public:ERMrest_RID_Lease and claimed with
 * ?nondefaults=RID (replaced otherwise, as ERMrest does, and said), CSV typed exactly
 * text/csv (deriva-py's paged get_as_file compares it), bulk updates with aliased columns
 * (the uploader's o0:=C;n0:=C), keys that name no column (ignored, as ERMrest ignores them, and
 * named in a header), and history truncation.
 */
public abstract class DerivaMlRequestsSpec extends PrincipalsSpec {

    private static final String JSON = "application/json";

    private String ermrestCatalog() {
        Reply made = http().send(
                        "POST",
                        "/ermrest/catalog",
                        JSON,
                        "{\"name\": \"deriva-ml-" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
        assertEquals(201, made.status(), made::toString);
        return "/ermrest/catalog/" + made.json().getString("id");
    }

    @Test
    void aclsInsideAnElementDocumentReplaceItsAcls() {
        String cat = ermrestCatalog();
        assertEquals(201, http().send("POST", cat + "/schema/WWW", null, null).status());
        assertEquals(
                201,
                http().send(
                                "POST",
                                cat + "/schema/WWW/table",
                                JSON,
                                "{\"table_name\": \"File\", \"column_definitions\": "
                                        + "[{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}]}")
                        .status());
        String table = cat + "/schema/WWW/table/File";
        // deriva-py's Table.alter as acl_config sends it: comment, annotations, acls, acl_bindings
        Reply altered = http().send(
                        "PUT",
                        table,
                        JSON,
                        "{\"comment\": \"files\", \"annotations\": {}, \"acls\": {\"insert\": [\"*\"], "
                                + "\"select\": [\"*\"]}, \"acl_bindings\": {\"row_owner_guard\": {\"types\": [\"update\", \"delete\"], \"projection\": [\"RCB\"], "
                                + "\"projection_type\": \"acl\"}}}");
        assertEquals(200, altered.status(), altered::toString);
        assertEquals("files", altered.json().getString("comment"));
        assertEquals(2, http().get(table + "/acl").json().size());
        assertTrue(http().get(table + "/acl_binding").json().containsKey("row_owner_guard"));
        // they replace, as PUT .../acl does: what is left out goes
        assertEquals(
                200,
                http().send("PUT", table, JSON, "{\"acls\": {\"select\": [\"*\"]}, \"acl_bindings\": {}}")
                        .status());
        assertEquals("{\"select\":[\"*\"]}", http().get(table + "/acl").body().replaceAll("\\s", ""));
        assertEquals("{}", http().get(table + "/acl_binding").body().replaceAll("\\s", ""));
        // a column, a schema and the renamed table keep theirs
        assertEquals(
                200,
                http().send("PUT", table + "/column/Name", JSON, "{\"acls\": {\"update\": []}}")
                        .status());
        assertEquals(
                "{\"update\":[]}", http().get(table + "/column/Name/acl").body().replaceAll("\\s", ""));
        assertEquals(
                200,
                http().send("PUT", cat + "/schema/WWW", JSON, "{\"acls\": {\"enumerate\": [\"*\"]}}")
                        .status());
        assertEquals(
                200,
                http().send("PUT", table, JSON, "{\"table_name\": \"Files\", \"acls\": {\"insert\": [\"*\"]}}")
                        .status());
        assertEquals(
                "{\"insert\":[\"*\"]}",
                http().get(cat + "/schema/WWW/table/Files/acl").body().replaceAll("\\s", ""));
        // a refused document changes nothing, not even the fields beside its ACLs
        Reply bad = http().send(
                        "PUT",
                        cat + "/schema/WWW/table/Files",
                        JSON,
                        "{\"comment\": \"changed\", \"acls\": {\"bogus\": [\"*\"]}}");
        assertEquals(400, bad.status(), bad::toString);
        assertEquals("files", http().get(cat + "/schema/WWW/table/Files").json().getString("comment"));
        // the owner's right, as .../acl needs
        Http plain = user();
        assertEquals(
                403,
                plain.send("PUT", cat + "/schema/WWW/table/Files", JSON, "{\"acls\": {\"select\": [\"*\"]}}")
                        .status());
    }

    @Test
    void leasedRidsAreClaimedOnceAndOnlyByTheirLessee() {
        String cat = ermrestCatalog();
        String id = cat.substring(cat.lastIndexOf('/') + 1);
        assertEquals(201, http().send("POST", cat + "/schema/S", null, null).status());
        assertEquals(
                201,
                http().send(
                                "POST",
                                cat + "/schema/S/table",
                                JSON,
                                "{\"table_name\": \"Subject\", \"column_definitions\": "
                                        + "[{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}]}")
                        .status());
        Http writer = user();
        assertEquals(
                201,
                http().postJson(
                                "/api/catalogs/" + id + "/grants",
                                "{\"principal\": \"" + id(writer) + "\", \"role\": \"READ_WRITE\"}")
                        .status());
        // deriva-ml leases RIDs for executions and assets
        JsonArray mine = writer.send(
                        "POST",
                        cat + "/entity/public:ERMrest_RID_Lease",
                        JSON,
                        "[{\"ID\": \"" + UUID.randomUUID() + "\"}, {\"ID\": \"second\"}]")
                .jsonArray();
        assertEquals(2, mine.size());
        String leased = mine.getJsonObject(0).getString("RID");
        JsonArray owners = http().send("POST", cat + "/entity/public:ERMrest_RID_Lease", JSON, "[{\"ID\": \"o\"}]")
                .jsonArray();
        String notMine = owners.getJsonObject(0).getString("RID");
        assertEquals(
                2,
                writer.get(cat + "/entity/public:ERMrest_RID_Lease").jsonArray().size(),
                "a lessee sees its own leases only");
        // another's lease, or a RID never leased, is refused and stores nothing
        for (String rid : new String[] {notMine, "1-0000"}) {
            Reply stolen = writer.send(
                    "POST",
                    cat + "/entity/S:Subject?nondefaults=RID",
                    JSON,
                    "[{\"RID\": \"" + rid + "\", \"Name\": \"x\"}]");
            assertEquals(403, stolen.status(), stolen::toString);
        }
        assertEquals(0, http().get(cat + "/entity/S:Subject").jsonArray().size());
        // the lessee's own: the row gets it, and the lease goes with the same transaction
        Reply claimed = writer.send(
                "POST",
                cat + "/entity/S:Subject?nondefaults=RID",
                JSON,
                "[{\"RID\": \"" + leased + "\", \"Name\": \"mine\"}]");
        assertEquals(200, claimed.status(), claimed::toString);
        assertEquals(leased, claimed.jsonArray().getJsonObject(0).getString("RID"));
        assertEquals(
                1,
                writer.get(cat + "/entity/public:ERMrest_RID_Lease").jsonArray().size());
        assertEquals(
                403,
                writer.send(
                                "POST",
                                cat + "/entity/S:Subject?nondefaults=RID",
                                JSON,
                                "[{\"RID\": \"" + leased + "\", \"Name\": \"again\"}]")
                        .status(),
                "a claimed lease is no longer the lessee's: a RID is used once");
        // the owner chooses any RID (a clone), and its claimed lease goes too
        assertEquals(
                200,
                http().send(
                                "POST",
                                cat + "/entity/S:Subject?nondefaults=RID",
                                JSON,
                                "[{\"RID\": \"" + notMine + "\", \"Name\": \"o\"}]")
                        .status());
        assertTrue(
                !http().get(cat + "/entity/public:ERMrest_RID_Lease").body().contains("\"" + notMine + "\""),
                "the owner's lease was claimed");
    }

    @Test
    void csvIsTypedExactlyAsErmrestTypesIt() {
        String cat = ermrestCatalog();
        Reply csv = http().get(cat + "/entity/public:ERMrest_Client", "Accept", "text/csv");
        assertEquals(200, csv.status(), csv::toString);
        assertEquals("text/csv", csv.contentType());
    }

    /**
     * An implicit link (the one foreign key between two tables) still resolves once an association
     * table names one of them.
     */
    @Test
    void anImplicitLinkResolvesBesideAnAssociationTable() {
        String cat = ermrestCatalog();
        assertEquals(201, http().send("POST", cat + "/schema/S", null, null).status());
        String column = "{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}";
        assertEquals(
                201,
                http().send(
                                "POST",
                                cat + "/schema/S/table",
                                JSON,
                                "{\"table_name\": \"Subject\", \"column_definitions\": [" + column + "]}")
                        .status());
        assertEquals(
                201,
                http().send(
                                "POST",
                                cat + "/schema/S/table",
                                JSON,
                                "{\"table_name\": \"Image\", \"column_definitions\": [" + column
                                        + ", {\"name\": \"Subject\", \"type\": {\"typename\": \"text\"}}], \"foreign_keys\": [{\"foreign_key_columns\": "
                                        + "[{\"schema_name\": \"S\", \"table_name\": \"Image\", \"column_name\": \"Subject\"}], \"referenced_columns\": "
                                        + "[{\"schema_name\": \"S\", \"table_name\": \"Subject\", \"column_name\": \"RID\"}]}]}")
                        .status());
        assertEquals(200, http().get(cat + "/entity/S:Image/S:Subject?limit=1").status());
        assertEquals(
                201,
                http().send(
                                "POST",
                                cat + "/schema/S/table",
                                JSON,
                                "{\"table_name\": \"Set\", \"column_definitions\": [" + column + "]}")
                        .status());
        assertEquals(
                201,
                http().send(
                                "POST",
                                cat + "/schema/S/table",
                                JSON,
                                "{\"table_name\": \"Set_Subject\", \"column_definitions\": "
                                        + "[{\"name\": \"Set\", \"type\": {\"typename\": \"text\"}}, {\"name\": \"Subject\", \"type\": {\"typename\": \"text\"}}], "
                                        + "\"foreign_keys\": [{\"foreign_key_columns\": [{\"schema_name\": \"S\", \"table_name\": \"Set_Subject\", \"column_name\": \"Set\"}], "
                                        + "\"referenced_columns\": [{\"schema_name\": \"S\", \"table_name\": \"Set\", \"column_name\": \"RID\"}]}, {\"foreign_key_columns\": "
                                        + "[{\"schema_name\": \"S\", \"table_name\": \"Set_Subject\", \"column_name\": \"Subject\"}], \"referenced_columns\": "
                                        + "[{\"schema_name\": \"S\", \"table_name\": \"Subject\", \"column_name\": \"RID\"}]}]}")
                        .status());
        Reply linked = http().get(cat + "/entity/S:Image/S:Subject?limit=1");
        assertEquals(200, linked.status(), linked::toString);
        assertEquals(
                200, http().get(cat + "/entity/S:Subject/S:Set_Subject/S:Set").status());
    }

    /**
     * A table document that declares the RID key (deriva-ml's catalog clone sends them) describes the
     * key every table has.
     */
    @Test
    void aDeclaredRidKeyIsTheTablesOwn() {
        String cat = ermrestCatalog();
        Reply made = http().send(
                        "POST",
                        cat + "/schema",
                        JSON,
                        "{\"schemas\": {\"C\": {\"tables\": {\"Asset_Role\": {\"table_name\": \"Asset_Role\", "
                                + "\"column_definitions\": [{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}], \"keys\": [{\"unique_columns\": [\"RID\"], "
                                + "\"names\": [[\"C\", \"Asset_Role_RIDkey1\"]], \"comment\": \"the row's id\"}, {\"unique_columns\": [\"Name\"]}]}}}}}");
        assertEquals(201, made.status(), made::toString);
        JsonArray keys = http().get(cat + "/schema/C/table/Asset_Role").json().getJsonArray("keys");
        assertEquals(2, keys.size(), keys::toString);
        assertTrue(keys.toString().contains("the row's id"), keys::toString);
        Reply twice =
                http().send("POST", cat + "/schema/C/table/Asset_Role/key", JSON, "{\"unique_columns\": [\"RID\"]}");
        assertEquals(409, twice.status(), "adding a second RID key to a table is still a conflict");
    }

    private String subjects(String cat) {
        assertEquals(201, http().send("POST", cat + "/schema/S", null, null).status());
        assertEquals(
                201,
                http().send(
                                "POST",
                                cat + "/schema/S/table",
                                JSON,
                                "{\"table_name\": \"Subject\", \"column_definitions\": "
                                        + "[{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}, {\"name\": \"URL\", \"type\": {\"typename\": \"text\"}}]}")
                        .status());
        return cat + "/entity/S:Subject";
    }

    /**
     * deriva-py's uploader lists in ?defaults= every column a row leaves out, and deriva-ml's rows may
     * carry a RID (deriva-ml's own test sends "EA-SMOKE-1"): as in ERMrest, a RID is kept only with
     * ?nondefaults=RID, and otherwise replaced, which the answer says. A batch may mix rows with and
     * without RIDs; only the RIDs given must be the writer's leases.
     */
    @Test
    void aRidARowGivesIsKeptOnlyWithNondefaults() {
        String cat = ermrestCatalog();
        String id = cat.substring(cat.lastIndexOf('/') + 1);
        String subjects = subjects(cat);
        Http writer = user();
        assertEquals(
                201,
                http().postJson(
                                "/api/catalogs/" + id + "/grants",
                                "{\"principal\": \"" + id(writer) + "\", \"role\": \"READ_WRITE\"}")
                        .status());
        JsonArray leases = writer.send(
                        "POST", cat + "/entity/public:ERMrest_RID_Lease", JSON, "[{\"ID\": \"a\"}, {\"ID\": \"b\"}]")
                .jsonArray();
        String first = leases.getJsonObject(0).getString("RID");
        String second = leases.getJsonObject(1).getString("RID");
        // the uploader's request: RID replaced (even one that is no RID at all), and named as ignored
        Reply replaced = writer.send(
                "POST",
                subjects + "?defaults=RCT,RMT,RCB,RMB,URL",
                JSON,
                "[{\"RID\": \"EA-SMOKE-1\", \"Name\": \"smoke\"}]");
        assertEquals(200, replaced.status(), replaced::toString);
        assertTrue(!replaced.jsonArray().getJsonObject(0).getString("RID").equals("EA-SMOKE-1"));
        assertEquals("RID", replaced.header(ErmrestDataResource.IGNORED_KEYS).orElse(""));
        // ?nondefaults=RID keeps a leased one; a row beside it without a RID gets a new one
        Reply kept = writer.send(
                "POST",
                subjects + "?nondefaults=RID",
                JSON,
                "[{\"RID\": \"" + first + "\", \"Name\": \"leased\"}, {\"Name\": \"fresh\"}]");
        assertEquals(200, kept.status(), kept::toString);
        assertEquals(first, kept.jsonArray().getJsonObject(0).getString("RID"));
        assertTrue(!kept.jsonArray().getJsonObject(1).getString("RID").equals(first));
        assertTrue(kept.header(ErmrestDataResource.IGNORED_KEYS).isEmpty());
        assertEquals(
                1,
                writer.get(cat + "/entity/public:ERMrest_RID_Lease").jsonArray().size(),
                "the claimed lease is gone");
        // a RID that is not the writer's lease is refused, naming the row, and nothing of the request is kept
        Reply foreign = writer.send(
                "POST",
                subjects + "?nondefaults=RID",
                JSON,
                "[{\"RID\": \"" + second + "\", \"Name\": \"ok\"}, {\"RID\": \"1-0000\", \"Name\": \"not leased\"}]");
        assertEquals(403, foreign.status(), foreign::toString);
        assertTrue(foreign.body().contains("Row 2"), foreign::toString);
        assertEquals(
                1,
                writer.get(cat + "/entity/public:ERMrest_RID_Lease").jsonArray().size(),
                "a refused request claims nothing");
        assertEquals(
                400,
                writer.send("POST", subjects + "?nondefaults=RID", JSON, "[{\"RID\": \"not a rid!\", \"Name\": \"x\"}]")
                        .status());
        assertEquals(
                409,
                http().send(
                                "POST",
                                subjects + "?nondefaults=RID",
                                JSON,
                                "[{\"RID\": \"" + first + "\", \"Name\": \"x\"}]")
                        .status(),
                "a RID in use");
        assertEquals(3, http().get(subjects).jsonArray().size());
    }

    /** deriva-py's uploader updates an asset row by its old values: PUT /attributegroup/S:T/o0:=C,...;n0:=C,... */
    @Test
    void aBulkUpdateTakesAliasedColumnsAndMatchesNulls() {
        String cat = ermrestCatalog();
        String subjects = subjects(cat);
        String rid = http().send("POST", subjects, JSON, "[{\"Name\": \"a.png\"}]")
                .jsonArray()
                .getJsonObject(0)
                .getString("RID");
        http().send("POST", subjects, JSON, "[{\"Name\": \"b.png\"}]");
        Reply updated = http().send(
                        "PUT",
                        cat + "/attributegroup/S:Subject/o0:=Name,o1:=RID,o2:=URL;n0:=Name,n1:=RID,n2:=URL",
                        JSON,
                        "[{\"o0\": \"a.png\", \"o1\": \"" + rid + "\", \"o2\": null, \"n0\": \"a.png\", \"n1\": \""
                                + rid + "\", \"n2\": \"/hatrac/a\"}]");
        assertEquals(200, updated.status(), updated::toString);
        JsonArray rows = updated.jsonArray();
        assertEquals(1, rows.size(), rows::toString);
        assertEquals("/hatrac/a", rows.getJsonObject(0).getString("n2"));
        assertEquals(rid, rows.getJsonObject(0).getString("o1"));
        assertEquals(
                "/hatrac/a",
                http().get(subjects + "/RID=" + rid)
                        .jsonArray()
                        .getJsonObject(0)
                        .getString("URL"));
        assertTrue(
                http().get(subjects + "/Name=b.png")
                        .jsonArray()
                        .getJsonObject(0)
                        .isNull("URL"),
                "the other row is untouched");
        // old values that match no row change nothing
        Reply stale = http().send(
                        "PUT",
                        cat + "/attributegroup/S:Subject/o0:=Name,o1:=URL;n0:=URL",
                        JSON,
                        "[{\"o0\": \"a.png\", \"o1\": null, \"n0\": \"/hatrac/other\"}]");
        assertEquals(200, stale.status(), stale::toString);
        assertEquals(0, stale.jsonArray().size());
        // one name for two values is refused
        assertEquals(
                400,
                http().send("PUT", cat + "/attributegroup/S:Subject/x:=Name;x:=URL", JSON, "[{\"x\": \"a.png\"}]")
                        .status());
    }

    /**
     * deriva-ml's add_files() sends a file_types key: ERMrest ignores keys that name no column; Cairn
     * does too, and says so.
     */
    @Test
    void keysThatNameNoColumnAreIgnoredAndNamed() {
        String cat = ermrestCatalog();
        String subjects = subjects(cat);
        Reply posted = http().send(
                        "POST", subjects, JSON, "[{\"Name\": \"n\", \"file_types\": [\"csv\"], \"h\\u00e9, x\": 1}]");
        assertEquals(200, posted.status(), posted::toString);
        assertEquals(
                "file_types,h%C3%A9%2C%20x",
                posted.header(ErmrestDataResource.IGNORED_KEYS).orElse(""));
        assertEquals("n", http().get(subjects).jsonArray().getJsonObject(0).getString("Name"));
        assertTrue(http().send("POST", subjects, JSON, "[{\"Name\": \"m\"}]")
                .header(ErmrestDataResource.IGNORED_KEYS)
                .isEmpty());
        // a CSV header is checked, as ERMrest checks it; a row of nothing but unknown keys writes nothing
        Reply csv = http().send("POST", subjects, "text/csv", "Name,file_types\nc,csv\n");
        assertEquals(400, csv.status(), csv::toString);
        assertEquals(
                400,
                http().send("POST", subjects, JSON, "[{\"file_types\": 1}]").status());
        assertEquals(2, http().get(subjects).jsonArray().size());
    }

    /** ERMrest's history range and truncation: snapshots before the bound are gone, later ones read as before. */
    @Test
    void historyIsDiscoveredAndTruncatedByItsOwner() throws InterruptedException {
        String cat = ermrestCatalog();
        String subjects = subjects(cat);
        String rid = http().send("POST", subjects, JSON, "[{\"Name\": \"before\"}]")
                .jsonArray()
                .getJsonObject(0)
                .getString("RID");
        String old = http().get(cat).json().getString("snaptime");
        Thread.sleep(5);
        http().send(
                        "PUT",
                        cat + "/attributegroup/S:Subject/RID;Name",
                        JSON,
                        "[{\"RID\": \"" + rid + "\", \"Name\": \"after\"}]");
        String bound = http().get(cat).json().getString("snaptime");
        Thread.sleep(5);
        http().send("POST", subjects, JSON, "[{\"Name\": \"later\"}]");
        String now = http().get(cat).json().getString("snaptime");
        Reply range = http().get(cat + "/history/,");
        assertEquals(200, range.status(), range::toString);
        assertTrue(range.json().isNull("amendver"), range::toString);
        assertEquals(now, range.json().getJsonArray("snaprange").getString(1));
        assertEquals(
                "before",
                http().get(cat + "@" + old + "/entity/S:Subject")
                        .jsonArray()
                        .getJsonObject(0)
                        .getString("Name"));
        // owners only, an upper bound only
        assertEquals(
                403,
                user().send("DELETE", cat + "/history/," + bound, null, null).status());
        assertEquals(
                400,
                http().send("DELETE", cat + "/history/" + old + "," + bound, null, null)
                        .status());
        assertEquals(400, http().send("DELETE", cat + "/history/,", null, null).status());
        assertEquals(
                400,
                http().send("DELETE", cat + "/history/,nonsense!", null, null).status());
        Reply truncated = http().send("DELETE", cat + "/history/," + bound, null, null);
        assertEquals(204, truncated.status(), truncated::toString);
        Reply gone = http().get(cat + "@" + old + "/entity/S:Subject");
        assertEquals(404, gone.status(), gone::toString);
        assertEquals("application/problem+json", gone.contentType());
        Reply kept = http().get(cat + "@" + bound + "/entity/S:Subject");
        assertEquals(200, kept.status(), kept::toString);
        assertEquals("after", kept.jsonArray().getJsonObject(0).getString("Name"));
        assertEquals(
                2, http().get(cat + "@" + now + "/entity/S:Subject").jsonArray().size());
        Reply amended = http().get(cat + "/history/,");
        assertTrue(!amended.json().isNull("amendver"), amended::toString);
        assertEquals(bound, amended.json().getJsonArray("snaprange").getString(0));
        assertEquals(404, http().get(cat + "/history/," + old).status(), "nothing is left before the bound");
    }
}
