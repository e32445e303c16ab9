package dev.cairn.asset.control;

import dev.cairn.catalog.control.Access;
import dev.cairn.catalog.control.AclBindings;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.Catalogs;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.RequestClient;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.spi.ObjectReferences;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The asset rows that point at the store's objects. An ML catalog's files live under
 * {@code /hatrac/{cid}/...} and its asset tables' {@code URL} column names their versions: one
 * rule for bytes and rows, so whoever may select an asset row may read its file, and the file
 * cannot be deleted while the row refers to it.
 */
@ApplicationScoped
public class AssetObjects implements ObjectReferences {

    @Inject
    Catalogs catalogs;

    @Inject
    CatalogDatabases databases;

    @Inject
    AssetTables tables;

    @Inject
    Access access;

    @Override
    public boolean readableThroughRow(String name, String version) {
        Long catalogId = catalogOf(name);
        if (catalogId == null) {
            return false;
        }
        for (AssetTables.AssetTable table : tables.list(catalogId)) {
            String filter;
            try {
                filter = access.rowFilter(catalogId, table.schema(), table.name(), "select");
            } catch (CairnException refused) {
                continue;
            }
            if (exists(catalogId, table, name, version, false, filter)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<String> referrer(String name, String version, boolean below) {
        Long catalogId = catalogOf(name);
        if (catalogId == null) {
            return Optional.empty(); // outside every ML catalog's namespace (the root itself is never deleted)
        }
        for (AssetTables.AssetTable table : tables.list(catalogId)) {
            String rid = databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
                try (PreparedStatement s =
                        c.prepareStatement("SELECT " + AclBindings.ROW + ".\"RID\" FROM " + table.sql() + " AS "
                                + AclBindings.ROW + " WHERE " + condition(below, version) + " LIMIT 1")) {
                    bind(s, name, version, below);
                    try (ResultSet r = s.executeQuery()) {
                        return r.next() ? r.getString(1) : null;
                    }
                }
            });
            if (rid != null) {
                return Optional.of("asset " + rid + " of " + table + " in catalog " + catalogId);
            }
        }
        return Optional.empty();
    }

    private boolean exists(
            long catalogId, AssetTables.AssetTable table, String name, String version, boolean below, String filter) {
        return databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + table.sql() + " AS " + AclBindings.ROW
                            + " WHERE " + condition(below, version) + (filter == null ? "" : " AND " + filter) + ")")) {
                bind(s, name, version, below);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getBoolean(1);
                }
            }
        });
    }

    /** The URL column names the version, any version of the object, or anything below a namespace. */
    private static String condition(boolean below, String version) {
        String url = AclBindings.ROW + ".\"URL\"";
        return below
                ? "starts_with(" + url + ", ?)"
                : version != null ? url + " = ?" : "(" + url + " = ? OR starts_with(" + url + ", ?))";
    }

    private static void bind(PreparedStatement s, String name, String version, boolean below) throws SQLException {
        String url = HatracPath.url(name, null);
        if (below) {
            s.setString(1, url + "/");
        } else if (version != null) {
            s.setString(1, HatracPath.url(name, version));
        } else {
            s.setString(1, url);
            s.setString(2, url + ":");
        }
    }

    /** The ML catalog whose namespace holds the name ({@code /{cid}/...}), or null. */
    private Long catalogOf(String name) {
        String[] segments = name.split("/");
        if (segments.length < 2 || !segments[1].matches("[1-9][0-9]{0,17}")) {
            return null;
        }
        long id = Long.parseLong(segments[1]);
        return catalogs.find(id).isPresent() && databases.hasMl(id) ? id : null;
    }
}
