package dev.cairn.catalog.control;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cairn.catalog.control.DataPath.Api;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of ERMrest data paths, generated from their grammar: every valid path parses and
 * becomes SQL against a model, and every mutation of one (characters dropped, inserted,
 * duplicated; escapes broken; nesting deepened) is either still valid or a 4xx problem. None
 * throws anything else, and none takes long: a client can never cause a 5xx or a hang here.
 */
class DataPathPropertyTest {

    private static final ModelIndex MODEL = new ModelIndex(model());

    @Property(tries = 2000)
    void validPathsBecomeSql(@ForAll("validPaths") Request request) {
        DataPath path = DataPathParser.parse(request.api(), request.path());
        DataQuery.select(MODEL, path, 10, true, false, DataQuery.Guard.NONE);
        DataQuery.select(MODEL, path, null, false, true, DataQuery.Guard.NONE);
    }

    @Property(tries = 5000)
    void mutatedPathsAreValidOrA4xx(@ForAll("mutatedPaths") Request request) {
        long start = System.nanoTime();
        try {
            DataPath path = DataPathParser.parse(request.api(), request.path());
            DataQuery.select(MODEL, path, 10, true, false, DataQuery.Guard.NONE);
        } catch (CairnException e) {
            assertTrue(
                    e.status() >= 400 && e.status() < 500,
                    () -> e.status() + " for " + request + ": " + e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            fail(request + " threw " + e, e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 1000, () -> request + " took " + millis + " ms");
    }

    /** Reads that can take the one-round-trip path without a cursor: lookups by a whole key only. */
    @net.jqwik.api.Example
    void atMostOneRowOnlyForKeyLookups() {
        for (String yes : List.of("s:T/Name=a", "s:T/RID=1-X", "s:T/Name=a&I4=2", "s:T/I4=2/Name=a", "s:T/Name=")) {
            assertTrue(DataQuery.atMostOneRow(MODEL, DataPathParser.parse(Api.ENTITY, yes)), yes);
        }
        for (String no : List.of(
                "s:T",
                "s:T/Name=a;Name=b",
                "s:T/Name::gt::a",
                "s:T/I4=1",
                "s:T/!(Name=a)",
                "s:T/Name=a/s:U",
                "s:U/T=a",
                "s:T/Name=a;I4=1")) {
            assertTrue(!DataQuery.atMostOneRow(MODEL, DataPathParser.parse(Api.ENTITY, no)), no);
        }
    }

    record Request(Api api, String path) {}

    // ---- the grammar

    @Provide
    Arbitrary<Request> validPaths() {
        return Combinators.combine(Arbitraries.of(Api.values()), path(), projection(), groups(), aggregates(), sort())
                .as((api, path, attributes, groups, aggregates, sort) -> new Request(
                        api,
                        switch (api) {
                            case ENTITY -> path + sort;
                            case ATTRIBUTE -> path + "/" + attributes;
                            case ATTRIBUTEGROUP -> path + "/" + groups;
                            case AGGREGATE -> path + "/" + aggregates;
                        }));
    }

    @Provide
    Arbitrary<Request> mutatedPaths() {
        return Combinators.combine(
                        validPaths(),
                        Arbitraries.integers().between(1, 4).list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.integers().between(0, 10_000).list().ofSize(4),
                        Arbitraries.of(NOISE))
                .as((request, kinds, positions, noise) -> {
                    String s = request.path();
                    for (int i = 0; i < kinds.size(); i++) {
                        int at = s.isEmpty() ? 0 : positions.get(i) % (s.length() + 1);
                        s = switch (kinds.get(i)) {
                            case 1 -> at < s.length() ? s.substring(0, at) + s.substring(at + 1) : s;
                            case 2 -> s.substring(0, at) + noise + s.substring(at);
                            case 3 -> s.substring(0, at) + s.substring(at / 2, at) + s.substring(at);
                            default -> s.substring(0, at) + "(".repeat(positions.get(i) % 200) + s.substring(at);
                        };
                    }
                    return new Request(request.api(), s);
                });
    }

    private static final List<String> NOISE = List.of(
            "/",
            "(",
            ")",
            ",",
            ";",
            "&",
            "!",
            "=",
            "@",
            "$",
            "*",
            ":",
            "::",
            ":=",
            "%",
            "%zz",
            "%2",
            "%C3%28",
            "%00",
            "::regexp::",
            "::null::",
            "any(",
            "all(",
            "@sort(",
            "@after(",
            "@before(",
            "bin(",
            "cnt(*)",
            "left(",
            "$a",
            "a:=",
            "\u00e9",
            "\\",
            "..",
            "::gt::",
            "'",
            "\"",
            "%25",
            "%2F",
            "h:Nope");

    private Arbitrary<String> path() {
        Arbitrary<String> filters = filter(3)
                .list()
                .ofMaxSize(3)
                .map(list -> String.join("", list.stream().map(f -> "/" + f).toList()));
        // every link returns to t, so that the filters and projections after it name T's columns
        Arbitrary<String> links = Arbitraries.of(
                "",
                "/s:U/$t",
                "/u:=s:U/$t",
                "/(Name)=(s:U:T)/$t",
                "/left(Name)=(s:U:T)/$t",
                "/u:=(Name,Name)=(s:U:T,s:U:T)/$t",
                "/s:U/s:T/$t");
        return Combinators.combine(filters, links, filters).as((f1, link, f2) -> "t:=s:T" + f1 + link + f2);
    }

    private Arbitrary<String> filter(int depth) {
        Arbitrary<String> predicate = Combinators.combine(
                        Arbitraries.of("Name", "I4", "D", "RID", "t:Name"),
                        Arbitraries.of("=", "::lt::", "::leq::", "::gt::", "::geq::", "::regexp::", "::ciregexp::"),
                        literal())
                .as((column, op, literal) -> column
                        + op
                        + (column.equals("I4") && !op.contains("regexp")
                                ? "5"
                                : column.equals("D") && !op.contains("regexp")
                                        ? "2020-01-0" + (literal.length() % 9 + 1)
                                        : literal));
        Arbitrary<String> quantified = Combinators.combine(
                        Arbitraries.of("Name=", "I4::gt::"),
                        Arbitraries.of("any", "all"),
                        Arbitraries.integers()
                                .between(1, 20)
                                .list()
                                .ofMinSize(0)
                                .ofMaxSize(4))
                .as((left, q, values) -> left + q + "("
                        + String.join(",", values.stream().map(String::valueOf).toList()) + ")");
        Arbitrary<String> leaf =
                Arbitraries.oneOf(predicate, quantified, Arbitraries.of("Name::null::", "*::ciregexp::x"));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> sub = filter(depth - 1);
        return Arbitraries.oneOf(
                leaf,
                leaf,
                Combinators.combine(sub, sub, Arbitraries.of("&", ";")).as((a, b, op) -> a + op + b),
                sub.map(f -> "!(" + f + ")"),
                sub.map(f -> "(" + f + ")"));
    }

    private Arbitrary<String> literal() {
        return Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('\u00e9', '\u4e2d')
                .ofMaxLength(12)
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8)
                        .replace("+", "%20")
                        .replace("*", "%2A"));
    }

    private Arbitrary<String> projection() {
        return Arbitraries.of("Name", "RID,Name", "n:=Name,I4", "*", "t:Name", "t:*", "J,A", "b:=bin(I4;3;0;9)");
    }

    private Arbitrary<String> groups() {
        return Arbitraries.of(
                "Name",
                "b:=bin(I4;10;0;100)",
                "I4;c:=cnt(*)",
                "Name;m:=max(I4),a:=array(*)",
                "b:=bin(D;4;2020-01-01;2021-01-01);c:=cnt(*)",
                "t:Name;n:=cnt_d(I4)");
    }

    private Arbitrary<String> aggregates() {
        return Arbitraries.of(
                "c:=cnt(*)",
                "c:=cnt(Name),m:=min(I4),x:=max(D)",
                "a:=array(*)",
                "a:=array_d(t:*)",
                "s:=sum(I4),v:=avg(I4)",
                "c:=cnt(t:*)");
    }

    private Arbitrary<String> sort() {
        return Arbitraries.of(
                "",
                "@sort(Name)",
                "@sort(I4::desc::,RID)",
                "@sort(Name)@after(x)",
                "@sort(I4)@before(5)",
                "@sort(RID)@after(1-0000)@before(2-0000)");
    }

    // ---- the model: s:T(Name key, I4, D, J, A) and s:U(T -> T.Name)

    private static Model model() {
        Map<String, Model.Table> tables = new LinkedHashMap<>();
        tables.put(
                "T",
                table(
                        "T",
                        List.of(
                                column("Name", "text"),
                                column("I4", "int4"),
                                column("D", "date"),
                                column("J", "jsonb"),
                                new Model.Column(
                                        "A",
                                        new Model.Type("text[]", null, true, Model.Type.base("text")),
                                        true,
                                        null,
                                        null,
                                        Map.of(),
                                        Map.of(),
                                        Map.of())),
                        List.of("Name"),
                        List.of()));
        tables.put(
                "U",
                table(
                        "U",
                        List.of(column("T", "text")),
                        List.of(),
                        List.of(new Model.ForeignKey(
                                List.of(List.of("s", "U_T_fkey")),
                                List.of(new Model.ColumnRef("s", "U", "T")),
                                List.of(new Model.ColumnRef("s", "T", "Name")),
                                "NO ACTION",
                                "NO ACTION",
                                null,
                                Map.of(),
                                Map.of(),
                                Map.of()))));
        return new Model(Map.of("s", new Model.Schema("s", null, Map.of(), tables, Map.of())), Map.of(), Map.of());
    }

    private static Model.Table table(
            String name, List<Model.Column> own, List<String> key, List<Model.ForeignKey> fks) {
        List<Model.Column> columns = new ArrayList<>(List.of(
                column("RID", "text"),
                column("RCT", "timestamptz"),
                column("RMT", "timestamptz"),
                column("RCB", "text"),
                column("RMB", "text")));
        columns.addAll(own);
        List<Model.Key> keys = new ArrayList<>(
                List.of(new Model.Key(List.of(List.of("s", name + "_RIDkey1")), List.of("RID"), null, Map.of())));
        if (!key.isEmpty()) {
            keys.add(new Model.Key(List.of(List.of("s", name + "_key")), key, null, Map.of()));
        }
        return new Model.Table("s", name, "table", null, Map.of(), columns, keys, fks, Map.of(), Map.of());
    }

    private static Model.Column column(String name, String type) {
        return new Model.Column(name, Model.Type.base(type), true, null, null, Map.of(), Map.of(), Map.of());
    }
}
