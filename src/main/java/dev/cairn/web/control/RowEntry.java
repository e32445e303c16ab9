package dev.cairn.web.control;

import dev.cairn.asset.control.AssetTables;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.catalog.control.DataAccess;
import dev.cairn.catalog.control.DataPath;
import dev.cairn.catalog.control.DataPathParser;
import dev.cairn.catalog.control.DataQuery;
import dev.cairn.catalog.control.ModelIndex;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.PathSegment;
import dev.cairn.vocabulary.control.Vocabularies;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the entry forms of the web catalog need beyond typing values ({@link RowForm}): a row as
 * posted or as stored, foreign keys offered and typed by the referenced row's name (a drop-down
 * for up to {@value #MAX_OPTIONS} rows, otherwise a name or a key typed, with suggestions), new
 * vocabulary terms added before the row that uses them, the columns an edit changes, and an error
 * placed next to the field it names. Reads go through the visitor's own ERMrest reads.
 */
@RequestScoped
public class RowEntry {

    /** A referenced table with at most this many rows is offered as a drop-down. */
    static final int MAX_OPTIONS = 200;

    private static final Set<String> VOCABULARY = Set.of("ID", "URI", "Name", "Description", "Synonyms");
    private static final Pattern ROW = Pattern.compile("^Row (\\d+): ");
    private static final Pattern FIELD = Pattern.compile("(?:rid|rmt)\\.(\\d{1,3})|[vt]\\.(\\d{1,3})\\..+");

    @Inject
    CatalogRequest context;

    @Inject
    PageQueries queries;

    @Inject
    Vocabularies vocabularies;

    @Inject
    AssetTables assetTables;

    @Inject
    RowNames rowNames;

    @Inject
    Models models;

    @Inject
    DataAccess data;

    /** The vocabulary terms this request added, as ERMrest paths to them (for {@link #withdrawTerms}). */
    private final List<String> addedTerms = new ArrayList<>();

    /** The choices of each referenced table read in this request, by link. */
    private final Map<ModelIndex.Link, Choices> choices = new HashMap<>();

    /**
     * A row of a form: its RID and the RMT it was read with (null when new), what was typed per
     * column, new vocabulary terms typed per column, errors per column, and the stored values
     * that differ from what was typed after a conflicting change.
     */
    public record Row(
            String rid,
            String rmt,
            Map<String, String> typed,
            Map<String, String> terms,
            Map<String, String> errors,
            Map<String, String> theirs) {

        public static Row empty() {
            return new Row(null, null, Map.of(), Map.of(), Map.of(), Map.of());
        }

        /** Row {@code i} of a posted form: {@code rid.i}, {@code rmt.i}, {@code v.i.column} and {@code t.i.column}. */
        public static Row posted(Map<String, List<String>> form, int i) {
            Map<String, String> typed = new LinkedHashMap<>();
            Map<String, String> terms = new LinkedHashMap<>();
            String values = "v." + i + ".";
            String newTerms = "t." + i + ".";
            form.forEach((name, v) -> {
                if (name.startsWith(values)) {
                    typed.put(name.substring(values.length()), v.get(0));
                } else if (name.startsWith(newTerms) && !v.get(0).isBlank()) {
                    terms.put(name.substring(newTerms.length()), v.get(0).strip());
                }
            });
            return new Row(first(form, "rid." + i), first(form, "rmt." + i), typed, terms, Map.of(), Map.of());
        }

        /**
         * Refuses a form with a field these forms do not have ({@code rid.i}, {@code rmt.i},
         * {@code v.i.column}, {@code t.i.column} for rows 0 to {@code rows - 1}) or a field sent
         * twice: nothing a client sends is dropped in silence.
         */
        public static void checkNames(Map<String, List<String>> form, int rows) {
            for (Map.Entry<String, List<String>> field : form.entrySet()) {
                Matcher m = FIELD.matcher(field.getKey());
                if (!m.matches() || Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2)) >= rows) {
                    throw new CairnException.BadRequest("The form has no field '" + field.getKey() + "'.");
                }
                if (field.getValue().size() > 1) {
                    throw new CairnException.BadRequest("Field '" + field.getKey() + "' is sent more than once.");
                }
            }
        }

        /** A stored row, as its form shows it. */
        public static Row stored(ModelIndex.Table table, JsonObject row) {
            Map<String, String> typed = new LinkedHashMap<>();
            for (RowForm.Field f : RowForm.fields(table, Set.of())) {
                typed.put(f.column(), RowForm.text(f, row.get(f.column())));
            }
            return new Row(row.getString("RID"), row.getString("RMT", ""), typed, Map.of(), Map.of(), Map.of());
        }

        /**
         * Row {@code index} of a form with a failed write's message next to the field it names (when
         * it is about this row).
         */
        public Row failed(CairnException e, ModelIndex.Table table, int index) {
            String detail = e.getMessage() == null ? "" : e.getMessage();
            Matcher row = ROW.matcher(detail);
            boolean numbered = row.find();
            Optional<String> column = columnNamed(table, detail);
            if (column.isEmpty() || (numbered && Integer.parseInt(row.group(1)) != index + 1)) {
                return this;
            }
            Map<String, String> errors = new LinkedHashMap<>(this.errors);
            errors.put(column.get(), numbered ? detail.substring(row.end()) : detail);
            return new Row(rid, rmt, typed, terms, errors, theirs);
        }

        /** This row with a message for one of its fields. */
        public Row withError(String field, String message) {
            Map<String, String> errors = new LinkedHashMap<>(this.errors);
            errors.put(field, message);
            return new Row(rid, rmt, typed, terms, errors, theirs);
        }

        /**
         * This row after a conflicting change: the stored values that differ from what was typed, and
         * the stored RMT.
         */
        public Row against(ModelIndex.Table table, JsonObject stored) {
            Map<String, String> differ = new LinkedHashMap<>();
            for (RowForm.Field f : RowForm.fields(table, Set.of())) {
                JsonValue value = stored.getOrDefault(f.column(), JsonValue.NULL);
                String now = RowForm.text(f, value);
                if (!now.equals(typed.getOrDefault(f.column(), "")) && !sameAsTyped(f, value)) {
                    differ.put(f.column(), now.isEmpty() ? "(empty)" : now);
                }
            }
            return new Row(rid, stored.getString("RMT", ""), typed, terms, errors, differ);
        }

        /** Whether what was typed is the stored value written another way (JSON spaced, 2.50 for 2.5). */
        private boolean sameAsTyped(RowForm.Field f, JsonValue stored) {
            try {
                return same(stored, RowForm.value(f, typed.getOrDefault(f.column(), "")));
            } catch (RowForm.Invalid e) {
                return false;
            }
        }

        private static String first(Map<String, List<String>> form, String name) {
            List<String> v = form.get(name);
            return v == null ? null : v.get(0);
        }
    }

    /** A row checked: the values to write by column (foreign keys resolved), and the row with any errors. */
    public record Checked(Row row, Map<String, JsonValue> values) {
        public boolean valid() {
            return row.errors().isEmpty();
        }
    }

    /**
     * Types what was typed in a row and resolves foreign keys given by name. A new row leaves out
     * empty values, so columns take their defaults; an edited row sets them to null.
     */
    public Checked check(Catalogs.At at, ModelIndex.Table table, Row row, boolean create) {
        Map<String, JsonValue> values = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>(row.errors());
        List<RowForm.Field> fields = formFields(at, table, create);
        for (String sent : row.typed().keySet()) {
            if (fields.stream().noneMatch(f -> f.column().equals(sent))) {
                throw new CairnException.BadRequest(
                        "The form of " + table + " has no field for column '" + sent + "'.");
            }
        }
        for (RowForm.Field f : fields) {
            if (!create && !row.typed().containsKey(f.column())) {
                continue; // not sent: an edit leaves it as it is
            }
            String typed = row.typed().getOrDefault(f.column(), "");
            Optional<ModelIndex.Link> link = RowNames.link(table, f.column());
            if (link.isPresent() && row.terms().containsKey(f.column())) {
                continue; // a new term, added just before the row is written
            }
            try {
                JsonValue v = RowForm.value(f, typed);
                if (link.isPresent() && v.getValueType() == JsonValue.ValueType.STRING) {
                    v = JsonBodies.JSON.createValue(resolve(at, link.get(), ((JsonString) v).getString()));
                }
                if (!create || v.getValueType() != JsonValue.ValueType.NULL) {
                    values.put(f.column(), v);
                }
            } catch (RowForm.Invalid e) {
                errors.put(f.column(), e.getMessage());
            }
        }
        return new Checked(new Row(row.rid(), row.rmt(), row.typed(), row.terms(), errors, row.theirs()), values);
    }

    /**
     * The row's values with its new vocabulary terms added to their vocabularies first (an existing
     * name is the existing term). The client must be able to insert into the vocabulary.
     */
    public JsonObject addTerms(ModelIndex.Table table, Checked checked) {
        JsonObjectBuilder values = JsonBodies.JSON.createObjectBuilder();
        checked.values().forEach(values::add);
        for (Map.Entry<String, String> term : checked.row().terms().entrySet()) {
            ModelIndex.Link link = RowNames.link(table, term.getKey())
                    .filter(l -> isVocabulary(l.to()))
                    .orElseThrow(() -> new CairnException.BadRequest(
                            "Column " + term.getKey() + " of " + table + " does not take new vocabulary terms."));
            context.require("insert", link.to().schema(), link.to().name());
            Vocabularies.Added added = vocabularies.add(
                    context.id(),
                    new Vocabularies.Vocabulary(link.to().schema(), link.to().name()),
                    term.getValue(),
                    "Added from the web catalog's form of " + table.name() + ".",
                    List.of(),
                    context.client());
            if (added.created()) {
                addedTerms.add(Ermrest.table(link.to().schema(), link.to().name()) + "/RID="
                        + PathSegment.encode(added.term().getString("RID")));
            }
            values.add(term.getKey(), added.term().get(link.toColumns().get(0)));
        }
        return values.build();
    }

    /**
     * Takes back the vocabulary terms {@link #addTerms} added in this request, when the row that
     * needed them was refused: a refused form leaves the vocabularies as they were. A term that
     * another row has come to use meanwhile stays.
     */
    public void withdrawTerms() {
        for (String term : addedTerms) {
            try {
                data.delete(
                        context.id(),
                        DataPathParser.parse(DataPath.Api.ENTITY, term).elements(),
                        null,
                        context.client(),
                        // Cairn undoing its own insert of this request, by RID: the visitor may insert terms
                        // without the right to delete them
                        DataQuery.Guard.NONE);
            } catch (CairnException e) {
                // referenced by another row since: it stays
            }
        }
        addedTerms.clear();
    }

    /** The columns whose value in {@code values} differs from the stored row's. */
    public static Set<String> changes(ModelIndex.Table table, JsonObject stored, JsonObject values) {
        Set<String> changed = new LinkedHashSet<>();
        values.forEach((column, v) -> {
            if (!same(stored.getOrDefault(column, JsonValue.NULL), v)) {
                changed.add(column);
            }
        });
        return changed;
    }

    private static boolean same(JsonValue a, JsonValue b) {
        if (a instanceof JsonNumber x && b instanceof JsonNumber y) {
            return x.bigDecimalValue().compareTo(y.bigDecimalValue()) == 0;
        }
        return a.equals(b);
    }

    /** The rows of the table with these RIDs as they are now (those the client may read). */
    public Map<String, JsonObject> current(ModelIndex.Table table, Collection<String> rids) {
        String path = Ermrest.table(table.schema(), table.name()) + "/RID=any("
                + String.join(",", rids.stream().map(PathSegment::encode).toList()) + ")";
        Map<String, JsonObject> rows = new HashMap<>();
        for (JsonValue v : queries.read(context.at(), DataPath.Api.ENTITY, path, rids.size())
                .rows()) {
            rows.put(v.asJsonObject().getString("RID"), v.asJsonObject());
        }
        return rows;
    }

    /** A row's name, as foreign keys to it show it (its RID when the table names rows by none). */
    public String name(Catalogs.At at, ModelIndex.Table table, String rid) {
        Optional<RowNames.Naming> naming = rowNames.naming(at, table);
        if (naming.isEmpty()) {
            return rid;
        }
        JsonObject row = current(table, List.of(rid)).get(rid);
        String name = row == null ? "" : naming.get().render(row);
        return name.isEmpty() ? rid : name;
    }

    /** The fields of row {@code i} as the template shows them. */
    public List<Map<String, Object>> fields(Catalogs.At at, ModelIndex.Table table, Row row, int i) {
        List<Map<String, Object>> fields = new ArrayList<>();
        int n = 0;
        List<Map<String, JsonValue>> outer = Chaise.outer(
                models.at(at.catalog().id(), at.instant()).model(), table.schema(), rowNames.described(at, table));
        for (RowForm.Field f : formFields(at, table, row.rid() == null)) {
            Map<String, Object> field = new HashMap<>();
            String typed = row.typed().getOrDefault(f.column(), "");
            field.put("column", f.column());
            field.put("label", Chaise.name(f.column(), table.column(f.column()).annotations(), outer));
            field.put("name", "v." + i + "." + f.column());
            field.put("id", "f" + i + "-" + n++);
            field.put("value", typed);
            field.put("required", f.required());
            field.put("comment", f.comment());
            field.put("error", row.errors().get(f.column()));
            field.put("theirs", row.theirs().get(f.column()));
            Optional<ModelIndex.Link> link = RowNames.link(table, f.column());
            if (link.isPresent()) {
                Choices c = choices(at, link.get());
                List<Map<String, Object>> options = new ArrayList<>();
                boolean found = false;
                for (Map.Entry<String, String> o : c.names().entrySet()) {
                    boolean selected = o.getKey().equals(typed);
                    found |= selected;
                    options.add(Map.of("value", o.getKey(), "label", o.getValue(), "selected", selected));
                }
                field.put("reference", link.get().to().name());
                if (c.complete() && (found || typed.isEmpty())) {
                    field.put("choose", true);
                    field.put("options", options);
                } else {
                    field.put("search", true);
                    field.put("suggestions", options);
                    field.put("list", "l" + i + "-" + n);
                    field.put("value", c.names().getOrDefault(typed, typed));
                    // the page's script asks ERMrest for the rows whose name holds what is typed
                    Optional<RowNames.Naming> naming =
                            rowNames.naming(at, link.get().to());
                    if (naming.isPresent() && naming.get().columns().size() == 1) {
                        String name = naming.get().columns().get(0);
                        field.put(
                                "searchPath",
                                "/ermrest/catalog/" + context.id() + "/attribute/"
                                        + Ermrest.table(
                                                link.get().to().schema(),
                                                link.get().to().name()) + "/"
                                        + PathSegment.encode(name) + "::ciregexp::");
                        field.put("searchName", name);
                    }
                }
                if (isVocabulary(link.get().to())
                        && context.allowed(
                                "insert",
                                link.get().to().schema(),
                                link.get().to().name())) {
                    field.put("term", "t." + i + "." + f.column());
                    field.put("termValue", row.terms().getOrDefault(f.column(), ""));
                }
            } else {
                field.put(f.input().name().toLowerCase(Locale.ROOT), true);
                field.put("yes", typed.equals("true"));
                field.put("no", typed.equals("false"));
            }
            fields.add(field);
        }
        return fields;
    }

    /** Whether rows of the table describe files of the object store (an asset table). */
    public boolean isAsset(ModelIndex.Table table) {
        return assetTables.of(context.id(), table.schema(), table.name()).isPresent();
    }

    /**
     * The fields of a form: the columns of the table's {@code entry/create} or {@code entry/edit}
     * context in its order when annotated (a new row also gets the columns it cannot do without),
     * else every column; never those the store fills.
     */
    private List<RowForm.Field> formFields(Catalogs.At at, ModelIndex.Table table, boolean create) {
        List<RowForm.Field> all = RowForm.fields(table, byStore(table));
        Model.Table described = rowNames.described(at, table);
        Optional<List<String>> listed = described == null
                ? Optional.empty()
                : Chaise.columns(described, create ? "entry/create" : "entry/edit");
        if (listed.isEmpty()) {
            return all;
        }
        List<RowForm.Field> fields = new ArrayList<>();
        for (String column : listed.get()) {
            all.stream().filter(f -> f.column().equals(column)).forEach(fields::add);
        }
        if (create) {
            all.stream().filter(f -> f.required() && !fields.contains(f)).forEach(fields::add);
        }
        return fields;
    }

    /** The columns that the store fills for an asset table (none for others): never typed in a form. */
    private Set<String> byStore(ModelIndex.Table table) {
        return isAsset(table) ? AssetTables.ASSET_COLUMNS : Set.of();
    }

    /** The rows a foreign key may refer to, by key value, with their names; complete when all of them. */
    record Choices(Map<String, String> names, boolean complete) {}

    private Choices choices(Catalogs.At at, ModelIndex.Link link) {
        return choices.computeIfAbsent(link, l -> {
            String key = l.toColumns().get(0);
            Optional<RowNames.Naming> naming = rowNames.naming(at, l.to());
            Set<String> columns = new LinkedHashSet<>();
            columns.add(key);
            naming.ifPresent(n -> columns.addAll(n.columns()));
            String sort = naming.map(n -> n.columns().get(0)).orElse(key);
            String path = Ermrest.table(l.to().schema(), l.to().name()) + "/"
                    + String.join(",", columns.stream().map(PathSegment::encode).toList()) + "@sort("
                    + PathSegment.encode(sort) + ")";
            JsonArray rows;
            try {
                rows = queries.read(at, DataPath.Api.ATTRIBUTE, path, MAX_OPTIONS + 1)
                        .rows();
            } catch (CairnException notReadable) {
                return new Choices(Map.of(), false);
            }
            Map<String, String> names = new LinkedHashMap<>();
            for (int r = 0; r < Math.min(rows.size(), MAX_OPTIONS); r++) {
                JsonObject row = rows.getJsonObject(r);
                String value = Recordset.text(row.get(key));
                String name = naming.map(n -> n.render(row)).orElse(value);
                names.put(value, name.isEmpty() || name.equals(value) ? value : name + " (" + value + ")");
            }
            return new Choices(names, rows.size() <= MAX_OPTIONS);
        });
    }

    /**
     * The key value a typed foreign key stands for: the value itself when a referenced row has
     * it, else the one row named so; otherwise a message for the field.
     */
    private String resolve(Catalogs.At at, ModelIndex.Link link, String typed) throws RowForm.Invalid {
        String key = link.toColumns().get(0);
        String table = Ermrest.table(link.to().schema(), link.to().name());
        if (!queries.read(
                        at,
                        DataPath.Api.ATTRIBUTE,
                        table + "/" + PathSegment.encode(key) + "=" + PathSegment.encode(typed) + "/"
                                + PathSegment.encode(key),
                        1)
                .rows()
                .isEmpty()) {
            return typed;
        }
        Optional<RowNames.Naming> naming = rowNames.naming(at, link.to());
        if (naming.isPresent() && naming.get().columns().size() == 1) {
            String name = naming.get().columns().get(0);
            JsonArray named = queries.read(
                            at,
                            DataPath.Api.ATTRIBUTE,
                            table + "/" + PathSegment.encode(name) + "=" + PathSegment.encode(typed) + "/"
                                    + PathSegment.encode(key),
                            2)
                    .rows();
            if (named.size() == 1) {
                return Recordset.text(named.getJsonObject(0).get(key));
            }
            if (named.size() > 1) {
                throw new RowForm.Invalid("Several " + link.to().name() + " rows are named '" + typed + "'; give the "
                        + key + " of the one you mean.");
            }
        }
        throw new RowForm.Invalid("No " + link.to().name() + " is named '" + typed + "' or has that " + key + ".");
    }

    private static boolean isVocabulary(ModelIndex.Table table) {
        return table.columns().keySet().containsAll(VOCABULARY);
    }

    /**
     * The first column of the table that the detail names: quoted ("Name"), in parentheses ((Name)) or
     * after "column".
     */
    static Optional<String> columnNamed(ModelIndex.Table table, String detail) {
        for (String column : table.columns().keySet()) {
            if (RowForm.SYSTEM.contains(column)) {
                continue;
            }
            String q = Pattern.quote(column);
            if (Pattern.compile("\"" + q + "\"|\\(" + q + "[,)]|column " + q + "\\b")
                    .matcher(detail)
                    .find()) {
                return Optional.of(column);
            }
        }
        return Optional.empty();
    }
}
