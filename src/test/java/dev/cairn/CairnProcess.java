package dev.cairn;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cairn started as an operator starts it: the README's {@code bin/run}, on a data folder of its
 * own and a free port, with its output in a log file in that folder.
 */
public final class CairnProcess implements AutoCloseable {

    public static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern EMBEDDED_URL =
            Pattern.compile("Embedded PostgreSQL started: (jdbc:postgresql://localhost:\\d+/)postgres");

    private final Process process;
    private final Path data;
    private final Path log;
    private final Http http;

    private CairnProcess(Process process, Path data, Path log, Http http) {
        this.process = process;
        this.data = data;
        this.log = log;
        this.http = http;
    }

    /** Starts Cairn on the data folder; {@code heap} is its -Xmx, e.g. "384m". */
    public static CairnProcess start(Path data, String heap) throws IOException {
        return start(data, heap, Map.of());
    }

    /** As {@link #start(Path, String)}, with more settings in its environment (S3, an external database...). */
    public static CairnProcess start(Path data, String heap, Map<String, String> environment) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.createDirectories(data);
        Path log = Files.createTempFile(data, "server-", ".log");
        ProcessBuilder builder =
                new ProcessBuilder("bin/run").redirectErrorStream(true).redirectOutput(log.toFile());
        // only what is set here: the test JVM's own CAIRN_* settings are for the Arquillian server
        builder.environment().keySet().removeIf(name -> name.startsWith("CAIRN_"));
        builder.environment().put("CAIRN_DATA_DIR", data.toAbsolutePath().toString());
        builder.environment().put("CAIRN_PORT", String.valueOf(port));
        builder.environment().put("CAIRN_JAVA_OPTS", "-Xmx" + heap);
        builder.environment()
                .put(
                        "CAIRN_NO_BUILD",
                        "true"); // the build made the WAR; a rebuild would clean target/ under the other servers
        builder.environment().putAll(environment);
        return new CairnProcess(builder.start(), data, log, new Http("http://localhost:" + port));
    }

    /** Removes a data folder left by an earlier run. */
    public static void wipe(Path data) throws IOException {
        if (Files.exists(data)) {
            try (var paths = Files.walk(data)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    /** The server as its administrator, once the first start has written the token (before that, anonymous). */
    public Http http() {
        Path token = data.resolve("admin-token");
        try {
            return Files.exists(token) ? http.as(Files.readString(token).trim()) : http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server as whoever holds {@code token} (another node's administrator token, say). */
    public Http as(String token) {
        return http.as(token);
    }

    public Process process() {
        return process;
    }

    public CairnProcess awaitReady() throws InterruptedException {
        try {
            Ready.await(http, START_TIMEOUT, process::isAlive);
        } catch (AssertionError notReady) {
            throw new AssertionError(notReady.getMessage() + "\n" + tail(), notReady);
        }
        return this;
    }

    /** A connection to a database of the embedded PostgreSQL this process started. */
    public Connection database(String name) throws IOException, SQLException {
        Matcher url = EMBEDDED_URL.matcher(log());
        if (!url.find()) {
            throw new AssertionError("the log names no embedded database:\n" + tail());
        }
        return DriverManager.getConnection(
                url.group(1) + name,
                "postgres",
                Files.readString(data.resolve("postgres.secret")).trim());
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public String tail() {
        try {
            String text = log();
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** SIGTERM, as Ctrl-C or a service manager stops it; true if it ended within a minute. */
    public boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /** kill -9: no shutdown at all. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() && !stop()) {
            kill();
        }
    }
}
