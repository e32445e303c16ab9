import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A soak: CLIENTS clients for MINUTES minutes against one Cairn, mixing what its users do (filtered
 * entity reads and pages, Hatrac GETs with Range, row inserts, PUTs of 4 KiB to 50 MB, chunked
 * upload jobs, execution stage and commit, registry queries, web pages). Every 30 s it samples the
 * server: the heap after a full GC (jcmd GC.run, then the used heap from /metrics), the process's
 * RSS, threads, open file descriptors and database connections. At the end: requests, 5xx and
 * time-outs per kind with p50/p99, the samples, and whether the aims hold (0 5xx, 0 time-outs, the
 * heap after GC of the last third within 10 % of the first third, no growth of threads,
 * connections or file descriptors).
 * Usage: java bench/Soak.java BASE_URL ADMIN_TOKEN SERVER_PID MINUTES CLIENTS
 */
public class Soak {

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Pattern RID = Pattern.compile("\"RID\":\"([^\"]+)\"");

    static String base;
    static String token;
    static String cid;
    static String api;
    static String catalog;
    static String workflow;
    static final List<String> objects = new ArrayList<>();
    static final long BIG = 50L << 20;

    record Kind(String name, int weight) {}

    static final List<Kind> KINDS = List.of(
            new Kind("entity-get", 30),
            new Kind("entity-page", 15),
            new Kind("hatrac-range", 15),
            new Kind("insert", 10),
            new Kind("put", 8),
            new Kind("chunked-job", 4),
            new Kind("execution-commit", 2),
            new Kind("registry-query", 8),
            new Kind("web-page", 8));

    static final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> timeouts = new ConcurrentHashMap<>();
    static final List<String> firstFailures = Collections.synchronizedList(new ArrayList<>());
    static final AtomicLong names = new AtomicLong();

    public static void main(String[] args) throws Exception {
        base = args[0];
        token = args[1];
        long pid = Long.parseLong(args[2]);
        int minutes = Integer.parseInt(args[3]);
        int clients = Integer.parseInt(args[4]);
        setUp();
        for (Kind k : KINDS) {
            latencies.put(k.name(), Collections.synchronizedList(new ArrayList<>()));
            failures.put(k.name(), new AtomicInteger());
            timeouts.put(k.name(), new AtomicInteger());
        }
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Random random = new Random(c);
            Thread t = new Thread(() -> {
                while (running.get()) {
                    Kind kind = pick(random);
                    long t0 = System.nanoTime();
                    try {
                        run(kind.name(), random);
                        latencies.get(kind.name()).add((System.nanoTime() - t0) / 1_000_000);
                    } catch (java.net.http.HttpTimeoutException e) {
                        timeouts.get(kind.name()).incrementAndGet();
                        note(kind.name() + ": time-out");
                    } catch (Exception e) {
                        failures.get(kind.name()).incrementAndGet();
                        note(kind.name() + ": " + e.getMessage());
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        List<long[]> samples = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
        System.out.println("# minute heap_after_gc_mb rss_mb threads open_fds db_connections requests");
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(30_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            long[] s = sample(pid);
            samples.add(s);
            long done = latencies.values().stream().mapToLong(List::size).sum();
            System.out.printf(
                    "%6.1f %8d %8d %6d %6d %6d %8d%n",
                    samples.size() * 0.5, s[0] >> 20, s[1] >> 20, s[2], s[3], s[4], done);
        }
        running.set(false);
        for (Thread t : threads) {
            t.join(120_000);
        }
        report(samples, minutes, clients);
    }

    static Kind pick(Random random) {
        int total = KINDS.stream().mapToInt(Kind::weight).sum();
        int n = random.nextInt(total);
        for (Kind k : KINDS) {
            n -= k.weight();
            if (n < 0) {
                return k;
            }
        }
        throw new AssertionError();
    }

    static void note(String failure) {
        if (firstFailures.size() < 20) {
            firstFailures.add(failure);
        }
    }

    // ---- setup: a catalog with 20,000 rows, objects to read, an asset table and a workflow

    static void setUp() throws Exception {
        cid = field(send("POST", "/api/catalogs", "application/json", "{\"name\": \"soak\", \"domainSchema\": \"soak\"}", 201), "id");
        api = "/api/catalogs/" + cid;
        catalog = "/ermrest/catalog/" + cid;
        send("POST", catalog + "/schema/soak/table", "application/json", """
                {"table_name": "Item", "column_definitions": [
                  {"name": "Name", "type": {"typename": "text"}, "nullok": false},
                  {"name": "Kind", "type": {"typename": "text"}},
                  {"name": "Size", "type": {"typename": "int8"}},
                  {"name": "Note", "type": {"typename": "text"}}],
                 "keys": [{"unique_columns": ["Name"]}]}""", 201);
        for (int b = 0; b < 20; b++) {
            send("POST", catalog + "/entity/soak:Item", "application/json", rows(1000), 200);
        }
        send("PUT", "/hatrac/soak-" + cid, "application/x-hatrac-namespace", null, 201);
        for (long size : new long[] {4096, 1 << 20, 16 << 20}) {
            String name = "/hatrac/soak-" + cid + "/read-" + size;
            put(name, size);
            objects.add(name + "|" + size);
        }
        send("POST", api + "/asset-tables", "application/json", "{\"name\": \"Scan\"}", 201);
        workflow = field(
                send("POST", api + "/workflows", "application/json", "{\"name\": \"soak\", \"type\": \"Training\"}", 201),
                "RID");
        StringBuilder assets = new StringBuilder("[");
        for (int i = 0; i < 2000; i++) {
            assets.append(i == 0 ? "" : ",")
                    .append("{\"Name\": \"model-")
                    .append(i / 10)
                    .append("\", \"Version\": \"1.")
                    .append(i % 10)
                    .append(".0\", \"Tags\": [\"tag-")
                    .append(i % 40)
                    .append("\"], \"Metadata\": {\"task\": \"task-")
                    .append(i % 25)
                    .append("\", \"accuracy\": ")
                    .append((i % 100) / 100.0)
                    .append("}}");
        }
        send("POST", catalog + "/entity/deriva-ml:Registered_Asset?defaults=RID", "application/json",
                assets.append(']').toString(), 200);
        System.out.println("# set up catalog " + cid + ": 20,000 rows, 3 objects to read (to 16 MiB), 2,000 registered assets");
    }

    static String rows(int n) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            long id = names.incrementAndGet();
            json.append(i == 0 ? "" : ",")
                    .append("{\"Name\": \"item-")
                    .append(id)
                    .append("\", \"Kind\": \"kind-")
                    .append(id % 20)
                    .append("\", \"Size\": ")
                    .append(id * 7 % 100_000)
                    .append(", \"Note\": ")
                    .append(id % 5 == 0 ? "null" : "\"note " + id + "\"")
                    .append('}');
        }
        return json.append(']').toString();
    }

    // ---- the kinds of work

    static void run(String kind, Random r) throws Exception {
        switch (kind) {
            case "entity-get" -> send("GET", catalog + "/entity/soak:Item/Kind=kind-" + r.nextInt(20) + "/Size::lt::"
                    + r.nextInt(100_000) + "?limit=50", null, null, 200);
            case "entity-page" -> send("GET", catalog + "/entity/soak:Item@sort(Size::desc::,RID)@after(" + r.nextInt(100_000)
                    + ",0)?limit=100", null, null, 200);
            case "hatrac-range" -> {
                String[] o = objects.get(r.nextInt(objects.size())).split("\\|");
                long size = Long.parseLong(o[1]);
                long from = r.nextLong(size);
                long to = Math.min(size - 1, from + r.nextInt(256 << 10));
                HttpResponse<byte[]> got = HTTP.send(request(o[0]).header("Range", "bytes=" + from + "-" + to).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                check(got.statusCode(), 206, got.body());
                if (got.body().length != to - from + 1) {
                    throw new IOException("a range of " + (to - from + 1) + " bytes came as " + got.body().length);
                }
            }
            case "insert" -> send("POST", catalog + "/entity/soak:Item", "application/json", rows(10), 200);
            case "put" -> {
                // mostly small; one in 40 of 50 MiB
                long size = r.nextInt(40) == 0 ? BIG : r.nextInt(10) == 0 ? (1 + r.nextInt(8)) << 20 : 4096;
                put("/hatrac/soak-" + cid + "/put-" + names.incrementAndGet(), size);
            }
            case "chunked-job" -> {
                String object = "/hatrac/soak-" + cid + "/job-" + names.incrementAndGet();
                int chunk = 1 << 20;
                HttpResponse<byte[]> created = send("POST", object + ";upload", "application/json",
                        "{\"chunk-length\": " + chunk + ", \"content-length\": " + (3 * chunk) + "}", 201);
                String job = created.headers().firstValue("Location").orElseThrow().replaceFirst("^https?://[^/]+", "");
                for (int c = 0; c < 3; c++) {
                    HttpResponse<byte[]> sent = HTTP.send(request(job + "/" + c).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(chunk, c)))
                            .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofByteArray());
                    check(sent.statusCode(), 204, sent.body());
                }
                send("POST", job, null, null, 201);
            }
            case "execution-commit" -> {
                String execution = field(send("POST", api + "/executions", "application/json",
                        "{\"workflow\": \"" + workflow + "\"}", 201), "RID");
                send("PUT", api + "/executions/" + execution + "/status", "application/json", "{\"status\": \"Running\"}", 200);
                for (int f = 0; f < 5; f++) {
                    HttpResponse<byte[]> staged = HTTP.send(request(api + "/executions/" + execution + "/outputs/Scan/f" + f + ".bin")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(16 << 10, (int) names.incrementAndGet())))
                            .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofByteArray());
                    check(staged.statusCode(), 201, staged.body());
                }
                send("PUT", api + "/executions/" + execution + "/status", "application/json", "{\"status\": \"Stopped\"}", 200);
                send("POST", api + "/executions/" + execution + "/commit", "application/json", "", 200);
            }
            case "registry-query" -> send("POST", "/aios/" + cid + "/assets?limit=100", "application/json",
                    r.nextBoolean()
                            ? "{\"asset_tags\": {\"$in\": [\"tag-" + r.nextInt(40) + "\"]}}"
                            : "{\"asset_metadata.task\": \"task-" + r.nextInt(25) + "\", \"asset_metadata.accuracy\": {\"$gte\": 0.5}}",
                    200);
            case "web-page" -> {
                HttpResponse<byte[]> page = HTTP.send(request("/web/" + cid + "/table/soak:Item?f.Kind=kind-" + r.nextInt(20)
                        + "&open=Kind").header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                check(page.statusCode(), 200, page.body());
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    static void put(String name, long size) throws Exception {
        HttpResponse<byte[]> put = HTTP.send(request(name).PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(size)), size))
                .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofByteArray());
        check(put.statusCode(), 201, put.body());
    }

    /** {@code size} bytes, generated as they are read (a 50 MiB PUT holds no 50 MiB array). */
    static final class Zeros extends java.io.InputStream {
        long left;

        Zeros(long size) {
            left = size;
        }

        @Override
        public int read() {
            return left-- > 0 ? (int) (left & 0x7f) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((left - i) & 0x7f);
            }
            left -= n;
            return n;
        }
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ---- HTTP

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
    }

    static HttpResponse<byte[]> send(String method, String path, String type, String body, int expected) throws Exception {
        HttpRequest.Builder b = request(path).method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        check(r.statusCode(), expected, r.body());
        return r;
    }

    static void check(int status, int expected, byte[] body) throws IOException {
        if (status != expected && !(expected == 201 && status == 200) && !(expected == 200 && status == 201)) {
            throw new IOException(status + " (" + expected + " expected): "
                    + new String(body, 0, Math.min(300, body.length), StandardCharsets.UTF_8));
        }
    }

    static String field(HttpResponse<byte[]> r, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*\"([^\"]+)\"").matcher(new String(r.body(), StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return m.group(1);
    }

    // ---- samples

    /** heap after a full GC (bytes), RSS (bytes), live threads, open file descriptors, database connections. */
    static long[] sample(long pid) throws Exception {
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor();
        String metrics = new String(HTTP.send(request("/metrics").GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body(),
                StandardCharsets.UTF_8);
        long heap = (long) sum(metrics, "jvm_memory_used_bytes\\{area=\"heap\"[^}]*}");
        long threads = (long) sum(metrics, "jvm_threads_live_threads(\\{[^}]*})?");
        long connections = (long) sum(metrics, "hikaricp_connections(\\{[^}]*})?");
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
            }
        }
        long fds;
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = list.count();
        }
        return new long[] {heap, rss, threads, fds, connections};
    }

    static double sum(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(m.groupCount()));
        }
        return total;
    }

    // ---- the report

    static void report(List<long[]> samples, int minutes, int clients) {
        System.out.printf("# %d clients, %d min%n", clients, minutes);
        System.out.println("# kind               requests   5xx/errors  time-outs   p50_ms   p99_ms");
        boolean clean = true;
        for (Kind k : KINDS) {
            List<Long> l = new ArrayList<>(latencies.get(k.name()));
            Collections.sort(l);
            long p50 = l.isEmpty() ? -1 : l.get(l.size() / 2);
            long p99 = l.isEmpty() ? -1 : l.get(Math.min(l.size() - 1, (int) Math.ceil(l.size() * 0.99) - 1));
            int failed = failures.get(k.name()).get();
            int slow = timeouts.get(k.name()).get();
            clean &= failed == 0 && slow == 0;
            System.out.printf("%-20s %9d %12d %10d %8d %8d%n", k.name(), l.size(), failed, slow, p50, p99);
        }
        firstFailures.forEach(f -> System.out.println("# failure: " + f));
        int third = Math.max(1, samples.size() / 3);
        Map<String, Boolean> aims = new TreeMap<>();
        aims.put("0 errors and 0 time-outs", clean);
        aims.put("heap after GC: last third within 10 % of the first", mean(samples, 0, 0, third) * 1.10
                >= mean(samples, 0, samples.size() - third, samples.size()));
        for (int i = 2; i <= 4; i++) {
            String what = new String[] {"", "", "threads", "file descriptors", "database connections"}[i];
            // growth: the last third's highest beyond the first third's highest (a pool filling up to its size is not growth)
            aims.put("no growth of " + what, max(samples, i, samples.size() - third, samples.size())
                    <= max(samples, i, 0, third) * 1.10 + 2);
        }
        aims.forEach((aim, met) -> System.out.println("# aim " + (met ? "met:    " : "NOT met: ") + aim));
        System.out.printf("# heap after GC MiB: first third %.0f, last third %.0f; RSS MiB first %.0f, last %.0f%n",
                mean(samples, 0, 0, third) / (1 << 20), mean(samples, 0, samples.size() - third, samples.size()) / (1 << 20),
                mean(samples, 1, 0, third) / (1 << 20), mean(samples, 1, samples.size() - third, samples.size()) / (1 << 20));
    }

    static double mean(List<long[]> samples, int i, int from, int to) {
        return samples.subList(from, to).stream().mapToLong(s -> s[i]).average().orElse(0);
    }

    static double max(List<long[]> samples, int i, int from, int to) {
        return samples.subList(from, to).stream().mapToLong(s -> s[i]).max().orElse(0);
    }
}
