package dev.cairn.catalog.control;

import java.util.List;

/**
 * The abstract syntax of an ERMrest data name below {@code /ermrest/catalog/{cid}/{api}/}: a path
 * of table instances, links, filters and context resets; for {@code attribute},
 * {@code attributegroup} and {@code aggregate} a projection; and the sort and paging modifiers.
 * Names and literals are decoded; nothing here is resolved against the model yet.
 */
public record DataPath(
        Api api,
        List<Element> elements,
        List<Output> groupKeys,
        List<Output> projection,
        List<SortKey> sort,
        List<String> after,
        List<String> before) {

    public enum Api {
        ENTITY,
        ATTRIBUTE,
        ATTRIBUTEGROUP,
        AGGREGATE
    }

    /** One slash-separated element of a path. */
    public sealed interface Element permits TableElement, LinkElement, FilterElement, ResetElement {}

    /** {@code [alias:=][schema:]table}: the root, or a link inferred from foreign keys. */
    public record TableElement(String alias, String schema, String table) implements Element {}

    /** {@code [alias:=][left|right|full](cols)[=(cols)]}: a link by endpoint or explicit column mapping. */
    public record LinkElement(String alias, JoinType type, List<ColumnRef> left, List<ColumnRef> right)
            implements Element {}

    public enum JoinType {
        INNER,
        LEFT,
        RIGHT,
        FULL
    }

    /** A filter expression; successive filters are and-ed. */
    public record FilterElement(Filter filter) implements Element {}

    /** {@code $alias}: the path's context returns to an earlier table instance. */
    public record ResetElement(String alias) implements Element {}

    /**
     * A column named by 1 to 3 parts: {@code col}, {@code alias-or-table:col}, {@code
     * schema:table:col}; {@code *} for all.
     */
    public record ColumnRef(List<String> qualifiers, String column) {

        public boolean star() {
            return column == null;
        }
    }

    public sealed interface Filter permits Predicate, Quantified, And, Or, Not {}

    /** {@code column op literal}; {@code literal} is null for the unary {@code ::null::}. */
    public record Predicate(ColumnRef column, Operator operator, String literal) implements Filter {}

    /** {@code column op any(v1,v2,...)} (some value satisfies it) or {@code all(...)} (every value does). */
    public record Quantified(ColumnRef column, Operator operator, boolean all, List<String> literals)
            implements Filter {}

    public record And(List<Filter> terms) implements Filter {}

    public record Or(List<Filter> terms) implements Filter {}

    public record Not(Filter term) implements Filter {}

    public enum Operator {
        EQ("="),
        LT("::lt::"),
        LEQ("::leq::"),
        GT("::gt::"),
        GEQ("::geq::"),
        REGEXP("::regexp::"),
        CIREGEXP("::ciregexp::"),
        NULL("::null::");

        private final String syntax;

        Operator(String syntax) {
            this.syntax = syntax;
        }

        public String syntax() {
            return syntax;
        }
    }

    /**
     * A projected output: a column (or {@code *}), an aggregate function of one, or a column's
     * histogram bin ({@code bin(col;n;min;max)}); renamed by {@code out:=}.
     */
    public record Output(String name, ColumnRef column, Aggregate function, Bin bin) {

        public Output(String name, ColumnRef column, Aggregate function) {
            this(name, column, function, null);
        }
    }

    /** {@code bin(col;n;min;max)}: {@code n} equal bins from {@code min} (inclusive) to {@code max} (exclusive). */
    public record Bin(String count, String min, String max) {}

    /**
     * Functions of a projection: the aggregates, and ERMrest's per-row rights summaries
     * {@code trs(RID)} (the row's update and delete rights) and {@code tcrs(RID)} (also each
     * column's update right), which are not aggregates.
     */
    public enum Aggregate {
        CNT,
        CNT_D,
        MIN,
        MAX,
        AVG,
        SUM,
        ARRAY,
        ARRAY_D,
        TRS,
        TCRS
    }

    public record SortKey(String column, boolean descending) {}
}
