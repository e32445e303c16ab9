package dev.cairn.web.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.catalog.entity.Model;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How rows are named where a page shows a foreign key: Chaise's row_name pattern, else DerivaML's defaults. */
class RowNamesTest {

    private static Model.Column column(String name, String type) {
        return new Model.Column(name, Model.Type.base(type), true, null, null, Map.of(), Map.of(), Map.of());
    }

    private static Model.Table table(
            Map<String, JsonValue> annotations, List<Model.Key> keys, Model.Column... columns) {
        return new Model.Table(
                "s", "T", "table", null, annotations, List.of(columns), keys, List.of(), Map.of(), Map.of());
    }

    private static Model.Key key(String column) {
        return new Model.Key(List.of(List.of("s", "T_" + column + "_key")), List.of(column), null, Map.of());
    }

    @Test
    void aRowNamePatternOfColumnsNamesTheRow() {
        JsonValue display = Json.createObjectBuilder()
                .add("row_name", Json.createObjectBuilder().add("row_markdown_pattern", "{{{Last}}}, {{First}}"))
                .build();
        Model.Table t = table(
                Map.of(RowNames.TABLE_DISPLAY, display),
                List.of(key("RID")),
                column("RID", "text"),
                column("First", "text"),
                column("Last", "text"),
                column("Name", "text"));
        RowNames.Naming naming = RowNames.naming(t).orElseThrow();
        assertEquals(List.of("Last", "First"), naming.columns());
        assertEquals(
                "Curie, Marie",
                naming.render(Json.createObjectBuilder()
                        .add("First", "Marie")
                        .add("Last", "Curie")
                        .build()));
    }

    @Test
    void aPatternWithBlocksOrRawValuesOfItsColumnsNamesTheRowAsText() {
        JsonValue display = Json.createObjectBuilder()
                .add(
                        "row_name",
                        Json.createObjectBuilder()
                                .add("row_markdown_pattern", "**{{{Name}}}**{{#_Code}} ({{{_Code}}}){{/_Code}}"))
                .build();
        Model.Table t = table(
                Map.of(RowNames.TABLE_DISPLAY, display), List.of(), column("Name", "text"), column("Code", "text"));
        RowNames.Naming naming = RowNames.naming(t).orElseThrow();
        assertEquals(List.of("Name", "Code"), naming.columns());
        assertEquals(
                "Retina (R-1)",
                naming.render(Json.createObjectBuilder()
                        .add("Name", "Retina")
                        .add("Code", "R-1")
                        .build()));
        assertEquals(
                "Lens",
                naming.render(Json.createObjectBuilder()
                        .add("Name", "Lens")
                        .addNull("Code")
                        .build()));
        // deriva-ml's Dataset_Version names rows through another table's values: Cairn's defaults instead
        JsonValue fkey = Json.createObjectBuilder()
                .add(
                        "row_name",
                        Json.createObjectBuilder()
                                .add(
                                        "row_markdown_pattern",
                                        "{{{$fkey_deriva-ml_Dataset_Version_Dataset_fkey.RID}}}:{{{Name}}}"))
                .build();
        assertEquals(
                "{{{Name}}}",
                RowNames.naming(table(Map.of(RowNames.TABLE_DISPLAY, fkey), List.of(), column("Name", "text")))
                        .orElseThrow()
                        .pattern());
    }

    @Test
    void aPatternWithMoreThanColumnsFallsBackToTheDefaults() {
        JsonValue display = Json.createObjectBuilder()
                .add("*", Json.createObjectBuilder().add("row_markdown_pattern", "{{#each x}}{{this}}{{/each}}"))
                .build();
        Model.Table t = table(Map.of(RowNames.TABLE_DISPLAY, display), List.of(), column("Name", "text"));
        assertEquals(List.of("Name"), RowNames.naming(t).orElseThrow().columns());
    }

    @Test
    void derivaMlsDefaultsAreNameThenFilenameThenAUniqueTextKey() {
        assertEquals(
                List.of("Name"),
                RowNames.naming(table(Map.of(), List.of(), column("Filename", "text"), column("Name", "text")))
                        .orElseThrow()
                        .columns());
        assertEquals(
                List.of("Filename"),
                RowNames.naming(table(Map.of(), List.of(), column("Filename", "text")))
                        .orElseThrow()
                        .columns());
        assertEquals(
                List.of("Code"),
                RowNames.naming(table(
                                Map.of(),
                                List.of(key("RID"), key("Count"), key("Code")),
                                column("RID", "text"),
                                column("Count", "int4"),
                                column("Code", "text")))
                        .orElseThrow()
                        .columns());
        assertTrue(RowNames.naming(table(Map.of(), List.of(key("RID")), column("RID", "text")))
                .isEmpty());
    }
}
