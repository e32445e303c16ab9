package dev.cairn.web.control;

import dev.cairn.catalog.entity.Model;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The annotations Chaise reads to present a catalog, read with Chaise's semantics so that a catalog
 * annotated for Chaise (by deriva-py's {@code ermrest_model}, or by deriva-ml for its own schema)
 * looks the same here: {@code display} (names and name styles, inherited from the schema),
 * {@code visible-columns} (which columns, in which order, per context: {@code compact} for tables,
 * {@code detailed} for records, {@code entry} for forms, {@code filter} for facets),
 * {@code visible-foreign-keys} (which related tables a record shows, in order) and the
 * {@code row_order} of {@code table-display}. Entries Cairn cannot show (aggregates, source
 * keys) are left out; a context the annotation does not name falls back as
 * Chaise's does ({@code compact/brief} to {@code compact}, {@code entry/edit} to {@code entry}, then
 * {@code *}), and without the annotation every column shows.
 */
public final class Chaise {

    static final String DISPLAY = "tag:misd.isi.edu,2015:display";
    static final String DISPLAY_2015 = "tag:isrd.isi.edu,2015:display";
    static final String VISIBLE_COLUMNS = "tag:isrd.isi.edu,2016:visible-columns";
    static final String VISIBLE_FOREIGN_KEYS = "tag:isrd.isi.edu,2016:visible-foreign-keys";

    /** A facet of the {@code filter} context: its column and whether it starts open. */
    public record Facet(String column, boolean open) {}

    /**
     * One entry of {@code visible-columns} as a page shows it: a column of the table itself
     * ({@code column}), a pseudo-column reached along foreign keys ({@code path} of hops, then the
     * {@code column} of the table they end at), or a virtual column that only has a pattern; with
     * the entry's own label ({@code markdown_name}, or null for the column's) and {@code display}.
     */
    public record Entry(String column, List<Hop> path, String label, JsonObject display) {

        public boolean local() {
            return path.isEmpty() && column != null;
        }

        public boolean virtual() {
            return column == null;
        }

        /** The entry's {@code display.markdown_pattern}, if any. */
        public Optional<String> pattern() {
            return display != null && display.get("markdown_pattern") instanceof JsonString p
                    ? Optional.of(p.getString())
                    : Optional.empty();
        }

        /** The table the path ends at. */
        public Model.ColumnRef end() {
            Hop last = path.get(path.size() - 1);
            return last.inbound()
                    ? last.fk().columns().get(0)
                    : last.fk().referencedColumns().get(0);
        }
    }

    /** One step of a pseudo-column's path: a foreign key followed from its table ({@code outbound}) or to it. */
    public record Hop(boolean inbound, Model.ForeignKey fk) {}

    /** An inbound foreign key as {@code visible-foreign-keys} names it: the referring table and its column. */
    public record Inbound(String schema, String table, String column) {}

    private Chaise() {}

    /**
     * The name a table or column shows: its {@code display} annotation's {@code name}, else its
     * {@code markdown_name} without markup, else its own name styled by the nearest
     * {@code name_style} (its own, its table's, its schema's).
     */
    public static String name(String own, Map<String, JsonValue> annotations, List<Map<String, JsonValue>> outer) {
        JsonObject display = display(annotations);
        if (display != null) {
            if (display.get("name") instanceof JsonString name
                    && !name.getString().isBlank()) {
                return name.getString();
            }
            if (display.get("markdown_name") instanceof JsonString md
                    && !md.getString().isBlank()) {
                return Markdown.text(md.getString());
            }
        }
        List<Map<String, JsonValue>> scopes = new ArrayList<>();
        scopes.add(annotations);
        scopes.addAll(outer);
        for (Map<String, JsonValue> scope : scopes) {
            JsonObject d = display(scope);
            if (d != null && d.get("name_style") instanceof JsonObject style) {
                return styled(own, style);
            }
        }
        return own;
    }

    private static String styled(String name, JsonObject style) {
        String out = name;
        if (style.getBoolean("underline_space", false)) {
            out = out.replace('_', ' ');
        }
        if (style.getBoolean("title_case", false)) {
            StringBuilder b = new StringBuilder();
            boolean start = true;
            for (char ch : out.toCharArray()) {
                b.append(start ? Character.toUpperCase(ch) : ch);
                start = Character.isWhitespace(ch);
            }
            out = b.toString();
        }
        return out;
    }

    private static JsonObject display(Map<String, JsonValue> annotations) {
        if (annotations == null) {
            return null;
        }
        for (String tag : List.of(DISPLAY_2015, DISPLAY)) {
            if (annotations.get(tag) instanceof JsonObject o) {
                return o;
            }
        }
        return null;
    }

    /**
     * The columns of {@code table} a context shows, in the annotation's order, each once; empty
     * when the table's {@code visible-columns} says nothing for the context.
     */
    public static Optional<List<String>> columns(Model.Table table, String context) {
        Set<String> columns = new LinkedHashSet<>();
        entries(null, table, context).orElse(List.of()).stream()
                .filter(Entry::local)
                .forEach(e -> columns.add(e.column()));
        return columns.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(columns));
    }

    /**
     * The entries a context shows, in the annotation's order: columns (each once), pseudo-columns
     * along foreign keys and virtual columns. Entries Cairn cannot show (aggregates, source keys,
     * foreign keys it cannot find) are left out; empty when the annotation says nothing for the
     * context. Without the model, only the table's own columns are found.
     */
    public static Optional<List<Entry>> entries(Model model, Model.Table table, String context) {
        Optional<JsonArray> given = contextEntries(table, VISIBLE_COLUMNS, context);
        if (given.isEmpty()) {
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonValue value : given.get()) {
            entry(model, table, value)
                    .filter(e -> !e.local() || seen.add(e.column()))
                    .ifPresent(entries::add);
        }
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries);
    }

    private static Optional<Entry> entry(Model model, Model.Table table, JsonValue value) {
        if (!(value instanceof JsonObject o)) {
            return column(table, value).map(c -> new Entry(c, List.of(), null, null));
        }
        String label = o.get("markdown_name") instanceof JsonString md ? Markdown.text(md.getString()) : null;
        JsonObject display = o.get("display") instanceof JsonObject d ? d : null;
        if (o.containsKey("aggregate") || o.containsKey("sourcekey")) {
            return Optional.empty();
        }
        JsonValue source = o.get("source");
        if (source == null) {
            return label != null && display != null && display.get("markdown_pattern") instanceof JsonString
                    ? Optional.of(new Entry(null, List.of(), label, display))
                    : Optional.empty();
        }
        Optional<String> local = column(table, value);
        if (local.isPresent()) {
            return Optional.of(new Entry(local.get(), List.of(), label, display));
        }
        if (model == null || !(source instanceof JsonArray path) || path.size() < 2) {
            return Optional.empty();
        }
        List<Hop> hops = new ArrayList<>();
        String schema = table.schemaName();
        String name = table.name();
        for (JsonValue step : path.subList(0, path.size() - 1)) {
            if (!(step instanceof JsonObject hop)) {
                return Optional.empty();
            }
            boolean inbound = hop.get("inbound") instanceof JsonArray;
            JsonValue named = inbound ? hop.get("inbound") : hop.get("outbound");
            if (!(named instanceof JsonArray pair) || pair.size() != 2) {
                return Optional.empty();
            }
            Optional<Model.ForeignKey> fk = constraint(model, pair.getString(0, ""), pair.getString(1, ""));
            if (fk.isEmpty()) {
                return Optional.empty();
            }
            Model.ColumnRef from = fk.get().columns().get(0);
            Model.ColumnRef to = fk.get().referencedColumns().get(0);
            Model.ColumnRef here = inbound ? to : from;
            Model.ColumnRef there = inbound ? from : to;
            if (!here.schemaName().equals(schema) || !here.tableName().equals(name)) {
                return Optional.empty(); // the path does not continue from where it is
            }
            hops.add(new Hop(inbound, fk.get()));
            schema = there.schemaName();
            name = there.tableName();
        }
        Model.Table end = of(model, schema, name);
        if (!(path.get(path.size() - 1) instanceof JsonString column) || end == null || !has(end, column.getString())) {
            return Optional.empty();
        }
        return Optional.of(new Entry(column.getString(), List.copyOf(hops), label, display));
    }

    /** The facets of the {@code filter} context, in order; empty when the annotation has none. */
    public static Optional<List<Facet>> facets(Model.Table table) {
        JsonValue annotation = annotation(table.annotations(), VISIBLE_COLUMNS);
        if (!(annotation instanceof JsonObject contexts)
                || !(contexts.get("filter") instanceof JsonObject filter)
                || !(filter.get("and") instanceof JsonArray and)) {
            return Optional.empty();
        }
        List<Facet> facets = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonValue entry : and) {
            Optional<String> column = column(table, entry);
            if (column.isPresent() && seen.add(column.get())) {
                boolean open = entry instanceof JsonObject o && o.getBoolean("open", false);
                facets.add(new Facet(column.get(), open));
            }
        }
        return facets.isEmpty() ? Optional.empty() : Optional.of(facets);
    }

    /**
     * The related tables a record shows, in order ({@code visible-foreign-keys} of the
     * {@code detailed} context): each named foreign key of another table that refers to this one.
     */
    public static Optional<List<Inbound>> related(Model.Table table, Model model) {
        Optional<JsonArray> entries = contextEntries(table, VISIBLE_FOREIGN_KEYS, "detailed");
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        List<Inbound> related = new ArrayList<>();
        for (JsonValue entry : entries.get()) {
            JsonValue name = entry instanceof JsonObject o ? sourceOf(o) : entry;
            if (!(name instanceof JsonArray pair) || pair.size() != 2) {
                continue;
            }
            constraint(model, pair.getString(0, ""), pair.getString(1, ""))
                    .filter(fk -> fk.referencedColumns().get(0).schemaName().equals(table.schemaName())
                            && fk.referencedColumns().get(0).tableName().equals(table.name())
                            && fk.columns().size() == 1)
                    .ifPresent(fk -> related.add(new Inbound(
                            fk.columns().get(0).schemaName(),
                            fk.columns().get(0).tableName(),
                            fk.columns().get(0).columnName())));
        }
        return Optional.of(related);
    }

    private static JsonValue sourceOf(JsonObject entry) {
        // {"source": [{"inbound": ["s", "fk"]}, "RID"]}: the first hop names the foreign key
        if (entry.get("source") instanceof JsonArray path
                && !path.isEmpty()
                && path.get(0) instanceof JsonObject hop
                && hop.get("inbound") instanceof JsonArray inbound) {
            return inbound;
        }
        return JsonValue.NULL;
    }

    /**
     * The default order of a table's rows ({@code row_order} of {@code table-display}'s
     * {@code compact} or {@code *} context): its first sortable column and direction.
     */
    public static Optional<Map.Entry<String, Boolean>> rowOrder(Model.Table table) {
        Optional<JsonValue> display = Optional.ofNullable(annotation(table.annotations(), RowNames.TABLE_DISPLAY));
        for (String context : List.of("compact", "*")) {
            if (display.orElse(null) instanceof JsonObject contexts
                    && contexts.get(context) instanceof JsonObject options
                    && options.get("row_order") instanceof JsonArray order
                    && !order.isEmpty()) {
                JsonValue first = order.get(0);
                String column = first instanceof JsonString s
                        ? s.getString()
                        : first instanceof JsonObject o ? o.getString("column", null) : null;
                boolean descending = first instanceof JsonObject o && o.getBoolean("descending", false);
                if (column != null
                        && table.columns().stream().anyMatch(c -> c.name().equals(column))) {
                    return Optional.of(Map.entry(column, descending));
                }
            }
        }
        return Optional.empty();
    }

    /** A context's entries, following Chaise's fallbacks and one context named by another. */
    private static Optional<JsonArray> contextEntries(Model.Table table, String tag, String context) {
        if (!(annotation(table.annotations(), tag) instanceof JsonObject contexts)) {
            return Optional.empty();
        }
        List<String> tried = new ArrayList<>();
        for (String c = context; c != null; c = c.contains("/") ? c.substring(0, c.lastIndexOf('/')) : null) {
            tried.add(c);
        }
        tried.add("*");
        for (String c : tried) {
            JsonValue v = contexts.get(c);
            if (v instanceof JsonString other && contexts.get(other.getString()) instanceof JsonArray a) {
                return Optional.of(a);
            }
            if (v instanceof JsonArray a) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * The column of the table an entry shows: a column name, an outbound foreign key's or key's name,
     * or a one-column source.
     */
    private static Optional<String> column(Model.Table table, JsonValue entry) {
        if (entry instanceof JsonString s) {
            return has(table, s.getString()) ? Optional.of(s.getString()) : Optional.empty();
        }
        if (entry instanceof JsonArray pair && pair.size() == 2) {
            String schema = pair.getString(0, "");
            String name = pair.getString(1, "");
            for (Model.ForeignKey fk :
                    table.foreignKeys() == null ? List.<Model.ForeignKey>of() : table.foreignKeys()) {
                if (named(fk.names(), schema, name) && fk.columns().size() == 1) {
                    return Optional.of(fk.columns().get(0).columnName());
                }
            }
            for (Model.Key key : table.keys() == null ? List.<Model.Key>of() : table.keys()) {
                if (named(key.names(), schema, name) && key.columns().size() == 1) {
                    return Optional.of(key.columns().get(0));
                }
            }
            return Optional.empty();
        }
        if (entry instanceof JsonObject o) {
            JsonValue source = o.get("source");
            if (source instanceof JsonString s) {
                return column(table, s);
            }
            // [{"outbound": [schema, fk]}, "RID"]: one hop along an outbound key shows as that key's column
            if (source instanceof JsonArray path
                    && path.size() == 2
                    && path.get(0) instanceof JsonObject hop
                    && hop.get("outbound") instanceof JsonArray fk) {
                return column(table, fk);
            }
            if (source instanceof JsonArray path && path.size() == 1) {
                return column(table, path.get(0));
            }
        }
        return Optional.empty();
    }

    private static Optional<Model.ForeignKey> constraint(Model model, String schema, String name) {
        for (Model.Schema s : model.schemas().values()) {
            for (Model.Table t : s.tables().values()) {
                for (Model.ForeignKey fk : t.foreignKeys() == null ? List.<Model.ForeignKey>of() : t.foreignKeys()) {
                    if (named(fk.names(), schema, name)) {
                        return Optional.of(fk);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean named(List<List<String>> names, String schema, String name) {
        return names != null
                && names.stream()
                        .anyMatch(n -> n.size() == 2
                                && n.get(0).equals(schema)
                                && n.get(1).equals(name));
    }

    private static boolean has(Model.Table table, String column) {
        return table.columns().stream().anyMatch(c -> c.name().equals(column));
    }

    private static JsonValue annotation(Map<String, JsonValue> annotations, String tag) {
        return annotations == null ? null : annotations.get(tag);
    }

    /** The model's description of a table (its annotations, keys and foreign keys). */
    public static Model.Table of(Model model, String schema, String table) {
        Model.Schema s = model.schemas().get(schema);
        return s == null ? null : s.tables().get(table);
    }

    /** The annotations of the schema that holds a table (for inherited name styles). */
    public static List<Map<String, JsonValue>> outer(Model model, String schema, Model.Table table) {
        List<Map<String, JsonValue>> outer = new ArrayList<>();
        if (table != null && table.annotations() != null) {
            outer.add(table.annotations());
        }
        Model.Schema s = model.schemas().get(schema);
        if (s != null && s.annotations() != null) {
            outer.add(s.annotations());
        }
        return outer;
    }
}
