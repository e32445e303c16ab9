package dev.cairn.security.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Database;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * On a start with no users, creates the administrator {@code admin}: with the password
 * {@code CAIRN_ADMIN_PASSWORD} when that is set, otherwise with a personal API token written to
 * {@code $CAIRN_DATA_DIR/admin-token} (mode 0600) and named in the log. Nodes starting together
 * race safely: only the one that creates the user writes the token.
 */
@Startup
@Singleton
public class FirstStart {

    private static final Logger LOG = Logger.getLogger(FirstStart.class.getName());
    public static final String TOKEN_FILE = "admin-token";

    @Inject
    Database database;

    @Inject
    Identities identities;

    @PostConstruct
    void createAdministrator() {
        if (!database.migrated() || identities.anyUser()) {
            return;
        }
        String password = ConfigProvider.getConfig(FirstStart.class.getClassLoader())
                .getOptionalValue("cairn.admin.password", String.class)
                .filter(p -> !p.isEmpty())
                .orElse(null);
        try {
            identities.createUser(
                    "admin", new Identities.UserChange(password, "Administrator", null, List.of("admin"), false));
        } catch (CairnException.Conflict anotherNodeWasFirst) {
            return;
        }
        if (password != null) {
            LOG.info("First start: created the administrator 'admin' with the password from CAIRN_ADMIN_PASSWORD.");
            return;
        }
        Identities.NewToken token = identities.createToken(
                "admin",
                "first start",
                OffsetDateTime.now().plus(Identities.MAX_TOKEN_LIFETIME).minusMinutes(1),
                null,
                false);
        Path file = database.config().dataDir().resolve(TOKEN_FILE);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(
                    file.getParent(),
                    TOKEN_FILE,
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, token.secret() + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.setPosixFilePermissions(file, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot write the administrator's token to " + file + ": " + e.getMessage(), e);
        }
        LOG.info(() -> "First start: created the administrator 'admin'; its API token (valid "
                + (Identities.MAX_TOKEN_LIFETIME.toDays() - 1) + " days) is in " + file
                + ". Send it as Authorization: Bearer <token>.");
    }
}
