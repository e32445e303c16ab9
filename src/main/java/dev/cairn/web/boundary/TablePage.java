package dev.cairn.web.boundary;

import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataQuery;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.PathSegment;
import dev.cairn.platform.QueryParameters;
import dev.cairn.web.control.Cells;
import dev.cairn.web.control.Chaise;
import dev.cairn.web.control.Ermrest;
import dev.cairn.web.control.FacetPlan;
import dev.cairn.web.control.Recordset;
import dev.cairn.web.control.Selection;
import dev.cairn.web.control.Selections;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A table's rows (the recordset page): keyset pages, sort, column choice, facets and free text,
 * with export links to the same selection through ERMrest. A selection whose query string would
 * be too long is kept by id ({@code ?s=}). Access: {@code select} on the table, rows filtered by
 * their row-level rights, as through ERMrest.
 */
@Path("/web/{cid: [0-9]{1,18}}/table/{table}")
public class TablePage {

    /** Facets open when the visitor has not chosen any. */
    static final int DEFAULT_OPEN = 2;
    /** A cell shows this many characters of a value, the rest on demand. */
    static final int LONG = 40;

    @Inject
    PageContext page;

    @Inject
    Models models;

    @Inject
    Recordset recordset;

    @Inject
    Selections selections;

    @Inject
    Cells cells;

    @GET
    @Produces(PageContext.HTML)
    @QueryParameters.Accepts("*[]")
    public Response get(@PathParam("cid") String cid, @PathParam("table") String name) {
        Catalogs.At at = page.catalog().at();
        long id = at.catalog().id();
        page.catalog().require("enumerate");
        ModelIndex.Table table = table(models.at(id, at.instant()).index(), name);
        page.catalog().require("select", table.schema(), table.name());
        String base = Cells.tableLink(cid, table.schema(), table.name());

        Map<String, List<String>> given = page.parameters();
        for (String single : Selection.PAGING) {
            if (given.containsKey(single) && given.get(single).size() > 1) {
                throw new CairnException.BadRequest("'" + single + "' takes one value.");
            }
        }
        if (given.containsKey("after") && given.containsKey("before")) {
            throw new CairnException.BadRequest("A page is either after or before a row, not both.");
        }
        Map<String, List<String>> state = new LinkedHashMap<>();
        boolean viaSaved = given.containsKey("s");
        if (viaSaved) {
            state.putAll(PageContext.parse(
                    selections.find(id, table.toString(), given.get("s").get(0))));
        }
        boolean overridden = false;
        for (Map.Entry<String, List<String>> p : given.entrySet()) {
            if (!Selection.PAGING.contains(p.getKey())) {
                state.put(p.getKey(), p.getValue());
                overridden = true;
            }
        }
        Model model = models.at(id, at.instant()).model();
        Model.Table described = Chaise.of(model, table.schema(), table.name());
        Selection parsed = Selection.parse(state, table);
        // the table's own default order (table-display row_order) when the visitor chose none
        Selection selection = !state.containsKey("sort") && described != null
                ? Chaise.rowOrder(described)
                        .filter(o -> FacetPlan.sortable(table.column(o.getKey())))
                        .map(o -> parsed.sortedBy(o.getKey(), o.getValue()))
                        .orElse(parsed)
                : parsed;
        int size = given.containsKey("size")
                ? (int) number(given.get("size").get(0), "size", 1, Integer.MAX_VALUE)
                : Recordset.PAGE;
        if (!Recordset.SIZES.contains(size)) {
            throw new CairnException.BadRequest("A page has " + Recordset.SIZES + " rows, not " + size + ".");
        }
        // every link and form of the page keeps the page size a visitor chose
        Links links = new Links(id, table.toString(), base, size == Recordset.PAGE ? null : "size=" + size);
        if (viaSaved ? overridden : selection.query().length() > Selections.LONGEST_URL_QUERY) {
            // a form changed a saved selection, or a selection is too long to share: show it under its own address
            String to = links.of(selection);
            links.flush(selections);
            return Response.seeOther(URI.create(to)).build();
        }

        // the facets: those of the table's visible-columns filter context, in its order, else all from the model
        Optional<List<Chaise.Facet>> annotated = described == null ? Optional.empty() : Chaise.facets(described);
        List<FacetPlan.Facet> plan = FacetPlan.of(table);
        if (annotated.isPresent()) {
            Map<String, FacetPlan.Facet> byColumn = new LinkedHashMap<>();
            plan.forEach(f -> byColumn.put(f.column(), f));
            List<FacetPlan.Facet> chosen = new ArrayList<>();
            annotated.get().stream()
                    .map(f -> byColumn.get(f.column()))
                    .filter(Objects::nonNull)
                    .forEach(chosen::add);
            // a facet the selection uses stays, so that it can be cleared
            plan.stream()
                    .filter(f -> !chosen.contains(f)
                            && (selection.choice(f.column()).selects()
                                    || selection.choice(f.column()).search() != null))
                    .forEach(chosen::add);
            plan = chosen;
        }
        Set<String> open = new LinkedHashSet<>(selection.open());
        open.remove("");
        plan.stream()
                .filter(f -> selection.choice(f.column()).selects()
                        || selection.choice(f.column()).search() != null)
                .forEach(f -> open.add(f.column()));
        if (selection.open().isEmpty()) {
            if (annotated.isPresent()) {
                annotated.get().stream().filter(Chaise.Facet::open).forEach(f -> open.add(f.column()));
            } else {
                plan.stream()
                        .filter(f -> f.kind() == FacetPlan.Kind.CHOICE && !FacetPlan.SYSTEM.contains(f.column()))
                        .limit(DEFAULT_OPEN)
                        .forEach(f -> open.add(f.column()));
            }
        }
        List<FacetPlan.Facet> opened =
                plan.stream().filter(f -> open.contains(f.column())).toList();
        Recordset.Page rows = recordset.read(
                at,
                table,
                selection,
                opened,
                given.containsKey("after") ? given.get("after").get(0) : null,
                given.containsKey("before") ? given.get("before").get(0) : null,
                size);
        // where the page starts: known from the link that led here (page links carry it), else only on the first page
        Long position = null;
        if (given.containsKey("pos")) {
            position = number(given.get("pos").get(0), "pos", 0, Long.MAX_VALUE);
        } else if (!given.containsKey("after") && !given.containsKey("before")) {
            position = 0L;
        }

        Map<String, Object> scope = page.scope(table.name(), cid);
        scope.put("schema", table.schema());
        scope.put("table", table.name());
        scope.put(
                "tableLabel",
                described == null
                        ? table.name()
                        : Chaise.name(
                                table.name(), described.annotations(), Chaise.outer(model, table.schema(), null)));
        scope.put("comment", comment(model, table));
        scope.put("total", String.format("%,d", rows.total()));
        scope.put("text", selection.text() == null ? "" : selection.text());
        scope.put("narrows", selection.narrows());
        scope.put(
                "clearAll",
                links.of(new Selection(
                        null,
                        Map.of(),
                        selection.sort(),
                        selection.descending(),
                        selection.columns(),
                        selection.open())));
        scope.put(
                "textHidden",
                hidden(
                        links,
                        new Selection(
                                null,
                                selection.facets(),
                                selection.sort(),
                                selection.descending(),
                                selection.columns(),
                                selection.open())));

        // columns, sort links and the rows
        List<Cells.Shown> shown = Cells.shown(table, model, described, selection.columns(), "compact", false);
        List<Map<String, Object>> headers = new ArrayList<>();
        for (Cells.Shown c : shown) {
            Map<String, Object> h = new HashMap<>();
            h.put("name", c.key());
            h.put("label", c.label());
            boolean sorted = c.local() && c.key().equals(selection.sort() == null ? "RID" : selection.sort());
            h.put("ascending", sorted && !selection.descending());
            h.put("descending", sorted && selection.descending());
            h.put("sort", sorted ? (selection.descending() ? "descending" : "ascending") : "none");
            if (c.local() && FacetPlan.sortable(c.column())) {
                h.put("link", links.of(selection.sortedBy(c.key(), sorted && !selection.descending())));
            }
            headers.add(h);
        }
        scope.put("headers", headers);
        List<JsonObject> found =
                rows.rows().stream().map(JsonValue::asJsonObject).toList();
        List<List<Map<String, Object>>> cells = this.cells.of(
                new Cells.Where(cid, at, rows.snaptime(), model, page.variables(cid, rows.snaptime())),
                table,
                shown,
                found,
                "compact",
                LONG);
        List<Map<String, Object>> body = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            body.add(Map.of(
                    "cells", cells.get(i), "rid", Recordset.text(found.get(i).get("RID"))));
        }
        scope.put("rows", body);
        boolean current = at.snaptime() == null;
        if (current && page.catalog().allowed("insert", table.schema(), table.name())) {
            scope.put(
                    "createLink", "/web/" + cid + "/create/" + PathSegment.encode(table.schema() + ":" + table.name()));
        }
        if (current
                && table.hasRid()
                && !body.isEmpty()
                && page.catalog().allowed("update", table.schema(), table.name())) {
            scope.put("editAction", "/web/" + cid + "/edit/" + PathSegment.encode(table.schema() + ":" + table.name()));
        }
        scope.put("empty", body.isEmpty());
        if (position != null && !body.isEmpty() && position < rows.total()) {
            scope.put(
                    "position",
                    String.format("rows %,d–%,d of", position + 1, Math.min(rows.total(), position + body.size())));
        }
        if (rows.hasNext()) {
            scope.put(
                    "next",
                    links.of(selection) + sep(links.of(selection)) + "after=" + PathSegment.encode(rows.nextKey())
                            + (position == null ? "" : "&pos=" + (position + body.size())));
        }
        if (rows.hasPrevious()) {
            scope.put(
                    "previous",
                    links.of(selection) + sep(links.of(selection)) + "before="
                            + PathSegment.encode(rows.previousKey())
                            + (position == null ? "" : "&pos=" + Math.max(0, position - size)));
        }
        List<Map<String, Object>> sizes = new ArrayList<>();
        for (int n : Recordset.SIZES) {
            sizes.add(Map.of("n", n, "selected", n == size));
        }
        scope.put("sizes", sizes);
        scope.put("sizeHidden", hidden(links.withoutCarried(), selection));
        // column choice
        List<Map<String, Object>> choosable = new ArrayList<>();
        Set<String> shownNames = new LinkedHashSet<>(
                shown.stream().filter(Cells.Shown::local).map(Cells.Shown::key).toList());
        for (Model.Column c : table.columns().values()) {
            if (!c.name().equals("RID")) {
                choosable.add(Map.of("name", c.name(), "checked", shownNames.contains(c.name())));
            }
        }
        scope.put("choosable", choosable);
        scope.put(
                "columnsHidden",
                hidden(
                        links,
                        new Selection(
                                selection.text(),
                                selection.facets(),
                                selection.sort(),
                                selection.descending(),
                                List.of(),
                                selection.open())));

        // facets
        Map<String, Recordset.FacetView> views = new HashMap<>();
        rows.facets().forEach(v -> views.put(v.facet().column(), v));
        List<Map<String, Object>> facets = new ArrayList<>();
        List<Map<String, JsonValue>> outer = Chaise.outer(model, table.schema(), described);
        for (FacetPlan.Facet f : plan) {
            Map<String, Object> m = facet(f, views.get(f.column()), selection, links);
            m.put("label", Chaise.name(f.column(), table.column(f.column()).annotations(), outer));
            facets.add(m);
        }
        scope.put("facets", facets);

        // export: the same selection through ERMrest, streamed
        String ermrest = "/ermrest/catalog/" + cid + "/entity/" + Ermrest.table(table.schema(), table.name())
                + selection.path(null) + Recordset.order(selection);
        scope.put("csv", ermrest + "?accept=csv&download=" + PathSegment.encode(table.name()));
        scope.put("json", ermrest + "?accept=json&download=" + PathSegment.encode(table.name()));
        scope.put("snaptime", rows.snaptime());
        links.flush(selections);
        return page.page("table.mustache", scope);
    }

    private Map<String, Object> facet(FacetPlan.Facet f, Recordset.FacetView view, Selection selection, Links links) {
        Map<String, Object> m = new HashMap<>();
        String col = f.column();
        Selection.Choice choice = selection.choice(col);
        m.put("column", col);
        m.put("id", "facet-" + Integer.toHexString(col.hashCode()));
        m.put("open", view != null);
        m.put("selected", choice.selects());
        m.put("toggle", links.of(selection.withOpen(col, view == null)));
        m.put("clear", links.of(selection.cleared(col)));
        m.put("references", f.references());
        m.put("present", links.of(selection.withPresence(col, "present".equals(choice.presence()) ? null : "present")));
        m.put("absent", links.of(selection.withPresence(col, "absent".equals(choice.presence()) ? null : "absent")));
        m.put("isPresent", "present".equals(choice.presence()));
        m.put("isAbsent", "absent".equals(choice.presence()));
        if (view == null) {
            return m;
        }
        switch (f.kind()) {
            case CHOICE -> {
                m.put("choice", true);
                List<Map<String, Object>> values = new ArrayList<>();
                for (Recordset.Value v : view.values()) {
                    Map<String, Object> value = new HashMap<>();
                    value.put("value", v.label());
                    value.put("count", String.format("%,d", v.count()));
                    value.put("selected", v.selected());
                    value.put("excluded", v.excluded());
                    value.put("toggle", links.of(selection.toggled(col, v.value(), false)));
                    value.put("exclude", links.of(selection.toggled(col, v.value(), true)));
                    values.add(value);
                }
                m.put("values", values);
                m.put("more", view.more());
                m.put("nulls", view.nulls() > 0 ? String.format("%,d", view.nulls()) : null);
                m.put("search", choice.search() == null ? "" : choice.search());
                m.put("searchName", "fq." + col);
                m.put(
                        "searchHidden",
                        hidden(
                                links,
                                selection.withFacet(
                                        col,
                                        new Selection.Choice(
                                                choice.anyOf(),
                                                choice.noneOf(),
                                                choice.from(),
                                                choice.to(),
                                                choice.presence(),
                                                null))));
            }
            case RANGE -> {
                m.put("range", true);
                m.put("min", view.min() == null ? "" : view.min());
                m.put("max", view.max() == null ? "" : view.max());
                m.put("from", choice.from() == null ? "" : choice.from());
                m.put("to", choice.to() == null ? "" : choice.to());
                m.put("fromName", "lo." + col);
                m.put("toName", "hi." + col);
                m.put(
                        "inputType",
                        f.type().equals("date") ? "date" : DataQuery.NUMBERS.contains(f.type()) ? "number" : "text");
                m.put("rangeHidden", hidden(links, selection.withRange(col, null, null)));
                long highest = view.bins().stream()
                        .mapToLong(Recordset.Bin::count)
                        .max()
                        .orElse(0);
                if (highest > 0) {
                    List<Map<String, Object>> bars = new ArrayList<>();
                    int i = 0;
                    for (Recordset.Bin b : view.bins()) {
                        int h = (int) Math.round(56.0 * b.count() / highest);
                        bars.add(Map.of(
                                "x",
                                i * 20,
                                "y",
                                60 - h,
                                "height",
                                Math.max(h, b.count() > 0 ? 1 : 0),
                                "title",
                                b.from() + " to " + b.to() + ": " + String.format("%,d", b.count()),
                                "link",
                                links.of(selection.withRange(col, b.from(), b.to()))));
                        i++;
                    }
                    m.put("bars", bars);
                    m.put("width", view.bins().size() * 20);
                }
            }
            default -> m.put("presenceOnly", true);
        }
        return m;
    }

    /** Hidden form fields that carry a selection: its parameters, or its saved id when long. */
    private static List<Map<String, String>> hidden(Links links, Selection selection) {
        List<Map<String, String>> fields = new ArrayList<>();
        String query = selection.query();
        if (query.length() > Selections.LONGEST_URL_QUERY) {
            fields.add(Map.of("name", "s", "value", links.save(query)));
            if (links.carried != null) {
                int eq = links.carried.indexOf('=');
                fields.add(Map.of("name", links.carried.substring(0, eq), "value", links.carried.substring(eq + 1)));
            }
            return fields;
        }
        selection
                .parameters()
                .forEach((name, values) -> values.forEach(v -> fields.add(Map.of("name", name, "value", v))));
        if (links.carried != null) {
            int eq = links.carried.indexOf('=');
            fields.add(Map.of("name", links.carried.substring(0, eq), "value", links.carried.substring(eq + 1)));
        }
        return fields;
    }

    /** A whole number parameter within bounds, or a 400 that names it. */
    private static long number(String text, String name, long min, long max) {
        try {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new CairnException.BadRequest(
                "'" + name + "' takes a whole number from " + min + ", not '" + text + "'.");
    }

    private static String sep(String link) {
        return link.contains("?") ? "&" : "?";
    }

    static ModelIndex.Table table(ModelIndex model, String name) {
        int colon = name.indexOf(':');
        if (colon < 0) {
            throw new CairnException.NotFound("A table is named schema:table, not '" + name + "'.");
        }
        return model.table(name.substring(0, colon), name.substring(colon + 1));
    }

    static String comment(Model model, ModelIndex.Table table) {
        Model.Schema schema = model.schemas().get(table.schema());
        Model.Table t = schema == null ? null : schema.tables().get(table.name());
        return t == null || t.comment() == null ? "" : t.comment();
    }

    /** Links to selections of one table; long ones by saved id, saved together when the page is done. */
    static final class Links {
        private final long catalogId;
        private final String table;
        private final String base;
        private final Set<String> pending;
        /** A parameter every link carries beside the selection ({@code size=50}), or null. */
        private final String carried;

        Links(long catalogId, String table, String base, String carried) {
            this(catalogId, table, base, carried, new LinkedHashSet<>());
        }

        private Links(long catalogId, String table, String base, String carried, Set<String> pending) {
            this.catalogId = catalogId;
            this.table = table;
            this.base = base;
            this.carried = carried;
            this.pending = pending;
        }

        /** These links without the carried parameter (for the form that chooses it), saving into the same set. */
        Links withoutCarried() {
            return new Links(catalogId, table, base, null, pending);
        }

        String of(Selection selection) {
            String query = selection.query();
            String link;
            if (query.isEmpty()) {
                link = base;
            } else if (query.length() <= Selections.LONGEST_URL_QUERY) {
                link = base + "?" + query;
            } else {
                link = base + "?s=" + save(query);
            }
            return carried == null ? link : link + (link.contains("?") ? "&" : "?") + carried;
        }

        String save(String query) {
            pending.add(query);
            return Selections.id(catalogId, table, query);
        }

        void flush(Selections selections) {
            selections.save(catalogId, table, pending);
            pending.clear();
        }
    }
}
