package dev.cairn.catalog.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The requests Deriva's Python client (deriva-py) sends for model changes, Hatrac renames and
 * deletions, and the data API forms it and Chaise use, replayed byte for byte as deriva-py's
 * {@code Schema.define}, {@code Table.define}, {@code ForeignKey.define} and the {@code alter}
 * methods build them, with the answers deriva-py reads back.
 */
public abstract class DerivaPyRequestsSpec extends CairnSpec {

    /** {@code Table.define("Subject", [Name text not null "name", Age int4], [Key(Name)], comment="subjects")}. */
    static final String SUBJECT = """
            {"table_name": "Subject", "column_definitions": [{"name": "RID", "type": {"typename": "ermrest_rid", "is_domain": true, \
            "base_type": {"typename": "text"}}, "nullok": false, "default": null, "comment": null, "acls": {}, "acl_bindings": {}, \
            "annotations": {"tag:misd.isi.edu,2015:display": {"name": "Record ID"}}}, {"name": "RCT", "type": {"typename": "ermrest_rct", \
            "is_domain": true, "base_type": {"typename": "timestamptz"}}, "nullok": false, "default": null, "comment": null, "acls": {}, \
            "acl_bindings": {}, "annotations": {"tag:misd.isi.edu,2015:display": {"name": "Creation Time"}}}, {"name": "RMT", "type": \
            {"typename": "ermrest_rmt", "is_domain": true, "base_type": {"typename": "timestamptz"}}, "nullok": false, "default": null, \
            "comment": null, "acls": {}, "acl_bindings": {}, "annotations": {"tag:misd.isi.edu,2015:display": {"name": "Modified Time"}}}, \
            {"name": "RCB", "type": {"typename": "ermrest_rcb", "is_domain": true, "base_type": {"typename": "text"}}, "nullok": true, \
            "default": null, "comment": null, "acls": {}, "acl_bindings": {}, "annotations": {"tag:misd.isi.edu,2015:display": {"name": \
            "Created By"}}}, {"name": "RMB", "type": {"typename": "ermrest_rmb", "is_domain": true, "base_type": {"typename": "text"}}, \
            "nullok": true, "default": null, "comment": null, "acls": {}, "acl_bindings": {}, "annotations": {"tag:misd.isi.edu,2015:display": \
            {"name": "Modified By"}}}, {"name": "Name", "type": {"typename": "text"}, "nullok": false, "default": null, "comment": "name", \
            "acls": {}, "acl_bindings": {}, "annotations": {}}, {"name": "Age", "type": {"typename": "int4"}, "nullok": true, "default": null, \
            "comment": null, "acls": {}, "acl_bindings": {}, "annotations": {}}], "keys": [{"unique_columns": ["RID"], "names": [], \
            "comment": null, "annotations": {}}, {"unique_columns": ["Name"], "names": [], "comment": null, "annotations": {}}], \
            "foreign_keys": [{"foreign_key_columns": [{"column_name": "RCB"}], "referenced_columns": [{"schema_name": "public", \
            "table_name": "ERMrest_Client", "column_name": "ID"}], "on_update": "NO ACTION", "on_delete": "NO ACTION", "names": \
            [["placeholder", "Subject_RCB_fkey"]], "comment": null, "acls": {}, "acl_bindings": {}, "annotations": {}}, \
            {"foreign_key_columns": [{"column_name": "RMB"}], "referenced_columns": [{"schema_name": "public", "table_name": \
            "ERMrest_Client", "column_name": "ID"}], "on_update": "NO ACTION", "on_delete": "NO ACTION", "names": [["placeholder", \
            "Subject_RMB_fkey"]], "comment": null, "acls": {}, "acl_bindings": {}, "annotations": {}}], "comment": "subjects", \
            "acls": {}, "acl_bindings": {}, "annotations": {}}""";

    private String base;

    @BeforeEach
    void ermrestCatalog() {
        // DerivaServer.create_ermrest_catalog(): POST /ermrest/catalog with the given fields only
        Reply created = http().postJson("/ermrest/catalog", "{\"name\": \"deriva-py\"}");
        assertEquals(201, created.status(), created::toString);
        base = "/ermrest/catalog/" + created.json().getString("id");
    }

    @Test
    void anErmrestCatalogHasOnlyPublicUntilTheMlSchemaIsInstalled() {
        JsonObject schemas = http().get(base + "/schema").json().getJsonObject("schemas");
        assertEquals(List.of("public"), List.copyOf(schemas.keySet()));
        String cid = base.substring(base.lastIndexOf('/') + 1);
        assertEquals(
                409, http().get("/api/catalogs/" + cid + "/vocabularies").status(), "no ML API without the ML schema");
        assertEquals(
                201, http().postJson("/api/catalogs/" + cid + "/ml-schema", "").status());
        assertEquals(
                200,
                http().postJson("/api/catalogs/" + cid + "/ml-schema", "").status(),
                "installing again changes nothing");
        assertTrue(http().get(base + "/schema").json().getJsonObject("schemas").containsKey("deriva-ml"));
        assertTrue(http().get("/api/catalogs/" + cid).json().getBoolean("ml"));
        assertEquals(
                200,
                http().get("/api/catalogs/" + cid + "/vocabularies/Asset_Type/terms")
                        .status());
        // hidden bookkeeping never blocks a documented drop
        assertEquals(
                204,
                http().delete(base + "/schema/deriva-ml/table/Execution_Asset_Execution")
                        .status());
        assertEquals(
                204,
                http().delete(base + "/schema/deriva-ml/table/Execution_Metadata_Execution")
                        .status());
        assertEquals(
                204,
                http().delete(base + "/schema/deriva-ml/table/Dataset_Execution")
                        .status());
        assertEquals(
                204,
                http().delete(base + "/schema/deriva-ml/table/Execution_Execution")
                        .status());
        assertEquals(
                204,
                http().delete(base + "/schema/deriva-ml/table/Registered_Asset_Execution")
                        .status());
        Reply versions = http().delete(base
                + "/schema/deriva-ml/table/Dataset_Version/foreignkey/Execution/reference/deriva-ml:Execution/RID");
        assertEquals(204, versions.status(), versions::toString);
        Reply execution = http().delete(base + "/schema/deriva-ml/table/Execution");
        assertEquals(204, execution.status(), execution::toString);
    }

    @Test
    void modelCreateSchemaCreateTableAndAlterAsDerivaPyDoes() {
        // Model.create_schema(Schema.define("Test", comment=...)): always the bulk form, a list of one
        Reply schema = http().postJson(
                        base + "/schema",
                        "[{\"schema_name\": \"Test\", \"acls\": {}, \"annotations\": {}, \"comment\": \"test schema\"}]");
        assertEquals(201, schema.status(), schema::toString);
        assertEquals(1, schema.jsonArray().size());
        assertEquals("Test", schema.jsonArray().getJsonObject(0).getString("schema_name"));
        assertEquals("test schema", schema.jsonArray().getJsonObject(0).getString("comment"));

        // Schema.create_table(Table.define(...)): system columns, the RID key and RCB/RMB foreign keys included
        Reply table = http().postJson(base + "/schema/Test/table", SUBJECT);
        assertEquals(201, table.status(), table::toString);
        JsonObject subject = table.json();
        assertEquals("subjects", subject.getString("comment"));
        JsonObject rid = subject.getJsonArray("column_definitions").getJsonObject(0);
        assertEquals(
                "Record ID",
                rid.getJsonObject("annotations")
                        .getJsonObject("tag:misd.isi.edu,2015:display")
                        .getString("name"),
                "annotations of system columns are kept");
        assertEquals(2, subject.getJsonArray("keys").size(), "the RID key and the Name key");
        assertEquals(
                List.of("Subject_RCB_fkey", "Subject_RMB_fkey"),
                subject.getJsonArray("foreign_keys").getValuesAs(JsonObject.class).stream()
                        .map(f -> f.getJsonArray("names").getJsonArray(0).getString(1))
                        .sorted()
                        .toList());

        // Table.create_column / create_key / create_fkey: one representation back (fkeys in a list of one)
        Reply column = http().postJson(
                        base + "/schema/Test/table/Subject/column",
                        "{\"name\": \"Weight\", \"type\": {\"typename\": \"float8\"}, "
                                + "\"nullok\": true, \"default\": null, \"comment\": \"w\", \"acls\": {}, \"acl_bindings\": {}, \"annotations\": {}}");
        assertEquals(201, column.status(), column::toString);
        assertEquals("w", column.json().getString("comment"));
        Reply key = http().postJson(
                        base + "/schema/Test/table/Subject/key",
                        "{\"unique_columns\": [\"Name\", \"Age\"], \"names\": [], "
                                + "\"comment\": \"k\", \"annotations\": {\"tag:x\": 1}}");
        assertEquals(201, key.status(), key::toString);
        assertEquals(List.of("Name", "Age"), strings(key.json().getJsonArray("unique_columns")));
        assertEquals("k", key.json().getString("comment"));
        assertEquals(
                409,
                http().postJson(base + "/schema/Test/table/Subject/key", "{\"unique_columns\": [\"Name\", \"Age\"]}")
                        .status(),
                "no duplicate key");
        assertEquals(
                201,
                http().postJson(
                                base + "/schema/Test/table",
                                "{\"table_name\": \"Visit\", \"column_definitions\": "
                                        + "[{\"name\": \"Subject\", \"type\": {\"typename\": \"text\"}}]}")
                        .status());
        Reply fk = http().postJson(
                        base + "/schema/Test/table/Visit/foreignkey",
                        "{\"foreign_key_columns\": [{\"column_name\": \"Subject\"}], "
                                + "\"referenced_columns\": [{\"schema_name\": \"Test\", \"table_name\": \"Subject\", \"column_name\": \"RID\"}], "
                                + "\"on_update\": \"NO ACTION\", \"on_delete\": \"CASCADE\", \"names\": [], \"comment\": null, \"acls\": {}, "
                                + "\"acl_bindings\": {}, \"annotations\": {}}");
        assertEquals(201, fk.status(), fk::toString);
        assertEquals(1, fk.jsonArray().size());
        String fkPath = base + "/schema/Test/table/Visit/foreignkey/Subject/reference/Test:Subject/RID";

        // the alter methods: PUT a partial document, read the representation back
        Reply renamed = http().send(
                        "PUT",
                        base + "/schema/Test/table/Subject/column/Weight",
                        "application/json",
                        "{\"name\": \"Mass\", \"nullok\": false, \"default\": 0, \"comment\": \"kg\"}");
        assertEquals(200, renamed.status(), renamed::toString);
        assertEquals("Mass", renamed.json().getString("name"));
        assertFalse(renamed.json().getBoolean("nullok"));
        assertEquals("kg", renamed.json().getString("comment"));
        Reply retyped = http().send(
                        "PUT",
                        base + "/schema/Test/table/Subject/column/Age",
                        "application/json",
                        "{\"type\": {\"typename\": \"int8\"}}");
        assertEquals("int8", retyped.json().getJsonObject("type").getString("typename"));
        Reply keyRenamed = http().send(
                        "PUT",
                        base + "/schema/Test/table/Subject/key/Name",
                        "application/json",
                        "{\"names\": [[\"Test\", \"Subject_Name_unique\"]], \"comment\": \"names are unique\"}");
        assertEquals(200, keyRenamed.status(), keyRenamed::toString);
        assertEquals(
                "Subject_Name_unique",
                keyRenamed.json().getJsonArray("names").getJsonArray(0).getString(1));
        Reply fkAltered = http().send(
                        "PUT", fkPath, "application/json", "{\"on_delete\": \"SET NULL\", \"comment\": \"visits\"}");
        assertEquals(200, fkAltered.status(), fkAltered::toString);
        assertEquals("SET NULL", fkAltered.json().getString("on_delete"));
        assertEquals("visits", http().get(fkPath + "/comment").body());
        Reply tableRenamed = http().send(
                        "PUT",
                        base + "/schema/Test/table/Visit",
                        "application/json",
                        "{\"table_name\": \"Encounter\", \"comment\": \"encounters\", \"annotations\": {\"tag:y\": {\"a\": 1}}}");
        assertEquals(200, tableRenamed.status(), tableRenamed::toString);
        assertEquals("Encounter", tableRenamed.json().getString("table_name"));
        assertEquals(
                1,
                tableRenamed
                        .json()
                        .getJsonObject("annotations")
                        .getJsonObject("tag:y")
                        .getInt("a"));
        Reply schemaRenamed = http().send(
                        "PUT",
                        base + "/schema/Test",
                        "application/json",
                        "{\"schema_name\": \"Study\", \"comment\": null}");
        assertEquals(200, schemaRenamed.status(), schemaRenamed::toString);
        assertEquals("Study", schemaRenamed.json().getString("schema_name"));
        assertTrue(schemaRenamed.json().isNull("comment"));
        assertEquals(
                201,
                http().postJson(base + "/schema", "[{\"schema_name\": \"Other\"}]")
                        .status());
        Reply moved = http().send(
                        "PUT",
                        base + "/schema/Study/table/Encounter",
                        "application/json",
                        "{\"schema_name\": \"Other\"}");
        assertEquals(200, moved.status(), moved::toString);
        assertEquals("Other", moved.json().getString("schema_name"));
        assertEquals(
                "encounters",
                http().get(base + "/schema/Other/table/Encounter/comment").body(),
                "the comment moves along");
        assertEquals(
                1,
                http().get(base + "/schema/Other/table/Encounter/annotation/tag:y")
                        .json()
                        .getInt("a"),
                "and the annotations");

        // Model.apply(): the catalog's annotations as a whole; reads of parts
        assertEquals(
                204,
                http().send(
                                "PUT",
                                base + "/annotation",
                                "application/json",
                                "{\"tag:isrd.isi.edu,2019:chaise-config\": {\"a\": 1}}")
                        .status());
        assertEquals(
                1,
                http().get(base + "/annotation")
                        .json()
                        .getJsonObject("tag:isrd.isi.edu,2019:chaise-config")
                        .getInt("a"));
        assertEquals(
                204,
                http().send(
                                "PUT",
                                base + "/schema/Study/table/Subject/column/Name/annotation",
                                "application/json",
                                "{\"tag:z\": true}")
                        .status());
        assertEquals(
                "{\"tag:z\":true}",
                http().get(base + "/schema/Study/table/Subject/column/Name/annotation")
                        .body());
        assertEquals(
                204,
                http().send("PUT", base + "/schema/Study/table/Subject/acl", "application/json", "{}")
                        .status());
        assertEquals(
                204,
                http().send(
                                "PUT",
                                base + "/schema/Study/table/Subject/acl",
                                "application/json",
                                "{\"select\": [\"*\"]}")
                        .status());
        assertEquals(
                "[\"*\"]",
                http().get(base + "/schema/Study/table/Subject/acl/select").body());
        assertEquals(
                204,
                http().delete(base + "/schema/Study/table/Subject/acl/select").status());
        assertEquals(
                404, http().get(base + "/schema/Study/table/Subject/acl/select").status());

        // Table.drop / Column.drop / Key.drop / ForeignKey.drop
        assertEquals(
                204,
                http().delete(base + "/schema/Other/table/Encounter/foreignkey/Subject/reference/Study:Subject/RID")
                        .status());
        assertEquals(
                204,
                http().delete(base + "/schema/Study/table/Subject/key/Name,Age").status());
        assertEquals(
                204,
                http().delete(base + "/schema/Study/table/Subject/column/Mass").status());
        assertEquals(204, http().delete(base + "/schema/Other/table/Encounter").status());
    }

    @Test
    void bulkCreationIsOrderedAndAtomic() {
        String twoTables = "[{\"schema_name\": \"Lab\"}, "
                + "{\"schema_name\": \"Lab\", \"table_name\": \"Sample\", \"column_definitions\": [{\"name\": \"Site\", \"type\": {\"typename\": \"text\"}}]}, "
                + "{\"schema_name\": \"Lab\", \"table_name\": \"Site\", \"column_definitions\": [{\"name\": \"Code\", \"type\": {\"typename\": \"text\"}}], "
                + "\"keys\": [{\"unique_columns\": [\"Code\"]}]}, "
                + "{\"foreign_key_columns\": [{\"schema_name\": \"Lab\", \"table_name\": \"Sample\", \"column_name\": \"Site\"}], "
                + "\"referenced_columns\": [{\"schema_name\": \"Lab\", \"table_name\": \"Site\", \"column_name\": \"Code\"}]}]";
        Reply created = http().postJson(base + "/schema", twoTables);
        assertEquals(201, created.status(), created::toString);
        JsonArray list = created.jsonArray();
        assertEquals(4, list.size());
        assertEquals("Sample", list.getJsonObject(1).getString("table_name"));
        assertEquals(
                "Code",
                list.getJsonObject(3)
                        .getJsonArray("referenced_columns")
                        .getJsonObject(0)
                        .getString("column_name"),
                "a foreign key to a table defined after it in the same request");
        String atomic =
                "[{\"schema_name\": \"Half\"}, {\"schema_name\": \"Half\", \"table_name\": \"T\", \"column_definitions\": "
                        + "[{\"name\": \"x\", \"type\": {\"typename\": \"money\"}}]}]";
        assertEquals(400, http().postJson(base + "/schema", atomic).status());
        assertFalse(
                http().get(base + "/schema").json().getJsonObject("schemas").containsKey("Half"),
                "nothing of a failed batch remains");
        Reply nested = http().postJson(
                        base + "/schema",
                        "{\"schemas\": {\"Nested\": {\"comment\": \"c\", \"tables\": "
                                + "{\"N\": {\"column_definitions\": [{\"name\": \"v\", \"type\": {\"typename\": \"int4\"}}]}}}}}");
        assertEquals(201, nested.status(), nested::toString);
        assertTrue(nested.json()
                .getJsonObject("schemas")
                .getJsonObject("Nested")
                .getJsonObject("tables")
                .containsKey("N"));
    }

    @Test
    void snapshotsReadTheModelAsItWas() throws Exception {
        assertEquals(
                201,
                http().postJson(base + "/schema", "[{\"schema_name\": \"S\"}]").status());
        assertEquals(
                201,
                http().postJson(
                                base + "/schema/S/table",
                                "{\"table_name\": \"T\", \"column_definitions\": "
                                        + "[{\"name\": \"Old\", \"type\": {\"typename\": \"text\"}}, {\"name\": \"Gone\", \"type\": {\"typename\": \"int4\"}}, "
                                        + "{\"name\": \"Tags\", \"type\": {\"typename\": \"text[]\"}}]}")
                        .status());
        assertEquals(
                200,
                http().postJson(base + "/entity/S:T", "[{\"Old\": \"a\", \"Gone\": 1, \"Tags\": [\"x\", \"y\"]}]")
                        .status());
        String snaptime = http().get(base).json().getString("snaptime");
        Thread.sleep(5);
        // DDL after the snapshot: rename, drop, add with a default, rename the table
        assertEquals(
                200,
                http().send("PUT", base + "/schema/S/table/T/column/Old", "application/json", "{\"name\": \"New\"}")
                        .status());
        assertEquals(204, http().delete(base + "/schema/S/table/T/column/Gone").status());
        assertEquals(
                201,
                http().postJson(
                                base + "/schema/S/table/T/column",
                                "{\"name\": \"Added\", \"type\": {\"typename\": \"text\"}, " + "\"default\": \"d\"}")
                        .status());
        assertEquals(
                200,
                http().send("PUT", base + "/schema/S/table/T", "application/json", "{\"table_name\": \"T2\"}")
                        .status());

        String then = base + "@" + snaptime;
        JsonObject row = http().get(then + "/entity/S:T").jsonArray().getJsonObject(0);
        assertEquals("a", row.getString("Old"));
        assertEquals(1, row.getInt("Gone"));
        assertEquals(List.of("x", "y"), strings(row.getJsonArray("Tags")));
        assertFalse(row.containsKey("Added"));
        assertEquals(
                1, http().get(then + "/attribute/S:T/Old=a/Gone").jsonArray().size());
        assertTrue(http().get(then + "/schema")
                .json()
                .getJsonObject("schemas")
                .getJsonObject("S")
                .getJsonObject("tables")
                .containsKey("T"));
        JsonObject now = http().get(base + "/entity/S:T2").jsonArray().getJsonObject(0);
        assertEquals("a", now.getString("New"));
        assertEquals("d", now.getString("Added"), "added columns show their default");
        String later = http().get(base).json().getString("snaptime");
        assertEquals(
                "d",
                http().get(base + "@" + later + "/entity/S:T2")
                        .jsonArray()
                        .getJsonObject(0)
                        .getString("Added"));
        assertEquals(204, http().delete(base + "/schema/S/table/T2").status());
        assertEquals(
                "a",
                http().get(then + "/entity/S:T").jsonArray().getJsonObject(0).getString("Old"),
                "a dropped table stays readable");
        assertEquals(404, http().get(base + "@" + later + "/entity/S:T").status(), "by its name then");
    }

    @Test
    void dataApiFormsThatClientsUse() {
        assertEquals(
                201,
                http().postJson(
                                base + "/schema",
                                "[{\"schema_name\": \"D\"}, {\"schema_name\": \"D\", \"table_name\": \"M\", "
                                        + "\"column_definitions\": [{\"name\": \"k\", \"type\": {\"typename\": \"text\"}}, {\"name\": \"v\", \"type\": {\"typename\": \"int4\"}}], "
                                        + "\"keys\": [{\"unique_columns\": [\"k\"]}]}, {\"schema_name\": \"D\", \"table_name\": \"C\", \"column_definitions\": "
                                        + "[{\"name\": \"m\", \"type\": {\"typename\": \"text\"}}, {\"name\": \"w\", \"type\": {\"typename\": \"int4\"}}], "
                                        + "\"foreign_keys\": [{\"foreign_key_columns\": [{\"column_name\": \"m\"}], \"referenced_columns\": "
                                        + "[{\"schema_name\": \"D\", \"table_name\": \"M\", \"column_name\": \"k\"}]}]}]")
                        .status());
        assertEquals(
                200,
                http().postJson(
                                base + "/entity/D:M",
                                "[{\"k\": \"a\", \"v\": 1}, {\"k\": \"b\", \"v\": 5}, {\"k\": \"c\", \"v\": 12}, {\"k\": \"d\"}]")
                        .status());
        assertEquals(
                200,
                http().postJson(
                                base + "/entity/D:C",
                                "[{\"m\": \"a\", \"w\": 1}, {\"m\": \"a\", \"w\": 2}, {\"m\": \"b\", \"w\": 3}]")
                        .status());

        assertEquals(2, http().get(base + "/entity/D:M/k=any(a,c)").jsonArray().size());
        assertEquals(
                1,
                http().get(base + "/entity/D:M/v::gt::all(0,4)/v::lt::any(6,7)")
                        .jsonArray()
                        .size());
        JsonArray bins = http().get(base + "/attributegroup/D:M/b:=bin(v;2;0;10);n:=cnt(*)@sort(b)")
                .jsonArray();
        assertEquals("[null,null,null]", bins.getJsonObject(0).get("b").toString(), "NULL values bin first");
        assertEquals(1, bins.getJsonObject(1).getJsonArray("b").getInt(0));
        assertEquals(0, bins.getJsonObject(1).getJsonArray("b").getJsonNumber(1).intValue());
        assertEquals(5, bins.getJsonObject(1).getJsonArray("b").getJsonNumber(2).intValue());
        assertEquals(3, bins.getJsonObject(3).getJsonArray("b").getInt(0), "above the range: bin n+1");
        assertTrue(bins.getJsonObject(3).getJsonArray("b").isNull(2));
        JsonObject whole = http().get(
                        base + "/aggregate/M:=D:M/k=a/C:=(k)=(D:C:m)/$M/rows:=array(*),n:=cnt(C:*),d:=array_d(C:*)")
                .jsonArray()
                .getJsonObject(0);
        assertEquals("a", whole.getJsonArray("rows").getJsonObject(0).getString("k"));
        assertEquals(2, whole.getInt("n"));
        assertEquals(2, whole.getJsonArray("d").size());
        assertEquals(
                3,
                http().get(base + "/attribute/D:M/(k,k)=(D:C:m,D:C:m)/w")
                        .jsonArray()
                        .size(),
                "every right-hand column qualified");
        assertEquals(
                1, http().get(base + "/entity/D:M/k=a?limit=none").jsonArray().size());
    }

    @Test
    void hatracRenameAndRecursiveDeleteAsHatracStoreSendsThem() {
        String ns = "/hatrac/derivapy-" + base.substring(base.lastIndexOf('/') + 1);
        assertEquals(
                201,
                http().send("PUT", ns + "/a?parents=true", "application/x-hatrac-namespace", null)
                        .status());
        String v1 = location(http().put(ns + "/a/old.txt", "one".getBytes()));
        String v2 = location(http().put(ns + "/a/old.txt", "two".getBytes()));
        // HatracStore.rename_obj(): POST to the new name, JSON body, the new URL back as text
        String command = "{\"command\": \"rename_from\", \"source_name\": \"" + ns.substring(7) + "/a/old.txt\"}";
        Reply renamed = http().postJson(ns + "/a/new.txt", command);
        assertEquals(201, renamed.status(), renamed::toString);
        String n2 = ns + "/a/new.txt" + v2.substring(v2.lastIndexOf(':'));
        assertEquals(n2, renamed.body().trim(), "the versions keep their ids");
        assertEquals(201, http().postJson(ns + "/a/new.txt", command).status(), "repeating a rename changes nothing");
        assertEquals("two", http().get(ns + "/a/new.txt").body());
        assertEquals(2, http().get(ns + "/a/new.txt;versions").jsonArray().size());
        assertEquals("one", http().get(v1).body(), "an old version forwards to its new name");
        assertEquals(
                List.of("owner", "update", "read", "subtree-owner", "subtree-read"),
                List.copyOf(http().get(ns + "/a/new.txt;acl").json().keySet()),
                "Hatrac's ACL names, none set");
        assertEquals(204, http().delete(n2).status());
        assertEquals(409, http().get(v2).status(), "its target is gone");
        assertEquals(204, http().delete(v2).status(), "the forward itself can be deleted");
        // HatracStore.delete_namespace(): a namespace with content goes with all of it
        assertEquals(204, http().delete(ns).status());
        assertEquals(404, http().get(ns + "/a/new.txt").status());
    }

    private static String location(Reply reply) {
        assertEquals(201, reply.status(), reply::toString);
        return reply.header("Location").orElseThrow().replaceFirst("^https?://[^/]+", "");
    }

    private static List<String> strings(JsonArray array) {
        return array.getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)
                .toList();
    }
}
