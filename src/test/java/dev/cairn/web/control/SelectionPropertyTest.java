package dev.cairn.web.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.catalog.control.DataPath;
import dev.cairn.catalog.control.DataPathParser;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.web.boundary.PageContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A table page's selection survives its trip through a URL unchanged, and whatever a visitor
 * types (any characters, ERMrest's own syntax included) reaches ERMrest as values only: every
 * filter parses, and its predicates carry exactly the values chosen.
 */
class SelectionPropertyTest {

    static final ModelIndex.Table TABLE = new ModelIndex(model()).table("s", "T");

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings()
                        .all()
                        .ofMinLength(1)
                        .ofMaxLength(20)
                        .filter(v -> !v.isBlank()
                                && v.codePoints().noneMatch(Character::isISOControl)
                                && v.chars().noneMatch(c -> Character.isSurrogate((char) c))),
                Arbitraries.of(
                        "a;b",
                        "x/y",
                        "*",
                        "::null::",
                        "(",
                        ")",
                        "!",
                        "&",
                        "=",
                        "%2F",
                        "a,b",
                        "@sort(RID)",
                        "é ü",
                        "+ +",
                        "\\"));
    }

    @Property(tries = 300)
    void aSelectionSurvivesTheUrlAndReachesErmrestAsValuesOnly(
            @ForAll("values") String a, @ForAll("values") String b, @ForAll("values") String text) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("f.Name", List.of(a, b));
        p.put("x.Kind", List.of(b));
        p.put("lo.I4", List.of("3"));
        p.put("q", List.of(text));
        p.put("sort", List.of("-I4"));
        Selection s = Selection.parse(p, TABLE);
        Selection again = Selection.parse(PageContext.parse(s.query()), TABLE);
        assertEquals(s, again, s.query());

        List<String> filters = s.filters(null);
        DataPath path = DataPathParser.parse(DataPath.Api.ENTITY, "s:T/" + String.join("/", filters));
        List<String> literals = new ArrayList<>();
        for (DataPath.Element e : path.elements()) {
            if (e instanceof DataPath.FilterElement f) {
                collect(f.filter(), literals);
            }
        }
        assertTrue(literals.contains(a) && literals.contains(b), literals + " holds " + a + " and " + b);
        assertTrue(literals.contains("3"), literals.toString());
        // a facet's own values leave its counts
        assertTrue(
                s.filters("Name").stream().noneMatch(f -> f.startsWith("Name=")),
                s.filters("Name").toString());
    }

    private static void collect(DataPath.Filter f, List<String> out) {
        if (f instanceof DataPath.Predicate p) {
            out.add(p.literal());
        } else if (f instanceof DataPath.Or o) {
            o.terms().forEach(t -> collect(t, out));
        } else if (f instanceof DataPath.And a) {
            a.terms().forEach(t -> collect(t, out));
        } else if (f instanceof DataPath.Not n) {
            collect(n.term(), out);
        }
    }

    @Test
    void unknownOrMalformedParametersAreRefused() {
        for (Map<String, List<String>> bad : List.of(
                Map.of("f.Nope", List.of("1")),
                Map.of("zz", List.of("1")),
                Map.of("p.Name", List.of("maybe")),
                Map.of("sort", List.of("a", "b")),
                Map.of("g.Name", List.of("1")),
                Map.of("q", List.of("x".repeat(Selection.MAX_TEXT + 1))))) {
            assertThrows(CairnException.BadRequest.class, () -> Selection.parse(bad, TABLE), bad.toString());
        }
    }

    @Test
    void facetsFollowTheModel() {
        Map<String, FacetPlan.Kind> kinds = new LinkedHashMap<>();
        FacetPlan.of(TABLE).forEach(f -> kinds.put(f.column(), f.kind()));
        assertEquals(FacetPlan.Kind.PRESENCE, kinds.get("Name"), "a key by itself: counting says nothing");
        assertEquals(FacetPlan.Kind.CHOICE, kinds.get("Kind"));
        assertEquals(FacetPlan.Kind.RANGE, kinds.get("I4"));
        assertEquals(FacetPlan.Kind.RANGE, kinds.get("D"));
        assertEquals(FacetPlan.Kind.PRESENCE, kinds.get("J"));
        assertEquals(
                List.of("RCT", "RMT", "RCB", "RMB"),
                new ArrayList<>(kinds.keySet()).subList(kinds.size() - 4, kinds.size()),
                "system columns last");
    }

    @Test
    void literalRegexMatchesOnlyTheText() {
        assertEquals("a\\.b\\*\\(", Ermrest.literalRegex("a.b*("));
        assertEquals("é1", Ermrest.literalRegex("é1"));
        assertEquals("a%3Bb%2Fc%2A%20:x", Ermrest.table("a;b/c* ", "x"));
    }

    // ---- s:T(Name key, Kind, I4, D, J)

    private static Model model() {
        List<Model.Column> columns = new ArrayList<>();
        for (String[] c : new String[][] {
            {"RID", "text"},
            {"RCT", "timestamptz"},
            {"RMT", "timestamptz"},
            {"RCB", "text"},
            {"RMB", "text"},
            {"Name", "text"},
            {"Kind", "text"},
            {"I4", "int4"},
            {"D", "date"},
            {"J", "jsonb"}
        }) {
            columns.add(new Model.Column(c[0], Model.Type.base(c[1]), true, null, null, Map.of(), Map.of(), Map.of()));
        }
        List<Model.Key> keys = List.of(
                new Model.Key(List.of(List.of("s", "T_RIDkey1")), List.of("RID"), null, Map.of()),
                new Model.Key(List.of(List.of("s", "T_key")), List.of("Name"), null, Map.of()));
        Model.Table t =
                new Model.Table("s", "T", "table", null, Map.of(), columns, keys, List.of(), Map.of(), Map.of());
        return new Model(
                Map.of("s", new Model.Schema("s", null, Map.of(), Map.of("T", t), Map.of())), Map.of(), Map.of());
    }
}
