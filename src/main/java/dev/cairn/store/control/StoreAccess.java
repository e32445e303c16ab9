package dev.cairn.store.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.Database;
import dev.cairn.store.spi.ObjectReferences;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Hatrac's access control: the ACLs of namespaces ({@code owner}, {@code create}, {@code read} and
 * the {@code subtree-*} ones), objects ({@code owner}, {@code update}, {@code read},
 * {@code subtree-owner}, {@code subtree-read}) and versions ({@code owner}, {@code read}), how
 * they are inherited (a namespace's {@code subtree-X} grants X on everything below it), and the one
 * write path for them. An {@code owner} ACL that was never set names the creator. Owners hold every
 * right; administrators own everything.
 */
@ApplicationScoped
public class StoreAccess {

    public static final List<String> NAMESPACE_ACLS =
            List.of("owner", "create", "read", "subtree-owner", "subtree-create", "subtree-update", "subtree-read");
    public static final List<String> OBJECT_ACLS = List.of("owner", "update", "read", "subtree-owner", "subtree-read");
    public static final List<String> VERSION_ACLS = List.of("owner", "read");

    @Inject
    Database database;

    @Inject
    Caller caller;

    @Inject
    Instance<ObjectReferences> references;

    /** A live name or version with its own ACLs ({@code id} of the name or version). */
    public record Node(long id, String path, String kind, String createdBy, Map<String, List<String>> acls) {

        /** The ACL as it governs: the owner ACL defaults to the creator. */
        List<String> acl(String access) {
            List<String> acl = acls.get(access);
            if (acl == null && access.equals("owner") && createdBy != null) {
                return List.of(createdBy);
            }
            return acl == null ? List.of() : acl;
        }

        public boolean namespace() {
            return "namespace".equals(kind);
        }
    }

    /**
     * What a request acts on: the live names from the root down to the name (or to its nearest
     * existing ancestor when it does not exist), and the version when one is named.
     */
    public record Target(String name, List<Node> chain, Node version) {

        public boolean exists() {
            return chain.get(chain.size() - 1).path().equals(name);
        }

        /** The version named (the part after the last ':'), or null. */
        public String versionId() {
            return version == null
                    ? null
                    : version.path().substring(version.path().lastIndexOf(':') + 1);
        }

        public Node self() {
            return chain.get(chain.size() - 1);
        }

        List<Node> ancestors() {
            return exists() ? chain.subList(0, chain.size() - 1) : chain;
        }
    }

    public Target target(String name, String version) {
        List<String> paths = new ArrayList<>();
        for (String p = name; ; p = HatracPath.parentOf(p)) {
            paths.add(0, p);
            if (HatracPath.ROOT.equals(p)) {
                break;
            }
        }
        try (Connection c = database.system().getConnection()) {
            List<Node> chain = new ArrayList<>();
            try (PreparedStatement s =
                    c.prepareStatement("SELECT n.id, n.path, n.kind, n.created_by, a.access, a.roles "
                            + "FROM cairn.store_name n LEFT JOIN cairn.store_acl a ON a.name_id = n.id AND a.version_id IS NULL "
                            + "WHERE n.path = ANY (?) AND NOT n.deleted ORDER BY length(n.path), n.path")) {
                s.setArray(1, c.createArrayOf("text", paths.toArray()));
                Node current = null;
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        if (current == null || current.id() != r.getLong(1)) {
                            current = new Node(
                                    r.getLong(1),
                                    r.getString(2),
                                    r.getString(3),
                                    r.getString(4),
                                    new LinkedHashMap<>());
                            chain.add(current);
                        }
                        addAcl(current, r.getString(5), r.getArray(6));
                    }
                }
            }
            // only the unbroken run from the root counts: a live name under a deleted one cannot be
            int unbroken = 0;
            while (unbroken < chain.size() && chain.get(unbroken).path().equals(paths.get(unbroken))) {
                unbroken++;
            }
            chain = chain.subList(0, unbroken);
            Node versionNode = null;
            if (version != null
                    && !chain.isEmpty()
                    && chain.get(chain.size() - 1).path().equals(name)) {
                try (PreparedStatement s = c.prepareStatement("SELECT v.id, v.created_by, a.access, a.roles "
                        + "FROM cairn.store_version v LEFT JOIN cairn.store_acl a ON a.version_id = v.id "
                        + "WHERE v.name_id = ? AND v.version = ?")) {
                    s.setLong(1, chain.get(chain.size() - 1).id());
                    s.setString(2, version);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            if (versionNode == null) {
                                versionNode = new Node(
                                        r.getLong(1),
                                        name + ":" + version,
                                        "version",
                                        r.getString(2),
                                        new LinkedHashMap<>());
                            }
                            addAcl(versionNode, r.getString(3), r.getArray(4));
                        }
                    }
                }
            }
            return new Target(name, chain, versionNode);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read ACLs of " + name + ": " + e.getMessage(), e);
        }
    }

    private static void addAcl(Node node, String access, Array roles) throws SQLException {
        if (access != null) {
            node.acls().put(access, List.of((String[]) roles.getArray()));
        }
    }

    // ---- decisions

    /** Owner of the name itself (or of the version when one is named): directly, or through a subtree-owner above. */
    public boolean owns(Target t) {
        if (caller.administrator()) {
            return true;
        }
        for (Node ancestor : t.ancestors()) {
            if (caller.matches(ancestor.acl("subtree-owner"))) {
                return true;
            }
        }
        if (!t.exists()) {
            return false;
        }
        Node self = t.self();
        if (caller.matches(self.acl("owner"))
                || (!self.namespace() && caller.matches(self.acl("subtree-owner")) && t.version() != null)) {
            return true;
        }
        return t.version() != null && caller.matches(t.version().acl("owner"));
    }

    /** Read the object's content (or a version's), or list the namespace. */
    public boolean mayRead(Target t) {
        if (owns(t)) {
            return true;
        }
        for (Node ancestor : t.ancestors()) {
            if (caller.matches(ancestor.acl("subtree-read"))) {
                return true;
            }
        }
        if (!t.exists()) {
            return false;
        }
        Node self = t.self();
        if (caller.matches(self.acl("read"))) {
            return true;
        }
        if (t.version() != null
                && (caller.matches(self.acl("subtree-read"))
                        || caller.matches(t.version().acl("read")))) {
            return true;
        }
        // one rule for bytes and rows: a file is readable by whoever may read a row that refers to it
        if (self.namespace()) {
            return false;
        }
        String version = t.versionId();
        for (ObjectReferences refs : references) {
            if (refs.readableThroughRow(t.name(), version)) {
                return true;
            }
        }
        return false;
    }

    /** 409 when a row elsewhere refers to the name (its version, or anything below a namespace). */
    public void requireUnreferenced(Target t) {
        if (!t.exists()) {
            return;
        }
        String version = t.versionId();
        for (ObjectReferences refs : references) {
            Optional<String> referrer =
                    refs.referrer(t.name(), version, t.self().namespace());
            if (referrer.isPresent()) {
                throw new CairnException.Conflict(
                        (t.version() != null ? t.version().path() : t.name()) + " holds the file of " + referrer.get()
                                + "; delete that row first.");
            }
        }
    }

    /**
     * Bind a new name below the nearest existing namespace (create), or add a version to an
     * existing object (update).
     */
    public boolean mayWrite(Target t) {
        if (readOnlyToken()) {
            return false;
        }
        if (owns(t)) {
            return true;
        }
        if (t.exists()) {
            if (t.self().namespace()) {
                return false;
            }
            if (caller.matches(t.self().acl("update"))) {
                return true;
            }
            return t.ancestors().stream().anyMatch(a -> caller.matches(a.acl("subtree-update")));
        }
        Node parent = t.self();
        if (!parent.namespace()) {
            return true; // binding below an object fails on its own with 409
        }
        return caller.matches(parent.acl("owner"))
                || caller.matches(parent.acl("create"))
                || t.chain().stream().anyMatch(a -> caller.matches(a.acl("subtree-create")));
    }

    private boolean readOnlyToken() {
        return caller.identity() != null && caller.identity().readOnly();
    }

    public void requireRead(Target t) {
        if (!mayRead(t)) {
            throw refused(t, "reading");
        }
    }

    public void requireWrite(Target t) {
        if (!mayWrite(t)) {
            throw refused(t, t.exists() ? "adding a version to" : "creating");
        }
    }

    public void requireOwner(Target t) {
        if (!owns(t) || readOnlyToken()) {
            throw refused(t, "changing or deleting");
        }
    }

    private CairnException refused(Target t, String what) {
        return caller.refused("You may not go on " + what + " "
                + (t.version() != null ? t.version().path() : t.name()) + ".");
    }

    // ---- ACL documents and changes

    /** The ACL names of what the target is. */
    public static List<String> names(Target t) {
        return t.version() != null ? VERSION_ACLS : t.self().namespace() ? NAMESPACE_ACLS : OBJECT_ACLS;
    }

    /** Every ACL of the name or version, unset ones as [] (the owner ACL as its creator). */
    public Map<String, List<String>> acls(Target t) {
        Node node = t.version() != null ? t.version() : t.self();
        Map<String, List<String>> acls = new LinkedHashMap<>();
        for (String access : names(t)) {
            acls.put(access, node.acl(access));
        }
        return acls;
    }

    /** Replaces one ACL ({@code roles} null: clears it to []). */
    public void set(Target t, String access, List<String> roles) {
        setAll(t, Map.of(access, roles == null ? List.of() : roles));
    }

    /** Replaces several ACLs of the name or version in one transaction. */
    public void setAll(Target t, Map<String, List<String>> acls) {
        acls.keySet().forEach(access -> checkAccess(t, access));
        database.jdbcTransaction("set the ACLs of " + t.name(), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO cairn.store_acl (name_id, version_id, access, roles) "
                            + "VALUES (?, ?, ?, ?) ON CONFLICT (name_id, coalesce(version_id, 0), access) DO UPDATE SET roles = EXCLUDED.roles")) {
                for (Map.Entry<String, List<String>> acl : acls.entrySet()) {
                    s.setLong(1, t.self().id());
                    if (t.version() != null) {
                        s.setLong(2, t.version().id());
                    } else {
                        s.setNull(2, Types.BIGINT);
                    }
                    s.setString(3, acl.getKey());
                    s.setArray(4, c.createArrayOf("text", acl.getValue().toArray()));
                    s.addBatch();
                }
                return s.executeBatch();
            }
        });
    }

    public void checkAccess(Target t, String access) {
        if (!names(t).contains(access)) {
            throw new CairnException.NotFound(
                    "No access-control list '" + access + "' here; there are " + names(t) + ".");
        }
    }

    /** Copies the object ACLs of one object onto another (rename_from with copy_acls), in one transaction. */
    public void copy(String from, String to) {
        database.jdbcTransaction("copy the ACLs of " + from, c -> {
            try (PreparedStatement clear = c.prepareStatement("DELETE FROM cairn.store_acl WHERE version_id IS NULL "
                            + "AND name_id = (SELECT id FROM cairn.store_name WHERE path = ? AND NOT deleted)");
                    PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO cairn.store_acl (name_id, version_id, access, roles) "
                                    + "SELECT (SELECT id FROM cairn.store_name WHERE path = ? AND NOT deleted), NULL, a.access, a.roles "
                                    + "FROM cairn.store_acl a WHERE a.version_id IS NULL "
                                    + "AND a.name_id = (SELECT id FROM cairn.store_name WHERE path = ? AND NOT deleted)")) {
                clear.setString(1, to);
                clear.executeUpdate();
                insert.setString(1, to);
                insert.setString(2, from);
                return insert.executeUpdate();
            }
        });
    }

    /** The ACLs set on names at or below a path (not on versions), by path. */
    public Map<String, Map<String, List<String>>> aclsUnder(String path) {
        Map<String, Map<String, List<String>>> found = new TreeMap<>();
        try (Connection c = database.system().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT n.path, a.access, a.roles FROM cairn.store_acl a "
                        + "JOIN cairn.store_name n ON n.id = a.name_id WHERE a.version_id IS NULL AND NOT n.deleted "
                        + "AND (n.path = ? OR starts_with(n.path, ?)) ORDER BY n.path, a.access")) {
            s.setString(1, path);
            s.setString(2, path.endsWith("/") ? path : path + "/");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.computeIfAbsent(r.getString(1), p -> new LinkedHashMap<>())
                            .put(r.getString(2), List.of((String[])
                                    r.getArray(3).getArray()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read ACLs under " + path + ": " + e.getMessage(), e);
        }
        return found;
    }
}
