package dev.cairn.grant.control;

import dev.cairn.catalog.control.Acls;
import dev.cairn.catalog.control.CatalogDatabases;
import dev.cairn.catalog.control.CatalogRequest;
import dev.cairn.catalog.control.ModelEditor;
import dev.cairn.catalog.control.ModelElement;
import dev.cairn.catalog.control.ModelProperties;
import dev.cairn.catalog.control.Models;
import dev.cairn.catalog.entity.Model;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.Database;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.JsonBodies;
import dev.cairn.platform.RequestClient;
import dev.cairn.store.control.HatracPath;
import dev.cairn.store.control.StoreAccess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Pangolin-style grants as a view over the ACLs that are enforced: granting a role adds the
 * principal to the ACLs of its scope (a catalog, one of its schemas, or an object-store namespace),
 * revoking removes it, and listing reads the ACLs back as grants. Nothing else decides access.
 * A grant with an expiry is taken back by {@link #expire()}.
 */
@ApplicationScoped
public class Grants {

    private static final Logger LOG = Logger.getLogger(Grants.class.getName());

    /** A role and the access modes it puts the principal in, in ERMrest's and in Hatrac's ACLs. */
    public enum Role {
        READ(List.of("select"), List.of("read", "subtree-read")),
        READ_WRITE(
                List.of("select", "write"),
                List.of("read", "subtree-read", "create", "subtree-create", "subtree-update")),
        ADMIN(List.of("owner"), List.of("owner", "subtree-owner"));

        private final List<String> catalogModes;
        private final List<String> storeModes;

        Role(List<String> catalogModes, List<String> storeModes) {
            this.catalogModes = catalogModes;
            this.storeModes = storeModes;
        }
    }

    /** A grant as listed; {@code id} names its scope and principal, for revoking. */
    public record Grant(String id, String principal, Role role, String scope, OffsetDateTime expires) {}

    /**
     * catalog, schema:NAME, /hatrac/PATH, registry:NAMESPACE (registered assets in a namespace and
     * below it) or asset:ID (one registered asset). The last two are ACL bindings on the
     * registered-asset table ({@code bound}).
     */
    private record Scope(String text, String schema, String namespace, String registry, String asset) {

        Scope(String text, String schema, String namespace) {
            this(text, schema, namespace, null, null);
        }

        boolean bound() {
            return registry != null || asset != null;
        }

        static Scope parse(String text) {
            if (text == null || text.equals("catalog")) {
                return new Scope("catalog", null, null);
            }
            if (text.startsWith("schema:") && text.length() > 7) {
                return new Scope(text, text.substring(7), null);
            }
            if (text.startsWith("registry:") && text.length() > 9) {
                String ns = text.substring(9);
                HatracPath.checkRelative("A registry scope's namespace", ns);
                return new Scope(text, null, null, ns, null);
            }
            if (text.startsWith("asset:")) {
                String rid = text.substring(6);
                if (!rid.matches("[0-9A-Z]{1,4}(-[0-9A-Z]{4}){0,6}")) {
                    throw new CairnException.BadRequest(
                            "An asset scope names a registered asset by its asset_id, such as asset:1-ABCD.");
                }
                return new Scope(text, null, null, null, rid);
            }
            if (text.startsWith("/hatrac/") && text.length() > 8) {
                HatracPath path = HatracPath.parse(text.substring("/hatrac".length()));
                if (path.version() != null || path.sub() != HatracPath.Sub.NONE) {
                    throw new CairnException.BadRequest("A namespace scope names a namespace, such as /hatrac/1/data.");
                }
                return new Scope(text, null, path.name());
            }
            throw new CairnException.BadRequest(
                    "\"scope\" is catalog, schema:NAME, a namespace such as /hatrac/1/data, "
                            + "registry:NAMESPACE or asset:ID; not '" + text + "'.");
        }
    }

    @Inject
    Models models;

    @Inject
    ModelEditor editor;

    @Inject
    ModelProperties properties;

    @Inject
    CatalogRequest context;

    @Inject
    StoreAccess store;

    @Inject
    Database database;

    @Inject
    CatalogDatabases databases;

    @Inject
    Caller caller;

    /**
     * Gives the principal a role on a scope. The principal is {@code *}, or a user or group that
     * exists; any other identity (one from another identity provider, or one to be made later) only
     * with {@code pending}, so that a typing mistake never lands in an ACL unnoticed.
     */
    public Grant grant(
            long catalogId, String principal, Role role, String scopeText, OffsetDateTime expires, boolean pending) {
        if (principal == null
                || principal.isEmpty()
                || principal.length() > 500
                || principal.chars().anyMatch(Character::isISOControl)) {
            throw new CairnException.BadRequest("\"principal\" is a client id (user:NAME), a group (group:NAME) or *.");
        }
        if (!pending && !principal.equals("*") && !known(principal)) {
            throw new CairnException.BadRequest(
                    "No user or group is " + principal + ": a principal is user:NAME or group:NAME of one that "
                            + "exists, or *. To grant to an identity Cairn does not know yet, add ?pending=true.");
        }
        if (expires != null && !expires.isAfter(OffsetDateTime.now())) {
            throw new CairnException.BadRequest("\"expires\" is in the past.");
        }
        caller.requireWriteScope();
        Scope scope = Scope.parse(scopeText);
        if (scope.asset() != null) {
            requireAsset(catalogId, scope.asset());
        }
        if (scope.bound()) {
            if (role == Role.ADMIN) {
                throw new CairnException.BadRequest(
                        "A registry namespace or asset grants READ or READ_WRITE; ADMIN is granted on the catalog.");
            }
            context.require(Acls.catalog(models.model(catalogId)), "owner", "Granting on " + scope.text());
            for (Role other : List.of(Role.READ, Role.READ_WRITE)) {
                setRegistryMember(catalogId, scope, other, principal, other == role, caller.client());
            }
        } else if (scope.namespace() != null) {
            StoreAccess.Target target = namespace(scope);
            store.requireOwner(target);
            Map<String, List<String>> acls = store.acls(target);
            Map<String, List<String>> changed = new LinkedHashMap<>();
            for (String mode : role.storeModes) {
                changed.put(mode, with(acls.get(mode), principal));
            }
            store.setAll(target, changed);
        } else {
            Model model = models.model(catalogId);
            Acls.Chain chain = chain(model, scope);
            context.require(chain, "owner", "Granting on " + scope.text());
            Map<String, JsonValue> changed = new LinkedHashMap<>();
            for (String mode : role.catalogModes) {
                // from the ACL in force here, inherited or not, so that nobody loses access
                changed.put(mode, json(with(chain.effective(mode), principal)));
            }
            properties.policyChanges(catalogId, element(scope), changed, caller.client());
        }
        recordExpiry(catalogId, scope.text(), principal, role, expires);
        return new Grant(id(scope.text(), principal), principal, role, scope.text(), expires);
    }

    /** The grants of a catalog: its and its schemas' ACLs, and those of its namespace /hatrac/{cid}, read as roles. */
    public List<Grant> list(long catalogId) {
        Model model = models.model(catalogId);
        context.require(Acls.catalog(model), "owner", "Listing grants");
        Map<String, OffsetDateTime> expiries = expiries(catalogId);
        List<Grant> grants = new ArrayList<>();
        addCatalogGrants(grants, "catalog", model.acls(), expiries);
        model.schemas().forEach((name, schema) -> addCatalogGrants(grants, "schema:" + name, schema.acls(), expiries));
        Model.Schema ml = model.schemas().get("deriva-ml");
        Map<String, Object> bindings = ml == null || !ml.tables().containsKey("Registered_Asset")
                ? Map.of()
                : ml.tables().get("Registered_Asset").aclBindings();
        bindings.forEach((name, value) -> {
            if (name.startsWith(REGISTRY_BINDING)
                    && value instanceof JsonObject binding
                    && binding.get("comment") instanceof JsonString scope) {
                Role role = name.startsWith(REGISTRY_BINDING + "read_write_") ? Role.READ_WRITE : Role.READ;
                for (JsonValue p : binding.getJsonArray("scope_acl")) {
                    String principal = ((JsonString) p).getString();
                    grants.add(new Grant(
                            id(scope.getString(), principal),
                            principal,
                            role,
                            scope.getString(),
                            expiries.get(scope.getString() + "\n" + principal)));
                }
            }
        });
        store.aclsUnder("/" + catalogId).forEach((path, acls) -> {
            String scope = HatracPath.url(path, null);
            Map<String, Role> roles = new LinkedHashMap<>();
            for (Role role : Role.values()) {
                for (String principal : acls.getOrDefault(role.storeModes.get(role.storeModes.size() - 1), List.of())) {
                    roles.put(principal, role);
                }
            }
            roles.forEach((principal, role) -> grants.add(
                    new Grant(id(scope, principal), principal, role, scope, expiries.get(scope + "\n" + principal))));
        });
        return grants;
    }

    private static void addCatalogGrants(
            List<Grant> grants, String scope, Map<String, List<String>> acls, Map<String, OffsetDateTime> expiries) {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (String principal : acls.getOrDefault("select", List.of())) {
            roles.put(principal, Role.READ);
        }
        for (String principal : acls.getOrDefault("write", List.of())) {
            if (roles.get(principal) == Role.READ) {
                roles.put(principal, Role.READ_WRITE);
            }
        }
        for (String principal : acls.getOrDefault("owner", List.of())) {
            roles.put(principal, Role.ADMIN);
        }
        roles.forEach((principal, role) -> grants.add(
                new Grant(id(scope, principal), principal, role, scope, expiries.get(scope + "\n" + principal))));
    }

    /** Takes a principal out of every ACL of the grant's scope that a role puts it in. */
    public void revoke(long catalogId, String id) {
        String[] parts = decode(id);
        caller.requireWriteScope();
        Scope scope = Scope.parse(parts[0]);
        if (scope.namespace() != null) {
            store.requireOwner(namespace(scope));
        } else if (scope.bound()) {
            context.require(Acls.catalog(models.model(catalogId)), "owner", "Revoking on " + scope.text());
        } else {
            Model model = models.model(catalogId);
            context.require(chain(model, scope), "owner", "Revoking on " + scope.text());
            if (scope.schema() == null && !caller.administrator()) {
                List<String> owners = new ArrayList<>(model.acls().getOrDefault("owner", List.of()));
                owners.remove(parts[1]);
                if (!caller.matches(owners)) {
                    throw new CairnException.Conflict(
                            ErrorCode.LAST_ADMINISTRATOR, "This would take the catalog's ownership from you.");
                }
            }
        }
        if (!remove(catalogId, scope, parts[1], caller.client())) {
            throw new CairnException.NotFound("No grant " + id + " in catalog " + catalogId + ".");
        }
    }

    /** Takes back the grants whose expiry has passed. Runs without a request: as the system. */
    public void expire() {
        List<Object[]> due = new ArrayList<>();
        try (Connection c = database.system().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT catalog_id, scope, principal FROM cairn.grant_expiry "
                        + "WHERE expires_at <= now() ORDER BY expires_at LIMIT 1000");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                due.add(new Object[] {r.getLong(1), r.getString(2), r.getString(3)});
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read due grants: " + e.getMessage(), e);
        }
        for (Object[] grant : due) {
            try {
                remove((Long) grant[0], Scope.parse((String) grant[1]), (String) grant[2], RequestClient.ANONYMOUS);
                LOG.info(() -> "Grant to " + grant[2] + " on " + grant[1] + " of catalog " + grant[0]
                        + " expired and was taken back.");
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "Taking back the expired grant to " + grant[2] + " on " + grant[1] + " failed",
                        e);
                forget((Long) grant[0], (String) grant[1], (String) grant[2]);
            }
        }
    }

    /** Removes the principal from every role's modes in the scope; false when it was in none. */
    private boolean remove(long catalogId, Scope scope, String principal, RequestClient client) {
        boolean found = false;
        if (scope.bound()) {
            for (Role role : List.of(Role.READ, Role.READ_WRITE)) {
                found |= setRegistryMember(catalogId, scope, role, principal, false, client);
            }
        } else if (scope.namespace() != null) {
            StoreAccess.Target target = store.target(scope.namespace(), null);
            if (target.exists()) {
                Map<String, List<String>> acls = store.acls(target);
                Map<String, List<String>> changed = new LinkedHashMap<>();
                for (Role role : Role.values()) {
                    for (String mode : role.storeModes) {
                        if (acls.get(mode).contains(principal)) {
                            changed.put(mode, without(acls.get(mode), principal));
                        }
                    }
                }
                found = !changed.isEmpty();
                if (found) {
                    store.setAll(target, changed);
                }
            }
        } else {
            Model model = models.model(catalogId);
            Map<String, List<String>> acls = scope.schema() == null
                    ? model.acls()
                    : model.schemas().containsKey(scope.schema())
                            ? model.schemas().get(scope.schema()).acls()
                            : Map.of();
            Map<String, JsonValue> changed = new LinkedHashMap<>();
            for (Role role : Role.values()) {
                for (String mode : role.catalogModes) {
                    List<String> acl = acls.get(mode);
                    if (acl != null && acl.contains(principal)) {
                        changed.put(mode, json(without(acl, principal)));
                    }
                }
            }
            found = !changed.isEmpty();
            if (found) {
                properties.policyChanges(catalogId, element(scope), changed, client);
            }
        }
        forget(catalogId, scope.text(), principal);
        return found;
    }

    // ---- registry namespaces: ACL bindings on the registered-asset table, over its Namespace column

    private static final String REGISTRY_BINDING = "cairn_registry_";

    private static Model.Table registryTable(Model model) {
        Model.Schema ml = model.schemas().get("deriva-ml");
        Model.Table table = ml == null ? null : ml.tables().get("Registered_Asset");
        if (table == null) {
            throw new CairnException.Conflict(
                    ErrorCode.NOT_INSTALLED,
                    "This catalog has no asset registry (install the deriva-ml schema first).");
        }
        return table;
    }

    private static String bindingName(Scope scope, Role role) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((scope.asset() != null ? scope.text() : scope.registry()).getBytes(StandardCharsets.UTF_8));
            return REGISTRY_BINDING + role.name().toLowerCase(Locale.ROOT) + "_"
                    + HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Puts the principal in (or takes it out of) the binding that gives a role on the assets of a
     * namespace and every namespace below it; a binding left with nobody is removed. False when
     * nothing changed.
     */
    private boolean setRegistryMember(
            long catalogId, Scope scope, Role role, String principal, boolean member, RequestClient client) {
        List<String> members = members(catalogId, scope, role);
        if (members.contains(principal) == member) {
            return false;
        }
        if (member) {
            members.add(principal);
        } else {
            members.remove(principal);
        }
        setMembers(catalogId, scope, role, members, client);
        return true;
    }

    /** Who a registry or asset binding gives the role to now. */
    private List<String> members(long catalogId, Scope scope, Role role) {
        Model.Table table = registryTable(models.model(catalogId));
        List<String> members = new ArrayList<>();
        if (table.aclBindings().get(bindingName(scope, role)) instanceof JsonObject existing
                && existing.get("scope_acl") instanceof JsonArray acl) {
            acl.forEach(v -> members.add(((JsonString) v).getString()));
        }
        return members;
    }

    /**
     * Makes the binding that gives a role on a registry namespace or asset give it to exactly these
     * members (none: removed).
     */
    private void setMembers(long catalogId, Scope scope, Role role, List<String> members, RequestClient client) {
        String name = bindingName(scope, role);
        ModelElement element = new ModelElement("deriva-ml", "Registered_Asset", "", "");
        if (members.isEmpty()) {
            properties.policy(catalogId, element, "binding", name, null, client);
            return;
        }
        var types = JsonBodies.JSON.createArrayBuilder().add("select");
        if (role == Role.READ_WRITE) {
            types.add("insert").add("update").add("delete");
        }
        JsonObject filter;
        if (scope.asset() != null) {
            filter = JsonBodies.JSON
                    .createObjectBuilder()
                    .add("filter", "RID")
                    .add("operand", scope.asset())
                    .build();
        } else {
            // PostgreSQL's regular expressions have no \\Q...\\E: every special character is escaped
            String pattern = "^" + scope.registry().replaceAll("([\\\\.^$*+?()\\[\\]{}|])", "\\\\$1") + "(/|$)";
            filter = JsonBodies.JSON
                    .createObjectBuilder()
                    .add("filter", "Namespace")
                    .add("operand", pattern)
                    .add("operator", "::regexp::")
                    .build();
        }
        JsonObject binding = JsonBodies.JSON
                .createObjectBuilder()
                .add("types", types)
                .add("scope_acl", json(members))
                .add(
                        "projection",
                        JsonBodies.JSON.createArrayBuilder().add(filter).add("RID"))
                .add("projection_type", "nonnull")
                .add("comment", scope.text())
                .build();
        properties.policy(catalogId, element, "binding", name, binding, client);
    }

    // ---- the Asset Manager's access_control: grants on one registered asset

    /**
     * Checks, before an asset is stored, that its {@code access_control} (principal to READ or
     * READ_WRITE) can be given: the caller owns the catalog, and every principal is known (or *).
     */
    public void checkAssetGrants(long catalogId, Map<String, String> grants) {
        context.require(Acls.catalog(models.model(catalogId)), "owner", "Setting access_control on an asset");
        caller.requireWriteScope();
        registryTable(models.model(catalogId));
        for (Map.Entry<String, String> g : grants.entrySet()) {
            Role.valueOf(g.getValue());
            if (!g.getKey().equals("*") && !known(g.getKey())) {
                throw new CairnException.BadRequest("access_control names " + g.getKey()
                        + ", who is no user or group here (user:NAME, " + "group:NAME or *).");
            }
        }
    }

    /**
     * Gives exactly these grants on one registered asset (the Asset Manager's {@code set_access_control}):
     * each principal its role, and nobody else a grant on this asset. Checked as {@link #checkAssetGrants}.
     */
    public void setAssetGrants(long catalogId, String assetId, Map<String, String> grants) {
        checkAssetGrants(catalogId, grants);
        requireAsset(catalogId, assetId);
        Scope scope = Scope.parse("asset:" + assetId);
        for (Role role : List.of(Role.READ, Role.READ_WRITE)) {
            List<String> wanted = grants.entrySet().stream()
                    .filter(g -> g.getValue().equals(role.name()))
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
            if (!new TreeSet<>(members(catalogId, scope, role)).equals(new TreeSet<>(wanted))) {
                setMembers(catalogId, scope, role, new ArrayList<>(wanted), caller.client());
            }
        }
    }

    // ---- helpers

    /** Whether the principal is a user or group of this system ({@code user:NAME}, {@code group:NAME}). */
    private boolean known(String principal) {
        String table = principal.startsWith("user:")
                ? "cairn.app_user WHERE username = ?"
                : principal.startsWith("group:") ? "cairn.user_group WHERE name = ?" : null;
        if (table == null) {
            return false;
        }
        try (Connection c = database.system().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM " + table)) {
            s.setString(1, principal.substring(principal.indexOf(':') + 1));
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw new CairnException.Unavailable(
                    "The system database cannot tell who " + principal + " is now; try again.", e);
        }
    }

    /** 404 unless the catalog has a registered asset with this id. */
    private void requireAsset(long catalogId, String rid) {
        boolean exists = databases.transaction(catalogId, RequestClient.ANONYMOUS, c -> {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT 1 FROM \"deriva-ml\".\"Registered_Asset\" WHERE \"RID\" = ?")) {
                s.setString(1, rid);
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
        if (!exists) {
            throw new CairnException.NotFound("No registered asset " + rid + " in catalog " + catalogId + ".");
        }
    }

    private StoreAccess.Target namespace(Scope scope) {
        StoreAccess.Target target = store.target(scope.namespace(), null);
        if (!target.exists() || !target.self().namespace()) {
            throw new CairnException.NotFound("No namespace " + scope.text() + ".");
        }
        return target;
    }

    private static Acls.Chain chain(Model model, Scope scope) {
        if (scope.schema() == null) {
            return Acls.catalog(model);
        }
        Model.Schema schema = model.schemas().get(scope.schema());
        if (schema == null) {
            throw new CairnException.NotFound("No schema " + scope.schema() + ".");
        }
        return Acls.schema(model, schema);
    }

    private static ModelElement element(Scope scope) {
        return new ModelElement(scope.schema() == null ? "" : scope.schema(), "", "", "");
    }

    private static List<String> with(List<String> acl, String principal) {
        List<String> roles = new ArrayList<>(acl == null ? List.of() : acl);
        if (!roles.contains(principal)) {
            roles.add(principal);
        }
        return roles;
    }

    private static List<String> without(List<String> acl, String principal) {
        List<String> roles = new ArrayList<>(acl);
        roles.remove(principal);
        return roles;
    }

    private static JsonValue json(List<String> roles) {
        JsonArrayBuilder array = JsonBodies.JSON.createArrayBuilder();
        roles.forEach(array::add);
        return array.build();
    }

    static String id(String scope, String principal) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((scope + "\n" + principal).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String id) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            if (newline > 0 && newline < text.length() - 1) {
                return new String[] {text.substring(0, newline), text.substring(newline + 1)};
            }
        } catch (IllegalArgumentException notBase64) {
            // below
        }
        throw new CairnException.NotFound("No grant " + id + ".");
    }

    private void recordExpiry(long catalogId, String scope, String principal, Role role, OffsetDateTime expires) {
        try (Connection c = database.system().getConnection();
                PreparedStatement s = c.prepareStatement(
                        expires == null
                                ? "DELETE FROM cairn.grant_expiry WHERE catalog_id = ? AND scope = ? AND principal = ?"
                                : "INSERT INTO cairn.grant_expiry (catalog_id, scope, principal, role, expires_at, granted_by) "
                                        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (catalog_id, scope, principal) DO UPDATE SET role = EXCLUDED.role, "
                                        + "expires_at = EXCLUDED.expires_at, granted_by = EXCLUDED.granted_by, granted_at = now()")) {
            s.setLong(1, catalogId);
            s.setString(2, scope);
            s.setString(3, principal);
            if (expires != null) {
                s.setString(4, role.name());
                s.setTimestamp(5, Timestamp.from(expires.toInstant()));
                s.setString(6, caller.client().id());
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record a grant's expiry: " + e.getMessage(), e);
        }
    }

    private void forget(long catalogId, String scope, String principal) {
        try (Connection c = database.system().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "DELETE FROM cairn.grant_expiry WHERE catalog_id = ? AND scope = ? AND principal = ?")) {
            s.setLong(1, catalogId);
            s.setString(2, scope);
            s.setString(3, principal);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot forget a grant's expiry: " + e.getMessage(), e);
        }
    }

    private Map<String, OffsetDateTime> expiries(long catalogId) {
        Map<String, OffsetDateTime> expiries = new HashMap<>();
        try (Connection c = database.system().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT scope, principal, expires_at FROM cairn.grant_expiry WHERE catalog_id = ?")) {
            s.setLong(1, catalogId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    expiries.put(
                            r.getString(1) + "\n" + r.getString(2),
                            r.getTimestamp(3).toInstant().atOffset(ZoneOffset.UTC));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read grant expiries: " + e.getMessage(), e);
        }
        return expiries;
    }
}
