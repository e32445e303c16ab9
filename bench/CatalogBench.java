import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The catalog engine's figures, run by bench/catalog.sh against a running Cairn: bulk insert of an
 * asset-like table through the entity API, filtered GETs and sorted pages under 32 concurrent
 * clients, the cost of access control (the same filtered GETs on a table open to anonymous clients
 * and on one readable only through a row-level ACL binding), and a full CSV export with the
 * server's peak resident memory.
 * With CATALOG_BENCH_WRITERS_ONLY=1, only 1 writer against 4 on ROWS rows.
 * Usage: java bench/CatalogBench.java BASE_URL SERVER_PID ROWS
 */
public class CatalogBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        long pid = Long.parseLong(args[1]);
        int rows = Integer.parseInt(args[2]);

        String cid = field(send("POST", base + "/api/catalogs", "{\"name\": \"bench\"}", 201), "id");
        String catalog = base + "/ermrest/catalog/" + cid;
        send("POST", catalog + "/schema/bench", null, 201);
        send("POST", catalog + "/schema/bench/table", """
                {"table_name": "Asset", "column_definitions": [
                  {"name": "Filename", "type": {"typename": "text"}, "nullok": false},
                  {"name": "URL", "type": {"typename": "text"}, "nullok": false},
                  {"name": "Length", "type": {"typename": "int8"}, "nullok": false},
                  {"name": "MD5", "type": {"typename": "text"}, "nullok": false},
                  {"name": "Kind", "type": {"typename": "text"}, "nullok": false},
                  {"name": "Readers", "type": {"typename": "text[]"}}],
                 "keys": [{"unique_columns": ["Filename"]}]}""", 201);

        if (System.getenv("CATALOG_BENCH_WRITERS_ONLY") != null) {  // bench/peers.sh
            writers(catalog, rows);
            return;
        }
        // what ERMrest's column indexes cost an insert: the same rows into a twin table without them
        // (indexing-preferences off), batches alternating between the two, so both see the same machine
        indexCost(catalog, Math.min(rows, 100_000));
        // how inserts into one table scale with concurrent writers
        writers(catalog, Math.min(rows, 100_000));

        // bulk insert, batches of 1,000
        int batch = 1000;
        long t = System.nanoTime();
        for (int b = 0; b < rows / batch; b++) {
            send("POST", catalog + "/entity/bench:Asset", assets(b * batch, batch, ",\"Readers\":[\"group:bench\"]"), 200);
        }
        double insertSeconds = (System.nanoTime() - t) / 1e9;
        System.out.printf("bulk insert %,d rows in batches of %,d: %.1f s, %,.0f rows/s%n", rows, batch, insertSeconds,
                rows / insertSeconds);

        load("GET /entity/bench:Asset/Filename=...", 32, 20, System.getenv("CAIRN_TOKEN"), () ->
                catalog + "/entity/bench:Asset/Filename=file-" + ThreadLocalRandom.current().nextInt(rows) + ".png");
        load("GET /entity/bench:Asset/Kind=...@sort(RID)?limit=100", 32, 20, System.getenv("CAIRN_TOKEN"), () ->
                catalog + "/entity/bench:Asset/Kind=kind-" + ThreadLocalRandom.current().nextInt(20) + "@sort(RID)?limit=100");

        // the cost of access control: the same filtered GETs on the same table, open to anonymous
        // clients, then readable only through a row-level ACL binding (Readers names the client's group)
        String table = catalog + "/schema/bench/table/Asset";
        send("POST", base + "/api/groups", "{\"name\": \"bench\"}", 201);
        send("POST", base + "/api/users", "{\"username\": \"reader\", \"password\": \"bench reader password\", \"groups\": [\"bench\"]}", 201);
        String cookie = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/authn/session"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=reader&password=bench+reader+password")).build(),
                HttpResponse.BodyHandlers.discarding()).headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String token = field(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/tokens")).header("Cookie", cookie)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"bench\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body(), "token");
        send("PUT", catalog + "/acl/enumerate", "[\"*\"]", 204);
        send("PUT", table + "/acl_binding/readers", "{\"types\": [\"select\"], \"projection\": \"Readers\", "
                + "\"projection_type\": \"acl\"}", 204);
        Url byFilename = () -> catalog + "/entity/bench:Asset/Filename=file-" + ThreadLocalRandom.current().nextInt(rows) + ".png";
        // interleaved, twice each, so that warm-up and background work weigh on both alike
        double open = 0;
        double guarded = 0;
        for (int round = 1; round <= 2; round++) {
            send("PUT", table + "/acl/select", "[\"*\"]", 204);
            open += load("GET /entity/bench:Asset/Filename=... anonymous, table open to * (round " + round + ")", 32, 15, null, byFilename);
            send("PUT", table + "/acl/select", "[]", 204);
            guarded += load("GET /entity/bench:Asset/Filename=... bearer token, rows through an ACL binding (round " + round + ")",
                    32, 15, token, byFilename);
        }
        System.out.printf("access control costs %.1f %% of filtered-GET throughput (%,.0f vs %,.0f req/s, mean of two rounds)%n",
                100 * (1 - guarded / open), guarded / 2, open / 2);
        send("PUT", table + "/acl/select", "[\"*\"]", 204);

        // full CSV export, sampling the server's resident memory
        long before = rss(pid);
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean exporting = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (exporting.get()) {
                peak.accumulateAndGet(rss(pid), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        t = System.nanoTime();
        HttpResponse<InputStream> csv = HTTP.send(request(URI.create(catalog + "/entity/bench:Asset?accept=csv"))
                .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        long bytes;
        long lines = 0;
        try (InputStream in = csv.body()) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
            bytes = total;
        }
        double exportSeconds = (System.nanoTime() - t) / 1e9;
        exporting.set(false);
        sampler.join();
        System.out.printf("CSV export of %,d rows (%,d MB): %.1f s; server RSS %,d MB before, %,d MB peak during%n",
                lines - 1, bytes / 1_000_000, exportSeconds, before / 1024, peak.get() / 1024);
    }

    interface Url {
        String next();
    }

    /** Requests from {@code clients} threads for {@code seconds}, with a bearer token (null: anonymous); returns req/s. */
    static double load(String label, int clients, int seconds, String token, Url url) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<long[]>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            results.add(pool.submit(() -> {
                long[] latencies = new long[200_000];
                int n = 0;
                while (System.nanoTime() < end && n < latencies.length) {
                    long s = System.nanoTime();
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.next()));
                    if (token != null) {
                        request.header("Authorization", "Bearer " + token);
                    }
                    HttpResponse<Void> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(label + ": " + r.statusCode());
                    }
                    latencies[n++] = System.nanoTime() - s;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<Long> all = new ArrayList<>();
        try {
            for (Future<long[]> f : results) {
                for (long l : f.get()) {
                    all.add(l);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s, %d clients, %d s: %,.0f req/s, p50 %.1f ms, p99 %.1f ms%n", label, clients, seconds,
                sorted.length / (double) seconds, sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 99 / 100] / 1e6);
        return sorted.length / (double) seconds;
    }

    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception gone) {
            // the process ended
        }
        return 0;
    }

    static String send(String method, String url, String json, int expected) throws Exception {
        HttpRequest.Builder request = request(URI.create(url)).timeout(Duration.ofMinutes(5))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(at, json.indexOf('"', at));
    }

    /** A request sent as the administrator whose first-start token bench/lib.sh exports. */
    static HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        String token = System.getenv("CAIRN_TOKEN");
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    /** Inserts the same rows into two twin tables, with and without the column indexes, and prints both rates. */
    static void indexCost(String catalog, int rows) throws Exception {
        String columns = """
                "column_definitions": [
                  {"name": "Filename", "type": {"typename": "text"}, "nullok": false},
                  {"name": "URL", "type": {"typename": "text"}, "nullok": false},
                  {"name": "Length", "type": {"typename": "int8"}, "nullok": false},
                  {"name": "MD5", "type": {"typename": "text"}, "nullok": false},
                  {"name": "Kind", "type": {"typename": "text"}, "nullok": false}],
                 "keys": [{"unique_columns": ["Filename"]}]""";
        send("POST", catalog + "/schema/bench/table", "{\"table_name\": \"Indexed\", " + columns + "}", 201);
        send("POST", catalog + "/schema/bench/table", "{\"table_name\": \"Plain\", " + columns
                + ", \"annotations\": {\"tag:isrd.isi.edu,2018:indexing-preferences\": {\"btree\": false, \"trgm\": false}}}", 201);
        int batch = 1000;
        long[] nanos = new long[2];
        String[] tables = {"Indexed", "Plain"};
        for (int b = 0; b < rows / batch; b++) {
            String body = assets(b * batch, batch, "");
            for (int k = 0; k < 2; k++) {
                int which = (b + k) % 2;
                long t = System.nanoTime();
                send("POST", catalog + "/entity/bench:" + tables[which], body, 200);
                nanos[which] += System.nanoTime() - t;
            }
        }
        double indexed = rows / (nanos[0] / 1e9), plain = rows / (nanos[1] / 1e9);
        System.out.printf("insert cost of the column indexes (%,d rows, batches of %,d, alternating): "
                + "%,.0f rows/s with them (btrees on Length, RCT, RMT, RCB, RMB; trigram indexes on the 4 text columns), %,.0f rows/s without: %.2fx%n",
                rows, batch, indexed, plain, indexed / plain);
    }

    /** The same number of rows into one table by 1 writer, then by 4 at once; prints both rates and the ratio. */
    static void writers(String catalog, int rows) throws Exception {
        send("POST", catalog + "/schema/bench/table", """
                {"table_name": "Shared", "column_definitions": [
                  {"name": "Filename", "type": {"typename": "text"}, "nullok": false},
                  {"name": "Length", "type": {"typename": "int8"}, "nullok": false},
                  {"name": "Kind", "type": {"typename": "text"}, "nullok": false}]}""", 201);
        int batch = 1000;
        int batches = rows / batch / 2;
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        double[] rates = new double[2];
        int[] counts = {1, 4};
        for (int k = 0; k < 2; k++) {
            int writers = counts[k];
            int each = batches / writers;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> done = new ArrayList<>();
            long t = System.nanoTime();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    for (int b = 0; b < each; b++) {
                        StringBuilder json = new StringBuilder("[");
                        for (int i = 0; i < batch; i++) {
                            int n = next.incrementAndGet();
                            json.append(i == 0 ? "" : ",").append("{\"Filename\":\"f-").append(n)
                                    .append("\",\"Length\":").append(n % 5000).append(",\"Kind\":\"k-").append(n % 20).append("\"}");
                        }
                        send("POST", catalog + "/entity/bench:Shared", json.append(']').toString(), 200);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            rates[k] = (double) each * writers * batch / ((System.nanoTime() - t) / 1e9);
        }
        System.out.printf("inserts into one table, batches of %,d: 1 writer %,.0f rows/s, 4 writers at once %,.0f rows/s: %.2fx%n",
                batch, rates[0], rates[1], rates[1] / rates[0]);
    }

    /** {@code count} asset rows from row {@code first} on, as a JSON array; {@code extra} adds fields to each. */
    static String assets(int first, int count, String extra) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            int n = first + i;
            String md5 = String.format("%032x", (long) n * 2654435761L);
            json.append(i == 0 ? "" : ",").append("{\"Filename\":\"file-").append(n).append(".png\",\"URL\":\"/hatrac/bench/")
                    .append(md5).append(".file-").append(n).append(".png\",\"Length\":").append(1000 + n % 5000)
                    .append(",\"MD5\":\"").append(md5).append("\",\"Kind\":\"kind-").append(n % 20).append('"')
                    .append(extra).append('}');
        }
        return json.append(']').toString();
    }
}
