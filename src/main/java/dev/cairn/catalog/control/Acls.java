package dev.cairn.catalog.control;

import dev.cairn.catalog.entity.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * ERMrest's static ACL rules, as pure functions of a model: which access modes each kind of element
 * has, how an element inherits (an ACL not set on an element is its parent's; {@code []} denies;
 * owners accumulate from the catalog down), and which modes imply which ({@code owner} implies all,
 * {@code write} implies {@code insert}, {@code update} and {@code delete}, and any right implies
 * {@code enumerate}).
 */
public final class Acls {

    private Acls() {}

    /** The kinds of model elements and the ACLs each has. */
    public enum Kind {
        CATALOG(List.of("owner", "create", "select", "insert", "update", "write", "delete", "enumerate"), false),
        SCHEMA(List.of("owner", "create", "select", "insert", "update", "write", "delete", "enumerate"), false),
        TABLE(List.of("owner", "select", "insert", "update", "write", "delete", "enumerate"), true),
        COLUMN(List.of("select", "insert", "update", "write", "enumerate"), true),
        FOREIGN_KEY(List.of("insert", "update", "write"), true);

        private final List<String> accesses;
        private final boolean bindable;

        Kind(List<String> accesses, boolean bindable) {
            this.accesses = accesses;
            this.bindable = bindable;
        }

        public List<String> accesses() {
            return accesses;
        }

        public boolean bindable() {
            return bindable;
        }
    }

    /** An element's ACLs and those of its ancestors, outermost (the catalog) first. */
    public record Chain(Kind kind, List<Map<String, List<String>>> levels) {

        /** The ACL that governs {@code access} here: the innermost one set, or none (empty). */
        public List<String> effective(String access) {
            for (int i = levels.size() - 1; i >= 0; i--) {
                List<String> acl = levels.get(i).get(access);
                if (acl != null) {
                    return acl;
                }
            }
            return List.of();
        }

        boolean owned(Predicate<List<String>> matches) {
            return levels.stream().anyMatch(level -> matches.test(level.get("owner")));
        }
    }

    public static Chain catalog(Model model) {
        return new Chain(Kind.CATALOG, List.of(model.acls()));
    }

    public static Chain schema(Model model, Model.Schema schema) {
        return new Chain(Kind.SCHEMA, List.of(model.acls(), schema.acls()));
    }

    public static Chain table(Model model, Model.Table table) {
        Model.Schema schema = model.schemas().get(table.schemaName());
        return new Chain(Kind.TABLE, List.of(model.acls(), schema.acls(), table.acls()));
    }

    public static Chain column(Model model, Model.Table table, Model.Column column) {
        Model.Schema schema = model.schemas().get(table.schemaName());
        return new Chain(Kind.COLUMN, List.of(model.acls(), schema.acls(), table.acls(), column.acls()));
    }

    public static Chain foreignKey(Model model, Model.Table table, Model.ForeignKey fk) {
        Model.Schema schema = model.schemas().get(table.schemaName());
        return new Chain(Kind.FOREIGN_KEY, List.of(model.acls(), schema.acls(), table.acls(), fk.acls()));
    }

    /**
     * True when a client whose roles {@code matches} holds {@code access} on the element. Owners
     * hold every right; a mode is also held through the modes that imply it.
     */
    public static boolean allows(Chain chain, String access, Predicate<List<String>> matches) {
        if (chain.owned(matches)) {
            return true;
        }
        for (String mode : implying(access)) {
            if (matches.test(chain.effective(mode))) {
                return true;
            }
        }
        return false;
    }

    /** The modes that grant {@code access}: itself and those that imply it. */
    static List<String> implying(String access) {
        return switch (access) {
            case "insert", "update", "delete" -> List.of(access, "write");
            case "enumerate" -> List.of("enumerate", "select", "insert", "update", "delete", "write", "create");
            default -> List.of(access);
        };
    }

    /** ERMrest's {@code rights} summary of an element: each of its access modes and whether the client holds it. */
    public static Map<String, Boolean> rights(Chain chain, Predicate<List<String>> matches) {
        Map<String, Boolean> rights = new LinkedHashMap<>();
        for (String access : chain.kind().accesses()) {
            rights.put(access, allows(chain, access, matches));
        }
        return rights;
    }
}
