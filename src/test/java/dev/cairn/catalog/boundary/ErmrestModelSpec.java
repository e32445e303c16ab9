package dev.cairn.catalog.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DDL over REST: schemas and tables from ERMrest documents, visible in the model at once. */
public abstract class ErmrestModelSpec extends CairnSpec {

    private String base;

    @BeforeEach
    void catalog() {
        base = "/ermrest/catalog/" + createCatalog("{\"name\": \"ddl\"}").getString("id");
    }

    private static final String SUBJECT = """
            {"table_name": "Subject", "comment": "Study subjects",
             "column_definitions": [
               {"name": "Name", "type": {"typename": "text"}, "nullok": false, "comment": "Subject name"},
               {"name": "Age", "type": {"typename": "int4"}, "default": 0},
               {"name": "Notes", "type": {"typename": "markdown"}},
               {"name": "Aliases", "type": {"typename": "text[]"}},
               {"name": "Workflow", "type": {"typename": "text"}}],
             "keys": [{"unique_columns": ["Name"], "names": [["lab", "Subject_Name_key"]]}],
             "foreign_keys": [{"foreign_key_columns": [{"schema_name": "lab", "table_name": "Subject", "column_name": "Workflow"}],
               "referenced_columns": [{"schema_name": "deriva-ml", "table_name": "Workflow", "column_name": "RID"}],
               "on_delete": "CASCADE"}],
             "annotations": {"tag:misd.isi.edu,2015:display": {"name": "Subjects"}}}""";

    /**
     * ERMrest's column indexes: a btree on scalar columns and on identifiers held as text (foreign
     * keys, RCB...), a trigram index on other text columns, none where indexing-preferences says not,
     * and a column added later gets its own; a long text value is still taken (no btree on free text).
     */
    @Test
    void columnsAreIndexedAsErmrestIndexesThem() throws Exception {
        String id = base.substring(base.lastIndexOf('/') + 1);
        assertEquals(201, http().postJson(base + "/schema/lab", "{}").status());
        assertEquals(201, http().postJson(base + "/schema/lab/table", SUBJECT).status(), "the Subject table");
        String quiet = """
                {"table_name": "Log", "column_definitions": [
                   {"name": "Line", "type": {"typename": "text"}},
                   {"name": "Level", "type": {"typename": "int4"},
                    "annotations": {"tag:isrd.isi.edu,2018:indexing-preferences": {"btree": true}}}],
                 "annotations": {"tag:isrd.isi.edu,2018:indexing-preferences": {"btree": false, "trgm": false}}}""";
        assertEquals(201, http().postJson(base + "/schema/lab/table", quiet).status());
        assertEquals(
                201,
                http().postJson(
                                base + "/schema/lab/table/Subject/column",
                                "{\"name\": \"Weight\", \"type\": {\"typename\": \"float8\"}}")
                        .status());
        Set<String> indexes = new TreeSet<>();
        try (Connection c = database("cairn_catalog_" + id);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT t.relname || '.' || a.attname || ':' || am.amname"
                        + " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid"
                        + " JOIN pg_am am ON am.oid = ic.relam JOIN pg_namespace n ON n.oid = t.relnamespace"
                        + " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]"
                        + " WHERE n.nspname = 'lab' AND NOT i.indisunique")) {
            while (r.next()) {
                indexes.add(r.getString(1));
            }
        }
        for (String expected : List.of(
                "Subject.Age:btree",
                "Subject.Weight:btree",
                "Subject.RCT:btree",
                "Subject.Workflow:btree",
                "Subject.RCB:btree",
                "Subject.Notes:gin",
                "Subject.Name:gin",
                "Log.Level:btree")) {
            assertTrue(indexes.contains(expected), expected + " in " + indexes);
        }
        for (String absent : List.of(
                "Subject.Notes:btree",
                "Subject.Aliases:btree",
                "Subject.Workflow:gin",
                "Subject.RCB:gin",
                "Log.Line:gin",
                "Log.RCT:btree")) {
            assertTrue(!indexes.contains(absent), absent + " not in " + indexes);
        }
        String longNote = "x".repeat(20_000);
        assertEquals(
                200,
                http().postJson(base + "/entity/lab:Subject", "[{\"Name\": \"a\", \"Notes\": \"" + longNote + "\"}]")
                        .status(),
                "a long text value is taken");
        Reply found = http().get(base + "/entity/lab:Subject/Notes::ciregexp::xxxx");
        assertEquals(1, found.jsonArray().size(), found::toString);
    }

    @Test
    void createTableShowsInTheModelAndTakesData() {
        assertEquals(
                201,
                http().send("POST", base + "/schema/lab", "application/json", "{\"comment\": \"Lab data\"}")
                        .status());
        Reply created = http().postJson(base + "/schema/lab/table", SUBJECT);
        assertEquals(201, created.status(), created::toString);
        JsonObject table = http().get(base + "/schema")
                .json()
                .getJsonObject("schemas")
                .getJsonObject("lab")
                .getJsonObject("tables")
                .getJsonObject("Subject");
        assertEquals("Study subjects", table.getString("comment"));
        List<String> columns = table.getJsonArray("column_definitions").getValuesAs(JsonObject.class).stream()
                .map(c -> c.getString("name"))
                .toList();
        assertEquals(
                List.of("RID", "RCT", "RMT", "RCB", "RMB", "Name", "Age", "Notes", "Aliases", "Workflow"), columns);
        JsonObject age = table.getJsonArray("column_definitions").getJsonObject(6);
        assertEquals(0, age.getInt("default"));
        assertEquals(
                "Subjects",
                table.getJsonObject("annotations")
                        .getJsonObject("tag:misd.isi.edu,2015:display")
                        .getString("name"));
        assertEquals(
                "CASCADE", table.getJsonArray("foreign_keys").getJsonObject(0).getString("on_delete"));
        assertEquals("Lab data", http().get(base + "/schema/lab").json().getString("comment"));
        assertEquals(200, http().get(base + "/schema/lab/table/Subject").status());

        Reply row = http().postJson(base + "/entity/lab:Subject", "[{\"Name\": \"S1\", \"Aliases\": [\"a\"]}]");
        assertEquals(200, row.status(), row::toString);
        assertEquals(0, row.jsonArray().getJsonObject(0).getInt("Age"), "the default applies");
        assertTrue(row.jsonArray().getJsonObject(0).getString("RID").length() > 0, "system columns are maintained");
        assertEquals(
                409,
                http().postJson(base + "/entity/lab:Subject", "[{\"Name\": \"S1\"}]")
                        .status(),
                "the key holds");
        assertEquals(409, http().postJson(base + "/schema/lab/table", SUBJECT).status(), "exists");
        assertEquals(409, http().delete(base + "/schema/lab").status(), "not empty");
        assertEquals(204, http().delete(base + "/schema/lab/table/Subject").status());
        assertEquals(404, http().get(base + "/entity/lab:Subject").status());
        assertEquals(204, http().delete(base + "/schema/lab").status());
        assertEquals(404, http().get(base + "/schema/lab").status());
    }

    @Test
    void badDocumentsAreRefused() {
        String table =
                "{\"table_name\": \"T\", \"column_definitions\": [{\"name\": \"a\", \"type\": {\"typename\": \"%s\"}}]}";
        assertEquals(
                400,
                http().postJson(base + "/schema/public/table", String.format(table, "text); DROP TABLE x; --"))
                        .status());
        assertEquals(
                400,
                http().postJson(base + "/schema/public/table", String.format(table, "money"))
                        .status());
        assertEquals(
                400,
                http().postJson(base + "/schema/public/table", "{\"column_definitions\": []}")
                        .status());
        assertEquals(
                404,
                http().postJson(base + "/schema/nowhere/table", String.format(table, "text"))
                        .status());
        assertEquals(
                400, http().send("POST", base + "/schema/_hidden", null, null).status());
        assertEquals(403, http().delete(base + "/schema/public").status());
        Reply quoted = http().postJson(
                        base + "/schema/public/table",
                        "{\"table_name\": \"We'ird \\\"name\\\"\", \"comment\": \"it's\", \"column_definitions\": "
                                + "[{\"name\": \"x'y\", \"type\": {\"typename\": \"text\"}, \"default\": \"O'Brien\"}]}");
        assertEquals(201, quoted.status(), quoted::toString);
        assertEquals("it's", quoted.json().getString("comment"));
    }

    @Test
    void alterColumnsKeysForeignKeysCommentsAndAnnotations() {
        http().send("POST", base + "/schema/lab", null, null);
        assertEquals(201, http().postJson(base + "/schema/lab/table", SUBJECT).status());
        String table = base + "/schema/lab/table/Subject";

        Reply column = http().postJson(
                        table + "/column",
                        "{\"name\": \"Weight, kg\", \"type\": {\"typename\": \"float8\"}, "
                                + "\"comment\": \"body weight\", \"annotations\": {\"tag:example,2026:unit\": \"kg\"}}");
        assertEquals(201, column.status(), column::toString);
        assertEquals("body weight", column.json().getString("comment"));
        assertEquals(
                200,
                http().postJson(base + "/entity/lab:Subject", "[{\"Name\": \"S1\", \"Weight, kg\": 70.5}]")
                        .status());
        assertEquals(
                201,
                http().postJson(table + "/key", "{\"unique_columns\": [\"Weight, kg\"]}")
                        .status());
        assertEquals(
                409,
                http().postJson(base + "/entity/lab:Subject", "[{\"Name\": \"S2\", \"Weight, kg\": 70.5}]")
                        .status(),
                "the new key holds");
        assertEquals(204, http().delete(table + "/key/Weight%2C%20kg").status());
        assertEquals(
                200,
                http().postJson(base + "/entity/lab:Subject", "[{\"Name\": \"S2\", \"Weight, kg\": 70.5}]")
                        .status());
        assertEquals(403, http().delete(table + "/key/RID").status());
        assertEquals(204, http().delete(table + "/column/Weight%2C%20kg").status());
        assertEquals(403, http().delete(table + "/column/RCT").status());
        assertEquals(404, http().delete(table + "/column/Nope").status());

        assertEquals(
                204,
                http().delete(table + "/foreignkey/Workflow/reference/deriva-ml:Workflow/RID")
                        .status());
        assertEquals(0, http().get(table).json().getJsonArray("foreign_keys").size());
        Reply fk = http().postJson(
                        table + "/foreignkey",
                        "{\"foreign_key_columns\": [{\"schema_name\": \"lab\", "
                                + "\"table_name\": \"Subject\", \"column_name\": \"Workflow\"}], \"referenced_columns\": [{\"schema_name\": "
                                + "\"deriva-ml\", \"table_name\": \"Workflow\", \"column_name\": \"RID\"}]}");
        assertEquals(201, fk.status(), fk::toString);
        assertEquals(
                409,
                http().postJson(base + "/entity/lab:Subject", "[{\"Name\": \"S3\", \"Workflow\": \"NOPE\"}]")
                        .status());

        assertEquals(
                204,
                http().send("PUT", table + "/comment", "text/plain", "Who was studied")
                        .status());
        assertEquals(
                204,
                http().send("PUT", table + "/column/Age/comment", "text/plain", "in years")
                        .status());
        assertEquals(
                204,
                http().send("PUT", base + "/schema/lab/comment", "text/plain", "Lab")
                        .status());
        String display = "tag:misd.isi.edu,2015:display";
        assertEquals(
                204,
                http().send("PUT", table + "/annotation/" + display, "application/json", "{\"name\": \"People\"}")
                        .status());
        assertEquals(
                204,
                http().send(
                                "PUT",
                                table + "/column/Age/annotation/" + display,
                                "application/json",
                                "{\"name\": \"Age\"}")
                        .status());
        assertEquals(
                204,
                http().send("PUT", base + "/annotation/" + display, "application/json", "{\"name\": \"Catalog\"}")
                        .status());
        JsonObject subject = http().get(table).json();
        assertEquals("Who was studied", subject.getString("comment"));
        assertEquals(
                "People",
                subject.getJsonObject("annotations").getJsonObject(display).getString("name"));
        JsonObject age = subject.getJsonArray("column_definitions").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals("Age"))
                .findFirst()
                .orElseThrow();
        assertEquals("in years", age.getString("comment"));
        assertEquals(
                "Age", age.getJsonObject("annotations").getJsonObject(display).getString("name"));
        assertEquals("Lab", http().get(base + "/schema/lab").json().getString("comment"));
        assertEquals(
                "Catalog",
                http().get(base)
                        .json()
                        .getJsonObject("annotations")
                        .getJsonObject(display)
                        .getString("name"));
        assertEquals(204, http().delete(table + "/annotation/" + display).status());
        assertTrue(http().get(table).json().getJsonObject("annotations").isEmpty());
        assertEquals(204, http().delete(table + "/comment").status());
        assertTrue(http().get(table).json().isNull("comment"));
    }

    @Test
    void theModelHasAnEntityTagThatChangesWithIt() {
        Reply model = http().get(base + "/schema");
        String etag = model.header("ETag").orElseThrow();
        assertEquals(304, http().get(base + "/schema", "If-None-Match", etag).status());
        assertEquals(201, http().send("POST", base + "/schema/more", null, null).status());
        Reply changed = http().get(base + "/schema", "If-None-Match", etag);
        assertEquals(200, changed.status(), "the model changed");
        assertTrue(!changed.header("ETag").orElseThrow().equals(etag));
        assertTrue(changed.json().getJsonObject("schemas").containsKey("more"));
    }
}
