package dev.cairn.web.control;

import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataPath;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.PathSegment;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names people know rows by, shown where a page would otherwise show a foreign key's raw value
 * (a RID such as {@code 3M}). A table's rows are named as Chaise names them: by the
 * {@code row_name} context of its {@code table-display} annotation when that pattern only reads
 * the row's own columns ({@code {{{Name}}} ({{{Code}}})}, blocks such as
 * {@code {{#Code}}...{{/Code}}} too, as plain text); otherwise by DerivaML's defaults: {@code Name}
 * (vocabularies), then {@code Filename} (assets), then the first unique text key. Names are read
 * through the page's own ERMrest reads, so a row the visitor may not read keeps its raw value, and
 * kept in the page cache by the snaptime the page was read at, as its counts and facets are.
 */
@RequestScoped
public class RowNames {

    static final String TABLE_DISPLAY = "tag:isrd.isi.edu,2016:table-display";
    /** A pattern's placeholder: {@code {{{col}}}} or {@code {{col}}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\{?\\s*([^{}]+?)\\s*}?}}");
    /** At most this many referenced rows are named per column and page. */
    private static final int MAX_VALUES = 200;

    @Inject
    PageQueries queries;

    @Inject
    Models models;

    /** A pattern's tag: a variable, or a block's start or end ({@code #}, {@code ^}, {@code /}). */
    private static final Pattern TAG = Pattern.compile("\\{\\{\\{?\\s*([#^/]?)\\s*([^{}]+?)\\s*}?}}");

    /**
     * How a table's rows are named: a pattern and the columns it reads (a pattern with blocks is a
     * Mustache template).
     */
    public record Naming(String pattern, List<String> columns, boolean template) {

        public Naming(String pattern, List<String> columns) {
            this(pattern, columns, false);
        }

        public String render(JsonObject row) {
            if (template) {
                return Markdown.expand(pattern, Markdown.env(row, name -> Recordset.text(row.get(name))))
                        .map(Markdown::text)
                        .orElse("");
            }
            Matcher m = PLACEHOLDER.matcher(pattern);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(Recordset.text(row.get(m.group(1)))));
            }
            m.appendTail(out);
            return out.toString().strip();
        }
    }

    /** How the rows of a table are named, if the table says or DerivaML's defaults find a column. */
    public static Optional<Naming> naming(Model.Table table) {
        Set<String> columns = new LinkedHashSet<>();
        table.columns().forEach(c -> columns.add(c.name()));
        Optional<String> pattern = rowNamePattern(table);
        if (pattern.isPresent()) {
            // usable when every name it reads is a column (raw _col or formatted; inside blocks too)
            List<String> named = new ArrayList<>();
            Matcher m = TAG.matcher(pattern.get());
            boolean usable = true;
            boolean template = false;
            while (m.find()) {
                String name = m.group(2);
                template |= !m.group(1).isEmpty() || !columns.contains(name);
                if (m.group(1).isEmpty() || !Set.of("encode", "escape").contains(name)) {
                    String column = name.startsWith("_") && !columns.contains(name) ? name.substring(1) : name;
                    String first = column.contains(".") ? column.substring(0, column.indexOf('.')) : column;
                    usable &= columns.contains(column) || columns.contains(first) || name.equals(".");
                    if (columns.contains(first)) {
                        named.add(first);
                    }
                }
            }
            if (usable && !named.isEmpty()) {
                return Optional.of(new Naming(pattern.get(), List.copyOf(new LinkedHashSet<>(named)), template));
            }
        }
        for (String column : List.of("Name", "Filename")) {
            if (columns.contains(column)) {
                return Optional.of(new Naming("{{{" + column + "}}}", List.of(column)));
            }
        }
        for (Model.Key key : table.keys()) {
            if (key.columns().size() == 1 && !key.columns().get(0).equals("RID")) {
                String column = key.columns().get(0);
                boolean text = table.columns().stream()
                        .anyMatch(c ->
                                c.name().equals(column) && c.type().typename().equals("text"));
                if (text) {
                    return Optional.of(new Naming("{{{" + column + "}}}", List.of(column)));
                }
            }
        }
        return Optional.empty();
    }

    /** How the rows of a table of the catalog (as of {@code at}) are named. */
    public Optional<Naming> naming(Catalogs.At at, ModelIndex.Table table) {
        Model.Table t = described(at, table);
        return t == null ? Optional.empty() : naming(t);
    }

    /** The model's description of a table as of {@code at} (annotations, keys, foreign keys). */
    public Model.Table described(Catalogs.At at, ModelIndex.Table table) {
        return Chaise.of(models.at(at.catalog().id(), at.instant()).model(), table.schema(), table.name());
    }

    /** The one-column foreign key of a column, if it has one. */
    public static Optional<ModelIndex.Link> link(ModelIndex.Table table, String column) {
        return table.outbound().stream()
                .filter(l ->
                        l.fromColumns().size() == 1 && l.fromColumns().get(0).equals(column))
                .findFirst();
    }

    /**
     * The {@code row_name} pattern of a table's {@code table-display} annotation (its {@code row_name}
     * context, else {@code *}).
     */
    private static Optional<String> rowNamePattern(Model.Table table) {
        JsonValue display =
                table.annotations() == null ? null : table.annotations().get(TABLE_DISPLAY);
        if (!(display instanceof JsonObject contexts)) {
            return Optional.empty();
        }
        for (String context : List.of("row_name", "*")) {
            if (contexts.get(context) instanceof JsonObject options
                    && options.get("row_markdown_pattern") instanceof JsonString pattern) {
                return Optional.of(pattern.getString());
            }
        }
        return Optional.empty();
    }

    /**
     * For each of {@code columns} of {@code table} that is a one-column foreign key, the names of
     * the rows its values among {@code rows} refer to (column, then value, then name). Columns
     * whose target has no naming, and values not found or not readable, are left out.
     */
    public Map<String, Map<String, String>> of(
            Catalogs.At at,
            String snaptime,
            Model model,
            ModelIndex.Table table,
            Collection<String> columns,
            Collection<JsonObject> rows) {
        Map<String, Map<String, String>> names = new HashMap<>();
        for (ModelIndex.Link out : table.outbound()) {
            if (out.fromColumns().size() != 1
                    || !columns.contains(out.fromColumns().get(0))) {
                continue;
            }
            String column = out.fromColumns().get(0);
            Model.Schema schema = model.schemas().get(out.to().schema());
            Model.Table target =
                    schema == null ? null : schema.tables().get(out.to().name());
            Optional<Naming> naming = target == null ? Optional.empty() : naming(target);
            if (naming.isEmpty()
                    || naming.get().columns().equals(List.of(out.toColumns().get(0)))) {
                continue; // nothing to show beyond the value itself
            }
            Set<String> values = new LinkedHashSet<>();
            for (JsonObject row : rows) {
                String value = Recordset.text(row.get(column));
                if (!value.isEmpty() && values.size() < MAX_VALUES) {
                    values.add(value);
                }
            }
            if (!values.isEmpty()) {
                names.put(column, read(at, snaptime, out, naming.get(), values));
            }
        }
        return names;
    }

    /** The names of the rows of the link's target whose key column holds one of the values. */
    private Map<String, String> read(
            Catalogs.At at, String snaptime, ModelIndex.Link out, Naming naming, Set<String> values) {
        String key = out.toColumns().get(0);
        StringBuilder path = new StringBuilder(
                        Ermrest.table(out.to().schema(), out.to().name()))
                .append('/')
                .append(PathSegment.encode(key))
                .append("=any(");
        path.append(String.join(",", values.stream().map(PathSegment::encode).toList()));
        path.append(")/").append(PathSegment.encode(key));
        for (String column : naming.columns()) {
            if (!column.equals(key)) {
                path.append(',').append(PathSegment.encode(column));
            }
        }
        Map<String, String> names = new HashMap<>();
        for (JsonValue v : queries.cached(at, snaptime, DataPath.Api.ATTRIBUTE, path.toString(), values.size())) {
            JsonObject row = v.asJsonObject();
            String name = naming.render(row);
            if (!name.isEmpty()) {
                names.put(Recordset.text(row.get(key)), name);
            }
        }
        return names;
    }
}
