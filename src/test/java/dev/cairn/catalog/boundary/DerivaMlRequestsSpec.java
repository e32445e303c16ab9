package dev.cairn.catalog.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cairn.Http;
import dev.cairn.Http.Reply;
import dev.cairn.security.boundary.PrincipalsSpec;
import jakarta.json.JsonArray;

/**
 * The ERMrest requests deriva-ml (through deriva-py) sends that Cairn answered differently from
 * ERMrest, each as deriva-ml sends it: ACLs inside an element's document (deriva-py's acl_config,
 * which create_ml_catalog runs), RIDs leased in public:ERMrest_RID_Lease and claimed with
 * ?nondefaults=RID, and CSV typed exactly text/csv (deriva-py's paged get_as_file compares it).
 */
public abstract class DerivaMlRequestsSpec extends PrincipalsSpec {

    private static final String JSON = "application/json";

    private String ermrestCatalog() {
        Reply made = http().send("POST", "/ermrest/catalog", JSON, "{\"name\": \"deriva-ml-" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
        assertEquals(201, made.status(), made::toString);
        return "/ermrest/catalog/" + made.json().getString("id");
    }

    @Test
    void aclsInsideAnElementDocumentReplaceItsAcls() {
        String cat = ermrestCatalog();
        assertEquals(201, http().send("POST", cat + "/schema/WWW", null, null).status());
        assertEquals(201, http().send("POST", cat + "/schema/WWW/table", JSON, "{\"table_name\": \"File\", \"column_definitions\": "
                + "[{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}]}").status());
        String table = cat + "/schema/WWW/table/File";
        // deriva-py's Table.alter as acl_config sends it: comment, annotations, acls, acl_bindings
        Reply altered = http().send("PUT", table, JSON, "{\"comment\": \"files\", \"annotations\": {}, \"acls\": {\"insert\": [\"*\"], "
                + "\"select\": [\"*\"]}, \"acl_bindings\": {\"row_owner_guard\": {\"types\": [\"update\", \"delete\"], \"projection\": [\"RCB\"], "
                + "\"projection_type\": \"acl\"}}}");
        assertEquals(200, altered.status(), altered::toString);
        assertEquals("files", altered.json().getString("comment"));
        assertEquals(2, http().get(table + "/acl").json().size());
        assertTrue(http().get(table + "/acl_binding").json().containsKey("row_owner_guard"));
        // they replace, as PUT .../acl does: what is left out goes
        assertEquals(200, http().send("PUT", table, JSON, "{\"acls\": {\"select\": [\"*\"]}, \"acl_bindings\": {}}").status());
        assertEquals("{\"select\":[\"*\"]}", http().get(table + "/acl").body().replaceAll("\\s", ""));
        assertEquals("{}", http().get(table + "/acl_binding").body().replaceAll("\\s", ""));
        // a column, a schema and the renamed table keep theirs
        assertEquals(200, http().send("PUT", table + "/column/Name", JSON, "{\"acls\": {\"update\": []}}").status());
        assertEquals("{\"update\":[]}", http().get(table + "/column/Name/acl").body().replaceAll("\\s", ""));
        assertEquals(200, http().send("PUT", cat + "/schema/WWW", JSON, "{\"acls\": {\"enumerate\": [\"*\"]}}").status());
        assertEquals(200, http().send("PUT", table, JSON, "{\"table_name\": \"Files\", \"acls\": {\"insert\": [\"*\"]}}").status());
        assertEquals("{\"insert\":[\"*\"]}", http().get(cat + "/schema/WWW/table/Files/acl").body().replaceAll("\\s", ""));
        // a refused document changes nothing, not even the fields beside its ACLs
        Reply bad = http().send("PUT", cat + "/schema/WWW/table/Files", JSON, "{\"comment\": \"changed\", \"acls\": {\"bogus\": [\"*\"]}}");
        assertEquals(400, bad.status(), bad::toString);
        assertEquals("files", http().get(cat + "/schema/WWW/table/Files").json().getString("comment"));
        // the owner's right, as .../acl needs
        Http plain = user();
        assertEquals(403, plain.send("PUT", cat + "/schema/WWW/table/Files", JSON, "{\"acls\": {\"select\": [\"*\"]}}").status());
    }

    @Test
    void leasedRidsAreClaimedOnceAndOnlyByTheirLessee() {
        String cat = ermrestCatalog();
        String id = cat.substring(cat.lastIndexOf('/') + 1);
        assertEquals(201, http().send("POST", cat + "/schema/S", null, null).status());
        assertEquals(201, http().send("POST", cat + "/schema/S/table", JSON, "{\"table_name\": \"Subject\", \"column_definitions\": "
                + "[{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}]}").status());
        Http writer = user();
        assertEquals(201, http().postJson("/api/catalogs/" + id + "/grants", "{\"principal\": \"" + id(writer) + "\", \"role\": \"READ_WRITE\"}").status());
        // deriva-ml leases RIDs for executions and assets
        JsonArray mine = writer.send("POST", cat + "/entity/public:ERMrest_RID_Lease", JSON, "[{\"ID\": \"" + UUID.randomUUID() + "\"}, {\"ID\": \"second\"}]")
                .jsonArray();
        assertEquals(2, mine.size());
        String leased = mine.getJsonObject(0).getString("RID");
        JsonArray owners = http().send("POST", cat + "/entity/public:ERMrest_RID_Lease", JSON, "[{\"ID\": \"o\"}]").jsonArray();
        String notMine = owners.getJsonObject(0).getString("RID");
        assertEquals(2, writer.get(cat + "/entity/public:ERMrest_RID_Lease").jsonArray().size(), "a lessee sees its own leases only");
        // another's lease, or a RID never leased, is refused and stores nothing
        for (String rid : new String[] {notMine, "1-0000"}) {
            Reply stolen = writer.send("POST", cat + "/entity/S:Subject?nondefaults=RID", JSON, "[{\"RID\": \"" + rid + "\", \"Name\": \"x\"}]");
            assertEquals(403, stolen.status(), stolen::toString);
        }
        assertEquals(0, http().get(cat + "/entity/S:Subject").jsonArray().size());
        // the lessee's own: the row gets it, and the lease goes with the same transaction
        Reply claimed = writer.send("POST", cat + "/entity/S:Subject?nondefaults=RID", JSON, "[{\"RID\": \"" + leased + "\", \"Name\": \"mine\"}]");
        assertEquals(200, claimed.status(), claimed::toString);
        assertEquals(leased, claimed.jsonArray().getJsonObject(0).getString("RID"));
        assertEquals(1, writer.get(cat + "/entity/public:ERMrest_RID_Lease").jsonArray().size());
        assertEquals(409, writer.send("POST", cat + "/entity/S:Subject?nondefaults=RID", JSON, "[{\"RID\": \"" + leased + "\", \"Name\": \"again\"}]")
                .status(), "a RID is used once");
        // the owner chooses any RID (a clone), and its claimed lease goes too
        assertEquals(200, http().send("POST", cat + "/entity/S:Subject?nondefaults=RID", JSON, "[{\"RID\": \"" + notMine + "\", \"Name\": \"o\"}]")
                .status());
        assertTrue(!http().get(cat + "/entity/public:ERMrest_RID_Lease").body().contains("\"" + notMine + "\""), "the owner's lease was claimed");
    }

    @Test
    void csvIsTypedExactlyAsErmrestTypesIt() {
        String cat = ermrestCatalog();
        Reply csv = http().get(cat + "/entity/public:ERMrest_Client", "Accept", "text/csv");
        assertEquals(200, csv.status(), csv::toString);
        assertEquals("text/csv", csv.contentType());
    }

    /** An implicit link (the one foreign key between two tables) still resolves once an association table names one of them. */
    @Test
    void anImplicitLinkResolvesBesideAnAssociationTable() {
        String cat = ermrestCatalog();
        assertEquals(201, http().send("POST", cat + "/schema/S", null, null).status());
        String column = "{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}";
        assertEquals(201, http().send("POST", cat + "/schema/S/table", JSON, "{\"table_name\": \"Subject\", \"column_definitions\": [" + column + "]}")
                .status());
        assertEquals(201, http().send("POST", cat + "/schema/S/table", JSON, "{\"table_name\": \"Image\", \"column_definitions\": [" + column
                + ", {\"name\": \"Subject\", \"type\": {\"typename\": \"text\"}}], \"foreign_keys\": [{\"foreign_key_columns\": "
                + "[{\"schema_name\": \"S\", \"table_name\": \"Image\", \"column_name\": \"Subject\"}], \"referenced_columns\": "
                + "[{\"schema_name\": \"S\", \"table_name\": \"Subject\", \"column_name\": \"RID\"}]}]}").status());
        assertEquals(200, http().get(cat + "/entity/S:Image/S:Subject?limit=1").status());
        assertEquals(201, http().send("POST", cat + "/schema/S/table", JSON, "{\"table_name\": \"Set\", \"column_definitions\": [" + column + "]}")
                .status());
        assertEquals(201, http().send("POST", cat + "/schema/S/table", JSON, "{\"table_name\": \"Set_Subject\", \"column_definitions\": "
                + "[{\"name\": \"Set\", \"type\": {\"typename\": \"text\"}}, {\"name\": \"Subject\", \"type\": {\"typename\": \"text\"}}], "
                + "\"foreign_keys\": [{\"foreign_key_columns\": [{\"schema_name\": \"S\", \"table_name\": \"Set_Subject\", \"column_name\": \"Set\"}], "
                + "\"referenced_columns\": [{\"schema_name\": \"S\", \"table_name\": \"Set\", \"column_name\": \"RID\"}]}, {\"foreign_key_columns\": "
                + "[{\"schema_name\": \"S\", \"table_name\": \"Set_Subject\", \"column_name\": \"Subject\"}], \"referenced_columns\": "
                + "[{\"schema_name\": \"S\", \"table_name\": \"Subject\", \"column_name\": \"RID\"}]}]}").status());
        Reply linked = http().get(cat + "/entity/S:Image/S:Subject?limit=1");
        assertEquals(200, linked.status(), linked::toString);
        assertEquals(200, http().get(cat + "/entity/S:Subject/S:Set_Subject/S:Set").status());
    }

    /** A table document that declares the RID key (deriva-ml's catalog clone sends them) describes the key every table has. */
    @Test
    void aDeclaredRidKeyIsTheTablesOwn() {
        String cat = ermrestCatalog();
        Reply made = http().send("POST", cat + "/schema", JSON, "{\"schemas\": {\"C\": {\"tables\": {\"Asset_Role\": {\"table_name\": \"Asset_Role\", "
                + "\"column_definitions\": [{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}], \"keys\": [{\"unique_columns\": [\"RID\"], "
                + "\"names\": [[\"C\", \"Asset_Role_RIDkey1\"]], \"comment\": \"the row's id\"}, {\"unique_columns\": [\"Name\"]}]}}}}}");
        assertEquals(201, made.status(), made::toString);
        JsonArray keys = http().get(cat + "/schema/C/table/Asset_Role").json().getJsonArray("keys");
        assertEquals(2, keys.size(), keys::toString);
        assertTrue(keys.toString().contains("the row's id"), keys::toString);
        Reply twice = http().send("POST", cat + "/schema/C/table/Asset_Role/key", JSON, "{\"unique_columns\": [\"RID\"]}");
        assertEquals(409, twice.status(), "adding a second RID key to a table is still a conflict");
    }
}
