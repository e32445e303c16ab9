package dev.cairn.catalog.control;

import static dev.cairn.platform.SqlIdentifiers.quote;

import dev.cairn.catalog.control.DataPath.And;
import dev.cairn.catalog.control.DataPath.ColumnRef;
import dev.cairn.catalog.control.DataPath.Element;
import dev.cairn.catalog.control.DataPath.Filter;
import dev.cairn.catalog.control.DataPath.FilterElement;
import dev.cairn.catalog.control.DataPath.JoinType;
import dev.cairn.catalog.control.DataPath.LinkElement;
import dev.cairn.catalog.control.DataPath.Not;
import dev.cairn.catalog.control.DataPath.Operator;
import dev.cairn.catalog.control.DataPath.Or;
import dev.cairn.catalog.control.DataPath.Output;
import dev.cairn.catalog.control.DataPath.Predicate;
import dev.cairn.catalog.control.DataPath.Quantified;
import dev.cairn.catalog.control.DataPath.ResetElement;
import dev.cairn.catalog.control.DataPath.SortKey;
import dev.cairn.catalog.control.DataPath.TableElement;
import dev.cairn.catalog.control.ModelIndex.Link;
import dev.cairn.catalog.control.ModelIndex.Table;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A data path resolved against a catalog's model and turned into one SQL query. Every identifier
 * is quoted, every literal is a bound parameter cast to its column's type, and the type names in
 * casts come from the model (checked against a strict pattern), so no input can change the shape
 * of the query. The result has named output columns, ready to be sorted, paged and serialized.
 */
public final class DataQuery {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_ ]*(\\[\\])?");

    /** An output column: its name and its SQL type (for page keys), null if it cannot be compared. */
    public record OutputColumn(String name, String type) {}

    /** The statement and what its parameters are, in order. */
    public record Sql(String text, List<String> parameters, List<OutputColumn> outputs) {}

    /**
     * A table bound in the path; {@code hidden}: its columns the client may not read; {@code rows}:
     * the predicate (over {@link AclBindings#ROW}) its visible rows meet, or null for all rows.
     */
    private record Instance(String sqlAlias, Table table, String alias, Set<String> hidden, String rows) {}

    /** Authorization of the tables a path binds. */
    @FunctionalInterface
    public interface Guard {
        /** No checks: for tests and for Cairn's own queries. */
        Guard NONE = (table, access) -> null;

        /**
         * The rows of the table the client may use for {@code access}: null for all of them, or an
         * SQL predicate over the row aliased {@link AclBindings#ROW}; throws when it may use none.
         */
        String rows(Table table, String access);

        /** The columns of a table the client may not read: left out of {@code *}, refused when named. */
        default Set<String> hidden(Table table) {
            return Set.of();
        }

        /** Throws: the client named a hidden column. */
        default void checkColumn(Table table, String column) {}

        /**
         * Whether the client holds {@code access} on each row of the table aliased {@code alias}: an
         * SQL boolean ({@code true}, {@code false} or a predicate over the row).
         */
        default String rowRight(Table table, String access, String alias) {
            return "true";
        }

        /** Throws when a column's own insert or update ACL leaves the client out of a write to it. */
        default void checkColumnWrite(Table table, String column, String access) {}

        /** Whether a column's own ACL lets the client {@code access} it (rows aside). */
        default boolean columnRight(Table table, String column, String access) {
            return true;
        }

        /** Throws: a write reached {@code count} rows the client may not change so. */
        /** Whether the client owns the catalog (it may then give rows any RID, as ERMrest's owner may). */
        default boolean owner() {
            return true;
        }

        default void refuse(Table table, String access, long count) {
            throw new CairnException.Forbidden(
                    ErrorCode.ACL_DENIED, count + " of the rows are not yours to " + access + " in " + table + ".");
        }
    }

    private final ModelIndex model;
    private final boolean snapshot;
    private final Guard guard;
    private final List<Instance> instances = new ArrayList<>();
    private final Map<String, Instance> aliases = new LinkedHashMap<>();
    private final StringBuilder from = new StringBuilder();
    private final List<String> where = new ArrayList<>();
    private final List<String> parameters = new ArrayList<>();
    private Instance current;

    private DataQuery(ModelIndex model, boolean snapshot, Guard guard) {
        this.model = model;
        this.snapshot = snapshot;
        this.guard = guard;
    }

    /**
     * The query for a GET, with sort, page keys and limit applied; {@code asJson} makes each row one
     * JSON object (text), otherwise the output columns are selected as they are.
     */
    public static Sql select(
            ModelIndex model, DataPath path, Integer limit, boolean asJson, boolean snapshot, Guard guard) {
        DataQuery q = new DataQuery(model, snapshot, guard);
        q.resolve(path.elements());
        List<OutputColumn> outputs = new ArrayList<>();
        String inner = q.inner(path, outputs);
        return q.page(inner, outputs, path, limit, asJson ? "row_to_json(q)::text" : "q.*");
    }

    /**
     * Whether a path denotes at most one row: one table, filtered by equality on every column of
     * one of its keys (within a conjunction), as in a lookup by RID or by a unique name.
     */
    public static boolean atMostOneRow(ModelIndex model, DataPath path) {
        List<Element> elements = path.elements();
        if (elements.isEmpty() || !(elements.get(0) instanceof TableElement first)) {
            return false;
        }
        Set<String> equal = new HashSet<>();
        for (Element element : elements.subList(1, elements.size())) {
            if (!(element instanceof FilterElement f)) {
                return false;
            }
            equalities(f.filter(), equal);
        }
        return model.table(first.schema(), first.table()).keys().stream()
                .anyMatch(key -> !key.columns().isEmpty() && equal.containsAll(key.columns()));
    }

    private static void equalities(Filter filter, Set<String> columns) {
        if (filter instanceof Predicate p
                && p.operator() == Operator.EQ
                && p.column().qualifiers().isEmpty()) {
            columns.add(p.column().column());
        } else if (filter instanceof And and) {
            and.terms().forEach(term -> equalities(term, columns));
        }
    }

    /** A query for the RIDs of the rows a path denotes, for DELETE: every table it binds needs {@code select}. */
    public static Sql rids(ModelIndex model, List<Element> elements, Guard guard) {
        DataQuery q = new DataQuery(model, false, guard);
        q.resolve(elements);
        if (!q.current.table().hasRid()) {
            throw new CairnException.BadRequest("Table " + q.current.table() + " has no RID column.");
        }
        String sql = "SELECT " + q.current.sqlAlias() + ".\"RID\" FROM " + q.from + q.whereClause();
        return new Sql(sql, q.parameters, List.of(new OutputColumn("RID", "text")));
    }

    /**
     * A FROM item for the rows of a table the guard lets the client read (its hidden columns left
     * out), now or, with {@code snapshot}, as they were at the transaction's {@code cairn.snaptime}:
     * for Cairn's own queries over many tables, such as a dataset's bag. Throws when the client may
     * read none of them.
     */
    public static String source(ModelIndex model, Table table, boolean snapshot, Guard guard) {
        DataQuery q = new DataQuery(model, snapshot, guard);
        return q.fromItem(q.bind(table, null));
    }

    /** The table the path ends at. */
    public static Table target(ModelIndex model, List<Element> elements) {
        DataQuery q = new DataQuery(model, false, Guard.NONE);
        q.resolve(elements);
        return q.current.table();
    }

    // ---- path resolution

    private void resolve(List<Element> elements) {
        for (Element element : elements) {
            if (element instanceof TableElement t) {
                if (instances.isEmpty()) {
                    root(t);
                } else {
                    linkToTable(t);
                }
            } else if (element instanceof LinkElement l) {
                link(l);
            } else if (element instanceof FilterElement f) {
                where.add(filter(f.filter()));
            } else if (element instanceof ResetElement r) {
                current = instanceOf(r.alias());
            }
        }
    }

    private void root(TableElement t) {
        Instance root = bind(model.table(t.schema(), t.table()), t.alias());
        from.append(fromItem(root)).append(" AS ").append(root.sqlAlias());
    }

    /**
     * At most this many table instances in one path: each is a join, and long chains cost far more
     * than they return.
     */
    public static final int MAX_TABLES = 16;

    private Instance bind(Table table, String alias) {
        if (instances.size() >= MAX_TABLES) {
            throw new CairnException.BadRequest("A path joins at most " + MAX_TABLES + " tables.");
        }
        String rows = guard.rows(table, "select");
        Instance instance = new Instance("t" + instances.size(), table, alias, guard.hidden(table), rows);
        if (alias != null && aliases.putIfAbsent(alias, instance) != null) {
            throw new CairnException.BadRequest("Alias " + alias + " is bound twice in the path.");
        }
        instances.add(instance);
        current = instance;
        return instance;
    }

    /** {@code /S:T}: join through every foreign key between the context table and T, either way. */
    private void linkToTable(TableElement t) {
        Table target = model.table(t.schema(), t.table());
        Instance left = current;
        List<Link> links = new ArrayList<>();
        left.table().outbound().stream().filter(l -> l.to() == target).forEach(links::add);
        left.table().inbound().stream()
                .filter(l -> l.from() == target && !links.contains(l))
                .forEach(links::add);
        if (links.isEmpty()) {
            throw new CairnException.BadRequest("No foreign key links " + left.table() + " and " + target + ".");
        }
        Instance right = bind(target, t.alias());
        List<String> conditions = new ArrayList<>();
        for (Link link : links) {
            boolean outbound = link.from() == left.table()
                    && link.to() == target
                    && left.table().outbound().contains(link);
            conditions.add(
                    outbound
                            ? equalities(left, link.fromColumns(), right, link.toColumns())
                            : equalities(left, link.toColumns(), right, link.fromColumns()));
        }
        join(JoinType.INNER, right, String.join(" OR ", conditions));
    }

    private void link(LinkElement l) {
        if (l.right() != null) {
            Instance left = instanceOfColumns(l.left());
            List<String> leftColumns = columnNames(left, l.left());
            ColumnRef first = l.right().get(0);
            Table target = switch (first.qualifiers().size()) {
                case 1 -> model.table(null, first.qualifiers().get(0));
                case 2 ->
                    model.table(first.qualifiers().get(0), first.qualifiers().get(1));
                default ->
                    throw new CairnException.BadRequest("The right side of a column mapping starts with table:column.");
            };
            Instance right = bind(target, l.alias());
            List<String> rightColumns = l.right().stream()
                    .map(c -> {
                        if (c != first
                                && !c.qualifiers().isEmpty()
                                && !c.qualifiers().equals(first.qualifiers())) {
                            throw new CairnException.BadRequest(
                                    "All right-hand columns of a join belong to the table of the first.");
                        }
                        return target.column(c.column()).name();
                    })
                    .toList();
            join(l.type(), right, equalities(left, leftColumns, right, rightColumns));
            return;
        }
        // linkage by one endpoint: a foreign key of the path's table, or of another table referring to it
        ColumnRef first = l.left().get(0);
        if (first.qualifiers().isEmpty()
                || aliases.containsKey(first.qualifiers().get(0))) {
            Instance left = instanceOfColumns(l.left());
            List<String> columns = columnNames(left, l.left());
            Link link = left.table().outbound().stream()
                    .filter(k -> k.fromColumns().equals(columns))
                    .findFirst()
                    .orElseThrow(() -> new CairnException.BadRequest(
                            "(" + String.join(",", columns) + ") is not a foreign key of " + left.table() + "."));
            Instance right = bind(link.to(), l.alias());
            join(JoinType.INNER, right, equalities(left, link.fromColumns(), right, link.toColumns()));
            return;
        }
        Table other = first.qualifiers().size() == 2
                ? model.table(first.qualifiers().get(0), first.qualifiers().get(1))
                : model.table(null, first.qualifiers().get(0));
        List<String> columns =
                l.left().stream().map(c -> other.column(c.column()).name()).toList();
        Instance left = current;
        Link inbound = other.outbound().stream()
                .filter(k -> k.to() == left.table() && k.fromColumns().equals(columns))
                .findFirst()
                .orElse(null);
        Link outbound = left.table().outbound().stream()
                .filter(k -> k.to() == other && k.toColumns().equals(columns))
                .findFirst()
                .orElse(null);
        if ((inbound == null) == (outbound == null)) {
            throw new CairnException.BadRequest("(" + other + ":" + String.join(",", columns)
                    + ") does not name exactly one link with " + left.table() + ".");
        }
        Instance right = bind(other, l.alias());
        join(
                JoinType.INNER,
                right,
                inbound != null
                        ? equalities(left, inbound.toColumns(), right, inbound.fromColumns())
                        : equalities(left, outbound.fromColumns(), right, outbound.toColumns()));
    }

    /**
     * A table in FROM: the table itself, or in a snapshot its rows as they were at the time set in
     * {@code cairn.snaptime} for the transaction. The table's name reaches SQL only quoted.
     */
    private String fromItem(Instance instance) {
        Table t = instance.table();
        String name = quote(t.schema()) + "." + quote(t.name());
        String where = instance.rows() == null ? "" : " WHERE " + instance.rows();
        if (!snapshot) {
            return instance.hidden().isEmpty() && instance.rows() == null
                    ? name
                    : "(SELECT "
                            + visible(instance).stream()
                                    .map(c -> AclBindings.ROW + "." + quote(c.name()))
                                    .collect(Collectors.joining(", "))
                            + " FROM " + name + " AS " + AclBindings.ROW + where + ")";
        }
        String source =
                t.oid() != null ? "CAST(" + t.oid() + " AS oid)::regclass" : ModelSql.literal(name) + "::regclass";
        List<String> columns = new ArrayList<>();
        for (Model.Column c : visible(instance)) {
            columns.add(historical(c, ModelSql.literal(t.storageKey(c.name()))) + " AS " + quote(c.name()));
        }
        String rows = "(SELECT " + String.join(", ", columns) + " FROM _ermrest.rows_at(" + source
                + ", current_setting('cairn.snaptime')::timestamptz) AS r)";
        return where.isEmpty() ? rows : "(SELECT * FROM " + rows + " AS " + AclBindings.ROW + where + ")";
    }

    /** The columns of a bound table the client may read. */
    private List<Model.Column> visible(Instance instance) {
        return instance.table().columns().values().stream()
                .filter(c -> !instance.hidden().contains(c.name()))
                .toList();
    }

    /** A column of a bound table, named by the client: refused when hidden. */
    private Model.Column column(Instance instance, String name) {
        Model.Column c = instance.table().column(name);
        if (instance.hidden().contains(c.name())) {
            guard.checkColumn(instance.table(), c.name());
            throw new CairnException.Forbidden(
                    ErrorCode.ACL_DENIED, "Column " + c.name() + " of " + instance.table() + " may not be read.");
        }
        return c;
    }

    /** A column's value from a row-history document {@code r}, as the column's type. */
    private static String historical(Model.Column column, String key) {
        String type = sqlType(column.type());
        if (type.endsWith("[]")) {
            return "CASE WHEN jsonb_typeof(r -> " + key
                    + ") = 'array' THEN CAST(ARRAY(SELECT jsonb_array_elements_text(r -> " + key + ")) AS " + type
                    + ") END";
        }
        if (type.equals("json") || type.equals("jsonb")) {
            return "CASE WHEN jsonb_typeof(r -> " + key + ") <> 'null' THEN CAST(r -> " + key + " AS " + type + ") END";
        }
        return "CAST(r ->> " + key + " AS " + type + ")";
    }

    private void join(JoinType type, Instance right, String condition) {
        from.append(
                        switch (type) {
                            case INNER -> " JOIN ";
                            case LEFT -> " LEFT JOIN ";
                            case RIGHT -> " RIGHT JOIN ";
                            case FULL -> " FULL JOIN ";
                        })
                .append(fromItem(right))
                .append(" AS ")
                .append(right.sqlAlias())
                .append(" ON (")
                .append(condition)
                .append(')');
    }

    private static String equalities(
            Instance left, List<String> leftColumns, Instance right, List<String> rightColumns) {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < leftColumns.size(); i++) {
            terms.add(left.sqlAlias() + '.' + quote(leftColumns.get(i)) + " = " + right.sqlAlias() + '.'
                    + quote(rightColumns.get(i)));
        }
        return "(" + String.join(" AND ", terms) + ")";
    }

    private Instance instanceOf(String alias) {
        Instance instance = aliases.get(alias);
        if (instance == null) {
            throw new CairnException.BadRequest("Alias " + alias + " is not bound earlier in the path.");
        }
        return instance;
    }

    private Instance instanceOfColumns(List<ColumnRef> columns) {
        ColumnRef first = columns.get(0);
        return first.qualifiers().isEmpty()
                ? current
                : instanceOf(first.qualifiers().get(0));
    }

    private List<String> columnNames(Instance instance, List<ColumnRef> columns) {
        return columns.stream().map(c -> column(instance, c.column()).name()).toList();
    }

    // ---- filters

    private String filter(Filter filter) {
        if (filter instanceof And a) {
            return "(" + a.terms().stream().map(this::filter).collect(Collectors.joining(" AND ")) + ")";
        }
        if (filter instanceof Or o) {
            return "(" + o.terms().stream().map(this::filter).collect(Collectors.joining(" OR ")) + ")";
        }
        if (filter instanceof Not n) {
            return "(NOT " + filter(n.term()) + ")";
        }
        if (filter instanceof Quantified q) {
            List<String> terms = new ArrayList<>();
            for (String literal : q.literals()) {
                terms.add(predicate(new Predicate(q.column(), q.operator(), literal)));
            }
            if (terms.isEmpty()) {
                return q.all() ? "TRUE" : "FALSE";
            }
            return "(" + String.join(q.all() ? " AND " : " OR ", terms) + ")";
        }
        return predicate((Predicate) filter);
    }

    private String predicate(Predicate p) {
        Instance instance = p.column().qualifiers().isEmpty() ? current : qualified(p.column());
        if (p.column().star()) {
            List<String> texts = visible(instance).stream()
                    .map(c -> instance.sqlAlias() + '.' + quote(c.name()) + "::text " + regexp(p.operator()) + " ?")
                    .toList();
            texts.forEach(t -> parameters.add(p.literal()));
            return "(" + String.join(" OR ", texts) + ")";
        }
        Model.Column column = column(instance, p.column().column());
        String ref = instance.sqlAlias() + '.' + quote(column.name());
        return switch (p.operator()) {
            case NULL -> "(" + ref + " IS NULL)";
            case REGEXP, CIREGEXP -> {
                parameters.add(p.literal());
                yield "(" + ref + "::text " + regexp(p.operator()) + " ?)";
            }
            default -> {
                parameters.add(p.literal());
                String op = switch (p.operator()) {
                    case EQ -> "=";
                    case LT -> "<";
                    case LEQ -> "<=";
                    case GT -> ">";
                    case GEQ -> ">=";
                    default -> throw new IllegalStateException();
                };
                yield "(" + ref + " " + op + " CAST(? AS " + sqlType(column.type()) + "))";
            }
        };
    }

    private Instance qualified(ColumnRef column) {
        if (column.qualifiers().size() != 1) {
            throw new CairnException.BadRequest("Qualify a column with a path alias: alias:column.");
        }
        return instanceOf(column.qualifiers().get(0));
    }

    private static String regexp(Operator op) {
        return op == Operator.CIREGEXP ? "~*" : "~";
    }

    /** The number types {@code bin()} takes (with {@code date}). */
    public static final Set<String> NUMBERS = Set.of("int2", "int4", "int8", "float4", "float8", "numeric");

    /** The SQL type to cast literals to: the column's type, or the base type of a domain. */
    public static String sqlType(Model.Type type) {
        Model.Type t = Boolean.TRUE.equals(type.domain()) ? type.baseType() : type;
        String name = switch (t.typename()) {
            case "serial2" -> "int2";
            case "serial4" -> "int4";
            case "serial8" -> "int8";
            case "boolean" -> "bool";
            default -> t.typename();
        };
        if (!TYPE.matcher(name).matches()) {
            throw new CairnException.BadRequest("Columns of type " + name + " cannot be compared with a literal.");
        }
        return name;
    }

    // ---- projections

    private String inner(DataPath path, List<OutputColumn> outputs) {
        Instance last = current;
        boolean joined = instances.size() > 1;
        return switch (path.api()) {
            case ENTITY -> {
                Table t = last.table();
                visible(last).forEach(c -> outputs.add(new OutputColumn(c.name(), comparable(c.type()))));
                String base = fromItem(last);
                if (!joined) {
                    yield "SELECT " + last.sqlAlias() + ".* FROM " + from + whereClause();
                }
                if (!t.hasRid()) {
                    yield "SELECT DISTINCT " + last.sqlAlias() + ".* FROM " + from + whereClause();
                }
                yield "SELECT e.* FROM " + base + " AS e WHERE e.\"RID\" IN (SELECT " + last.sqlAlias()
                        + ".\"RID\" FROM " + from + whereClause() + ")";
            }
            case ATTRIBUTE -> {
                List<String> columns = projections(path.projection(), outputs);
                String distinct =
                        joined && last.table().hasRid() ? "DISTINCT ON (" + last.sqlAlias() + ".\"RID\") " : "";
                yield "SELECT " + distinct + String.join(", ", columns) + " FROM " + from + whereClause();
            }
            case AGGREGATE ->
                "SELECT " + String.join(", ", projections(path.projection(), outputs)) + " FROM " + from
                        + whereClause();
            case ATTRIBUTEGROUP -> {
                List<String> keys = projections(path.groupKeys(), outputs);
                List<String> values = projections(path.projection(), outputs, true);
                List<String> all = new ArrayList<>(keys);
                all.addAll(values);
                StringBuilder groupBy = new StringBuilder();
                for (int i = 1; i <= keys.size(); i++) {
                    groupBy.append(i > 1 ? ", " : "").append(i);
                }
                yield "SELECT " + String.join(", ", all) + " FROM " + from + whereClause() + " GROUP BY " + groupBy;
            }
        };
    }

    private List<String> projections(List<Output> list, List<OutputColumn> outputs) {
        return projections(list, outputs, false);
    }

    /**
     * The SQL of projected outputs; {@code example}: they follow a group key, where a plain column
     * is ERMrest's "example value", one value from the group's members.
     */
    private List<String> projections(List<Output> list, List<OutputColumn> outputs, boolean example) {
        List<String> sql = new ArrayList<>();
        for (Output o : list) {
            Instance instance = o.column().qualifiers().isEmpty() ? current : qualified(o.column());
            if (o.function() == DataPath.Aggregate.TRS || o.function() == DataPath.Aggregate.TCRS) {
                sql.add(rights(instance, o.function() == DataPath.Aggregate.TCRS) + " AS " + quote(o.name()));
                outputs.add(new OutputColumn(o.name(), null));
                continue;
            }
            if (o.function() == null && o.column().star()) {
                boolean prefixed = !o.column().qualifiers().isEmpty();
                for (Model.Column c : visible(instance)) {
                    String name = prefixed ? o.column().qualifiers().get(0) + ":" + c.name() : c.name();
                    sql.add(instance.sqlAlias() + '.' + quote(c.name()) + " AS " + quote(name));
                    outputs.add(new OutputColumn(name, comparable(c.type())));
                }
                continue;
            }
            if (o.bin() != null) {
                Model.Column c = column(instance, o.column().column());
                sql.add(bin(instance.sqlAlias() + '.' + quote(c.name()), c, o.bin()) + " AS " + quote(o.name()));
                outputs.add(new OutputColumn(o.name(), null));
                continue;
            }
            if (o.function() == null) {
                Model.Column c = column(instance, o.column().column());
                String name = o.name() != null ? o.name() : c.name();
                String ref = instance.sqlAlias() + '.' + quote(c.name());
                if (example) {
                    // any member's value: min() keeps an array's type, array_agg()[1] any other type's
                    ref = c.type().typename().endsWith("[]") ? "min(" + ref + ")" : "(array_agg(" + ref + "))[1]";
                }
                sql.add(ref + " AS " + quote(name));
                outputs.add(new OutputColumn(name, comparable(c.type())));
                continue;
            }
            String ref;
            String type;
            if (o.column().star()) {
                // cnt(*) counts rows; otherwise '*' is the whole row of the context (or of alias:*)
                boolean countRows = o.function() == DataPath.Aggregate.CNT
                        && o.column().qualifiers().isEmpty();
                ref = countRows
                        ? "*"
                        : o.function() == DataPath.Aggregate.CNT
                                ? instance.sqlAlias() + ".*"
                                : "to_jsonb(" + instance.sqlAlias() + ".*)";
                type = null;
            } else {
                Model.Column c = column(instance, o.column().column());
                ref = instance.sqlAlias() + '.' + quote(c.name());
                type = comparable(c.type());
            }
            String expression = switch (o.function()) {
                case CNT -> "count(" + ref + ")";
                case CNT_D -> "count(DISTINCT " + ref + ")";
                case MIN -> "min(" + ref + ")";
                case MAX -> "max(" + ref + ")";
                case AVG -> "avg(" + ref + ")";
                case SUM -> "sum(" + ref + ")";
                case ARRAY -> "array_agg(" + ref + ")";
                case ARRAY_D -> "array_agg(DISTINCT " + ref + ")";
                case TRS, TCRS -> throw new IllegalStateException("rights summaries are projected above");
            };
            String outType = switch (o.function()) {
                case CNT, CNT_D -> "int8";
                case AVG, SUM -> "numeric";
                case MIN, MAX -> type;
                case ARRAY, ARRAY_D, TRS, TCRS -> null;
            };
            sql.add(expression + " AS " + quote(o.name()));
            outputs.add(new OutputColumn(o.name(), outType));
        }
        return sql;
    }

    /**
     * ERMrest's rights summary of each row: {@code {"update": b, "delete": b}}, and with
     * {@code columns} also {@code "column_rights": {col: {"update": b}}} for the columns shown.
     */
    private String rights(Instance instance, boolean columns) {
        String update = guard.rowRight(instance.table(), "update", instance.sqlAlias());
        StringBuilder doc = new StringBuilder("jsonb_build_object('update', ")
                .append(update)
                .append(", 'delete', ")
                .append(guard.rowRight(instance.table(), "delete", instance.sqlAlias()));
        if (columns) {
            List<String> perColumn = new ArrayList<>();
            for (Model.Column c : visible(instance)) {
                String right = guard.columnRight(instance.table(), c.name(), "update") ? update : "false";
                perColumn.add(ModelSql.literal(c.name()) + ", jsonb_build_object('update', " + right + ")");
            }
            doc.append(", 'column_rights', jsonb_build_object(")
                    .append(String.join(", ", perColumn))
                    .append(')');
        }
        return doc.append(')').toString();
    }

    /**
     * ERMrest's {@code bin(col;n;min;max)}: the JSON array [bucket, lower, upper], bucket 0 below
     * the range and n+1 above it, all null for NULL. Dates bin by their day number. The array is
     * jsonb, so it sorts by bucket.
     */
    private String bin(String ref, Model.Column column, DataPath.Bin bin) {
        String type = sqlType(column.type());
        boolean date = type.equals("date");
        if (!date && !NUMBERS.contains(type)) {
            throw new CairnException.BadRequest(
                    "bin() takes a column of a number or date type; " + column.name() + " is " + type + ".");
        }
        if (!bin.count().matches("[1-9][0-9]{0,3}")) {
            throw new CairnException.BadRequest(
                    "bin(): the number of bins is a whole number from 1 to 9999, not '" + bin.count() + "'.");
        }
        BigDecimal lo;
        BigDecimal hi;
        try {
            lo = date ? BigDecimal.valueOf(LocalDate.parse(bin.min()).toEpochDay()) : new BigDecimal(bin.min());
            hi = date ? BigDecimal.valueOf(LocalDate.parse(bin.max()).toEpochDay()) : new BigDecimal(bin.max());
        } catch (RuntimeException e) {
            throw new CairnException.BadRequest("bin(): minval and maxval are "
                    + (date ? "dates (yyyy-mm-dd)" : "numbers") + "; got '" + bin.min() + "' and '" + bin.max() + "'.");
        }
        for (BigDecimal b : new BigDecimal[] {lo, hi}) {
            if (Math.abs(b.scale()) > 1000 || b.precision() > 1000) {
                throw new CairnException.BadRequest("bin(): minval and maxval have at most 1,000 digits.");
            }
        }
        if (lo.compareTo(hi) > 0) {
            // equal bounds are ERMrest's too: fine while no value needs a bin (then PostgreSQL refuses it, a 400)
            throw new CairnException.BadRequest("bin(): minval must not be above maxval.");
        }
        // every bin's [bucket, lower, upper] is computed here once, as a constant array the query
        // indexes by width_bucket: building the array per row cost PostgreSQL ~8 us a row
        int n = Integer.parseInt(bin.count());
        String value = date ? "(" + ref + " - DATE '1970-01-01')::numeric" : ref + "::numeric";
        StringBuilder bins = new StringBuilder("(ARRAY[");
        BigDecimal width = hi.subtract(lo);
        for (int k = 0; k <= n + 1; k++) {
            String lower = k == 0 ? "null" : bound(lo, width, k - 1, n, date);
            String upper = k == n + 1 ? "null" : bound(lo, width, k, n, date);
            bins.append(k == 0 ? "" : ",")
                    .append("'[")
                    .append(k)
                    .append(',')
                    .append(lower)
                    .append(',')
                    .append(upper)
                    .append("]'");
        }
        bins.append("]::jsonb[])");
        return "(CASE WHEN " + ref + " IS NULL THEN '[null,null,null]'::jsonb ELSE " + bins + "[width_bucket(" + value
                + ", " + lo.toPlainString() + "::numeric, " + hi.toPlainString() + "::numeric, " + n + ") + 1] END)";
    }

    /** The edge {@code lo + k * width / n} of a bin: a number, or for dates the day it falls in, as JSON. */
    private static String bound(BigDecimal lo, BigDecimal width, int k, int n, boolean date) {
        BigDecimal edge =
                lo.add(width.multiply(BigDecimal.valueOf(k)).divide(BigDecimal.valueOf(n), MathContext.DECIMAL128));
        if (date) {
            long day = edge.setScale(0, RoundingMode.FLOOR).longValueExact();
            return "\"" + LocalDate.ofEpochDay(day) + "\"";
        }
        return edge.stripTrailingZeros().toPlainString();
    }

    /** The SQL type of a column whose values compare and sort as scalars, or null (arrays, JSON, unknown types). */
    public static String comparable(Model.Type type) {
        try {
            String sql = sqlType(type);
            return sql.endsWith("[]") || sql.equals("json") || sql.equals("jsonb") ? null : sql;
        } catch (CairnException notComparable) {
            return null;
        }
    }

    private String whereClause() {
        return where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    }

    // ---- sort, page keys, limit

    private Sql page(String inner, List<OutputColumn> outputs, DataPath path, Integer limit, String selectList) {
        Map<String, OutputColumn> byName = new LinkedHashMap<>();
        for (OutputColumn o : outputs) {
            if (byName.putIfAbsent(o.name(), o) != null) {
                throw new CairnException.BadRequest(
                        "Two output columns are named '" + o.name() + "'; rename one with name:=...");
            }
        }
        List<String> order = new ArrayList<>();
        List<String> reversed = new ArrayList<>();
        for (SortKey key : path.sort()) {
            if (!byName.containsKey(key.column())) {
                throw new CairnException.BadRequest("@sort(" + key.column() + "): no output column of that name.");
            }
            String ref = "q." + quote(key.column());
            order.add(ref + (key.descending() ? " DESC NULLS FIRST" : " ASC NULLS LAST"));
            reversed.add(ref + (key.descending() ? " ASC NULLS LAST" : " DESC NULLS FIRST"));
        }
        List<String> conditions = new ArrayList<>();
        List<String> params = new ArrayList<>(parameters);
        if (path.after() != null) {
            conditions.add(keyset(path.sort(), path.after(), byName, true, params));
        }
        if (path.before() != null) {
            conditions.add(keyset(path.sort(), path.before(), byName, false, params));
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        String limitClause = limit == null ? "" : " LIMIT " + limit;
        String sql;
        if (path.before() != null && path.after() == null) {
            // the last rows before the key: read backwards, then put them back in order
            sql = "SELECT " + selectList + " FROM (SELECT q.* FROM (" + inner + ") AS q" + where + " ORDER BY "
                    + String.join(", ", reversed) + limitClause + ") AS q ORDER BY " + String.join(", ", order);
        } else {
            sql = "SELECT " + selectList + " FROM (" + inner + ") AS q" + where
                    + (order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order)) + limitClause;
        }
        return new Sql(sql, params, outputs);
    }

    /** Rows strictly after (or before) a page key in the sort order, NULLs sorting last ascending. */
    private static String keyset(
            List<SortKey> sort,
            List<String> key,
            Map<String, OutputColumn> outputs,
            boolean after,
            List<String> params) {
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < sort.size(); i++) {
            List<String> terms = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                terms.add(equal(sort.get(j), key.get(j), outputs, params));
            }
            boolean ascendingSense = after != sort.get(i).descending();
            terms.add(beyond(sort.get(i), key.get(i), outputs, ascendingSense, params));
            alternatives.add("(" + String.join(" AND ", terms) + ")");
        }
        return "(" + String.join(" OR ", alternatives) + ")";
    }

    private static String equal(SortKey key, String value, Map<String, OutputColumn> outputs, List<String> params) {
        String ref = "q." + quote(key.column());
        if (value == null) {
            return ref + " IS NULL";
        }
        params.add(value);
        return ref + " = CAST(? AS " + pageType(key, outputs) + ")";
    }

    /** {@code x} comes after {@code value} going up (NULLs last) or down (NULLs first). */
    private static String beyond(
            SortKey key, String value, Map<String, OutputColumn> outputs, boolean up, List<String> params) {
        String ref = "q." + quote(key.column());
        if (value == null) {
            return up ? "FALSE" : ref + " IS NOT NULL";
        }
        params.add(value);
        String cast = "CAST(? AS " + pageType(key, outputs) + ")";
        return up ? "(" + ref + " > " + cast + " OR " + ref + " IS NULL)" : ref + " < " + cast;
    }

    private static String pageType(SortKey key, Map<String, OutputColumn> outputs) {
        String type = outputs.get(key.column()).type();
        if (type == null) {
            throw new CairnException.BadRequest("Output column " + key.column() + " cannot be used in a page key.");
        }
        return type;
    }
}
