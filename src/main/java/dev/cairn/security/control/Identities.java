package dev.cairn.security.control;

import dev.cairn.platform.Broadcasts;
import dev.cairn.platform.CairnException;
import dev.cairn.platform.Caller;
import dev.cairn.platform.Database;
import dev.cairn.platform.ErrorCode;
import dev.cairn.security.entity.Group;
import dev.cairn.security.entity.LoginSession;
import dev.cairn.security.entity.Token;
import dev.cairn.security.entity.User;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Users, groups, personal API tokens and login sessions: the one write path for each, and the
 * lookups that turn a bearer token or a session cookie into a {@link Caller.Identity}.
 */
@ApplicationScoped
public class Identities {

    public static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    public static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Prefix of token secrets, so that secret scanners recognise them. */
    public static final String TOKEN_PREFIX = "cairn_";

    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofDays(90);
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(366);
    public static final Duration SESSION_LIFETIME = Duration.ofHours(8);

    /** Other nodes drop what they cached of a token when it is revoked, or its user changed, here. */
    private static final String TOKENS = "tokens";

    @Inject
    Broadcasts broadcasts;

    @PostConstruct
    void listen() {
        broadcasts.subscribe(TOKENS, message -> {
            if (message == null || message.equals("all")) {
                tokenCache.clear();
            } else if (message.startsWith("user:")) {
                tokenCache.values().removeIf(t -> t.username().equals(message.substring(5)));
            } else if (message.startsWith("token:")) {
                tokenCache.values().removeIf(t -> t.tokenId().equals(message.substring(6)));
            }
        });
    }

    @Inject
    Database database;

    @Inject
    Passwords passwords;

    @Inject
    LoginThrottle throttle;

    /**
     * Bearer tokens recently looked up, by the SHA-256 of their secret, for {@link #TOKEN_CACHE}:
     * most requests then authenticate without a database round trip. Revoking a token, and changing
     * or disabling its user, removes its entries at once on this node.
     */
    private final Map<ByteBuffer, CachedToken> tokenCache = new ConcurrentHashMap<>();

    static final Duration TOKEN_CACHE = Duration.ofSeconds(10);
    private static final int TOKEN_CACHE_SIZE = 10_000;

    private record CachedToken(
            Caller.Identity identity, String tokenId, String username, OffsetDateTime expires, long cachedAt) {}

    // ---- users and groups -------------------------------------------------------------------

    public record UserChange(
            String password, String displayName, String email, Collection<String> groups, Boolean disabled) {}

    public User createUser(String username, UserChange change) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new CairnException.BadRequest("A username has 1 to 64 letters, digits, '.', '_', '@' or '-', "
                    + "and starts with a letter or digit.");
        }
        String hash = change.password() == null ? null : passwords.hash(change.password());
        return database.transaction(em -> {
            lockNames(em);
            String taken = em.createQuery("SELECT u.username FROM User u WHERE LOWER(u.username) = :n", String.class)
                    .setParameter("n", username.toLowerCase(Locale.ROOT))
                    .getResultStream()
                    .findFirst()
                    .orElse(null);
            if (taken != null) {
                throw new CairnException.Conflict(
                        ErrorCode.ALREADY_EXISTS,
                        "User " + taken + " exists; user names are unique regardless of case.");
            }
            User user = new User(username);
            apply(em, user, change, hash);
            em.persist(user);
            return user;
        });
    }

    public User changeUser(String username, UserChange change) {
        String hash = change.password() == null ? null : passwords.hash(change.password());
        User changed = database.transaction(em -> {
            boolean membership = change.groups() != null || Boolean.TRUE.equals(change.disabled());
            if (membership) {
                lockNames(em); // changes of administrators one after another, so that two cannot remove the last two at
                // once
            }
            User user = user(em, username);
            apply(em, user, change, hash);
            if (membership) {
                em.flush();
                requireAnAdministrator(em);
            }
            if (Boolean.TRUE.equals(change.disabled()) || hash != null) {
                // a disabled user, or one whose password changed, is logged out everywhere
                em.createQuery("DELETE FROM LoginSession s WHERE s.username = :u")
                        .setParameter("u", username)
                        .executeUpdate();
            }
            return user;
        });
        broadcasts.publish(TOKENS, "user:" + username);
        return changed;
    }

    /** Serialises the changes that could take the names or administrators' rights apart (one lock for the system). */
    private static void lockNames(EntityManager em) {
        em.createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended('cairn-identities', 0))")
                .getSingleResult();
    }

    /** 409 when no enabled user would be left in the admin group: nobody could administer the system then. */
    private static void requireAnAdministrator(EntityManager em) {
        long left = em.createQuery(
                        "SELECT COUNT(u) FROM User u JOIN u.groups g WHERE g = :admin AND u.disabled = false",
                        Long.class)
                .setParameter("admin", Caller.ADMIN_GROUP.substring(Group.ID_PREFIX.length()))
                .getSingleResult();
        if (left == 0) {
            throw new CairnException.Conflict(
                    ErrorCode.LAST_ADMINISTRATOR,
                    "That would leave no enabled administrator (member of group admin); make another user "
                            + "an administrator first.");
        }
    }

    private static void apply(EntityManager em, User user, UserChange change, String hash) {
        if (hash != null) {
            user.passwordHash(hash);
        }
        if (change.displayName() != null) {
            user.displayName(limited(change.displayName(), 200, "display_name"));
        }
        if (change.email() != null) {
            user.email(limited(change.email(), 320, "email"));
        }
        if (change.disabled() != null) {
            user.disabled(change.disabled());
        }
        if (change.groups() != null) {
            Set<String> names = new TreeSet<>();
            for (String group : change.groups()) {
                String name = group.startsWith(Group.ID_PREFIX) ? group.substring(Group.ID_PREFIX.length()) : group;
                if (em.find(Group.class, name) == null) {
                    throw new CairnException.BadRequest(
                            "No group " + name + "; create it with POST /api/groups first.");
                }
                names.add(name);
            }
            user.groups().clear();
            user.groups().addAll(names);
        }
    }

    private static String limited(String value, int max, String field) {
        if (value.length() > max) {
            throw new CairnException.BadRequest("\"" + field + "\" has at most " + max + " characters.");
        }
        return value;
    }

    public List<User> users() {
        return database.read(em -> em.createNamedQuery(User.ALL, User.class).getResultList());
    }

    public User user(String username) {
        return database.read(em -> user(em, username));
    }

    private static User user(EntityManager em, String username) {
        User user = username == null ? null : em.find(User.class, username);
        if (user == null) {
            throw new CairnException.NotFound("No user " + username + ".");
        }
        return user;
    }

    public boolean anyUser() {
        return database.read(em -> em.createNamedQuery(User.COUNT, Long.class).getSingleResult() > 0);
    }

    public Group createGroup(String name, String displayName) {
        if (name == null || !GROUP.matcher(name).matches()) {
            throw new CairnException.BadRequest("A group name has 1 to 64 letters, digits, '.', '_' or '-', "
                    + "and starts with a letter or digit.");
        }
        return database.transaction(em -> {
            lockNames(em);
            String taken = em.createQuery("SELECT g.name FROM Group g WHERE LOWER(g.name) = :n", String.class)
                    .setParameter("n", name.toLowerCase(Locale.ROOT))
                    .getResultStream()
                    .findFirst()
                    .orElse(null);
            if (taken != null) {
                throw new CairnException.Conflict(
                        ErrorCode.ALREADY_EXISTS,
                        "Group " + taken + " exists; group names are unique regardless of case.");
            }
            Group group = new Group(name, displayName == null ? null : limited(displayName, 200, "display_name"));
            em.persist(group);
            return group;
        });
    }

    public List<Group> groups() {
        return database.read(em -> em.createNamedQuery(Group.ALL, Group.class).getResultList());
    }

    public Group changeGroup(String name, String displayName) {
        return database.transaction(em -> {
            Group group = group(em, name);
            group.displayName(displayName == null ? null : limited(displayName, 200, "display_name"));
            return group;
        });
    }

    public void deleteGroup(String name) {
        if ("admin".equals(name)) {
            throw new CairnException.Conflict(ErrorCode.LAST_ADMINISTRATOR, "The admin group cannot be deleted.");
        }
        database.transaction(em -> {
            em.remove(group(em, name));
            return null;
        });
        broadcasts.publish(TOKENS, "all");
    }

    private static Group group(EntityManager em, String name) {
        Group group = name == null ? null : em.find(Group.class, name);
        if (group == null) {
            throw new CairnException.NotFound("No group " + name + ".");
        }
        return group;
    }

    // ---- tokens -----------------------------------------------------------------------------

    /** A token as made: its row and its secret, which is shown this once. */
    public record NewToken(Token token, String secret) {}

    public NewToken createToken(
            String username, String name, OffsetDateTime expires, Set<Long> catalogs, boolean readOnly) {
        OffsetDateTime now = OffsetDateTime.now();
        OffsetDateTime expiresAt = expires == null ? now.plus(DEFAULT_TOKEN_LIFETIME) : expires;
        if (!expiresAt.isAfter(now)) {
            throw new CairnException.BadRequest("\"expires\" is in the past.");
        }
        if (expiresAt.isAfter(now.plus(MAX_TOKEN_LIFETIME))) {
            throw new CairnException.BadRequest("A token lives at most " + MAX_TOKEN_LIFETIME.toDays() + " days.");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new CairnException.BadRequest("A token has a \"name\" of 1 to 200 characters.");
        }
        String secret = Secrets.generate(TOKEN_PREFIX);
        String scope = catalogs == null
                ? null
                : catalogs.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
        Token token = database.transaction(em -> {
            if (catalogs != null) {
                // the system's catalog registry, read as a table: a token cannot be scoped to a catalog that does not
                // exist
                @SuppressWarnings("unchecked")
                List<Number> known = em.createNativeQuery(
                                "SELECT id FROM cairn.catalog WHERE id = ANY (string_to_array(?1, ',')::int8[])")
                        .setParameter(1, scope)
                        .getResultList();
                Set<Long> missing = new TreeSet<>(catalogs);
                known.forEach(k -> missing.remove(k.longValue()));
                if (!missing.isEmpty()) {
                    throw new CairnException.BadRequest(
                            "No catalog " + missing + "; a token is scoped to catalogs that exist.");
                }
            }
            Token made = new Token(
                    Secrets.id(),
                    username,
                    name,
                    Secrets.sha256(secret),
                    expiresAt,
                    scope == null || scope.isEmpty() ? null : scope,
                    readOnly);
            em.persist(made);
            return made;
        });
        return new NewToken(token, secret);
    }

    public List<Token> tokens(String username) {
        return database.read(em -> em.createNamedQuery(Token.OF_USER, Token.class)
                .setParameter("username", username)
                .getResultList());
    }

    /** Revokes one of the user's tokens (administrators may name anyone's). */
    public Token revokeToken(String id, String username, boolean administrator) {
        Token revoked = database.transaction(em -> {
            Token token = em.find(Token.class, id);
            if (token == null || (!administrator && !token.username().equals(username))) {
                throw new CairnException.NotFound("No token " + id + " of yours.");
            }
            token.revoke();
            return token;
        });
        // after the commit: a lookup racing the revocation must not cache the token again
        broadcasts.publish(TOKENS, "token:" + id);
        return revoked;
    }

    // ---- sessions ---------------------------------------------------------------------------

    /** A session as made: its row and its cookie value. */
    public record NewSession(LoginSession session, String cookie) {}

    /** Checks a password (rate-limited per user and address) and opens a session. */
    public NewSession login(String username, String password, String address) {
        if (username == null || password == null || username.isEmpty() || password.isEmpty()) {
            throw new CairnException.BadRequest("Log in with the form fields username and password.");
        }
        throttle.check(username, address);
        // a name no user can have (control characters, NUL...) is an unknown user, not a query
        User user = database.read(em -> USERNAME.matcher(username).matches() ? em.find(User.class, username) : null);
        boolean valid = passwords.verify(password, user == null ? null : user.passwordHash());
        if (!valid || user.disabled()) {
            throttle.failed(username, address);
            throw new CairnException.Unauthorized("Unknown user, wrong password or disabled user.");
        }
        String cookie = Secrets.generate("");
        LoginSession session = database.transaction(em -> {
            LoginSession made = new LoginSession(
                    Secrets.sha256(cookie), username, OffsetDateTime.now().plus(SESSION_LIFETIME));
            em.persist(made);
            return made;
        });
        return new NewSession(session, cookie);
    }

    public LoginSession session(String cookie) {
        return database.read(em -> em.find(LoginSession.class, Secrets.sha256(cookie)));
    }

    public LoginSession extendSession(String cookie) {
        return database.transaction(em -> {
            LoginSession session = em.find(LoginSession.class, Secrets.sha256(cookie));
            if (session == null) {
                throw new CairnException.NotFound("No login session.");
            }
            session.extendTo(OffsetDateTime.now().plus(SESSION_LIFETIME));
            return session;
        });
    }

    public void logout(String cookie) {
        database.transaction(em -> em.createQuery("DELETE FROM LoginSession s WHERE s.secretSha256 = :s")
                .setParameter("s", Secrets.sha256(cookie))
                .executeUpdate());
    }

    // ---- authentication ---------------------------------------------------------------------

    private static final String IDENTITY_COLUMNS = "u.username, u.display_name, u.email, u.disabled, "
            + "ARRAY(SELECT m.group_name FROM cairn.user_membership m WHERE m.username = u.username ORDER BY 1)";

    /** The identity a bearer token stands for; 401 when it is unknown, expired or revoked. */
    public Caller.Identity authenticateToken(String secret) {
        ByteBuffer key = ByteBuffer.wrap(Secrets.sha256(secret));
        CachedToken cached = tokenCache.get(key);
        long now = System.nanoTime();
        if (cached != null
                && now - cached.cachedAt() < TOKEN_CACHE.toNanos()
                && cached.expires().isAfter(OffsetDateTime.now())) {
            return cached.identity();
        }
        tokenCache.remove(key);
        LookedUp found = lookUpToken(secret);
        if (tokenCache.size() >= TOKEN_CACHE_SIZE) {
            tokenCache.clear();
        }
        tokenCache.put(
                key,
                new CachedToken(
                        found.identity(),
                        found.tokenId(),
                        found.identity().id().substring(User.ID_PREFIX.length()),
                        found.expires(),
                        now));
        return found.identity();
    }

    private record LookedUp(Caller.Identity identity, String tokenId, OffsetDateTime expires) {}

    private LookedUp lookUpToken(String secret) {
        try (Connection c = database.system().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + IDENTITY_COLUMNS + ", t.id, t.expires_at < now(), "
                        + "t.revoked_at IS NOT NULL, t.catalogs, t.read_only, "
                        + "t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute', t.expires_at "
                        + "FROM cairn.api_token t JOIN cairn.app_user u USING (username) WHERE t.secret_sha256 = ?")) {
            s.setBytes(1, Secrets.sha256(secret));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || r.getBoolean(4) || r.getBoolean(7) || r.getBoolean(8)) {
                    throw new CairnException.Unauthorized(
                            "The bearer token is unknown, expired or revoked, or its user is disabled.");
                }
                String catalogs = r.getString(9);
                Caller.Identity identity = identity(
                        r,
                        catalogs == null
                                ? null
                                : Arrays.stream(catalogs.split(","))
                                        .map(Long::valueOf)
                                        .collect(Collectors.toUnmodifiableSet()),
                        r.getBoolean(10));
                if (r.getBoolean(11)) {
                    try (PreparedStatement used = c.prepareStatement(
                            "UPDATE cairn.api_token SET last_used_at = date_trunc('second', now()) WHERE id = ?")) {
                        used.setString(1, r.getString(6));
                        used.executeUpdate();
                    }
                }
                return new LookedUp(identity, r.getString(6), r.getObject(12, OffsetDateTime.class));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up a token: " + e.getMessage(), e);
        }
    }

    /** The identity of a login session's cookie, or null when the session is unknown or over. */
    public Caller.Identity authenticateSession(String cookie) {
        try (Connection c = database.system().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT " + IDENTITY_COLUMNS + " FROM cairn.login_session l "
                                + "JOIN cairn.app_user u USING (username) WHERE l.secret_sha256 = ? AND l.expires_at > now()")) {
            s.setBytes(1, Secrets.sha256(cookie));
            try (ResultSet r = s.executeQuery()) {
                return r.next() && !r.getBoolean(4) ? identity(r, null, false) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up a session: " + e.getMessage(), e);
        }
    }

    private static Caller.Identity identity(ResultSet r, Set<Long> catalogs, boolean readOnly) throws SQLException {
        String username = r.getString(1);
        Array groups = r.getArray(5);
        List<String> ids = Arrays.stream((String[]) groups.getArray())
                .map(g -> Group.ID_PREFIX + g)
                .toList();
        String display = r.getString(2);
        return new Caller.Identity(
                User.ID_PREFIX + username,
                display == null ? username : display,
                display,
                r.getString(3),
                ids,
                catalogs,
                readOnly);
    }
}
