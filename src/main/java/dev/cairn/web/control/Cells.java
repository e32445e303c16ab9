package dev.cairn.web.control;

import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataPath;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.PathSegment;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the table and record pages show of rows: which columns (the visitor's choice, else the
 * table's {@code visible-columns} for the page's context, else its own columns) and each cell's
 * content. A cell shows a foreign key's referenced row by name, a value as its
 * {@code column-display} shapes it ({@code pre_format}, {@code markdown_pattern}, see
 * {@link Markdown}), the rows a pseudo-column reaches along foreign keys (one read per column and
 * page, as the visitor; a path through a table the visitor may not read shows nothing), or a
 * virtual column's pattern. Every read goes through {@link PageQueries}, so a cell never shows
 * what the API would not.
 */
@RequestScoped
public class Cells {

    static final String COLUMN_DISPLAY = "tag:isrd.isi.edu,2016:column-display";
    /** A pseudo-column shows at most this many rows per cell. */
    static final int VALUES = 10;
    /** A pseudo-column's read for one page reads at most this many rows. */
    private static final int PATH_ROWS = 2000;

    @Inject
    RowNames rowNames;

    @Inject
    PageQueries queries;

    /** A column of a page: a column of the table, or an annotation's pseudo-column or virtual column. */
    public record Shown(String key, String label, Model.Column column, Chaise.Entry entry) {

        /** A column of the table itself (sortable, a facet, a form field). */
        public boolean local() {
            return column != null;
        }
    }

    /** Where a page is: its catalog, reading, and the variables its patterns may use. */
    public record Where(String cid, Catalogs.At at, String snaptime, Model model, Map<String, Object> variables) {}

    /**
     * The columns a page shows: the visitor's {@code chosen} ones (RID first), else the entries of
     * the table's {@code visible-columns} for {@code context} (RID added when missing), else the
     * table's own columns ({@code systemLast}: the system columns after the others; else only
     * RID of them, first).
     */
    public static List<Shown> shown(
            ModelIndex.Table table,
            Model model,
            Model.Table described,
            List<String> chosen,
            String context,
            boolean systemLast) {
        List<Map<String, JsonValue>> outer = Chaise.outer(model, table.schema(), described);
        List<Shown> shown = new ArrayList<>();
        if (!chosen.isEmpty()) {
            shown.add(local(table, "RID", null, outer));
            chosen.stream().filter(c -> !c.equals("RID")).forEach(c -> shown.add(local(table, c, null, outer)));
            return shown;
        }
        Optional<List<Chaise.Entry>> entries =
                described == null ? Optional.empty() : Chaise.entries(model, described, context);
        if (entries.isPresent()) {
            int n = 0;
            for (Chaise.Entry e : entries.get()) {
                if (e.local()) {
                    shown.add(local(table, e.column(), e, outer));
                } else {
                    String label = e.label() != null ? e.label() : e.column();
                    shown.add(new Shown("entry-" + n, label, null, e));
                }
                n++;
            }
            if (shown.stream().noneMatch(s -> s.local() && s.column().name().equals("RID"))) {
                if (systemLast) {
                    shown.add(local(table, "RID", null, outer));
                } else {
                    shown.add(0, local(table, "RID", null, outer));
                }
            }
            return shown;
        }
        List<Model.Column> columns = new ArrayList<>(table.columns().values());
        if (systemLast) {
            columns.sort(Comparator.comparing(c -> FacetPlan.SYSTEM.contains(c.name())));
        } else {
            columns.removeIf(
                    c -> FacetPlan.SYSTEM.contains(c.name()) && !c.name().equals("RID"));
        }
        columns.forEach(c -> shown.add(local(table, c.name(), null, outer)));
        return shown;
    }

    private static Shown local(
            ModelIndex.Table table, String name, Chaise.Entry entry, List<Map<String, JsonValue>> outer) {
        Model.Column column = table.column(name);
        String label = entry != null && entry.label() != null
                ? entry.label()
                : Chaise.name(column.name(), column.annotations(), outer);
        return new Shown(name, label, column, entry);
    }

    /**
     * The cells of {@code rows} under {@code shown}, each a map for the templates: {@code text}
     * (and {@code full} when a value is longer than {@code fold}), {@code link}, {@code html} (a
     * rendered pattern), {@code items} (a pseudo-column's rows, with {@code reached}), {@code exact} (the stored value
     * when the cell shows another) and {@code empty}.
     */
    public List<List<Map<String, Object>>> of(
            Where where, ModelIndex.Table table, List<Shown> shown, List<JsonObject> rows, String context, int fold) {
        List<String> localColumns = new ArrayList<>();
        shown.stream()
                .filter(Shown::local)
                .forEach(s -> localColumns.add(s.column().name()));
        List<Optional<JsonObject>> displays =
                shown.stream().map(s -> display(s, context)).toList();
        boolean patterns = displays.stream()
                .anyMatch(d -> d.map(o -> o.containsKey("markdown_pattern")).orElse(false));
        // what patterns read of every row: the columns as pre_format shapes them, the named foreign keys
        Map<String, JsonObject> preFormats = new HashMap<>();
        List<Model.ForeignKey> foreignKeys = new ArrayList<>();
        if (patterns) {
            table.columns().values().forEach(c -> {
                JsonObject p = preFormat(c, context);
                if (p != null) {
                    preFormats.put(c.name(), p);
                }
            });
            Model.Table described = Chaise.of(where.model(), table.schema(), table.name());
            if (described != null && described.foreignKeys() != null) {
                described.foreignKeys().stream()
                        .filter(fk -> fk.names() != null
                                && !fk.names().isEmpty()
                                && fk.columns().size() == 1)
                        .forEach(foreignKeys::add);
            }
        }
        // with patterns, every foreign key's name is known to them ($fkey_...rowName)
        Map<String, Map<String, String>> names = rowNames.of(
                where.at(),
                where.snaptime(),
                where.model(),
                table,
                patterns ? table.columns().keySet() : localColumns,
                rows);
        Map<Shown, Map<String, List<Map<String, Object>>>> reached = new HashMap<>();
        for (Shown s : shown) {
            if (!s.local() && !s.entry().virtual()) {
                reached.put(s, reach(where, table, s.entry(), rows));
            }
        }
        List<List<Map<String, Object>>> out = new ArrayList<>();
        for (JsonObject row : rows) {
            Map<String, Object> env = patterns ? env(where, table, foreignKeys, preFormats, row, names) : Map.of();
            List<Map<String, Object>> cells = new ArrayList<>();
            for (int i = 0; i < shown.size(); i++) {
                Shown s = shown.get(i);
                Map<String, Object> cell = blank();
                Optional<JsonObject> display = displays.get(i);
                Optional<String> pattern = display.flatMap(d -> d.get("markdown_pattern") instanceof JsonString p
                        ? Optional.of(p.getString())
                        : Optional.empty());
                if (s.local()) {
                    Model.Column c = s.column();
                    String text = Recordset.text(row.get(c.name()));
                    String shownText = names.getOrDefault(c.name(), Map.of())
                            .getOrDefault(
                                    text,
                                    Markdown.preFormat(
                                            display.map(Cells::preFormat).orElse(null),
                                            row.get(c.name()),
                                            Recordset.shown(c, row.get(c.name()))));
                    if (pattern.isPresent()) {
                        Markdown.render(pattern.get(), env).ifPresent(html -> cell.put("html", html));
                    } else if (fold > 0 && shownText.length() > fold) {
                        // long values (URLs, checksums, JSON) keep a table narrow: the start, the rest on demand
                        cell.put("text", shownText.substring(0, fold) + "…");
                        cell.put("full", shownText.length() > 4000 ? shownText.substring(0, 4000) + "…" : shownText);
                    } else {
                        cell.put("text", shownText);
                    }
                    if (!text.equals(shownText)) {
                        cell.put("exact", text);
                    }
                    cell.put("empty", text.isEmpty() && cell.get("html") == Boolean.FALSE);
                    String link = c.name().equals("RID")
                            ? recordLink(where.cid(), table.schema(), table.name(), text)
                            : valueLink(where.cid(), table, c.name(), text);
                    if (link != null && cell.get("html") == Boolean.FALSE) {
                        cell.put("link", link);
                    }
                } else if (s.entry().virtual()) {
                    pattern.flatMap(p -> Markdown.render(p, env)).ifPresent(html -> cell.put("html", html));
                    cell.put("empty", cell.get("html") == Boolean.FALSE);
                } else {
                    List<Map<String, Object>> items =
                            reached.get(s).getOrDefault(Recordset.text(row.get("RID")), List.of());
                    cell.put("items", items);
                    cell.put("reached", true);
                    cell.put("empty", items.isEmpty());
                }
                cells.add(cell);
            }
            out.add(cells);
        }
        return out;
    }

    private static JsonObject preFormat(JsonObject display) {
        return display.get("pre_format") instanceof JsonObject p ? p : null;
    }

    private static JsonObject preFormat(Model.Column column, String context) {
        return columnDisplay(column, context).map(Cells::preFormat).orElse(null);
    }

    /** A cell with every key the templates read (a key left out would be looked up in the page's scope). */
    private static Map<String, Object> blank() {
        Map<String, Object> cell = new HashMap<>();
        cell.put("text", "");
        for (String key : List.of("full", "link", "html", "exact", "empty", "reached")) {
            cell.put(key, Boolean.FALSE);
        }
        cell.put("items", List.of());
        return cell;
    }

    /**
     * A shown column's display options: its entry's {@code display}, else its column's {@code
     * column-display} for the context.
     */
    private static Optional<JsonObject> display(Shown s, String context) {
        if (s.entry() != null && s.entry().display() != null) {
            return Optional.of(s.entry().display());
        }
        return s.column() == null ? Optional.empty() : columnDisplay(s.column(), context);
    }

    /** A column's {@code column-display} options for the context (with Chaise's fallbacks to {@code *}). */
    private static Optional<JsonObject> columnDisplay(Model.Column column, String context) {
        if (column.annotations() == null
                || !(column.annotations().get(COLUMN_DISPLAY) instanceof JsonObject contexts)) {
            return Optional.empty();
        }
        for (String c = context; c != null; c = c.contains("/") ? c.substring(0, c.lastIndexOf('/')) : null) {
            JsonValue v = contexts.get(c);
            if (v instanceof JsonString other) {
                v = contexts.get(other.getString());
            }
            if (v instanceof JsonObject o) {
                return Optional.of(o);
            }
        }
        return contexts.get("*") instanceof JsonObject o ? Optional.of(o) : Optional.empty();
    }

    /**
     * A row's pattern variables: its columns (formatted and raw), each outbound foreign key as
     * {@code $fkey_schema_constraint} (its {@code rowName}, {@code uri.detailed} and the
     * referenced key's {@code values}), and the page's own ({@code $catalog}, {@code $location}).
     */
    private static Map<String, Object> env(
            Where where,
            ModelIndex.Table table,
            List<Model.ForeignKey> foreignKeys,
            Map<String, JsonObject> preFormats,
            JsonObject row,
            Map<String, Map<String, String>> names) {
        Map<String, Object> env = Markdown.env(row, name -> {
            Model.Column c = table.columns().get(name);
            return c == null
                    ? Recordset.text(row.get(name))
                    : Markdown.preFormat(preFormats.get(name), row.get(name), Recordset.shown(c, row.get(name)));
        });
        for (Model.ForeignKey fk : foreignKeys) {
            String column = fk.columns().get(0).columnName();
            String value = Recordset.text(row.get(column));
            if (value.isEmpty()) {
                continue;
            }
            String key = fk.referencedColumns().get(0).columnName();
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("rowName", names.getOrDefault(column, Map.of()).getOrDefault(value, value));
            target.put("values", Map.of(key, value, "_" + key, value));
            target.put("uri", Map.of("detailed", valueLink(where.cid(), table, column, value)));
            List<String> name = fk.names().get(0);
            env.put("$fkey_" + name.get(0) + "_" + name.get(1), target);
        }
        env.putAll(where.variables());
        return env;
    }

    /**
     * The rows a pseudo-column reaches from each of {@code rows} (by RID): one read along the path
     * for the whole page, each reached row named as its table names rows and linked to its record.
     */
    private Map<String, List<Map<String, Object>>> reach(
            Where where, ModelIndex.Table table, Chaise.Entry entry, List<JsonObject> rows) {
        Set<String> starts = new LinkedHashSet<>();
        rows.forEach(r -> {
            String rid = Recordset.text(r.get("RID"));
            if (!rid.isEmpty()) {
                starts.add(rid);
            }
        });
        Model.ColumnRef end = entry.end();
        Model.Table endTable = Chaise.of(where.model(), end.schemaName(), end.tableName());
        if (starts.isEmpty() || endTable == null) {
            return Map.of();
        }
        Optional<RowNames.Naming> naming = RowNames.naming(endTable);
        Set<String> projected = new LinkedHashSet<>();
        projected.add(entry.column());
        naming.ifPresent(n -> projected.addAll(n.columns()));
        boolean rid = endTable.columns().stream().anyMatch(c -> c.name().equals("RID"));
        if (rid) {
            projected.add("RID");
        }
        if (projected.contains("_start")) {
            return Map.of();
        }
        StringBuilder path = new StringBuilder("start:=")
                .append(Ermrest.table(table.schema(), table.name()))
                .append("/RID=any(")
                .append(String.join(
                        ",", starts.stream().map(PathSegment::encode).toList()))
                .append(')');
        for (Chaise.Hop hop : entry.path()) {
            List<Model.ColumnRef> here =
                    hop.inbound() ? hop.fk().referencedColumns() : hop.fk().columns();
            List<Model.ColumnRef> there =
                    hop.inbound() ? hop.fk().columns() : hop.fk().referencedColumns();
            path.append("/(")
                    .append(String.join(
                            ",",
                            here.stream()
                                    .map(c -> PathSegment.encode(c.columnName()))
                                    .toList()))
                    .append(")=(")
                    .append(String.join(
                            ",",
                            there.stream()
                                    .map(c ->
                                            PathSegment.encode(c.schemaName()) + ":" + PathSegment.encode(c.tableName())
                                                    + ":" + PathSegment.encode(c.columnName()))
                                    .toList()))
                    .append(')');
        }
        path.append("/_start:=start:RID");
        projected.forEach(c -> path.append(',').append(PathSegment.encode(c)));
        path.append("@sort(_start)");
        Map<String, List<Map<String, Object>>> reached = new HashMap<>();
        try {
            for (JsonValue v :
                    queries.cached(where.at(), where.snaptime(), DataPath.Api.ATTRIBUTE, path.toString(), PATH_ROWS)) {
                JsonObject r = v.asJsonObject();
                String value = Recordset.text(r.get(entry.column()));
                if (value.isEmpty()) {
                    continue;
                }
                List<Map<String, Object>> items =
                        reached.computeIfAbsent(Recordset.text(r.get("_start")), k -> new ArrayList<>());
                String label =
                        naming.map(n -> n.render(r)).filter(n -> !n.isEmpty()).orElse(value);
                if (items.stream().anyMatch(i -> i.get("key").equals(value))) {
                    continue; // several paths to one row show it once
                }
                if (items.size() == VALUES) {
                    items.add(Map.of("key", "", "text", "…", "link", false));
                    continue;
                }
                if (items.size() > VALUES) {
                    continue;
                }
                Map<String, Object> item = new HashMap<>();
                item.put("key", value);
                item.put("text", label);
                item.put(
                        "link",
                        rid
                                ? recordLink(
                                        where.cid(), end.schemaName(), end.tableName(), Recordset.text(r.get("RID")))
                                : false);
                items.add(item);
            }
        } catch (CairnException.Forbidden | CairnException.Unauthorized e) {
            return Map.of(); // a path through a table the visitor may not read shows nothing
        }
        reached.values()
                .forEach(items -> items.sort(
                        Comparator.comparing(i -> i.get("key").toString().isEmpty()
                                ? "\uffff"
                                : i.get("text").toString())));
        return reached;
    }

    /** The table page of a table. */
    public static String tableLink(String cid, String schema, String table) {
        return "/web/" + cid + "/table/" + PathSegment.encode(schema + ":" + table);
    }

    /** The record page of a row. */
    public static String recordLink(String cid, String schema, String table, String rid) {
        return "/web/" + cid + "/record/" + PathSegment.encode(schema + ":" + table) + "/" + PathSegment.encode(rid);
    }

    /**
     * Where a value of a column leads: the referenced row for a foreign key (its record page when
     * it refers to a RID, else the referenced table filtered to the value), the file for an
     * asset's URL; null for other values.
     */
    public static String valueLink(String cid, ModelIndex.Table table, String column, String value) {
        if (value.isEmpty()) {
            return null;
        }
        Optional<ModelIndex.Link> out = RowNames.link(table, column);
        if (out.isPresent()) {
            String to = out.get().toColumns().get(0);
            return to.equals("RID")
                    ? recordLink(cid, out.get().to().schema(), out.get().to().name(), value)
                    : tableLink(cid, out.get().to().schema(), out.get().to().name()) + "?f." + PathSegment.encode(to)
                            + "=" + PathSegment.encode(value);
        }
        return column.equals("URL") && value.startsWith("/hatrac/") ? value : null;
    }
}
