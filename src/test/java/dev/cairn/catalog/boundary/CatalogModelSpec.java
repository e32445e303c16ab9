package dev.cairn.catalog.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model of a new catalog, introspected from PostgreSQL, in ERMrest's JSON shape. */
public abstract class CatalogModelSpec extends CairnSpec {

    static final List<String> DERIVA_ML_TABLES = List.of(
            "Asset_Type",
            "Asset_Role",
            "Dataset_Type",
            "Workflow_Type",
            "Execution_Status",
            "Feature_Name",
            "Workflow",
            "Workflow_Workflow_Type",
            "Execution",
            "Execution_Execution",
            "Dataset",
            "Dataset_Version",
            "Dataset_Dataset_Type",
            "Dataset_Dataset",
            "Dataset_Execution",
            "Execution_Asset",
            "Execution_Asset_Asset_Type",
            "Execution_Asset_Execution",
            "Execution_Metadata",
            "Execution_Metadata_Asset_Type",
            "Execution_Metadata_Execution",
            "Asset_Kind",
            "Registered_Asset",
            "Registered_Asset_Asset_Type",
            "Registered_Asset_Execution",
            "Registered_Asset_Relationship",
            "Registered_Asset_Metric");
    static final List<String> SYSTEM_COLUMNS = List.of("RID", "RCT", "RMT", "RCB", "RMB");

    private JsonObject schemas;

    @BeforeEach
    void newCatalog() {
        String id = createCatalog("{\"name\": \"model\", \"domainSchema\": \"Lab\"}")
                .getString("id");
        var model = http().get("/ermrest/catalog/" + id + "/schema");
        assertEquals(200, model.status(), model::toString);
        assertTrue(model.contentType().startsWith("application/json"));
        schemas = model.json().getJsonObject("schemas");
    }

    private JsonObject table(String schema, String table) {
        JsonObject t = schemas.getJsonObject(schema).getJsonObject("tables").getJsonObject(table);
        assertNotNull(t, schema + ":" + table + " missing");
        return t;
    }

    private static JsonObject column(JsonObject table, String name) {
        return table.getJsonArray("column_definitions").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(table.getString("table_name") + "." + name + " missing"));
    }

    @Test
    void schemasOfANewCatalog() {
        assertEquals(Set.of("deriva-ml", "public", "Lab"), schemas.keySet());
        JsonObject lab = schemas.getJsonObject("Lab");
        assertEquals("Lab", lab.getString("schema_name"));
        assertTrue(lab.getJsonObject("tables").isEmpty());
        assertTrue(schemas.getJsonObject("public").getJsonObject("tables").containsKey("ERMrest_Client"));
    }

    @Test
    void everyDerivaMlTableHasTheSystemColumnsFirst() {
        Set<String> tables =
                schemas.getJsonObject("deriva-ml").getJsonObject("tables").keySet();
        assertEquals(Set.copyOf(DERIVA_ML_TABLES), tables);
        for (String name : DERIVA_ML_TABLES) {
            JsonObject table = table("deriva-ml", name);
            assertEquals("deriva-ml", table.getString("schema_name"));
            assertEquals(name, table.getString("table_name"));
            assertEquals("table", table.getString("kind"));
            List<String> first = table.getJsonArray("column_definitions").getValuesAs(JsonObject.class).stream()
                    .limit(5)
                    .map(c -> c.getString("name"))
                    .toList();
            assertEquals(SYSTEM_COLUMNS, first, name);
            JsonObject rid = column(table, "RID");
            assertEquals("ermrest_rid", rid.getJsonObject("type").getString("typename"));
            assertTrue(rid.getJsonObject("type").getBoolean("is_domain"));
            assertEquals(
                    "text", rid.getJsonObject("type").getJsonObject("base_type").getString("typename"));
            assertFalse(rid.getBoolean("nullok"));
            assertEquals(
                    "ermrest_rct", column(table, "RCT").getJsonObject("type").getString("typename"));
            assertEquals(
                    "ermrest_rmt", column(table, "RMT").getJsonObject("type").getString("typename"));
            assertTrue(column(table, "RCB").getBoolean("nullok"));
            assertTrue(column(table, "RMB").getBoolean("nullok"));
            boolean ridKey = table.getJsonArray("keys").getValuesAs(JsonObject.class).stream()
                    .anyMatch(k -> k.getJsonArray("unique_columns").getValuesAs(JsonString.class).stream()
                            .map(JsonString::getString)
                            .toList()
                            .equals(List.of("RID")));
            assertTrue(ridKey, name + " has a RID key");
        }
    }

    @Test
    void everyTableAndColumnIsCommented() {
        for (String schema : List.of("deriva-ml", "public")) {
            for (var entry :
                    schemas.getJsonObject(schema).getJsonObject("tables").entrySet()) {
                JsonObject table = entry.getValue().asJsonObject();
                assertFalse(table.isNull("comment"), entry.getKey() + " has a comment");
                for (JsonObject column :
                        table.getJsonArray("column_definitions").getValuesAs(JsonObject.class)) {
                    assertFalse(column.isNull("comment"), entry.getKey() + "." + column.getString("name"));
                }
            }
        }
    }

    @Test
    void vocabulariesHaveErmrestVocabularyShape() {
        JsonObject assetType = table("deriva-ml", "Asset_Type");
        Set<String> columns = assetType.getJsonArray("column_definitions").getValuesAs(JsonObject.class).stream()
                .map(c -> c.getString("name"))
                .collect(Collectors.toSet());
        assertTrue(columns.containsAll(Set.of("ID", "URI", "Name", "Description", "Synonyms")), columns::toString);
        JsonObject synonyms = column(assetType, "Synonyms").getJsonObject("type");
        assertEquals("text[]", synonyms.getString("typename"));
        assertTrue(synonyms.getBoolean("is_array"));
        assertEquals(
                "markdown",
                column(assetType, "Description").getJsonObject("type").getString("typename"));
        assertEquals("deriva-ml:{RID}", column(assetType, "ID").getString("default"));
        assertTrue(column(assetType, "RID").isNull("default"), "expressions are not reported as defaults");
    }

    @Test
    void foreignKeysNameTheirColumnsAndActions() {
        JsonObject role = foreignKey(table("deriva-ml", "Execution_Asset_Execution"), "Asset_Role");
        JsonObject referenced = role.getJsonArray("referenced_columns").getJsonObject(0);
        assertEquals("Asset_Role", referenced.getString("table_name"));
        assertEquals("Name", referenced.getString("column_name"));
        assertEquals("NO ACTION", role.getString("on_delete"));
        JsonObject workflow = foreignKey(table("deriva-ml", "Execution"), "Workflow");
        assertEquals(
                "Workflow",
                workflow.getJsonArray("referenced_columns").getJsonObject(0).getString("table_name"));
        assertEquals(
                "RID",
                workflow.getJsonArray("referenced_columns").getJsonObject(0).getString("column_name"));
        assertEquals(
                List.of("deriva-ml", "Execution_Workflow_fkey"),
                workflow.getJsonArray("names").getJsonArray(0).getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString)
                        .toList());
    }

    @Test
    void assetTablesCarryTheirColumnsAndAssetAnnotation() {
        for (String asset : List.of("Execution_Asset", "Execution_Metadata")) {
            JsonObject table = table("deriva-ml", asset);
            assertEquals("int8", column(table, "Length").getJsonObject("type").getString("typename"));
            for (String name : List.of("URL", "Filename", "MD5", "Description")) {
                column(table, name);
            }
            JsonObject annotation =
                    column(table, "URL").getJsonObject("annotations").getJsonObject("tag:isrd.isi.edu,2017:asset");
            assertEquals("MD5", annotation.getString("md5"));
            assertEquals("Filename", annotation.getString("filename_column"));
            foreignKey(table("deriva-ml", asset + "_Execution"), "Asset_Role");
            foreignKey(table("deriva-ml", asset + "_Asset_Type"), "Asset_Type");
        }
    }

    private static JsonObject foreignKey(JsonObject table, String column) {
        return table.getJsonArray("foreign_keys").getValuesAs(JsonObject.class).stream()
                .filter(fk -> fk.getJsonArray("foreign_key_columns")
                        .getJsonObject(0)
                        .getString("column_name")
                        .equals(column))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError(table.getString("table_name") + "." + column + " has no foreign key"));
    }
}
