package dev.cairn.web.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.JsonBodies;
import jakarta.json.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chaise's presentation annotations read with Chaise's meaning: names, visible columns per context,
 * facets, related tables, order.
 */
class ChaiseTest {

    private static Model.Column column(String name) {
        return new Model.Column(name, Model.Type.base("text"), true, null, null, Map.of(), Map.of(), Map.of());
    }

    private static Model.ForeignKey fk(String name, String from, String table, String to, String toTable) {
        return new Model.ForeignKey(
                List.of(List.of("s", name)),
                List.of(new Model.ColumnRef("s", table, from)),
                List.of(new Model.ColumnRef("s", toTable, to)),
                null,
                null,
                null,
                Map.of(),
                Map.of(),
                Map.of());
    }

    private static Model.Table table(
            String name, Map<String, JsonValue> annotations, List<Model.ForeignKey> fks, String... columns) {
        return new Model.Table(
                "s",
                name,
                "table",
                null,
                annotations,
                Arrays.stream(columns).map(ChaiseTest::column).toList(),
                List.of(),
                fks,
                Map.of(),
                Map.of());
    }

    /** A model of one schema {@code s} holding the tables. */
    private static Model model(Map<String, Model.Table> tables) {
        return new Model(Map.of("s", new Model.Schema("s", null, Map.of(), tables, Map.of())), Map.of(), Map.of());
    }

    private static Map<String, JsonValue> annotation(String tag, String json) {
        return Map.of(tag, JsonBodies.parse(json));
    }

    @Test
    void namesComeFromDisplayOrTheNearestNameStyle() {
        assertEquals(
                "Subjects",
                Chaise.name("Subject", annotation(Chaise.DISPLAY_2015, "{\"name\": \"Subjects\"}"), List.of()));
        assertEquals(
                "Study",
                Chaise.name(
                        "Subject", annotation(Chaise.DISPLAY_2015, "{\"markdown_name\": \"**Study**\"}"), List.of()));
        Map<String, JsonValue> schema =
                annotation(Chaise.DISPLAY_2015, "{\"name_style\": {\"underline_space\": true, \"title_case\": true}}");
        assertEquals("Tissue Sample Site", Chaise.name("tissue_sample_site", Map.of(), List.of(Map.of(), schema)));
        assertEquals("Plain_Name", Chaise.name("Plain_Name", null, List.of()));
    }

    @Test
    void visibleColumnsFollowChaisesContextsAndEntries() {
        Model.Table t = table(
                "Image",
                annotation(
                        Chaise.VISIBLE_COLUMNS,
                        "{\"compact\": [\"Filename\", [\"s\", \"Image_Subject_fkey\"], {\"source\": \"Nope\"}, \"Filename\"],"
                                + " \"detailed\": \"compact\", \"*\": [\"URL\"],"
                                + " \"filter\": {\"and\": [{\"source\": [{\"outbound\": [\"s\", \"Image_Subject_fkey\"]}, \"RID\"], \"open\": true},"
                                + " {\"source\": \"Filename\"}]}}"),
                List.of(fk("Image_Subject_fkey", "Subject", "Image", "RID", "Subject")),
                "RID",
                "Filename",
                "URL",
                "Subject");
        assertEquals(
                List.of("Filename", "Subject"), Chaise.columns(t, "compact").orElseThrow());
        assertEquals(
                List.of("Filename", "Subject"),
                Chaise.columns(t, "compact/brief").orElseThrow(),
                "falls back to compact");
        assertEquals(
                List.of("Filename", "Subject"),
                Chaise.columns(t, "detailed").orElseThrow(),
                "a context naming another");
        assertEquals(List.of("URL"), Chaise.columns(t, "entry/edit").orElseThrow(), "then *");
        assertEquals(
                List.of(new Chaise.Facet("Subject", true), new Chaise.Facet("Filename", false)),
                Chaise.facets(t).orElseThrow());
        assertTrue(Chaise.columns(table("Plain", Map.of(), List.of(), "A"), "compact")
                .isEmpty());
    }

    @Test
    void relatedTablesAndRowOrderComeFromTheirAnnotations() {
        Model.ForeignKey sampleSubject = fk("Sample_Subject_fkey", "Subject", "Sample", "RID", "Subject");
        Model.Table sample = table("Sample", Map.of(), List.of(sampleSubject), "RID", "Subject");
        Model.Table subject = table(
                "Subject",
                Map.of(
                        Chaise.VISIBLE_FOREIGN_KEYS,
                        JsonBodies.parse("{\"detailed\": [[\"s\", \"Sample_Subject_fkey\"], [\"s\", \"Nope\"]]}"),
                        RowNames.TABLE_DISPLAY,
                        JsonBodies.parse("{\"*\": {\"row_order\": [{\"column\": \"Name\", \"descending\": true}]}}")),
                List.of(),
                "RID",
                "Name");
        Model model = model(Map.of("Subject", subject, "Sample", sample));
        assertEquals(
                List.of(new Chaise.Inbound("s", "Sample", "Subject")),
                Chaise.related(subject, model).orElseThrow());
        assertEquals(Map.entry("Name", true), Chaise.rowOrder(subject).orElseThrow());
    }

    @Test
    void entriesAreColumnsPseudoColumnsAlongForeignKeysAndVirtualColumns() {
        Model.ForeignKey toWorkflow = fk("WWT_Workflow_fkey", "Workflow", "WWT", "RID", "Workflow");
        Model.ForeignKey toType = fk("WWT_Type_fkey", "Type", "WWT", "RID", "Type");
        Model.Table link = table("WWT", Map.of(), List.of(toWorkflow, toType), "RID", "Workflow", "Type");
        Model.Table type = table("Type", Map.of(), List.of(), "RID", "Name");
        Model.Table workflow = table(
                "Workflow",
                annotation(
                        Chaise.VISIBLE_COLUMNS,
                        "{\"detailed\": [\"Name\", {\"source\": [{\"inbound\": [\"s\", \"WWT_Workflow_fkey\"]},"
                                + " {\"outbound\": [\"s\", \"WWT_Type_fkey\"]}, \"Name\"], \"markdown_name\": \"**Types**\"},"
                                + " {\"display\": {\"markdown_pattern\": \"[{{{Name}}}](/x)\"}, \"markdown_name\": \"Link\"},"
                                + " {\"source\": [{\"outbound\": [\"s\", \"WWT_Type_fkey\"]}, \"Name\"]},"
                                + " {\"source\": [{\"inbound\": [\"s\", \"Nope\"]}, \"RID\"]},"
                                + " {\"source\": \"Name\", \"aggregate\": \"cnt\"}, {\"sourcekey\": \"S_1\"},"
                                + " {\"display\": {\"markdown_pattern\": \"x\"}}, \"Name\"]}"),
                List.of(),
                "RID",
                "Name");
        Model model = model(Map.of("Workflow", workflow, "WWT", link, "Type", type));
        List<Chaise.Entry> entries = Chaise.entries(model, workflow, "detailed").orElseThrow();
        assertEquals(
                3,
                entries.size(),
                "a path from elsewhere, unknown keys, aggregates, source keys, unnamed patterns and repeats are left out: "
                        + entries);
        assertEquals("Name", entries.get(0).column());
        assertTrue(entries.get(0).local());
        Chaise.Entry types = entries.get(1);
        assertEquals("Types", types.label());
        assertEquals(
                List.of(true, false),
                types.path().stream().map(Chaise.Hop::inbound).toList());
        assertEquals("Type", types.end().tableName());
        assertEquals("Name", types.column());
        Chaise.Entry virtual = entries.get(2);
        assertTrue(virtual.virtual());
        assertEquals("[{{{Name}}}](/x)", virtual.pattern().orElseThrow());
        assertEquals(
                List.of("Name"), Chaise.columns(workflow, "detailed").orElseThrow(), "the table's own columns only");
    }
}
