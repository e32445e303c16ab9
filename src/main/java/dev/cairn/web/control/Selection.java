package dev.cairn.web.control;

import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.PathSegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a table page shows: free text, a selection per facet, the sort, the columns and the open
 * facets. It lives in the page's query string ({@code q}, {@code f.COL} any of these values,
 * {@code x.COL} none of them, {@code lo.COL}/{@code hi.COL} a range, {@code p.COL}
 * {@code present|absent}, {@code fq.COL} a search inside a facet's values, {@code sort=COL} or
 * {@code -COL}, {@code col}, {@code open}) and turns into ERMrest filters: values of one facet are
 * or-ed, facets and-ed, and {@code x.} negates. Parsing refuses what the table does not have.
 */
public record Selection(
        String text,
        Map<String, Choice> facets,
        String sort,
        boolean descending,
        List<String> columns,
        Set<String> open) {

    /** Values per facet, and characters of any value, beyond which a selection is refused. */
    public static final int MAX_VALUES = 500;

    public static final int MAX_TEXT = 2000;

    /** One facet's selection. */
    public record Choice(
            List<String> anyOf, List<String> noneOf, String from, String to, String presence, String search) {

        static Choice empty() {
            return new Choice(List.of(), List.of(), null, null, null, null);
        }

        public boolean selects() {
            return !anyOf.isEmpty() || !noneOf.isEmpty() || from != null || to != null || presence != null;
        }
    }

    /** Parameters of a table page that are not part of the selection. */
    public static final Set<String> PAGING = Set.of("after", "before", "s", "size", "pos");

    public static Selection parse(Map<String, List<String>> parameters, ModelIndex.Table table) {
        String text = null;
        String sort = null;
        boolean descending = false;
        List<String> columns = new ArrayList<>();
        Set<String> open = new LinkedHashSet<>();
        Map<String, Choice> facets = new TreeMap<>();
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            String name = p.getKey();
            List<String> values = p.getValue().stream().filter(v -> v != null).toList();
            for (String v : values) {
                if (v.length() > MAX_TEXT) {
                    throw new CairnException.BadRequest(
                            "A value of '" + name + "' is longer than " + MAX_TEXT + " characters.");
                }
            }
            if (values.size() > MAX_VALUES) {
                throw new CairnException.BadRequest("'" + name + "' is given more than " + MAX_VALUES + " times.");
            }
            if (PAGING.contains(name)) {
                continue;
            }
            switch (name) {
                case "q" ->
                    text = single(name, values).isBlank()
                            ? null
                            : single(name, values).strip();
                case "sort" -> {
                    String s = single(name, values);
                    descending = s.startsWith("-");
                    sort = column(table, descending ? s.substring(1) : s);
                }
                case "col" -> values.forEach(v -> columns.add(column(table, v)));
                case "open" -> values.forEach(v -> open.add(v.isEmpty() ? "" : column(table, v)));
                default -> {
                    int dot = name.indexOf('.');
                    if (dot < 0) {
                        throw new CairnException.BadRequest("Unknown parameter '" + name + "'.");
                    }
                    String column = column(table, name.substring(dot + 1));
                    Choice c = facets.getOrDefault(column, Choice.empty());
                    c = switch (name.substring(0, dot)) {
                        case "f" ->
                            new Choice(distinct(values), c.noneOf(), c.from(), c.to(), c.presence(), c.search());
                        case "x" -> new Choice(c.anyOf(), distinct(values), c.from(), c.to(), c.presence(), c.search());
                        case "lo" ->
                            new Choice(
                                    c.anyOf(),
                                    c.noneOf(),
                                    blankToNull(single(name, values)),
                                    c.to(),
                                    c.presence(),
                                    c.search());
                        case "hi" ->
                            new Choice(
                                    c.anyOf(),
                                    c.noneOf(),
                                    c.from(),
                                    blankToNull(single(name, values)),
                                    c.presence(),
                                    c.search());
                        case "p" ->
                            new Choice(
                                    c.anyOf(),
                                    c.noneOf(),
                                    c.from(),
                                    c.to(),
                                    presence(single(name, values)),
                                    c.search());
                        case "fq" ->
                            new Choice(
                                    c.anyOf(),
                                    c.noneOf(),
                                    c.from(),
                                    c.to(),
                                    c.presence(),
                                    blankToNull(single(name, values)));
                        default -> throw new CairnException.BadRequest("Unknown parameter '" + name + "'.");
                    };
                    facets.put(column, c);
                }
            }
        }
        return new Selection(text, facets, sort, descending, List.copyOf(columns), open);
    }

    public Choice choice(String column) {
        return facets.getOrDefault(column, Choice.empty());
    }

    /** True when some facet or the free text narrows the rows. */
    public boolean narrows() {
        return text != null || facets.values().stream().anyMatch(Choice::selects);
    }

    /**
     * The ERMrest filters, one path element each, of everything selected except facet
     * {@code except} (null for none): a facet's counts are those of the rows the other facets allow.
     */
    public List<String> filters(String except) {
        List<String> filters = new ArrayList<>();
        if (text != null) {
            for (String word : text.split("\\s+")) {
                filters.add("*::ciregexp::" + PathSegment.encode(Ermrest.literalRegex(word)));
            }
        }
        facets.forEach((column, c) -> {
            if (column.equals(except)) {
                return;
            }
            String col = PathSegment.encode(column);
            if (!c.anyOf().isEmpty()) {
                filters.add(String.join(
                        ";",
                        c.anyOf().stream()
                                .map(v -> col + "=" + PathSegment.encode(v))
                                .toList()));
            }
            if (!c.noneOf().isEmpty()) {
                filters.add("!("
                        + String.join(
                                ";",
                                c.noneOf().stream()
                                        .map(v -> col + "=" + PathSegment.encode(v))
                                        .toList()) + ")");
            }
            if (c.from() != null) {
                filters.add(col + "::geq::" + PathSegment.encode(c.from()));
            }
            if (c.to() != null) {
                filters.add(col + "::leq::" + PathSegment.encode(c.to()));
            }
            if ("absent".equals(c.presence())) {
                filters.add(col + "::null::");
            } else if ("present".equals(c.presence())) {
                filters.add("!(" + col + "::null::)");
            }
        });
        return filters;
    }

    /** The filters as one path suffix ({@code /f1/f2}), or "" for none. */
    public String path(String except) {
        StringBuilder out = new StringBuilder();
        filters(except).forEach(f -> out.append('/').append(f));
        return out.toString();
    }

    /** This selection as a canonical query string (no leading {@code ?}), the same for the same selection. */
    public String query() {
        Map<String, List<String>> p = parameters();
        List<String> parts = new ArrayList<>();
        p.forEach((name, values) ->
                values.forEach(v -> parts.add(PathSegment.encode(name) + "=" + PathSegment.encode(v))));
        return String.join("&", parts);
    }

    /** The parameters that make this selection, in a fixed order. */
    public Map<String, List<String>> parameters() {
        Map<String, List<String>> p = new LinkedHashMap<>();
        if (text != null) {
            p.put("q", List.of(text));
        }
        facets.forEach((column, c) -> {
            put(p, "f." + column, c.anyOf());
            put(p, "x." + column, c.noneOf());
            put(p, "lo." + column, c.from() == null ? List.of() : List.of(c.from()));
            put(p, "hi." + column, c.to() == null ? List.of() : List.of(c.to()));
            put(p, "p." + column, c.presence() == null ? List.of() : List.of(c.presence()));
            put(p, "fq." + column, c.search() == null ? List.of() : List.of(c.search()));
        });
        if (sort != null) {
            p.put("sort", List.of((descending ? "-" : "") + sort));
        }
        put(p, "col", columns);
        put(p, "open", List.copyOf(open));
        return p;
    }

    // ---- derived selections, for links

    public Selection withFacet(String column, Choice choice) {
        Map<String, Choice> f = new TreeMap<>(facets);
        if (choice.selects() || choice.search() != null) {
            f.put(column, choice);
        } else {
            f.remove(column);
        }
        return new Selection(text, f, sort, descending, columns, open);
    }

    public Selection toggled(String column, String value, boolean negated) {
        Choice c = choice(column);
        List<String> list = new ArrayList<>(negated ? c.noneOf() : c.anyOf());
        if (!list.remove(value)) {
            list.add(value);
        }
        return withFacet(
                column,
                negated
                        ? new Choice(c.anyOf(), list, c.from(), c.to(), c.presence(), c.search())
                        : new Choice(list, c.noneOf(), c.from(), c.to(), c.presence(), c.search()));
    }

    public Selection withRange(String column, String from, String to) {
        Choice c = choice(column);
        return withFacet(column, new Choice(c.anyOf(), c.noneOf(), from, to, c.presence(), c.search()));
    }

    public Selection withPresence(String column, String presence) {
        Choice c = choice(column);
        return withFacet(column, new Choice(c.anyOf(), c.noneOf(), c.from(), c.to(), presence, c.search()));
    }

    public Selection cleared(String column) {
        Map<String, Choice> f = new TreeMap<>(facets);
        f.remove(column);
        return new Selection(text, f, sort, descending, columns, open);
    }

    public Selection withOpen(String column, boolean isOpen) {
        Set<String> o = new LinkedHashSet<>(open);
        if (isOpen) {
            o.add(column);
        } else {
            o.remove(column);
        }
        return new Selection(text, facets, sort, descending, columns, o);
    }

    public Selection sortedBy(String column, boolean desc) {
        return new Selection(text, facets, column, desc, columns, open);
    }

    // ---- parsing helpers

    private static void put(Map<String, List<String>> p, String name, List<String> values) {
        if (!values.isEmpty()) {
            p.put(name, values);
        }
    }

    private static String column(ModelIndex.Table table, String name) {
        if (!table.columns().containsKey(name)) {
            throw new CairnException.BadRequest("Table " + table + " has no column '" + name + "'.");
        }
        return name;
    }

    private static String single(String name, List<String> values) {
        if (values.size() != 1) {
            throw new CairnException.BadRequest("'" + name + "' takes one value.");
        }
        return values.get(0);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }

    private static String presence(String value) {
        if (value.isBlank()) {
            return null;
        }
        if (!value.equals("present") && !value.equals("absent")) {
            throw new CairnException.BadRequest("p.COLUMN is 'present' or 'absent', not '" + value + "'.");
        }
        return value;
    }
}
