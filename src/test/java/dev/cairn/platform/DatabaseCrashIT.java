package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnProcess;
import dev.cairn.Http;
import dev.cairn.Http.Reply;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cairn survives its database while four clients insert rows. The embedded PostgreSQL's postmaster
 * is killed with {@code kill -9} ten times; an external PostgreSQL ({@code CAIRN_DB_URL}) is stopped
 * and started again five times. Each time Cairn notices, refuses requests at once with 503 and a
 * Retry-After while the database is away, and serves again by itself once it is back (the embedded
 * one it starts again on the same data). At the end every insert that was acknowledged is there
 * exactly once, and no request got any other 5xx.
 */
class DatabaseCrashIT {

    private static final Path ROOT = Path.of(System.getProperty("it.data.dir", "target/it-data"));

    private CairnProcess server;
    private EmbeddedPostgres external;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (external != null) {
            external.close();
        }
    }

    /** How the database goes away, and how it comes back (by itself for the embedded one). */
    private interface Outage {
        void begin() throws Exception;

        /** How long the clients see the database away before {@link #end}. */
        Duration away();

        void end() throws Exception;
    }

    @Test
    void theEmbeddedPostgresIsStartedAgainAndNothingAcknowledgedIsLost() throws Exception {
        Path data = ROOT.resolve("database-crash");
        CairnProcess.wipe(data);
        server = CairnProcess.start(data, "512m").awaitReady();
        survives("kills of the embedded postmaster", 10, new Outage() {
            @Override
            public void begin() throws Exception {
                String pid = Files.readAllLines(data.resolve("postgres/postmaster.pid"))
                        .get(0)
                        .trim();
                ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
                postmaster.destroyForcibly();
                postmaster.onExit().get();
            }

            @Override
            public Duration away() {
                return Duration.ofSeconds(4); // Cairn starts it again meanwhile
            }

            @Override
            public void end() {}
        });
        assertTrue(Files.exists(data.resolve("postgres/postmaster.pid")));
    }

    @Test
    void anExternalPostgresStoppedAndStartedIsReconnectedAndNothingAcknowledgedIsLost() throws Exception {
        Path data = ROOT.resolve("database-external");
        CairnProcess.wipe(data);
        Path folder = data.resolve("postgres");
        external = EmbeddedPostgres.builder()
                .setDataDirectory(folder)
                .setCleanDataDirectory(false) // else closing it (the outage) would delete its data
                .start();
        int port = external.getPort();
        try (Connection c = external.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE DATABASE cairn");
        }
        server = CairnProcess.start(
                        data.resolve("cairn"),
                        "512m",
                        Map.of(
                                "CAIRN_DB_URL",
                                "jdbc:postgresql://localhost:" + port + "/cairn",
                                "CAIRN_DB_USER",
                                "postgres"))
                .awaitReady();
        survives("stops of an external PostgreSQL", 5, new Outage() {
            @Override
            public void begin() throws Exception {
                external.close(); // pg_ctl stop: the server ends its connections and goes away
                external = null;
            }

            @Override
            public Duration away() {
                return Duration.ofSeconds(3);
            }

            @Override
            public void end() throws Exception {
                external = EmbeddedPostgres.builder()
                        .setDataDirectory(folder)
                        .setCleanDataDirectory(false)
                        .setPort(port)
                        .start();
            }
        });
    }

    private void survives(String what, int outages, Outage outage) throws Exception {
        Http admin = server.http();
        String cid =
                admin.postJson("/api/catalogs", "{\"name\": \"crash\"}").json().getString("id");
        String catalog = "/ermrest/catalog/" + cid;
        assertEquals(201, admin.postJson(catalog + "/schema/w", "{}").status());
        assertEquals(
                201,
                admin.postJson(
                                catalog + "/schema/w/table",
                                "{\"table_name\": \"Row\", \"column_definitions\": [{\"name\": \"N\", \"type\": {\"typename\": \"int4\"}}]}")
                        .status());

        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> otherFailures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicLong slowestRefusedWrite = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Thread writer = new Thread(() -> {
                while (running.get()) {
                    int n = next.incrementAndGet();
                    try {
                        long sent = System.nanoTime();
                        Reply r = admin.postJson(catalog + "/entity/w:Row", "[{\"N\": " + n + "}]");
                        statuses.merge(r.status(), 1, Integer::sum);
                        if (r.status() == 503) {
                            slowestRefusedWrite.accumulateAndGet(
                                    Duration.ofNanos(System.nanoTime() - sent).toMillis(), Math::max);
                        }
                        if (r.status() == 200) {
                            acknowledged.add(n);
                        } else if (r.status() != 503) {
                            otherFailures.add(r.status() + " " + r.body());
                        } else {
                            Thread.sleep(50);
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException broken) {
                        otherFailures.add("no answer: " + broken);
                    }
                }
            });
            writer.start();
            writers.add(writer);
        }

        // after each kill, a client reads every 50 ms for 4 s: it gets rows or a 503 with Retry-After,
        // and once Cairn has noticed (a second after the kill at most), each refusal comes within a second
        List<Long> heal = new ArrayList<>();
        List<Long> slowest = new ArrayList<>();
        int refusals = 0;
        String probe = catalog + "/aggregate/w:Row/n:=cnt(*)";
        for (int kill = 0; kill < outages; kill++) {
            Thread.sleep(1500);
            long killed = System.nanoTime();
            outage.begin();
            long slow = 0;
            long backAt = -1;
            boolean away = false;
            boolean ended = false;
            // probe while it is away, and after it is back until reads are served again (15 s at most)
            while (System.nanoTime() - killed < outage.away().plusSeconds(15).toNanos()) {
                if (!ended && System.nanoTime() - killed > outage.away().toNanos()) {
                    outage.end();
                    ended = true;
                }
                long t = System.nanoTime();
                Reply r = admin.get(probe);
                long took = System.nanoTime() - t;
                if (r.status() == 503 && t - killed > Duration.ofSeconds(1).toNanos()) {
                    slow = Math.max(slow, took);
                }
                if (r.status() == 503) {
                    refusals++;
                    away = true;
                    assertTrue(r.header("Retry-After").isPresent(), "a 503 says when to retry");
                    assertTrue(r.contentType().startsWith("application/problem+json"), r::toString);
                } else if (r.status() == 200) {
                    if (away && backAt < 0) {
                        backAt = System.nanoTime() - killed;
                    }
                    if (ended) {
                        break;
                    }
                } else {
                    otherFailures.add("a read after kill " + kill + ": " + r);
                }
                Thread.sleep(50);
            }
            if (!ended) {
                outage.end();
            }
            Reply healthy = admin.get(probe);
            assertEquals(200, healthy.status(), "serves again by itself after outage " + kill + ":\n" + server.tail());
            heal.add(backAt < 0 ? -1 : Duration.ofNanos(backAt).toMillis());
            slowest.add(Duration.ofNanos(slow).toMillis());
        }
        Thread.sleep(1000);
        running.set(false);
        for (Thread writer : writers) {
            writer.join(120_000);
        }

        assertTrue(otherFailures.isEmpty(), "only rows or 503s: " + otherFailures);
        assertTrue(refusals > 0, "requests were refused with 503 while the database was away");
        for (long ms : slowest) {
            assertTrue(ms < 1000, "once noticed, every refusal came within a second: " + slowest);
        }
        List<Integer> stored = new ArrayList<>();
        for (JsonValue row :
                admin.get(catalog + "/attribute/w:Row/N?limit=none").jsonArray()) {
            stored.add(row.asJsonObject().getInt("N"));
        }
        assertEquals(stored.size(), Set.copyOf(stored).size(), "no insert is stored twice");
        assertTrue(Set.copyOf(stored).containsAll(acknowledged), "every acknowledged insert is stored");
        System.out.printf(
                "DatabaseCrashIT: %d %s; reads served again after %s ms from the outage's start (-1: never refused);"
                        + " slowest 503 per outage once noticed %s ms; %d refusals; inserts by status %s, %d acknowledged;"
                        + " slowest refused insert %d ms%n",
                outages, what, heal, slowest, refusals, statuses, acknowledged.size(), slowestRefusedWrite.get());
        // an insert in flight when the database went away, or waiting for a connection, is refused within
        // the watch's notice (half a second) and one slice of waiting (a second), with room for a slow machine
        assertTrue(
                slowestRefusedWrite.get() < 5_000,
                "inserts are refused quickly, not after the pool's whole wait: " + slowestRefusedWrite.get() + " ms");
        for (long ms : heal) {
            assertTrue(
                    ms < outage.away().toMillis() + 8_000,
                    "reads resume within seconds of the database's return: " + heal + " ms");
        }
    }
}
