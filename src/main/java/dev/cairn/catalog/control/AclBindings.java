package dev.cairn.catalog.control;

import static dev.cairn.platform.SqlIdentifiers.quote;

import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.SqlIdentifiers;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * ERMrest's dynamic ACL bindings of a table, turned into SQL: a binding grants its {@code types}
 * of access on each row whose projection names the client ({@code projection_type} {@code acl}:
 * the projected values are roles) or is not null ({@code nonnull}), to the clients in its
 * {@code scope_acl} (default everyone). A projection is a column of the row, or a path of
 * {@code {"outbound": [schema, constraint]}} / {@code {"inbound": [schema, constraint]}} steps and
 * {@code {"filter": column, "operand": value, "operator": ...}} conditions ending in a column.
 *
 * <p>Bindings only add rights to the static ACLs; the predicate is over the table aliased
 * {@code b}. Every name reaches SQL quoted and every value as a quoted literal, so predicates can
 * be embedded anywhere in a statement.
 */
public final class AclBindings {

    /** The row alias predicates refer to. */
    public static final String ROW = "b";

    private AclBindings() {}

    /**
     * The predicate under which a client with these {@code roles} (client id, group ids and
     * {@code *}) holds {@code access} on rows of the table, or null when no binding grants it.
     */
    public static String predicate(
            Model model, Model.Table table, String access, List<String> roles, Predicate<List<String>> inScope) {
        return predicate(model, table, access, roles, inScope, ROW);
    }

    /** As {@link #predicate(Model, Model.Table, String, List, Predicate)}, over the row aliased {@code row}. */
    public static String predicate(
            Model model,
            Model.Table table,
            String access,
            List<String> roles,
            Predicate<List<String>> inScope,
            String row) {
        List<String> terms = new ArrayList<>();
        for (Map.Entry<String, Object> entry : table.aclBindings().entrySet()) {
            if (!(entry.getValue() instanceof JsonObject binding)) {
                continue; // false: suppressed
            }
            List<String> types = strings(binding.get("types"));
            if (Acls.implying(access).stream().noneMatch(types::contains) && !types.contains("owner")) {
                continue;
            }
            List<String> scope = binding.containsKey("scope_acl") ? strings(binding.get("scope_acl")) : List.of("*");
            if (!inScope.test(scope)) {
                continue;
            }
            boolean nonnull = binding.get("projection_type") instanceof JsonString t
                    && t.getString().equals("nonnull");
            terms.add(projection(model, table, binding.get("projection"), nonnull, roles, entry.getKey(), row));
        }
        return terms.isEmpty() ? null : "(" + String.join(" OR ", terms) + ")";
    }

    private static String projection(
            Model model,
            Model.Table table,
            JsonValue projection,
            boolean nonnull,
            List<String> roles,
            String name,
            String row) {
        if (projection instanceof JsonString column) {
            return test(row, column(table, column.getString(), name), nonnull, roles);
        }
        JsonArray steps = (JsonArray) projection;
        if (steps.isEmpty() || !(steps.get(steps.size() - 1) instanceof JsonString last)) {
            throw invalid(name, "a projection path ends in a column name");
        }
        StringBuilder from = new StringBuilder();
        List<String> where = new ArrayList<>();
        String alias = row;
        Model.Table current = table;
        int n = 0;
        for (JsonValue step : steps.subList(0, steps.size() - 1)) {
            if (!(step instanceof JsonObject s)) {
                throw invalid(name, "path steps are objects");
            }
            if (s.containsKey("outbound") || s.containsKey("inbound")) {
                boolean outbound = s.containsKey("outbound");
                List<String> fkName = strings(s.get(outbound ? "outbound" : "inbound"));
                if (fkName.size() != 2) {
                    throw invalid(name, "a step names a foreign key as [schema, constraint]");
                }
                String next = "p" + ++n;
                Join join = join(model, current, fkName, outbound, name);
                from.append(from.length() == 0 ? "" : ", ")
                        .append(quote(join.table().schemaName()))
                        .append('.')
                        .append(quote(join.table().name()))
                        .append(" AS ")
                        .append(next);
                for (int i = 0; i < join.here().size(); i++) {
                    where.add(alias + "." + quote(join.here().get(i)) + " = " + next + "."
                            + quote(join.there().get(i)));
                }
                alias = next;
                current = join.table();
            } else {
                where.add(filter(alias, current, s, name));
            }
        }
        if (from.length() == 0) {
            where.add(test(alias, column(current, last.getString(), name), nonnull, roles));
            return "(" + String.join(" AND ", where) + ")";
        }
        where.add(test(alias, column(current, last.getString(), name), nonnull, roles));
        return "EXISTS (SELECT 1 FROM " + from + " WHERE " + String.join(" AND ", where) + ")";
    }

    private record Join(Model.Table table, List<String> here, List<String> there) {}

    /** The table a step reaches and the column pairs that join it. */
    private static Join join(Model model, Model.Table current, List<String> fkName, boolean outbound, String name) {
        if (outbound) {
            for (Model.ForeignKey fk : current.foreignKeys()) {
                if (fk.names().get(0).equals(fkName)) {
                    Model.ColumnRef target = fk.referencedColumns().get(0);
                    return new Join(
                            model.schemas().get(target.schemaName()).tables().get(target.tableName()),
                            fk.columns().stream()
                                    .map(Model.ColumnRef::columnName)
                                    .toList(),
                            fk.referencedColumns().stream()
                                    .map(Model.ColumnRef::columnName)
                                    .toList());
                }
            }
        } else {
            for (Model.Schema schema : model.schemas().values()) {
                for (Model.Table other : schema.tables().values()) {
                    for (Model.ForeignKey fk : other.foreignKeys()) {
                        Model.ColumnRef target = fk.referencedColumns().get(0);
                        if (fk.names().get(0).equals(fkName)
                                && target.schemaName().equals(current.schemaName())
                                && target.tableName().equals(current.name())) {
                            return new Join(
                                    other,
                                    fk.referencedColumns().stream()
                                            .map(Model.ColumnRef::columnName)
                                            .toList(),
                                    fk.columns().stream()
                                            .map(Model.ColumnRef::columnName)
                                            .toList());
                        }
                    }
                }
            }
        }
        throw invalid(
                name,
                "no " + (outbound ? "outbound" : "inbound") + " foreign key " + fkName + " at " + current.schemaName()
                        + ":" + current.name());
    }

    private static String filter(String alias, Model.Table table, JsonObject step, String name) {
        if (step.containsKey("and") || step.containsKey("or")) {
            boolean and = step.containsKey("and");
            List<String> terms = new ArrayList<>();
            for (JsonValue term : step.getJsonArray(and ? "and" : "or")) {
                terms.add(filter(alias, table, term.asJsonObject(), name));
            }
            String joined = "(" + String.join(and ? " AND " : " OR ", terms) + ")";
            return step.getBoolean("negate", false) ? "(NOT " + joined + ")" : joined;
        }
        if (!(step.get("filter") instanceof JsonString column)) {
            throw invalid(name, "a path step is outbound, inbound, filter, and or or");
        }
        Model.Column c = column(table, column.getString(), name);
        String ref = alias + "." + quote(c.name());
        String operator = step.containsKey("operator") ? step.getString("operator") : "=";
        String operand = step.get("operand") instanceof JsonString o
                ? o.getString()
                : step.get("operand") == null ? null : step.get("operand").toString();
        String test = switch (operator) {
            case "::null::" -> ref + " IS NULL";
            case "=" -> ref + "::text = " + SqlIdentifiers.literal(operand(operand, name));
            case "::lt::" -> ref + "::text < " + SqlIdentifiers.literal(operand(operand, name));
            case "::leq::" -> ref + "::text <= " + SqlIdentifiers.literal(operand(operand, name));
            case "::gt::" -> ref + "::text > " + SqlIdentifiers.literal(operand(operand, name));
            case "::geq::" -> ref + "::text >= " + SqlIdentifiers.literal(operand(operand, name));
            case "::regexp::" -> ref + "::text ~ " + SqlIdentifiers.literal(operand(operand, name));
            case "::ciregexp::" -> ref + "::text ~* " + SqlIdentifiers.literal(operand(operand, name));
            default -> throw invalid(name, "unknown operator " + operator);
        };
        return step.getBoolean("negate", false) ? "(NOT (" + test + "))" : "(" + test + ")";
    }

    private static String operand(String operand, String name) {
        if (operand == null) {
            throw invalid(name, "a filter needs an operand");
        }
        return operand;
    }

    /** The projected column names one of the roles ({@code acl}), or is not null ({@code nonnull}). */
    private static String test(String alias, Model.Column column, boolean nonnull, List<String> roles) {
        String ref = alias + "." + quote(column.name());
        if (nonnull) {
            return "(" + ref + " IS NOT NULL)";
        }
        String array =
                "ARRAY[" + roles.stream().map(SqlIdentifiers::literal).collect(Collectors.joining(", ")) + "]::text[]";
        return isArray(column.type())
                ? "(" + ref + "::text[] && " + array + ")"
                : "(" + ref + "::text = ANY (" + array + "))";
    }

    private static boolean isArray(Model.Type type) {
        return Boolean.TRUE.equals(type.array())
                || type.typename().endsWith("[]")
                || (type.baseType() != null && isArray(type.baseType()));
    }

    private static Model.Column column(Model.Table table, String column, String name) {
        return table.columns().stream()
                .filter(c -> c.name().equals(column))
                .findFirst()
                .orElseThrow(
                        () -> invalid(name, "no column " + column + " in " + table.schemaName() + ":" + table.name()));
    }

    private static List<String> strings(JsonValue value) {
        if (!(value instanceof JsonArray array)) {
            return List.of();
        }
        return array.stream()
                .filter(v -> v instanceof JsonString)
                .map(v -> ((JsonString) v).getString())
                .toList();
    }

    /** A binding that no longer fits the model (a column or key dropped since): it grants nothing, loudly. */
    private static CairnException invalid(String binding, String why) {
        return new CairnException.Conflict("ACL binding " + binding + " cannot be applied: " + why + ".");
    }
}
