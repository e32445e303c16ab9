package dev.cairn.catalog.control;

import static dev.cairn.platform.SqlIdentifiers.quote;

import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalog's authorization: ERMrest's static ACLs ({@link Acls}) applied to the request's
 * {@link Caller}. Administrators hold every right; a token scoped to other catalogs holds none in
 * this one, and a read-only token only {@code select} and {@code enumerate}. Decisions use the
 * current model's ACLs, also for reads at a snapshot (a revoked right does not live on in history).
 */
@ApplicationScoped
public class Access {

    private static final Set<String> READS = Set.of("select", "enumerate");

    @Inject
    Caller caller;

    @Inject
    Models models;

    @Inject
    DataAccess data;

    @Inject
    CatalogDatabases databases;

    public boolean allowed(long catalogId, Acls.Chain chain, String access) {
        if (!caller.mayReach(catalogId)) {
            return false;
        }
        if (caller.identity() != null && caller.identity().readOnly() && !READS.contains(access)) {
            return false;
        }
        return caller.administrator() || Acls.allows(chain, access, caller::matches);
    }

    /** Refuses (401 anonymous, 403 otherwise) unless the caller holds {@code access} on the element. */
    public void require(long catalogId, Acls.Chain chain, String access, String what) {
        if (!allowed(catalogId, chain, access)) {
            throw caller.refused(what + " needs the " + access + " right.");
        }
    }

    public Map<String, Boolean> rights(long catalogId, Acls.Chain chain) {
        Map<String, Boolean> rights = new LinkedHashMap<>();
        for (String access : chain.kind().accesses()) {
            rights.put(access, allowed(catalogId, chain, access));
        }
        return rights;
    }

    /** The caller may see that the catalog exists and read its model document. */
    public void requireCatalog(long catalogId, String access) {
        require(catalogId, Acls.catalog(models.model(catalogId)), access, "Catalog " + catalogId);
    }

    public boolean catalogAllowed(long catalogId, String access) {
        return allowed(catalogId, Acls.catalog(models.model(catalogId)), access);
    }

    public boolean tableAllowed(long catalogId, String schema, String table, String access) {
        Model model = models.model(catalogId);
        return allowed(catalogId, chain(model, schema, table), access);
    }

    /**
     * Requires {@code create} where a table is to be made: on the named schema when it exists,
     * otherwise (no schema named: the catalog's domain schema, or a new one) on the catalog.
     */
    public void requireCreate(long catalogId, String schema) {
        Model model = models.model(catalogId);
        Model.Schema s = schema == null ? null : model.schemas().get(schema);
        if (s != null) {
            require(catalogId, Acls.schema(model, s), "create", "Creating a table in schema " + schema);
        } else {
            require(catalogId, Acls.catalog(model), "create", "Creating a table in catalog " + catalogId);
        }
    }

    /**
     * Requires {@code select} on the table that holds a row (404 when no row has the RID), for
     * resources that name rows by RID alone.
     */
    public void requireRow(long catalogId, String rid, String access) {
        requireCatalog(catalogId, "enumerate");
        data.resolve(catalogId, rid)
                .ifPresent(where -> requireTable(catalogId, where.get("schema_name"), where.get("table_name"), access));
    }

    /** Requires {@code access} on a table of the current model (which must exist: 404 otherwise). */
    public void requireTable(long catalogId, String schema, String table, String access) {
        Model model = models.model(catalogId);
        Model.Schema s = model.schemas().get(schema);
        Model.Table t = s == null ? null : s.tables().get(table);
        if (t == null) {
            throw new CairnException.NotFound("No table " + schema + ":" + table + ".");
        }
        require(catalogId, Acls.table(model, t), access, "Table " + schema + ":" + table);
    }

    /**
     * A guard for data queries, for a caller that may enumerate the catalog (checked first, so that
     * others learn nothing of its tables): each table a path binds needs {@code select}; writes
     * check their table's {@code insert}, {@code update} or {@code delete} through it too.
     */
    public DataQuery.Guard guard(long catalogId) {
        requireCatalog(catalogId, "enumerate");
        Model model = models.model(catalogId);
        return new DataQuery.Guard() {
            @Override
            public String rows(ModelIndex.Table table, String access) {
                return Access.this.rows(catalogId, model, table.schema(), table.name(), access);
            }

            @Override
            public boolean owner() {
                return allowed(catalogId, Acls.catalog(model), "owner");
            }

            @Override
            public String rowRight(ModelIndex.Table table, String access, String alias) {
                if (allowed(catalogId, chain(model, table.schema(), table.name()), access)) {
                    return "true";
                }
                Model.Table t = table(model, table.schema(), table.name());
                boolean readOnlyDenied =
                        caller.identity() != null && caller.identity().readOnly();
                if (t == null || !caller.mayReach(catalogId) || readOnlyDenied) {
                    return "false";
                }
                String predicate = AclBindings.predicate(model, t, access, roles(), caller::matches, alias);
                return predicate == null ? "false" : "coalesce(" + predicate + ", false)";
            }

            @Override
            public boolean columnRight(ModelIndex.Table table, String column, String access) {
                Model.Table t = table(model, table.schema(), table.name());
                Model.Column c = column(t, column);
                return c == null
                        || !c.acls().containsKey(access)
                        || allowed(catalogId, Acls.column(model, t, c), access);
            }

            @Override
            public void checkColumnWrite(ModelIndex.Table table, String column, String access) {
                // the table's right was checked already; a column with an ACL of its own for this write decides too
                Model.Table t = table(model, table.schema(), table.name());
                Model.Column c = column(t, column);
                if (c != null
                        && (c.acls().containsKey(access) || c.acls().containsKey("write"))
                        && !allowed(catalogId, Acls.column(model, t, c), access)) {
                    throw caller.refused("Column " + column + " of " + table + " needs the " + access + " right.");
                }
                // a foreign key with an ACL of its own decides who may set the columns that refer
                for (Model.ForeignKey fk : t == null ? List.<Model.ForeignKey>of() : t.foreignKeys()) {
                    if ((fk.acls().containsKey(access) || fk.acls().containsKey("write"))
                            && fk.columns().stream()
                                    .anyMatch(ref -> ref.columnName().equals(column))
                            && !allowed(catalogId, Acls.foreignKey(model, t, fk), access)) {
                        throw caller.refused("Foreign key " + fk.names().get(0).get(1) + " of " + table + " needs the "
                                + access + " right to set " + column + ".");
                    }
                }
            }

            @Override
            public void refuse(ModelIndex.Table table, String access, long count) {
                throw caller.refused(count + (count == 1 ? " row" : " rows") + " of " + table + " may not be "
                        + (access.equals("delete") ? "deleted" : "written so") + " by you (ACL bindings).");
            }

            @Override
            public Set<String> hidden(ModelIndex.Table table) {
                Model.Table t = table(model, table.schema(), table.name());
                if (t == null || caller.administrator()) {
                    return Set.of();
                }
                Set<String> hidden = new HashSet<>();
                // the table is readable here (statically or through a binding): a column is hidden
                // only by a select ACL of its own that leaves the caller out
                for (Model.Column c : t.columns()) {
                    if (c.acls().containsKey("select") && !allowed(catalogId, Acls.column(model, t, c), "select")) {
                        hidden.add(c.name());
                    }
                }
                return hidden;
            }

            @Override
            public void checkColumn(ModelIndex.Table table, String column) {
                Model.Table t = table(model, table.schema(), table.name());
                Model.Column c = column(t, column);
                if (c != null) {
                    require(catalogId, Acls.column(model, t, c), "select", "Column " + column + " of " + table);
                }
            }
        };
    }

    private static Model.Column column(Model.Table table, String column) {
        return table == null
                ? null
                : table.columns().stream()
                        .filter(x -> x.name().equals(column))
                        .findFirst()
                        .orElse(null);
    }

    private static Model.Table table(Model model, String schema, String table) {
        Model.Schema s = model.schemas().get(schema);
        return s == null ? null : s.tables().get(table);
    }

    /**
     * Refuses unless the caller holds {@code access} on one row (by RID) of a table: by the table's
     * ACLs, or by an ACL binding that covers the row's values. {@code what} names the row in the refusal.
     */
    public void requireRow(long catalogId, String schema, String table, String rid, String access, String what) {
        String rows = rowFilter(catalogId, schema, table, access);
        if (rows != null
                && !exists(
                        catalogId,
                        "SELECT EXISTS (SELECT 1 FROM " + quote(schema) + "." + quote(table) + " " + AclBindings.ROW
                                + " WHERE " + AclBindings.ROW + ".\"RID\" = ? AND (" + rows + "))",
                        rid)) {
            throw caller.refused(what + " needs the " + access + " right.");
        }
    }

    /**
     * Refuses unless the caller may insert a row with these values (a JSON object of column values)
     * into a table: by the table's ACLs, or by an ACL binding that would cover the new row.
     */
    public void requireNewRow(long catalogId, String schema, String table, String values, String what) {
        String rows = rowFilter(catalogId, schema, table, "insert");
        if (rows != null
                && !exists(
                        catalogId,
                        "SELECT EXISTS (SELECT 1 FROM jsonb_populate_record(NULL::" + quote(schema) + "." + quote(table)
                                + ", ?::jsonb) " + AclBindings.ROW + " WHERE " + rows + ")",
                        values)) {
            throw caller.refused(what + " needs the insert right there.");
        }
    }

    private boolean exists(long catalogId, String sql, String parameter) {
        return databases.transaction(
                catalogId,
                caller.client(),
                c -> Jdbc.text(c, sql, parameter).orElseThrow().equals("t"));
    }

    /** {@link #rows} on the current model, for other components' queries over a table's rows. */
    public String rowFilter(long catalogId, String schema, String table, String access) {
        return rows(catalogId, models.model(catalogId), schema, table, access);
    }

    /**
     * The rows of a table the caller may use for {@code access}: all (null) when the static ACLs
     * allow it, otherwise those an ACL binding grants it on (a predicate over
     * {@link AclBindings#ROW}); refused when neither.
     */
    String rows(long catalogId, Model model, String schema, String table, String access) {
        Acls.Chain chain = chain(model, schema, table);
        if (allowed(catalogId, chain, access)) {
            return null;
        }
        Model.Table t = table(model, schema, table);
        boolean readOnlyDenied = caller.identity() != null && caller.identity().readOnly() && !READS.contains(access);
        if (t != null && caller.mayReach(catalogId) && !readOnlyDenied) {
            String predicate = AclBindings.predicate(model, t, access, roles(), caller::matches);
            if (predicate != null) {
                return predicate;
            }
        }
        throw caller.refused("Table " + schema + ":" + table + " needs the " + access + " right.");
    }

    /**
     * ERMrest's rights summary of a table: each access mode true or false, or null where it
     * depends on the row (an ACL binding may grant it); a table some binding opens is enumerable.
     */
    public Map<String, Boolean> tableRights(long catalogId, Model model, Model.Table table) {
        Map<String, Boolean> rights = rights(catalogId, Acls.table(model, table));
        boolean anyBinding = false;
        for (String access : List.copyOf(rights.keySet())) {
            if (Boolean.FALSE.equals(rights.get(access))
                    && !access.equals("owner")
                    && caller.mayReach(catalogId)
                    && AclBindings.predicate(model, table, access, roles(), caller::matches) != null) {
                rights.put(access, null);
                anyBinding = true;
            }
        }
        if (anyBinding) {
            rights.put("enumerate", true);
        }
        return rights;
    }

    /** The roles an ACL binding's projected values are compared with: the client, its groups and {@code *}. */
    private List<String> roles() {
        List<String> roles = new ArrayList<>();
        roles.add("*");
        if (caller.identity() != null) {
            roles.add(caller.identity().id());
            roles.addAll(caller.identity().groups());
        }
        return roles;
    }

    /**
     * A table's ACL chain in the current model. A table read at a snapshot may be gone or renamed
     * since: it then answers to what remains of its ancestors (the catalog's owners at least).
     */
    private static Acls.Chain chain(Model model, String schema, String table) {
        Model.Schema s = model.schemas().get(schema);
        Model.Table t = s == null ? null : s.tables().get(table);
        if (t != null) {
            return Acls.table(model, t);
        }
        List<Map<String, List<String>>> levels = s == null ? List.of(model.acls()) : List.of(model.acls(), s.acls());
        return new Acls.Chain(
                Acls.Kind.TABLE,
                levels.stream()
                        .map(level -> level.get("owner") == null
                                ? Map.<String, List<String>>of()
                                : Map.of("owner", level.get("owner")))
                        .toList());
    }
}
