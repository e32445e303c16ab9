package dev.cairn.security.boundary;

import dev.cairn.security.entity.Group;
import dev.cairn.security.entity.Token;
import dev.cairn.security.entity.User;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** The JSON shapes of users, groups and tokens; never a password hash or a token's secret. */
public final class IdentityViews {

    private IdentityViews() {}

    @JsonbPropertyOrder({"username", "id", "displayName", "email", "groups", "disabled", "hasPassword", "createdAt"})
    public record UserView(
            String username,
            String id,
            @JsonbProperty("display_name") String displayName,
            String email,
            List<String> groups,
            boolean disabled,
            @JsonbProperty("has_password") boolean hasPassword,
            @JsonbProperty("created_at") OffsetDateTime createdAt) {
        public static UserView of(User user) {
            return new UserView(
                    user.username(),
                    user.clientId(),
                    user.displayName(),
                    user.email(),
                    List.copyOf(user.groups()),
                    user.disabled(),
                    user.passwordHash() != null,
                    user.createdAt());
        }
    }

    @JsonbPropertyOrder({"name", "id", "displayName", "createdAt"})
    public record GroupView(
            String name,
            String id,
            @JsonbProperty("display_name") String displayName,
            @JsonbProperty("created_at") OffsetDateTime createdAt) {
        public static GroupView of(Group group) {
            return new GroupView(group.name(), group.id(), group.displayName(), group.createdAt());
        }
    }

    public record Scopes(
            List<Long> catalogs, @JsonbProperty("read_only") boolean readOnly) {}

    @JsonbPropertyOrder({"id", "name", "token", "username", "createdAt", "expires", "scopes", "lastUsed", "revoked"})
    public record TokenView(
            String id,
            String name,
            String token,
            String username,
            @JsonbProperty("created_at") OffsetDateTime createdAt,
            OffsetDateTime expires,
            Scopes scopes,
            @JsonbProperty("last_used") OffsetDateTime lastUsed,
            OffsetDateTime revoked) {
        public static TokenView of(Token token, String secret) {
            List<Long> catalogs = token.catalogs() == null
                    ? null
                    : Arrays.stream(token.catalogs().split(","))
                            .map(Long::valueOf)
                            .toList();
            return new TokenView(
                    token.id(),
                    token.name(),
                    secret,
                    token.username(),
                    token.createdAt(),
                    token.expiresAt(),
                    new Scopes(catalogs, token.readOnly()),
                    token.lastUsedAt(),
                    token.revokedAt());
        }
    }
}
