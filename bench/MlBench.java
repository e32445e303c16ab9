import java.io.IOException;
import java.io.OutputStream;
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
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DerivaML workflow's figures, run by bench/ml.sh against a running Cairn.
 * <ul>
 * <li>Commit of one execution with 1,000 staged 10 KB files, and of one with a single large file,
 * each against the same amount of (different) bytes PUT straight into the object store in the same
 * run: different bytes, because the store keeps identical content once.</li>
 * <li>Lineage of the last asset of a chain of 10,000 executions (asset -> execution -> asset ...),
 * loaded through the ERMrest entity API, at depth 100 and in full.</li>
 * <li>With ML_BENCH_FILES=N only: N files of 4 KiB PUT one by one against N others staged as one
 * tar archive and committed through one execution (bench/peers.sh).</li>
 * </ul>
 * Usage: java bench/MlBench.java BASE_URL WORK_DIR LARGE_MIB
 */
public class MlBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    static String base;
    /** A namespace of its own for the plain PUTs, so that the bench runs again on one server. */
    static String plain;

    public static void main(String[] args) throws Exception {
        base = args[0];
        Path work = Path.of(args[1]);
        int largeMib = Integer.parseInt(args[2]);

        String cid = field(send("POST", "/api/catalogs", "{\"name\": \"bench\", \"domainSchema\": \"bench\"}", 201), "id");
        String api = "/api/catalogs/" + cid;
        send("POST", api + "/asset-tables", "{\"name\": \"Output\"}", 201);
        String workflow = field(send("POST", api + "/workflows", "{\"name\": \"bench\", \"type\": \"Training\"}", 201), "RID");
        plain = "/hatrac/plain-" + cid;
        send("PUT", plain, null, 201, "Content-Type", "application/x-hatrac-namespace");
        if (System.getenv("ML_BENCH_FILES") != null) {
            files(api, workflow, work, Integer.parseInt(System.getenv("ML_BENCH_FILES")));
            return;
        }
        if (System.getenv("ML_BENCH_LINEAGE_ONLY") != null) {
            lineage(cid, api, workflow);
            if (System.getenv("ML_BENCH_KEEP") != null) {
                System.out.println("server kept running; press Enter to stop");
                System.in.read();
            }
            return;
        }

        // ---- 1,000 files of 10 KB
        int files = 1000;
        byte[][] plainBytes = new byte[files][];
        byte[][] staged = new byte[files][];
        for (int i = 0; i < files; i++) {
            plainBytes[i] = random(10_000, i);
            staged[i] = random(10_000, 1_000_000 + i);
        }
        long t = System.nanoTime();
        for (int i = 0; i < files; i++) {
            send("PUT", plain + "/small-" + i, plainBytes[i], 201);
        }
        double plainSeq = seconds(t);
        byte[][] plain4 = new byte[files][];
        for (int i = 0; i < files; i++) {
            plain4[i] = random(10_000, 2_000_000 + i);
        }
        t = System.nanoTime();
        parallel(4, files, i -> send("PUT", plain + "/small4-" + i, plain4[i], 201));
        double plainPar = seconds(t);
        String e1 = execution(api, workflow);
        t = System.nanoTime();
        for (int i = 0; i < files; i++) {
            send("PUT", api + "/executions/" + e1 + "/outputs/Output/small-" + i + ".bin", staged[i], 201);
        }
        double stage = seconds(t);
        t = System.nanoTime();
        status(api, e1, "Stopped");
        send("POST", api + "/executions/" + e1 + "/commit?async=false", "", 200);
        double commit = seconds(t);
        System.out.printf("1,000 x 10 KB: plain PUTs %.2f s sequential (%.2f s from 4 clients); staging %.2f s; "
                        + "commit %.2f s = %.2fx the sequential PUTs (%.2fx the 4-client PUTs); stage + commit %.2fx%n",
                plainSeq, plainPar, stage, commit, commit / plainSeq, commit / plainPar, (stage + commit) / plainSeq);

        // ---- one large file (0 MiB: skipped)
        if (largeMib > 0) {
            large(api, workflow, work, largeMib);
        }
        lineage(cid, api, workflow);
    }

    /**
     * {@code n} files of 4 KiB PUT one by one into the object store from 8 clients, against as many
     * other files (different bytes: the store keeps identical content once) staged for an execution
     * as one tar archive, which tar writes while it is sent, then committed.
     */
    static void files(String api, String workflow, Path work, int n) throws Exception {
        int size = 4096;
        long t = System.nanoTime();
        parallel(8, n, i -> send("PUT", plain + "/f-" + i, random(size, 5_000_000L + i), 201));
        double put = seconds(t);
        Path folder = Files.createDirectories(work.resolve("outputs"));
        for (int i = 0; i < n; i++) {
            Files.write(folder.resolve("f-" + i + ".bin"), random(size, 9_000_000L + i));
        }
        String execution = execution(api, workflow);
        t = System.nanoTime();
        Process tar = new ProcessBuilder("tar", "-C", folder.toString(), "-cf", "-", ".").start();
        HttpResponse<String> staged = HTTP.send(request(URI.create(base + api + "/executions/" + execution + "/outputs/Output"))
                .header("Content-Type", "application/x-tar").timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.ofInputStream(tar::getInputStream)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (staged.statusCode() != 201 || tar.waitFor() != 0) {
            throw new IllegalStateException("staging the archive: " + staged.statusCode() + " " + staged.body());
        }
        double stage = seconds(t);
        t = System.nanoTime();
        status(api, execution, "Stopped");
        send("POST", api + "/executions/" + execution + "/commit?async=false", "", 200);
        double commit = seconds(t);
        System.out.printf("%,d files of 4 KiB: PUT one by one from 8 clients %.1f s (%.0f/s); through one execution: "
                        + "stage as one tar %.1f s, commit %.1f s; stage + commit %.2fx%n",
                n, put, n / put, stage, commit, (stage + commit) / put);
    }

    static void large(String api, String workflow, Path work, int largeMib) throws Exception {
        Path plainFile = work.resolve("plain.bin");
        Path stagedFile = work.resolve("staged.bin");
        writeRandom(plainFile, largeMib, 1);
        writeRandom(stagedFile, largeMib, 2);
        long t = System.nanoTime();
        curl("PUT", base + plain + "/large", plainFile, 201);
        double plainLarge = seconds(t);
        String e2 = execution(api, workflow);
        t = System.nanoTime();
        curl("PUT", base + api + "/executions/" + e2 + "/outputs/Output/large.bin", stagedFile, 201);
        double stageLarge = seconds(t);
        t = System.nanoTime();
        status(api, e2, "Stopped");
        send("POST", api + "/executions/" + e2 + "/commit?async=false", "", 200);
        double commitLarge = seconds(t);
        System.out.printf("1 x %d MiB: plain PUT %.2f s (%.0f MB/s); staging %.2f s; commit %.2f s = %.2fx the plain PUT; "
                        + "stage + commit %.2fx%n", largeMib, plainLarge, largeMib * 1.048576 / plainLarge, stageLarge, commitLarge,
                commitLarge / plainLarge, (stageLarge + commitLarge) / plainLarge);
        Files.delete(plainFile);
        Files.delete(stagedFile);
    }

    /** Lineage on a chain of 10,000 executions, loaded through ERMrest. */
    static void lineage(String cid, String api, String workflow) throws Exception {
        int chain = 10_000;
        String catalog = "/ermrest/catalog/" + cid;
        long t = System.nanoTime();
        List<String> assets = insert(catalog + "/entity/bench:Output", chain + 1, i -> String.format(
                "{\"URL\": \"/hatrac/x/%d\", \"Filename\": \"a%d\", \"Length\": 1, \"MD5\": \"%032x\"}", i, i, i));
        List<String> executions = insert(catalog + "/entity/deriva-ml:Execution", chain, i -> String.format(
                "{\"Workflow\": \"%s\", \"Status\": \"Uploaded\", \"Description\": \"step %d\"}", workflow, i));
        insert(catalog + "/entity/bench:Output_Execution", 2 * chain, i -> String.format(
                "{\"Output\": \"%s\", \"Execution\": \"%s\", \"Asset_Role\": \"%s\"}",
                assets.get(i / 2 + i % 2), executions.get(i / 2), i % 2 == 0 ? "Input" : "Output"));
        System.out.printf("chain of %,d executions and %,d assets loaded in %.1f s%n", chain, chain + 1, seconds(t));
        String last = assets.get(chain);
        for (String query : List.of("direction=up&depth=100", "direction=up", "direction=down&depth=100", "direction=down")) {
            String url = api + "/assets/" + (query.contains("down") ? assets.get(0) : last) + "/lineage?" + query;
            String body = send("GET", url, null, 200);
            int nodes = count(body, "\"kind\"");
            double[] times = new double[11];
            for (int i = 0; i < times.length; i++) {
                long s = System.nanoTime();
                send("GET", url, null, 200);
                times[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(times);
            System.out.printf("lineage %-24s %,6d nodes: median %.0f ms, max %.0f ms (11 runs)%n", query, nodes,
                    times[times.length / 2], times[times.length - 1]);
        }
    }

    interface Row {
        String json(int i);
    }

    /** Inserts rows in batches of 1,000 and returns their RIDs in order. */
    static List<String> insert(String path, int rows, Row row) throws Exception {
        List<String> rids = new ArrayList<>();
        Pattern rid = Pattern.compile("\"RID\":\"([^\"]+)\"");
        for (int from = 0; from < rows; from += 1000) {
            StringBuilder json = new StringBuilder("[");
            for (int i = from; i < Math.min(rows, from + 1000); i++) {
                json.append(i == from ? "" : ",").append(row.json(i));
            }
            Matcher m = rid.matcher(send("POST", path, json.append(']').toString(), 200));
            while (m.find()) {
                rids.add(m.group(1));
            }
        }
        return rids;
    }

    /** A running execution: outputs are staged while it runs. */
    static String execution(String api, String workflow) throws Exception {
        String execution = field(send("POST", api + "/executions", "{\"workflow\": \"" + workflow + "\"}", 201), "RID");
        status(api, execution, "Running");
        return execution;
    }

    static void status(String api, String execution, String status) throws Exception {
        send("PUT", api + "/executions/" + execution + "/status", "{\"status\": \"" + status + "\"}", 200);
    }

    interface Task {
        void run(int i) throws Exception;
    }

    static void parallel(int clients, int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            futures.add(pool.submit(() -> {
                task.run(k);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void writeRandom(Path file, int mib, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mib; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
    }

    static void curl(String method, String url, Path file, int expected) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", method,
                "-H", "Content-Type: application/octet-stream", "-H", "Expect:", "-T", file.toString(), url).start();
        String code = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0 || !code.equals(String.valueOf(expected))) {
            throw new IllegalStateException(method + " " + url + " -> " + code);
        }
    }

    static String send(String method, String path, Object body, int expected, String... headers) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : body instanceof byte[] b ? HttpRequest.BodyPublishers.ofByteArray(b)
                : HttpRequest.BodyPublishers.ofString((String) body);
        HttpRequest.Builder request = request(URI.create(base + path)).method(method, publisher)
                .timeout(Duration.ofMinutes(10));
        if (body instanceof String) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** A request sent as the administrator whose first-start token bench/lib.sh exports. */
    static HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        String token = System.getenv("CAIRN_TOKEN");
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }
}
