package dev.cairn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.Http.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same {@code cairn.war} on a second Jakarta EE server: Eclipse GlassFish 7 (full platform,
 * from Maven Central), deployed with {@code asadmin} as an operator would. It starts, migrates and
 * serves the README's first examples: a catalog, a table, rows, an object, the OpenAPI document
 * and the metrics. Cairn starts its embedded PostgreSQL there too. GlassFish 7 refuses (503) every
 * path with a colon before any application sees it, so ERMrest's qualified names ({@code S:T})
 * and Hatrac's version URLs do not work there (see docs/operations.md).
 */
class GlassFishIT {

    private static final Path HOME = Path.of(System.getProperty("it.data.dir", "target/it-data"), "glassfish");
    private static final Path DATA = HOME.resolve("cairn-data");
    private static final String DOMAIN = "cairn";
    private static Path asadmin;
    private static int adminPort;
    private static Http http;

    @BeforeAll
    static void deployOnGlassFish() throws Exception {
        CairnProcess.wipe(HOME);
        Files.createDirectories(DATA);
        unzip(Path.of(System.getProperty("glassfish.zip")), HOME);
        asadmin = HOME.resolve("glassfish7/bin/asadmin");
        int base = portBase();
        adminPort = base + 48;
        run(Duration.ofMinutes(2), "create-domain", "--nopassword=true", "--portbase", String.valueOf(base), DOMAIN);
        run(Duration.ofMinutes(3), "start-domain", DOMAIN);
        run(
                Duration.ofMinutes(5),
                "--port",
                String.valueOf(adminPort),
                "deploy",
                "--contextroot",
                "/",
                "--name",
                "cairn",
                System.getProperty("cairn.war"));
        http = new Http("http://localhost:" + (base + 80));
        // deploy returns once the application started (its start-up beans ran): no MicroProfile Health here
        Reply ready = http.get("/api/ready");
        assertEquals(204, ready.status(), () -> ready + serverLog());
        assertEquals(200, http.get("/api/catalogs").status());
        http = http.as(Files.readString(DATA.resolve("admin-token")).trim());
    }

    @AfterAll
    static void stopGlassFish() throws Exception {
        if (asadmin != null && Files.exists(asadmin)) {
            run(Duration.ofMinutes(2), "stop-domain", "--kill=false", DOMAIN);
        }
    }

    @Test
    void servesTheReadmeExamples() throws IOException {
        try {
            readmeExamples();
        } catch (AssertionError failed) {
            throw new AssertionError(failed.getMessage() + serverLog(), failed);
        }
    }

    private void readmeExamples() throws IOException {
        Reply catalog = http.postJson(
                "/api/catalogs", "{\"name\": \"demo\", \"description\": \"on GlassFish\", \"domainSchema\": \"demo\"}");
        assertEquals(201, catalog.status(), catalog::toString);
        String cat = "/ermrest/catalog/" + catalog.json().getString("id");
        Reply table = http.send(
                "POST",
                cat + "/schema/demo/table",
                "application/json",
                "{\"table_name\": \"Subject\", \"column_definitions\": [{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}]}");
        assertEquals(201, table.status(), table::toString);
        // unqualified table names: GlassFish 7 answers 503 to any path with a colon (demo:Subject)
        // before the application sees it (its JACC check, eclipse-ee4j/exousia#37)
        Reply rows = http.send(
                "POST", cat + "/entity/Subject", "application/json", "[{\"Name\": \"s1\"}, {\"Name\": \"s2\"}]");
        assertEquals(200, rows.status(), rows::toString);
        Reply read = http.get(cat + "/entity/Subject/Name=s2");
        assertEquals("s2", read.jsonArray().getJsonObject(0).getString("Name"));
        assertEquals(400, http.get(cat + "/entity/Subject?limit=x").status());

        String ns = "/hatrac/gf-" + UUID.randomUUID();
        assertEquals(
                201,
                http.send("PUT", ns, "application/x-hatrac-namespace", null).status());
        Reply put = http.put(ns + "/hello.txt", "hello, glassfish".getBytes(), "Content-Type", "text/plain");
        assertEquals(201, put.status(), put::toString);
        assertEquals("hello, glassfish", http.get(ns + "/hello.txt").body());

        Reply problem = http.get("/api/catalogs/999999");
        assertEquals(404, problem.status());
        assertEquals("application/problem+json", problem.contentType());

        Reply openapi = http.get("/openapi?format=json");
        assertEquals(200, openapi.status());
        assertTrue(openapi.json().getJsonObject("paths").containsKey("/hatrac/{path}"));
        Reply metrics = http.get("/metrics");
        assertEquals(200, metrics.status(), metrics::toString);
        assertTrue(metrics.body().contains("cairn_http_requests_seconds_count{api=\"ermrest\""), metrics.body());
        assertEquals(200, http.anonymous().get("/").status());
    }

    private static int portBase() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + 100 * (int) (Math.random() * 300);
            if (free(base + 48)
                    && free(base + 80)
                    && free(base + 81)
                    && free(base + 37)
                    && free(base + 76)
                    && free(base + 86)
                    && free(base + 38)
                    && free(base + 39)
                    && free(base + 66)
                    && free(base + 9)) {
                return base;
            }
        }
        throw new IOException("no free GlassFish port base");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs asadmin; the server it starts inherits this environment, Cairn's data folder included. */
    private static void run(Duration timeout, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(asadmin.toString(), "--interactive=false"));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile(HOME, "asadmin-", ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("CAIRN_"));
        environment.put("CAIRN_DATA_DIR", DATA.toAbsolutePath().toString());
        environment.put("AS_JAVA", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    "asadmin " + String.join(" ", arguments) + " did not end:\n" + Files.readString(log));
        }
        assertEquals(
                0,
                process.exitValue(),
                () -> "asadmin " + String.join(" ", arguments) + " failed:\n" + read(log) + serverLog());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String serverLog() {
        Path log = HOME.resolve("glassfish7/glassfish/domains/" + DOMAIN + "/logs/server.log");
        String text = Files.exists(log) ? read(log) : "";
        return "\nserver.log:\n" + text.substring(Math.max(0, text.length() - 6000));
    }

    private static void unzip(Path zip, Path into) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                if (target.getParent().getFileName().toString().equals("bin")) {
                    target.toFile().setExecutable(true);
                }
            }
        }
    }
}
