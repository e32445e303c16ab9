package dev.cairn.platform;

import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Cairn's settings, read through MicroProfile Config so that each can come from an environment
 * variable ({@code CAIRN_DATA_DIR} for {@code cairn.data.dir}), a system property or any other
 * config source.
 */
public record CairnConfig(
        Path dataDir, Optional<String> dbUrl, String dbUser, String dbPassword, boolean exitOnStartupFailure) {

    public static CairnConfig load() {
        Config config = ConfigProvider.getConfig(CairnConfig.class.getClassLoader());
        Path dataDir = Path.of(
                        config.getOptionalValue("cairn.data.dir", String.class).orElse("cairn-data"))
                .toAbsolutePath()
                .normalize();
        return new CairnConfig(
                dataDir,
                config.getOptionalValue("cairn.db.url", String.class).filter(s -> !s.isBlank()),
                config.getOptionalValue("cairn.db.user", String.class).orElse("postgres"),
                config.getOptionalValue("cairn.db.password", String.class).orElse(""),
                config.getOptionalValue("cairn.exit.on.startup.failure", Boolean.class)
                        .orElse(true));
    }

    /** The same settings with another database password (the embedded server's generated one). */
    public CairnConfig withDbPassword(String password) {
        return new CairnConfig(dataDir, dbUrl, dbUser, password, exitOnStartupFailure);
    }
}
