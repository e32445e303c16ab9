package dev.cairn.web.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MarkdownTest {

    private static final JsonObject ROW = Json.createObjectBuilder()
            .add("Filename", "scan 1.png")
            .add("URL", "/hatrac/1/Image/scan%201.png:AB")
            .add("Length", 2048)
            .addNull("Description")
            .add("Meta", Json.createObjectBuilder().add("site", "USC"))
            .add("Tags", Json.createArrayBuilder().add("a").add("b"))
            .build();

    private static Map<String, Object> env() {
        return Markdown.env(
                ROW,
                name -> name.equals("Length")
                        ? "2,048"
                        : ROW.get(name).toString().replace("\"", ""));
    }

    @Test
    void deriveMlsAssetLinkIsALink() {
        assertEquals(
                Optional.of("<a rel=\"nofollow\" href=\"/hatrac/1/Image/scan%201.png:AB\">scan 1.png</a>"),
                Markdown.render("[{{{Filename}}}]({{{URL}}})", env()));
    }

    @Test
    void formattedAndRawValues() {
        assertEquals(Optional.of("2,048 bytes (2048)"), Markdown.render("{{{Length}}} bytes ({{{_Length}}})", env()));
        assertEquals(Optional.of("USC"), Markdown.render("{{#_Meta}}{{{site}}}{{/_Meta}}", env()));
        assertEquals(Optional.of("USC"), Markdown.render("{{{_Meta.site}}}", env()));
        assertEquals(Optional.of("a b"), Markdown.render("{{#_Tags}}{{{.}}} {{/_Tags}}", env()));
        assertEquals(Optional.of("<strong>scan 1.png</strong>"), Markdown.render("**{{{Filename}}}**", env()));
    }

    @Test
    void aPatternNamingAnEmptyColumnIsEmptyUnlessItUsesBlocks() {
        assertEquals(Optional.empty(), Markdown.render("{{{Filename}}}: {{{Description}}}", env()));
        assertEquals(Optional.empty(), Markdown.render("{{{Nowhere}}}", env()));
        assertEquals(
                Optional.of("scan 1.png: none"),
                Markdown.render(
                        "{{{Filename}}}: {{#Description}}{{{Description}}}{{/Description}}{{^Description}}none{{/Description}}",
                        env()));
    }

    @Test
    void encodeAndEscapeBlocks() {
        assertEquals(
                Optional.of("<a rel=\"nofollow\" href=\"https://example.org/?q=scan%201.png\">x</a>"),
                Markdown.render("[x](https://example.org/?q={{#encode}}{{{Filename}}}{{/encode}})", env()));
        assertEquals(Optional.of("scan 1.png"), Markdown.render("{{#escape}}{{{Filename}}}{{/escape}}", env()));
    }

    @Test
    void markupInValuesOrPatternsCannotScriptThePage() {
        JsonObject row = Json.createObjectBuilder()
                .add("Name", "<script>alert(1)</script>")
                .add("Link", "javascript:alert%281%29")
                .build();
        Map<String, Object> env = Markdown.env(row, name -> row.getString(name));
        String html = Markdown.render("[go]({{{Link}}}) {{{Name}}} <img src=x onerror=alert(1)>", env)
                .orElseThrow();
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("javascript:"), html);
        assertTrue(html.contains("<a rel=\"nofollow\" href=\"\">go</a>"), html);
        assertTrue(html.contains("&lt;script&gt;"), html);
    }

    @Test
    void aPatternMayNotIncludeFiles() {
        assertEquals(Optional.empty(), Markdown.render("{{> /etc/passwd}}", env()));
        assertEquals(Optional.empty(), Markdown.render("{{#Filename}}{{> /etc/hostname}}{{/Filename}}", env()));
    }

    @Test
    void aBrokenPatternShowsNothing() {
        assertEquals(Optional.empty(), Markdown.render("{{#Filename}} never closed", env()));
    }

    @Test
    void preFormat() {
        JsonObject money = Json.createObjectBuilder().add("format", "%.2f").build();
        assertEquals("3.50", Markdown.preFormat(money, Json.createValue(3.5), "3.5"));
        assertEquals("7.00", Markdown.preFormat(money, Json.createValue(7), "7"));
        JsonObject padded = Json.createObjectBuilder().add("format", "%05d").build();
        assertEquals("00042", Markdown.preFormat(padded, Json.createValue(42), "42"));
        assertEquals("4.5", Markdown.preFormat(padded, Json.createValue(4.5), "4.5"), "a format that does not fit");
        JsonObject yesNo = Json.createObjectBuilder()
                .add("bool_true_value", "Yes")
                .add("bool_false_value", "No")
                .build();
        assertEquals("Yes", Markdown.preFormat(yesNo, JsonValue.TRUE, "true"));
        assertEquals("No", Markdown.preFormat(yesNo, JsonValue.FALSE, "false"));
        assertEquals("x", Markdown.preFormat(null, Json.createValue("x"), "x"));
    }
}
