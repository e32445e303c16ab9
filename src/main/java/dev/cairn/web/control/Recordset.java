package dev.cairn.web.control;

import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataPath;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.PathSegment;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A table page's content: one keyset page of rows (sorted by a column, then RID; never an
 * offset), the number of rows selected, and each open facet's values with counts (choice) or
 * bounds and histogram (range), each counted over the rows the other facets allow.
 */
@RequestScoped
public class Recordset {

    public static final int PAGE = 25;
    /** The page sizes a visitor may choose. */
    public static final List<Integer> SIZES = List.of(10, 25, 50, 100);

    static final int CHOICES = 10;
    static final int BINS = 12;
    /** A facet search looks for at most this many referenced rows by name. */
    static final int NAMED_MATCHES = 200;
    /** A page key as links carry it: ERMrest-encoded values, comma-separated. */
    private static final Pattern PAGE_KEY =
            Pattern.compile("(::null::|[A-Za-z0-9%._~-]*)(,(::null::|[A-Za-z0-9%._~-]*)){0,2}");

    @Inject
    PageQueries queries;

    @Inject
    RowNames rowNames;

    @Inject
    Models models;

    /** A facet's value, with the name it shows (a foreign key's referenced row's name, else the value). */
    public record Value(String value, String label, long count, boolean selected, boolean excluded) {}

    public record Bin(String from, String to, long count) {}

    /** An open facet's content. */
    public record FacetView(
            FacetPlan.Facet facet,
            List<Value> values,
            boolean more,
            long nulls,
            String min,
            String max,
            List<Bin> bins) {}

    public record Page(
            JsonArray rows,
            long total,
            boolean hasNext,
            boolean hasPrevious,
            String nextKey,
            String previousKey,
            String snaptime,
            List<FacetView> facets) {}

    public Page read(
            Catalogs.At at,
            ModelIndex.Table table,
            Selection selection,
            List<FacetPlan.Facet> open,
            String after,
            String before,
            int size) {
        for (String key : new String[] {after, before}) {
            if (key != null && !PAGE_KEY.matcher(key).matches()) {
                throw new CairnException.BadRequest("The page key '" + key + "' is not one this page made.");
            }
        }
        String source = Ermrest.table(table.schema(), table.name());
        String filters = selection.path(null);
        String sort = selection.sort() == null || selection.sort().equals("RID") ? null : selection.sort();
        PageQueries.Result result;
        List<JsonValue> rows;
        if (sort != null && selection.descending()) {
            rows = new ArrayList<>();
            result = emptyLast(at, source + filters, sort, after, before, size + 1, rows);
        } else {
            StringBuilder order = new StringBuilder(order(selection));
            if (after != null) {
                order.append("@after(").append(after).append(')');
            } else if (before != null) {
                order.append("@before(").append(before).append(')');
            }
            result = queries.read(at, DataPath.Api.ENTITY, source + filters + order, size + 1);
            rows = result.rows();
        }
        boolean more = rows.size() > size;
        List<JsonValue> shown = new ArrayList<>(rows);
        if (more) {
            // @before returns the rows just before the key, in order: the extra one is the first
            if (before != null) {
                shown.remove(0);
            } else {
                shown.remove(shown.size() - 1);
            }
        }
        JsonArray page = JsonBodies.JSON.createArrayBuilder(shown).build();
        boolean hasNext = before != null || more;
        boolean hasPrevious = after != null || (before != null && more);
        String nextKey = page.isEmpty() ? null : key(page.getJsonObject(page.size() - 1), sort);
        String previousKey = page.isEmpty() ? null : key(page.getJsonObject(0), sort);
        String snaptime = result.snaptime();
        List<FacetView> views = new ArrayList<>();
        Total total = new Total();
        for (FacetPlan.Facet f : open) {
            views.add(facet(at, snaptime, table, source, selection, f, total));
        }
        if (total.rows < 0) {
            total.rows = count(at, snaptime, source + filters);
        }
        return new Page(
                page,
                total.rows,
                hasNext && !page.isEmpty(),
                hasPrevious && !page.isEmpty(),
                nextKey,
                previousKey,
                result.snaptime(),
                views);
    }

    /**
     * Up to {@code limit} rows of a descending page with the empty values last, in the order shown
     * (ERMrest's own descending order puts them first): the rows with a value, sorted by it, then
     * those without, by RID; a page that crosses from one part to the other reads both.
     */
    private PageQueries.Result emptyLast(
            Catalogs.At at,
            String selected,
            String sort,
            String after,
            String before,
            int limit,
            List<JsonValue> rows) {
        String column = PathSegment.encode(sort);
        String valued = selected + "/!(" + column + "::null::)";
        String empty = selected + "/" + column + "::null::";
        String nullKey = "::null::,";
        PageQueries.Result first;
        if (before == null) {
            boolean inEmpty = after != null && after.startsWith(nullKey);
            first = inEmpty
                    ? queries.read(
                            at,
                            DataPath.Api.ENTITY,
                            empty + "@sort(RID)@after(" + after.substring(nullKey.length()) + ")",
                            limit)
                    : queries.read(
                            at,
                            DataPath.Api.ENTITY,
                            valued + "@sort(" + column + "::desc::,RID)"
                                    + (after == null ? "" : "@after(" + after + ")"),
                            limit);
            rows.addAll(first.rows());
            if (!inEmpty && rows.size() < limit) {
                rows.addAll(queries.read(at, DataPath.Api.ENTITY, empty + "@sort(RID)", limit - rows.size())
                        .rows());
            }
            return first;
        }
        if (before.startsWith(nullKey)) {
            first = queries.read(
                    at,
                    DataPath.Api.ENTITY,
                    empty + "@sort(RID)@before(" + before.substring(nullKey.length()) + ")",
                    limit);
            rows.addAll(first.rows());
            if (rows.size() < limit) {
                // the last rows with a value, read in the opposite order
                List<JsonValue> last = new ArrayList<>(queries.read(
                                at,
                                DataPath.Api.ENTITY,
                                valued + "@sort(" + column + ",RID::desc::)",
                                limit - rows.size())
                        .rows());
                Collections.reverse(last);
                rows.addAll(0, last);
            }
            return first;
        }
        first = queries.read(
                at, DataPath.Api.ENTITY, valued + "@sort(" + column + "::desc::,RID)@before(" + before + ")", limit);
        rows.addAll(first.rows());
        return first;
    }

    /** The rows' order: the sort column (if not RID), then RID, which makes every page key unique. */
    public static String order(Selection selection) {
        String sort = selection.sort() == null || selection.sort().equals("RID") ? null : selection.sort();
        boolean desc = selection.descending();
        return "@sort(" + (sort == null ? "" : PathSegment.encode(sort) + (desc ? "::desc::," : ",")) + "RID"
                + (desc && sort == null ? "::desc::" : "") + ")";
    }

    private long count(Catalogs.At at, String snaptime, String path) {
        return queries.cached(at, snaptime, DataPath.Api.AGGREGATE, path + "/n:=cnt(*)", 1)
                .getJsonObject(0)
                .getJsonNumber("n")
                .longValue();
    }

    /**
     * The number of rows the whole selection leaves, when a facet's own read counted them: a facet
     * that selects nothing itself is counted under the whole selection, so the page need not count
     * the same rows once more (on a large table each count is a scan).
     */
    private static final class Total {
        long rows = -1;
    }

    private FacetView facet(
            Catalogs.At at,
            String snaptime,
            ModelIndex.Table table,
            String source,
            Selection selection,
            FacetPlan.Facet f,
            Total total) {
        String col = PathSegment.encode(f.column());
        String others = source + selection.path(f.column());
        boolean underAll = others.equals(source + selection.path(null));
        Selection.Choice choice = selection.choice(f.column());
        switch (f.kind()) {
            case CHOICE -> {
                String search =
                        choice.search() == null ? "" : "/" + search(at, snaptime, table, f.column(), choice.search());
                JsonArray groups = queries.cached(
                        at,
                        snaptime,
                        DataPath.Api.ATTRIBUTEGROUP,
                        others + search + "/v:=" + col + ";n:=cnt(*)@sort(n::desc::,v)",
                        CHOICES + 2);
                List<Value> values = new ArrayList<>();
                long nulls = 0;
                for (JsonValue g : groups) {
                    JsonObject o = g.asJsonObject();
                    long n = o.getJsonNumber("n").longValue();
                    if (o.isNull("v")) {
                        nulls = n;
                        continue;
                    }
                    String v = text(o.get("v"));
                    values.add(new Value(
                            v, v, n, choice.anyOf().contains(v), choice.noneOf().contains(v)));
                }
                if (underAll && search.isEmpty() && groups.size() < CHOICES + 2) {
                    // every value's count, the empty ones' too: together, all the rows
                    total.rows = groups.stream()
                            .mapToLong(g -> g.asJsonObject().getJsonNumber("n").longValue())
                            .sum();
                }
                boolean more = values.size() > CHOICES;
                if (more) {
                    values = new ArrayList<>(values.subList(0, CHOICES));
                }
                // chosen values always show, with their counts, even when outside the top ones
                List<String> missing = new ArrayList<>();
                for (String v : concat(choice.anyOf(), choice.noneOf())) {
                    if (values.stream().noneMatch(x -> x.value().equals(v))) {
                        missing.add(v);
                    }
                }
                if (!missing.isEmpty()) {
                    String any = String.join(
                            ";",
                            missing.stream()
                                    .map(v -> col + "=" + PathSegment.encode(v))
                                    .toList());
                    Map<String, Long> counts = new LinkedHashMap<>();
                    for (JsonValue g : queries.cached(
                            at,
                            snaptime,
                            DataPath.Api.ATTRIBUTEGROUP,
                            others + "/" + any + "/v:=" + col + ";n:=cnt(*)",
                            missing.size())) {
                        counts.put(
                                text(g.asJsonObject().get("v")),
                                g.asJsonObject().getJsonNumber("n").longValue());
                    }
                    for (String v : missing) {
                        values.add(new Value(
                                v,
                                v,
                                counts.getOrDefault(v, 0L),
                                choice.anyOf().contains(v),
                                choice.noneOf().contains(v)));
                    }
                }
                return new FacetView(
                        f, named(at, snaptime, table, f.column(), values), more, nulls, null, null, List.of());
            }
            case RANGE -> {
                JsonObject bounds = queries.cached(
                                at,
                                snaptime,
                                DataPath.Api.AGGREGATE,
                                others + "/lo:=min(" + col + "),hi:=max(" + col + "),n:=cnt(" + col + "),t:=cnt(*)",
                                1)
                        .getJsonObject(0);
                if (underAll) {
                    total.rows = bounds.getJsonNumber("t").longValue();
                }
                String lo = bounds.isNull("lo") ? null : text(bounds.get("lo"));
                String hi = bounds.isNull("hi") ? null : text(bounds.get("hi"));
                List<Bin> bins = new ArrayList<>();
                if (f.histogram() && lo != null && !lo.equals(hi)) {
                    long[] counts = new long[BINS];
                    String[][] edges = new String[BINS][2];
                    for (JsonValue g : queries.cached(
                            at,
                            snaptime,
                            DataPath.Api.ATTRIBUTEGROUP,
                            others + "/!(" + col + "::null::)/b:=bin(" + col + ";" + BINS + ";" + PathSegment.encode(lo)
                                    + ";" + PathSegment.encode(hi) + ");n:=cnt(*)",
                            BINS + 2)) {
                        JsonArray b = g.asJsonObject().getJsonArray("b");
                        int i = b.getJsonNumber(0).intValue();
                        // the maximum itself falls in the bin above the range: it belongs to the last
                        int at0 = Math.max(1, Math.min(BINS, i)) - 1;
                        counts[at0] += g.asJsonObject().getJsonNumber("n").longValue();
                        if (i >= 1 && i <= BINS) {
                            edges[at0][0] = edge(b.get(1), f.type());
                            edges[at0][1] = edge(b.get(2), f.type());
                        }
                    }
                    for (int i = 0; i < BINS; i++) {
                        if (edges[i][0] == null) {
                            edges[i] = interpolate(lo, hi, i, f.type());
                        }
                        bins.add(new Bin(edges[i][0], edges[i][1], counts[i]));
                    }
                }
                return new FacetView(f, List.of(), false, 0, lo, hi, bins);
            }
            default -> {
                return new FacetView(f, List.of(), false, 0, null, null, List.of());
            }
        }
    }

    /**
     * The filter of a facet's own search: its values that contain the words, and for a foreign key
     * also those whose referenced row's name contains them (searching a Subject facet for "S-0007"
     * finds the subject so named, not only a RID).
     */
    private String search(Catalogs.At at, String snaptime, ModelIndex.Table table, String column, String words) {
        String col = PathSegment.encode(column);
        String regex = PathSegment.encode(Ermrest.literalRegex(words));
        String own = col + "::ciregexp::" + regex;
        Optional<ModelIndex.Link> link = RowNames.link(table, column);
        Optional<RowNames.Naming> naming = link.flatMap(l -> rowNames.naming(at, l.to()));
        if (naming.isEmpty() || naming.get().columns().size() != 1) {
            return own;
        }
        String key = link.get().toColumns().get(0);
        List<String> keys = new ArrayList<>();
        for (JsonValue v : queries.cached(
                at,
                snaptime,
                DataPath.Api.ATTRIBUTE,
                Ermrest.table(link.get().to().schema(), link.get().to().name()) + "/"
                        + PathSegment.encode(naming.get().columns().get(0)) + "::ciregexp::" + regex + "/"
                        + PathSegment.encode(key),
                NAMED_MATCHES)) {
            keys.add(PathSegment.encode(text(v.asJsonObject().get(key))));
        }
        return keys.isEmpty() ? own : "(" + own + ";" + col + "=any(" + String.join(",", keys) + "))";
    }

    /** A foreign key facet's values with the referenced rows' names. */
    private List<Value> named(
            Catalogs.At at, String snaptime, ModelIndex.Table table, String column, List<Value> values) {
        if (values.isEmpty() || RowNames.link(table, column).isEmpty()) {
            return values;
        }
        List<JsonObject> rows = values.stream()
                .map(v -> JsonBodies.JSON
                        .createObjectBuilder()
                        .add(column, v.value())
                        .build())
                .toList();
        Map<String, String> names = rowNames.of(
                        at, snaptime, models.at(at.catalog().id(), at.instant()).model(), table, List.of(column), rows)
                .getOrDefault(column, Map.of());
        return values.stream()
                .map(v -> new Value(
                        v.value(), names.getOrDefault(v.value(), v.value()), v.count(), v.selected(), v.excluded()))
                .toList();
    }

    /** The page key of a row: its sort value (if the sort is not RID) and its RID, ERMrest-encoded. */
    private static String key(JsonObject row, String sort) {
        String rid = PathSegment.encode(row.getString("RID"));
        if (sort == null) {
            return rid;
        }
        JsonValue v = row.get(sort);
        return (v == null || v.getValueType() == JsonValue.ValueType.NULL ? "::null::" : PathSegment.encode(text(v)))
                + "," + rid;
    }

    public static String text(JsonValue v) {
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return "";
        }
        return v.getValueType() == JsonValue.ValueType.STRING ? ((JsonString) v).getString() : v.toString();
    }

    /**
     * A value as a page shows it: times to the second in UTC ({@code 2026-12-07 10:55:15 UTC}, the
     * exact value a click away in the record or the API), everything else as {@link #text}.
     */
    public static String shown(Model.Column column, JsonValue v) {
        String text = text(v);
        if (!text.isEmpty() && isTimestamptz(column.type())) {
            try {
                return OffsetDateTime.parse(text)
                                .atZoneSameInstant(ZoneOffset.UTC)
                                .format(SECONDS)
                        + " UTC";
            } catch (DateTimeParseException e) {
                return text;
            }
        }
        return text;
    }

    /** timestamptz, or a domain over it (ERMrest's RCT and RMT are ermrest_rct and ermrest_rmt). */
    private static boolean isTimestamptz(Model.Type type) {
        for (Model.Type t = type; t != null; t = t.baseType()) {
            if ("timestamptz".equals(t.typename())) {
                return true;
            }
        }
        return false;
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static String edge(JsonValue v, String type) {
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        String s = text(v);
        if (type.equals("date")) {
            return s.length() > 10 ? s.substring(0, 10) : s;
        }
        try {
            BigDecimal d = new BigDecimal(s).stripTrailingZeros();
            return d.scale() > 4 ? d.setScale(4, RoundingMode.HALF_UP).toPlainString() : d.toPlainString();
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static String[] interpolate(String lo, String hi, int i, String type) {
        if (type.equals("date")) {
            LocalDate a = LocalDate.parse(lo.substring(0, 10));
            long days = ChronoUnit.DAYS.between(a, LocalDate.parse(hi.substring(0, 10)));
            return new String[] {
                a.plusDays(days * i / BINS).toString(),
                a.plusDays(days * (i + 1) / BINS).toString()
            };
        }
        BigDecimal a = new BigDecimal(lo);
        BigDecimal width = new BigDecimal(hi).subtract(a).divide(BigDecimal.valueOf(BINS), MathContext.DECIMAL64);
        return new String[] {
            edge(JsonBodies.JSON.createValue(a.add(width.multiply(BigDecimal.valueOf(i)))), type),
            edge(JsonBodies.JSON.createValue(a.add(width.multiply(BigDecimal.valueOf(i + 1)))), type)
        };
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
