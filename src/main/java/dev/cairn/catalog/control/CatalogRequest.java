package dev.cairn.catalog.control;

import dev.cairn.catalog.entity.Catalog;
import dev.cairn.platform.Caller;
import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The catalog a request addresses, filled once from its route's {@code {cid}} (an id, a name, or
 * for reads {@code id@snaptime}) by {@code CatalogRequestFilter}, and the rights the client holds
 * in it. Boundaries ask it for the catalog and check rights through it; they never look catalogs
 * up or pass catalog ids to {@link Access} themselves. The catalog is resolved on first use, so a
 * route that refuses its input first never reaches the database.
 */
@RequestScoped
public class CatalogRequest {

    @Inject
    Catalogs catalogs;

    @Inject
    Access access;

    @Inject
    Caller caller;

    private String segment;
    private Catalog catalog;
    private Catalogs.At at;

    /** Called by the filter with the route's {@code {cid}} as sent (decoded). */
    public void bind(String cid) {
        this.segment = cid;
        this.catalog = null;
        this.at = null;
    }

    private String segment() {
        if (segment == null) {
            throw new IllegalStateException("This route names no catalog ({cid})");
        }
        return segment;
    }

    /** The catalog, for changes and for reads of its current state: 404 when none has this id or name. */
    public Catalog catalog() {
        if (catalog == null) {
            catalog = catalogs.get(segment());
        }
        return catalog;
    }

    /** The catalog, which must have DerivaML's schema (409 {@code not-installed} otherwise): the ML API's routes. */
    public Catalog ml() {
        Catalog found = catalogs.ml(segment());
        catalog = found;
        return found;
    }

    /**
     * The ML API's rule for DerivaML's own tables: the catalog must have DerivaML's schema, and the
     * client {@code right} on its table {@code table}. Answers the catalog's id.
     */
    public long requireMl(String right, String table) {
        long id = ml().id();
        require(right, Catalogs.ML_SCHEMA, table);
        return id;
    }

    /** The catalog's id (the catalog must exist; {@code {cid}} may name a snapshot, for reads). */
    public long id() {
        return catalog != null ? catalog.id() : at().catalog().id();
    }

    /** The catalog as of the route's snaptime ({@code cid@snaptime}), or now: ERMrest's and the web catalog's reads. */
    public Catalogs.At at() {
        if (at == null) {
            at = catalogs.at(segment());
        }
        return at;
    }

    /**
     * The catalog as of a snaptime given apart from {@code {cid}} (a query parameter, a RID's {@code
     * @snaptime}), or as {@link #at()} without one.
     */
    public Catalogs.At at(String snaptime) {
        return snaptime == null ? at() : catalogs.at(segment() + "@" + snaptime);
    }

    /** Who asks, for the rows and the audit this request writes. */
    public RequestClient client() {
        return caller.client();
    }

    /** Refuses (401 anonymous, 403 otherwise) unless the client holds {@code right} on the catalog. */
    public void require(String right) {
        access.requireCatalog(id(), right);
    }

    /**
     * Refuses unless the client holds {@code right} on an element of the catalog's model; {@code what}
     * names it in the refusal.
     */
    public void require(Acls.Chain element, String right, String what) {
        access.require(id(), element, right, what);
    }

    /** Refuses unless the client holds {@code right} on a table of the catalog (404 when there is no such table). */
    public void require(String right, String schema, String table) {
        access.requireTable(id(), schema, table, right);
    }

    /** Refuses unless the client may create a table in the schema (or, none named or new, in the catalog). */
    public void requireCreate(String schema) {
        access.requireCreate(id(), schema);
    }

    /** Refuses unless the client holds {@code right} on the table of the row with this RID. */
    public void requireRow(String rid, String right) {
        access.requireRow(id(), rid, right);
    }

    /**
     * Refuses unless the client holds {@code right} on the row with this RID of a table, by its ACLs
     * or an ACL binding over the row.
     */
    public void requireRow(String right, String schema, String table, String rid, String what) {
        access.requireRow(id(), schema, table, rid, right, what);
    }

    /** Refuses unless the client may insert a row with these values (a JSON object) into a table. */
    public void requireNewRow(String schema, String table, String values, String what) {
        access.requireNewRow(id(), schema, table, values, what);
    }

    /**
     * The rows of a table the client may use for {@code right}: all (null), or those an ACL binding
     * grants (a predicate over {@code AclBindings.ROW}); refused when neither.
     */
    public String rows(String right, String schema, String table) {
        return access.rowFilter(id(), schema, table, right);
    }

    /** Whether the client holds {@code right} on a table of the catalog. */
    public boolean allowed(String right, String schema, String table) {
        return access.tableAllowed(id(), schema, table, right);
    }

    /**
     * The tables of a listing that the client may enumerate, once it may enumerate the catalog: the
     * rule of every list of tables (vocabularies, asset tables...).
     */
    public <T> List<T> enumerable(Collection<T> tables, Function<T, String> schema, Function<T, String> table) {
        require("enumerate");
        return tables.stream()
                .filter(t -> allowed("enumerate", schema.apply(t), table.apply(t)))
                .toList();
    }

    /** Whether the client holds {@code right} on the catalog. */
    public boolean allowed(String right) {
        return access.catalogAllowed(id(), right);
    }

    /** The guard of data queries for this client (who must be able to enumerate the catalog). */
    public DataQuery.Guard guard() {
        return access.guard(id());
    }
}
