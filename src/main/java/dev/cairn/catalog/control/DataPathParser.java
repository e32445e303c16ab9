package dev.cairn.catalog.control;

import dev.cairn.catalog.control.DataPath.Aggregate;
import dev.cairn.catalog.control.DataPath.And;
import dev.cairn.catalog.control.DataPath.Api;
import dev.cairn.catalog.control.DataPath.Bin;
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
import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.QueryParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the raw, still percent-encoded text of an ERMrest data name into a {@link DataPath}.
 * The syntax characters {@code / : ; , = & ( ) @ ! $ *} are only syntax when they appear
 * unencoded; names and literals are decoded as UTF-8 after tokenizing. Errors say where they are.
 */
public final class DataPathParser {

    enum Kind {
        NAME,
        SLASH,
        LPAREN,
        RPAREN,
        COMMA,
        SEMI,
        AMP,
        BANG,
        EQ,
        AT,
        DOLLAR,
        STAR,
        COLON,
        ASSIGN,
        OP,
        END
    }

    record Token(Kind kind, String text, int at) {}

    /**
     * Bounds that keep one request's cost in proportion: nesting of parentheses, and path elements
     * (each table a join).
     */
    public static final int MAX_NESTING = 64;

    public static final int MAX_ELEMENTS = 64;
    /** Values in one any(...) or all(...) list. */
    public static final int MAX_LIST = 10_000;

    private final String raw;
    private final List<Token> tokens;
    private int pos;

    private DataPathParser(String raw) {
        this.raw = raw;
        this.tokens = tokenize(raw);
    }

    /** Parses {@code raw}, the text after {@code /{api}/} and before any {@code ?}. */
    public static DataPath parse(Api api, String raw) {
        return new DataPathParser(raw).parse(api);
    }

    private DataPath parse(Api api) {
        List<List<Token>> segments = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        while (peek().kind() != Kind.END && !(depth == 0 && peek().kind() == Kind.AT)) {
            Token t = next();
            if (t.kind() == Kind.LPAREN) {
                depth++;
                if (depth > MAX_NESTING) {
                    throw error("parentheses nest at most " + MAX_NESTING + " deep", t.at());
                }
            } else if (t.kind() == Kind.RPAREN) {
                depth--;
            }
            if (depth == 0 && t.kind() == Kind.SLASH) {
                segments.add(current);
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        segments.add(current);
        if (depth != 0) {
            throw error("unbalanced parentheses", raw.length());
        }

        List<Output> groupKeys = List.of();
        List<Output> projection = List.of();
        if (api != Api.ENTITY) {
            if (segments.size() < 2) {
                throw error(
                        "the " + api.name().toLowerCase(Locale.ROOT) + " API needs a projection after the path",
                        raw.length());
            }
            List<Token> last = segments.remove(segments.size() - 1);
            if (api == Api.ATTRIBUTEGROUP) {
                int semi = topLevel(last, Kind.SEMI);
                groupKeys = outputs(semi < 0 ? last : last.subList(0, semi), false);
                projection = semi < 0 ? List.of() : outputs(last.subList(semi + 1, last.size()), true);
            } else {
                projection = outputs(last, api == Api.AGGREGATE);
            }
        }
        if (segments.size() > MAX_ELEMENTS) {
            throw error("a path has at most " + MAX_ELEMENTS + " elements (tables, links and filters)", raw.length());
        }
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            elements.add(element(segments.get(i), i == 0));
        }

        List<SortKey> sort = List.of();
        List<String> after = null;
        List<String> before = null;
        while (peek().kind() == Kind.AT) {
            Token at = next();
            Token name = expect(Kind.NAME, "sort, after or before after '@'");
            switch (name.text()) {
                case "sort" -> sort = sortKeys();
                case "after" -> after = pageKey();
                case "before" -> before = pageKey();
                default -> throw error("unknown modifier @" + name.text(), at.at());
            }
        }
        if (peek().kind() != Kind.END) {
            throw error("unexpected '" + peek().text() + "'", peek().at());
        }
        if ((after != null || before != null) && sort.isEmpty()) {
            throw error("@after and @before need @sort", raw.length());
        }
        for (List<String> key : new List[] {after, before}) {
            if (key != null && key.size() != sort.size()) {
                throw error("a page key needs one value per @sort column (" + sort.size() + ")", raw.length());
            }
        }
        return new DataPath(api, elements, groupKeys, projection, sort, after, before);
    }

    // ---- path elements

    private Element element(List<Token> t, boolean root) {
        if (t.isEmpty()) {
            throw error("empty path element", raw.length());
        }
        int at = t.get(0).at();
        if (t.get(0).kind() == Kind.DOLLAR) {
            if (root || t.size() != 2 || t.get(1).kind() != Kind.NAME) {
                throw error("'$' is followed by an alias bound earlier in the path", at);
            }
            return new ResetElement(t.get(1).text());
        }
        String alias = null;
        List<Token> body = t;
        if (t.size() > 2 && t.get(0).kind() == Kind.NAME && t.get(1).kind() == Kind.ASSIGN) {
            alias = t.get(0).text();
            body = t.subList(2, t.size());
        }
        if (isTableName(body)) {
            return body.size() == 1
                    ? new TableElement(alias, null, body.get(0).text())
                    : new TableElement(alias, body.get(0).text(), body.get(2).text());
        }
        if (root) {
            throw error("a path starts with a table: [schema:]table", at);
        }
        if (isLink(body)) {
            return link(alias, body);
        }
        if (alias != null) {
            throw error("only tables and links can be bound to an alias", at);
        }
        return new FilterElement(filter(body));
    }

    private static boolean isTableName(List<Token> t) {
        return (t.size() == 1 && t.get(0).kind() == Kind.NAME)
                || (t.size() == 3
                        && t.get(0).kind() == Kind.NAME
                        && t.get(1).kind() == Kind.COLON
                        && t.get(2).kind() == Kind.NAME);
    }

    /** A link is column lists only: [left|right|full](cols) or (cols)=(cols), nothing a filter has. */
    private static boolean isLink(List<Token> t) {
        int start = t.get(0).kind() == Kind.NAME && t.size() > 1 && t.get(1).kind() == Kind.LPAREN ? 1 : 0;
        if (t.get(start).kind() != Kind.LPAREN) {
            return false;
        }
        int close = closing(t, start);
        if (close >= t.size() || !columnsOnly(t.subList(start + 1, close))) {
            return false;
        }
        if (close == t.size() - 1) {
            return true;
        }
        return t.get(close + 1).kind() == Kind.EQ
                && t.size() > close + 2
                && t.get(close + 2).kind() == Kind.LPAREN
                && closing(t, close + 2) == t.size() - 1
                && columnsOnly(t.subList(close + 3, t.size() - 1));
    }

    private static boolean columnsOnly(List<Token> t) {
        return t.stream()
                .allMatch(
                        token -> token.kind() == Kind.NAME || token.kind() == Kind.COLON || token.kind() == Kind.COMMA);
    }

    private LinkElement link(String alias, List<Token> t) {
        JoinType type = JoinType.INNER;
        int start = 0;
        if (t.get(0).kind() == Kind.NAME) {
            type = switch (t.get(0).text()) {
                case "left" -> JoinType.LEFT;
                case "right" -> JoinType.RIGHT;
                case "full" -> JoinType.FULL;
                default ->
                    throw error(
                            "'" + t.get(0).text() + "' is not left, right or full",
                            t.get(0).at());
            };
            start = 1;
        }
        int close = closing(t, start);
        List<ColumnRef> left = columnList(t.subList(start + 1, close));
        if (close == t.size() - 1) {
            if (type != JoinType.INNER) {
                throw error(
                        "outer joins need an explicit column mapping (cols)=(cols)",
                        t.get(0).at());
            }
            return new LinkElement(alias, type, left, null);
        }
        List<ColumnRef> right = columnList(t.subList(close + 3, t.size() - 1));
        if (left.size() != right.size()) {
            throw error(
                    "a column mapping pairs as many columns on each side",
                    t.get(close + 1).at());
        }
        return new LinkElement(alias, type, left, right);
    }

    private List<ColumnRef> columnList(List<Token> t) {
        List<ColumnRef> columns = new ArrayList<>();
        for (List<Token> item : split(t, Kind.COMMA)) {
            ColumnRef ref = columnRef(item, false);
            columns.add(ref);
        }
        if (columns.isEmpty()) {
            throw error("empty column list", raw.length());
        }
        return columns;
    }

    // ---- filters

    private Filter filter(List<Token> t) {
        FilterParser p = new FilterParser(t);
        Filter f = p.disjunction();
        if (p.i < t.size()) {
            throw error(
                    "unexpected '" + t.get(p.i).text() + "' in filter",
                    t.get(p.i).at());
        }
        return f;
    }

    private final class FilterParser {
        private final List<Token> t;
        private int i;

        FilterParser(List<Token> t) {
            this.t = t;
        }

        private Kind kind() {
            return i < t.size() ? t.get(i).kind() : Kind.END;
        }

        private int at() {
            return i < t.size() ? t.get(i).at() : raw.length();
        }

        Filter disjunction() {
            List<Filter> terms = new ArrayList<>(List.of(conjunction()));
            while (kind() == Kind.SEMI) {
                i++;
                terms.add(conjunction());
            }
            return terms.size() == 1 ? terms.get(0) : new Or(terms);
        }

        Filter conjunction() {
            List<Filter> terms = new ArrayList<>(List.of(factor()));
            while (kind() == Kind.AMP) {
                i++;
                terms.add(factor());
            }
            return terms.size() == 1 ? terms.get(0) : new And(terms);
        }

        Filter factor() {
            if (kind() == Kind.BANG) {
                i++;
                return new Not(factor());
            }
            if (kind() == Kind.LPAREN) {
                i++;
                Filter inner = disjunction();
                if (kind() != Kind.RPAREN) {
                    throw error("expected ')'", at());
                }
                i++;
                return inner;
            }
            return predicate();
        }

        Filter predicate() {
            int start = i;
            while (kind() == Kind.NAME || kind() == Kind.COLON || kind() == Kind.STAR) {
                i++;
            }
            if (start == i) {
                throw error("expected a column name", at());
            }
            ColumnRef column = columnRef(t.subList(start, i), true);
            Operator op;
            if (kind() == Kind.EQ) {
                op = Operator.EQ;
            } else if (kind() == Kind.OP) {
                op = operator(t.get(i));
            } else {
                throw error("expected '=' or an operator such as ::gt:: after the column", at());
            }
            i++;
            if (op == Operator.NULL) {
                return new Predicate(column, op, null);
            }
            if (column.star() && op != Operator.REGEXP && op != Operator.CIREGEXP) {
                throw error(
                        "'*' can only be searched with ::regexp:: or ::ciregexp::",
                        t.get(start).at());
            }
            if (kind() == Kind.NAME
                    && (t.get(i).text().equals("any") || t.get(i).text().equals("all"))
                    && i + 1 < t.size()
                    && t.get(i + 1).kind() == Kind.LPAREN) {
                boolean all = t.get(i).text().equals("all");
                i += 2;
                List<String> literals = new ArrayList<>();
                while (true) {
                    literals.add(kind() == Kind.NAME ? t.get(i++).text() : "");
                    if (kind() == Kind.COMMA) {
                        i++;
                    } else if (kind() == Kind.RPAREN) {
                        i++;
                        break;
                    } else {
                        throw error("a quantified list is any(v1,v2,...) or all(v1,v2,...)", at());
                    }
                }
                if (literals.size() > MAX_LIST) {
                    throw error(
                            "a quantified list has at most " + MAX_LIST + " values",
                            t.get(start).at());
                }
                return new Quantified(column, op, all, literals);
            }
            String literal = "";
            if (kind() == Kind.NAME) {
                literal = t.get(i++).text();
            }
            return new Predicate(column, op, literal);
        }
    }

    private Operator operator(Token token) {
        for (Operator op : Operator.values()) {
            if (op.syntax().equals("::" + token.text() + "::")) {
                return op;
            }
        }
        throw error("unknown operator ::" + token.text() + "::", token.at());
    }

    // ---- projections and modifiers

    private List<Output> outputs(List<Token> t, boolean aggregates) {
        List<Output> outputs = new ArrayList<>();
        for (List<Token> item : split(t, Kind.COMMA)) {
            outputs.add(output(item, aggregates));
        }
        if (outputs.isEmpty()) {
            throw error("empty projection", raw.length());
        }
        return outputs;
    }

    private Output output(List<Token> t, boolean aggregates) {
        String name = null;
        List<Token> body = t;
        if (t.size() > 2 && t.get(0).kind() == Kind.NAME && t.get(1).kind() == Kind.ASSIGN) {
            name = t.get(0).text();
            body = t.subList(2, t.size());
        }
        if (body.size() > 2
                && body.get(0).kind() == Kind.NAME
                && body.get(0).text().equals("bin")
                && body.get(1).kind() == Kind.LPAREN
                && body.get(body.size() - 1).kind() == Kind.RPAREN) {
            return bin(name, body);
        }
        if (body.size() > 2
                && body.get(0).kind() == Kind.NAME
                && body.get(1).kind() == Kind.LPAREN
                && body.get(body.size() - 1).kind() == Kind.RPAREN
                && (body.get(0).text().equals("trs") || body.get(0).text().equals("tcrs"))) {
            if (name == null) {
                throw error(
                        "a rights summary needs an output name: name:="
                                + body.get(0).text() + "(RID)",
                        body.get(0).at());
            }
            ColumnRef column = columnRef(body.subList(2, body.size() - 1), false);
            if (column.star() || !column.column().equals("RID")) {
                throw error(body.get(0).text() + "() takes RID", body.get(0).at());
            }
            return new Output(name, column, body.get(0).text().equals("trs") ? Aggregate.TRS : Aggregate.TCRS);
        }
        if (body.size() > 2
                && body.get(0).kind() == Kind.NAME
                && body.get(1).kind() == Kind.LPAREN
                && body.get(body.size() - 1).kind() == Kind.RPAREN) {
            if (!aggregates) {
                throw error(
                        "aggregates belong to the aggregate API or after ';' in attributegroup",
                        body.get(0).at());
            }
            Aggregate function = switch (body.get(0).text()) {
                case "cnt" -> Aggregate.CNT;
                case "cnt_d" -> Aggregate.CNT_D;
                case "min" -> Aggregate.MIN;
                case "max" -> Aggregate.MAX;
                case "avg" -> Aggregate.AVG;
                case "sum" -> Aggregate.SUM;
                case "array" -> Aggregate.ARRAY;
                case "array_d" -> Aggregate.ARRAY_D;
                default ->
                    throw error(
                            "unknown aggregate " + body.get(0).text(),
                            body.get(0).at());
            };
            if (name == null) {
                throw error(
                        "an aggregate needs an output name: name:="
                                + body.get(0).text() + "(...)",
                        body.get(0).at());
            }
            ColumnRef column = columnRef(body.subList(2, body.size() - 1), true);
            if (column.star()
                    && function != Aggregate.CNT
                    && function != Aggregate.CNT_D
                    && function != Aggregate.ARRAY
                    && function != Aggregate.ARRAY_D) {
                throw error(
                        "'*' (whole rows) can be counted or collected: cnt, cnt_d, array, array_d",
                        body.get(0).at());
            }
            return new Output(name, column, function);
        }
        ColumnRef column = columnRef(body, true);
        if (column.star() && name != null) {
            throw error("'*' cannot be renamed", body.get(0).at());
        }
        return new Output(name, column, null);
    }

    /** {@code [name:=]bin(col;n;min;max)}; its output is named after the column unless renamed. */
    private Output bin(String name, List<Token> body) {
        List<Token> inside = body.subList(2, body.size() - 1);
        List<List<Token>> parts = split(inside, Kind.SEMI);
        if (parts.size() != 4
                || parts.subList(1, 4).stream()
                        .anyMatch(p -> p.size() != 1 || p.get(0).kind() != Kind.NAME)) {
            throw error("a bin is bin(column;nbins;minval;maxval)", body.get(0).at());
        }
        ColumnRef column = columnRef(parts.get(0), false);
        return new Output(
                name != null ? name : column.column(),
                column,
                null,
                new Bin(
                        parts.get(1).get(0).text(),
                        parts.get(2).get(0).text(),
                        parts.get(3).get(0).text()));
    }

    private List<SortKey> sortKeys() {
        expect(Kind.LPAREN, "'(' after @sort");
        List<SortKey> keys = new ArrayList<>();
        do {
            Token name = expect(Kind.NAME, "a column name in @sort");
            boolean desc = false;
            if (peek().kind() == Kind.OP) {
                Token op = next();
                if (!op.text().equals("desc")) {
                    throw error("only ::desc:: may follow a sort column", op.at());
                }
                desc = true;
            }
            keys.add(new SortKey(name.text(), desc));
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN, "')' to end @sort");
        return keys;
    }

    private List<String> pageKey() {
        expect(Kind.LPAREN, "'(' after @after or @before");
        List<String> values = new ArrayList<>();
        do {
            if (peek().kind() == Kind.NAME) {
                values.add(next().text());
            } else if (peek().kind() == Kind.OP && peek().text().equals("null")) {
                next();
                values.add(null);
            } else {
                values.add("");
            }
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN, "')' to end the page key");
        return values;
    }

    // ---- shared pieces

    /** {@code col}, {@code q:col}, {@code s:t:col}, {@code *} or {@code q:*}. */
    private ColumnRef columnRef(List<Token> t, boolean starAllowed) {
        if (t.isEmpty()) {
            throw error("expected a column", raw.length());
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            Token token = t.get(i);
            boolean last = i == t.size() - 1;
            if (i % 2 == 1) {
                if (token.kind() != Kind.COLON) {
                    throw error("expected ':' in a column reference", token.at());
                }
                continue;
            }
            if (token.kind() == Kind.STAR && last && starAllowed) {
                parts.add(null);
            } else if (token.kind() == Kind.NAME) {
                parts.add(token.text());
            } else {
                throw error("unexpected '" + token.text() + "' in a column reference", token.at());
            }
        }
        if (t.size() % 2 == 0 || parts.size() > 3) {
            throw error(
                    "a column is col, table:col or schema:table:col", t.get(0).at());
        }
        return new ColumnRef(List.copyOf(parts.subList(0, parts.size() - 1)), parts.get(parts.size() - 1));
    }

    private static int topLevel(List<Token> t, Kind kind) {
        int depth = 0;
        for (int i = 0; i < t.size(); i++) {
            Kind k = t.get(i).kind();
            depth += k == Kind.LPAREN ? 1 : k == Kind.RPAREN ? -1 : 0;
            if (depth == 0 && k == kind) {
                return i;
            }
        }
        return -1;
    }

    private static List<List<Token>> split(List<Token> t, Kind separator) {
        List<List<Token>> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < t.size(); i++) {
            Kind k = t.get(i).kind();
            depth += k == Kind.LPAREN ? 1 : k == Kind.RPAREN ? -1 : 0;
            if (depth == 0 && k == separator) {
                parts.add(t.subList(start, i));
                start = i + 1;
            }
        }
        if (start < t.size() || !parts.isEmpty()) {
            parts.add(t.subList(start, t.size()));
        }
        for (List<Token> part : parts) {
            if (part.isEmpty()) {
                throw new CairnException.BadRequest(ErrorCode.INVALID_PATH, "Empty item in a comma-separated list.");
            }
        }
        return parts;
    }

    private static int closing(List<Token> t, int open) {
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            depth += t.get(i).kind() == Kind.LPAREN ? 1 : t.get(i).kind() == Kind.RPAREN ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        return t.size();
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private boolean accept(Kind kind) {
        if (peek().kind() == kind) {
            pos++;
            return true;
        }
        return false;
    }

    private Token expect(Kind kind, String what) {
        if (peek().kind() != kind) {
            throw error("expected " + what, peek().at());
        }
        return next();
    }

    private CairnException error(String message, int at) {
        String shown = raw.length() > 200 ? raw.substring(0, 200) + "..." : raw;
        return new CairnException.BadRequest(
                ErrorCode.INVALID_PATH,
                "Bad data path at character " + (at + 1) + " of '" + shown + "': " + message + ".");
    }

    // ---- tokens

    private List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            Kind single = switch (c) {
                case '/' -> Kind.SLASH;
                case '(' -> Kind.LPAREN;
                case ')' -> Kind.RPAREN;
                case ',' -> Kind.COMMA;
                case ';' -> Kind.SEMI;
                case '&' -> Kind.AMP;
                case '!' -> Kind.BANG;
                case '=' -> Kind.EQ;
                case '@' -> Kind.AT;
                case '$' -> Kind.DOLLAR;
                case '*' -> Kind.STAR;
                default -> null;
            };
            if (single != null) {
                out.add(new Token(single, String.valueOf(c), i));
                i++;
            } else if (c == ':') {
                if (s.startsWith(":=", i)) {
                    out.add(new Token(Kind.ASSIGN, ":=", i));
                    i += 2;
                } else if (s.startsWith("::", i)) {
                    int end = s.indexOf("::", i + 2);
                    if (end < 0 || !s.substring(i + 2, end).matches("[a-z_]+")) {
                        throw error("an operator is written ::name::", i);
                    }
                    out.add(new Token(Kind.OP, s.substring(i + 2, end), i));
                    i = end + 2;
                } else {
                    out.add(new Token(Kind.COLON, ":", i));
                    i++;
                }
            } else {
                int start = i;
                while (i < s.length() && "/(),;&!=@$*:".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(Kind.NAME, decode(s.substring(start, i), start), start));
            }
        }
        out.add(new Token(Kind.END, "", s.length()));
        return out;
    }

    private String decode(String text, int at) {
        try {
            return QueryParameters.decode(text);
        } catch (CairnException e) {
            throw error(e.getMessage().replaceFirst("\\.$", ""), at);
        }
    }
}
