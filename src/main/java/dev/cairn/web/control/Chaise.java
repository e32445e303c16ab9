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
 * {@code row_order} of {@code table-display}. Entries Cairn cannot show (pseudo-columns over
 * several hops, aggregates) are left out; a context the annotation does not name falls back as
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
                return md.getString().replaceAll("[*_`]", "").strip();
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
        Optional<JsonArray> entries = contextEntries(table, VISIBLE_COLUMNS, context);
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Set<String> columns = new LinkedHashSet<>();
        for (JsonValue entry : entries.get()) {
            column(table, entry).ifPresent(columns::add);
        }
        return columns.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(columns));
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

    /** The column of the table an entry shows: a column name, an outbound foreign key's or key's name, or a one-column source. */
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
